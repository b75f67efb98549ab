"""A national dataset of outreach work, "Dân vận khéo" models and commendations for the benchmark,
generated inside PostgreSQL.

The real unit tree and today's frame (`reports_data.units_prepare`) plus one mass mobilization
committee per province (Ban Dân vận Tỉnh ủy, valid while its province is), which stands for the
provincial level: records lie on communes, districts (until 30/06/2025) and these committees. Then,
dated 2013-01-01 … 2026-11-30, each on a unit valid on its date (`reports_data._unit_pick`), made by
INSERT … SELECT over generate_series (no Python loop per row):

- activities: conferences 55 %, dialogue conferences with the people 25 % (communes; some
  districts before the reform), trainings 10 %, inspections 6 %, voter contact meetings 4 %; each
  with 2–5 `Participation` rows (categories by kind: citizens lead dialogues, mass mobilization
  cadres trainings) copying its unit path, kind and first day, `participants_total` their sum; a
  co-organiser (the unit above) for one in five, a resolution disseminated for half the conferences;
- documents issued to carry resolutions out, by type (plans, reports, guidance, …), most naming
  the resolution they carry out (one issued before them);
- "Dân vận khéo" models and exemplars by field and kind; about 60 % recognised 3–12 months after
  registration (an `Evaluation` that passed and a `Recognition` per level), a third of those at a
  second, higher level a year later; the levels are those valid on the date (commune, district until
  30/06/2025, province; a model of a pre-reform unit is recognised before the reform or not yet);
  one in ten not recognised (a failed evaluation), one in twenty withdrawn; one in eight registered
  as a replica of a model recognised before it;
- emulation movements (most carrying a resolution out) and commendations of collectives and
  individuals: decided mostly, a few declined or revoked, the last weeks' still proposed; the level
  follows the recipient's unit (no district level after the reform) and the form its level, the
  issuing unit is the area of that level above the recipient; some reward a movement, a model or
  an activity begun before the decision.

Kinds, fields, statuses and numbers follow fixed mixes drawn from a hash of the id, so a run is the
same every time. The indexes other than primary keys are dropped during the load and rebuilt after
it (the definitions read from the catalogue), foreign keys are not checked row by row
(session_replication_role = replica; the rows are consistent), and the tables are vacuumed and
analysed at the end. Lifecycle event rows (PracticeEvent, CommendationEvent) are not generated:
no figure, list or selector measured reads them.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from reports_data import CHUNK, FIRST_DAY, LAST_DAY, REFORM, _insert, _prepare_sql, _sql_array, _unit_pick

LAST_OLD_DAY = REFORM - timedelta(days=1)
SPAN = (LAST_DAY - FIRST_DAY).days
MM_COMMITTEE = "mass_mobilization_committee"

# (kind, share in percent, unit weights ((commune, district) before the reform, after it; the rest
# of each era goes to the provincial mass mobilization committees)).
ACTIVITY_KINDS = (
    ("conference", 55, ((55, 30), (85, 0))),
    ("dialogue", 25, ((92, 8), (100, 0))),
    ("training", 10, ((30, 40), (60, 0))),
    ("inspection", 6, ((20, 45), (55, 0))),
    ("voter_contact", 4, ((70, 25), (90, 0))),
)
CATEGORIES = (
    "cadres",
    "party_members",
    "union_members",
    "association_members",
    "mm_cadres",
    "citizens",
    "other",
)
# Per kind: the order categories are taken in (the first leads) and the people of the leading one
# and of the others (base + hash % range).
CATEGORY_ORDER = {
    "conference": CATEGORIES,
    "dialogue": ("citizens", "cadres", "party_members", "association_members", "union_members", "mm_cadres",
                 "other"),
    "training": ("mm_cadres", "cadres", "party_members", "union_members", "association_members", "citizens",
                 "other"),
    "inspection": ("cadres", "mm_cadres", "party_members", "union_members", "association_members", "citizens",
                   "other"),
    "voter_contact": ("citizens", "party_members", "cadres", "union_members", "association_members",
                      "mm_cadres", "other"),
}  # fmt: skip
LEAD_PEOPLE = {"conference": (40, 160), "dialogue": (40, 160), "training": (15, 45), "inspection": (3, 10),
               "voter_contact": (50, 150)}  # fmt: skip
OTHER_PEOPLE = {"conference": (5, 60), "dialogue": (2, 20), "training": (2, 15), "inspection": (1, 6),
                "voter_contact": (3, 25)}  # fmt: skip
ACTIVITY_TITLES = {
    "conference": (
        "Hội nghị quán triệt, triển khai thực hiện Nghị quyết về công tác dân vận",
        "Hội nghị tuyên truyền, phổ biến Luật Thực hiện dân chủ ở cơ sở",
        "Hội nghị học tập, quán triệt Quy chế công tác dân vận của hệ thống chính trị",
        "Hội nghị sơ kết phong trào thi đua Dân vận khéo",
        "Hội nghị tổng kết công tác dân vận",
        "Hội nghị tuyên truyền chủ trương xây dựng nông thôn mới",
    ),
    "training": (
        "Lớp bồi dưỡng nghiệp vụ công tác dân vận cho cán bộ cơ sở",
        "Tập huấn kỹ năng vận động quần chúng",
        "Lớp tập huấn công tác dân vận chính quyền",
    ),
    "dialogue": (
        "Hội nghị đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân",
        "Đối thoại trực tiếp với Nhân dân về thực hiện dân chủ ở cơ sở",
        "Hội nghị đối thoại với Nhân dân về bồi thường, giải phóng mặt bằng",
    ),
    "inspection": (
        "Kiểm tra việc thực hiện Quy chế công tác dân vận",
        "Giám sát việc thực hiện dân chủ ở cơ sở",
        "Kiểm tra, giám sát phong trào thi đua Dân vận khéo",
    ),
    "voter_contact": (
        "Hội nghị tiếp xúc cử tri trước kỳ họp Hội đồng nhân dân",
        "Tiếp xúc cử tri sau kỳ họp Quốc hội",
    ),
}
# (type, share in percent, number suffix, title)
DOCUMENT_TYPES = (
    ("plan", 35, "KH", "Kế hoạch thực hiện công tác dân vận"),
    ("report", 20, "BC", "Báo cáo kết quả thực hiện công tác dân vận"),
    ("guidance", 12, "HD", "Hướng dẫn thực hiện phong trào thi đua Dân vận khéo"),
    ("programme", 10, "CTr", "Chương trình hành động thực hiện Nghị quyết về công tác dân vận"),
    ("directive", 6, "CT", "Chỉ thị về tăng cường công tác dân vận"),
    ("decision", 6, "QĐ", "Quyết định ban hành Quy chế công tác dân vận"),
    ("resolution", 4, "NQ", "Nghị quyết chuyên đề về công tác dân vận"),
    ("regulation", 3, "QC", "Quy chế phối hợp công tác dân vận"),
    ("conclusion", 2, "KL", "Kết luận về công tác dân vận"),
    ("other", 2, "CV", "Công văn về công tác dân vận"),
)
DOCUMENT_ISSUERS = ("Đảng ủy xã", "Huyện ủy", "Ban Dân vận Tỉnh ủy")  # by unit category
PRACTICE_FIELDS = (
    ("economy", 40),
    ("culture_society", 30),
    ("defence_security", 15),
    ("political_system", 15),
)
PRACTICE_KINDS = (("model", 55), ("exemplar_collective", 20), ("exemplar_individual", 25))
PRACTICE_NAMES = {
    "economy": ("Mô hình Dân vận khéo trong phát triển kinh tế hộ gia đình",
                "Mô hình liên kết sản xuất, tiêu thụ nông sản",
                "Mô hình hiến đất làm đường giao thông nông thôn"),
    "culture_society": ("Mô hình Khu dân cư văn hóa, đoàn kết", "Mô hình vận động xóa nhà tạm, nhà dột nát",
                        "Mô hình Tổ tự quản vệ sinh môi trường"),
    "defence_security": ("Mô hình Tổ an ninh tự quản", "Mô hình Camera an ninh khu dân cư",
                         "Mô hình Dòng họ không có người vi phạm pháp luật"),
    "political_system": ("Mô hình Dân vận khéo trong cải cách hành chính", "Mô hình Chi bộ gắn với dân",
                         "Mô hình cán bộ, đảng viên gần dân, sát dân"),
}  # fmt: skip
MOVEMENT_NAMES = (
    "Phong trào thi đua Dân vận khéo",
    "Phong trào Toàn dân đoàn kết xây dựng đời sống văn hóa",
    "Phong trào thi đua Cả nước chung tay vì người nghèo",
    "Phong trào thi đua chung sức xây dựng nông thôn mới",
    "Phong trào thi đua cải cách hành chính",
)
# Commendation forms by level (and for collectives only, the emulation flag), and their issuers.
FORMS = {
    "commune": ("commune_pc_certificate", "commune_pc_certificate", "commune_party_certificate"),
    "district": ("district_pc_certificate", "district_pc_certificate", "district_party_certificate"),
    "province": ("province_pc_certificate", "province_pc_certificate", "province_pc_certificate",
                 "province_party_certificate"),
    "country": ("prime_minister_certificate", "central_certificate", "central_certificate"),
}  # fmt: skip
ISSUERS = {
    "commune_pc_certificate": "Chủ tịch Ủy ban nhân dân xã",
    "commune_party_certificate": "Ban Thường vụ Đảng ủy xã",
    "district_pc_certificate": "Chủ tịch Ủy ban nhân dân huyện",
    "district_party_certificate": "Ban Thường vụ Huyện ủy",
    "province_pc_certificate": "Chủ tịch Ủy ban nhân dân tỉnh",
    "province_party_certificate": "Ban Thường vụ Tỉnh ủy",
    "province_emulation_flag": "Ủy ban nhân dân tỉnh",
    "prime_minister_certificate": "Thủ tướng Chính phủ",
    "central_certificate": "Ban Dân vận Trung ương",
}
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Ngọc", "Hữu", "Quang")
GIVEN = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Lan", "Long", "Mai",
         "Nam",
         "Phương", "Quân", "Sơn", "Thảo", "Trang", "Tuấn")  # fmt: skip
POSITIONS = ("Trưởng thôn", "Bí thư chi bộ", "Chủ tịch Hội Nông dân xã", "Cán bộ Ban Dân vận", "Hội viên",
             "Đoàn viên", "Công chức văn hóa - xã hội")  # fmt: skip
GROUPS = ("Chi hội Nông dân thôn", "Chi hội Phụ nữ thôn", "Chi đoàn thanh niên thôn", "Tổ an ninh tự quản số",
          "Ban công tác Mặt trận khu dân cư số")  # fmt: skip
REASONS = (
    "Đã có thành tích xuất sắc trong phong trào thi đua Dân vận khéo",
    "Đã có thành tích tiêu biểu trong thực hiện công tác dân vận",
    "Đã có thành tích xuất sắc trong phong trào xây dựng nông thôn mới",
    "Đã có thành tích trong thực hiện Quy chế dân chủ ở cơ sở",
)


def _weighted(values: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """One entry per percent point: picked by `hash % 100`."""
    out = tuple(v for v, share in values for _ in range(share))
    assert len(out) == 100, values
    return out


def _day(i_sql: str, n: int) -> str:
    """Record i of n, spread evenly over FIRST_DAY … LAST_DAY in the order of the ids."""
    return f"(DATE '{FIRST_DAY}' + (({i_sql} - 1) * {SPAN}::bigint / {max(n, 1)})::int)"


def _before_count(n: int, day_sql: str, margin: int = 0) -> str:
    """How many records of a source of n spread by `_day` began at least `margin` days before
    `day_sql` (ids 1 … that count): record k began on FIRST + (k-1)*SPAN/n."""
    return f"LEAST({n}, (({day_sql} - DATE '{FIRST_DAY}' - {margin}) * {n}::bigint / {SPAN}) + 1)"


def _seg(path_sql: str, depth: int) -> str:
    """The id of the unit at `depth` on the way to a unit (path segments are hex ids)."""
    return f"('x' || substr({path_sql}, {(depth - 1) * 9 + 1}, 8))::bit(32)::int"


def _case(kind_sql: str, values: dict[str, str]) -> str:
    """CASE over the text `kind_sql`, each value an SQL expression."""
    return f"CASE {kind_sql} " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in values.items()) + " END"


def _lookup(kind_sql: str, values: dict[str, str] | dict[str, int]) -> str:
    """CASE over the text `kind_sql`, each value a constant (text or number)."""
    return _case(kind_sql, {k: str(v) if isinstance(v, int) else "'" + v.replace("'", "''") + "'"
                            for k, v in values.items()})  # fmt: skip


# ---- the tree --------------------------------------------------------------------------------


def units_prepare(today: date) -> dict:
    """The benchmark tree of `reports_data.units_prepare` (real units, one inspectorate per province,
    today's frame), plus a mass mobilization committee per province valid while its province is."""
    import reports_data
    from danvan.core.text import fold
    from danvan.units.frames import frame_ensure, frame_mark_stale
    from danvan.units.models import Unit, UnitKind, UnitLevel, path_segment

    result = reports_data.units_prepare(today)
    started = time.perf_counter()
    provinces = list(Unit.objects.filter(level=UnitLevel.PROVINCE))
    have = set(Unit.objects.filter(kind=MM_COMMITTEE).values_list("code", "valid_from"))
    committees = []
    for p in provinces:
        code = f"{p.code}-BDV"
        if (code, p.valid_from) in have:
            continue
        name = f"Ban Dân vận {p.name}"
        committees.append(
            Unit(
                code=code,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                name=name,
                name_folded=fold(name),
                kind=UnitKind.MASS_MOBILIZATION_COMMITTEE,
                level=UnitLevel.AGENCY,
                parent=p,
                path="",
                depth=0,
                source="bench",
            )  # fmt: skip
        )
    Unit.objects.bulk_create(committees)
    paths = {p.pk: p.path for p in provinces}
    for c in committees:
        c.path = paths[c.parent_id] + path_segment(c.pk)
        c.depth = c.path.count("/")
    Unit.objects.bulk_update(committees, ["path", "depth"])
    if committees:
        frame_mark_stale()
        frame_ensure(today)
    result["mm_committees_created"] = len(committees)
    result["mm_committees_s"] = round(time.perf_counter() - started, 1)
    result["levels"]["agency"] = Unit.objects.filter(level=UnitLevel.AGENCY).count()
    return result


# ---- the load ----------------------------------------------------------------------------------


def tables() -> list[str]:
    from danvan.emulation.models import Commendation, Movement
    from danvan.outreach.models import Activity, IssuedDocument, Participation
    from danvan.practices.models import Evaluation, PracticeModel, Recognition

    return [
        Activity._meta.db_table,
        Participation._meta.db_table,
        Activity.co_organisers.through._meta.db_table,
        Activity.resolutions.through._meta.db_table,
        IssuedDocument._meta.db_table,
        PracticeModel._meta.db_table,
        Evaluation._meta.db_table,
        Recognition._meta.db_table,
        Movement._meta.db_table,
        Commendation._meta.db_table,
    ]


def _secondary_indexes(cursor, names: list[str]) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(table, constraint, definition) of the unique constraints and (index, definition) of the
    plain indexes of `names`, primary keys left alone."""
    cursor.execute(
        """SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname = ANY(%s) AND c.contype = 'u'""",
        [names],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
              AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
        [names],
    )
    return constraints, cursor.fetchall()


def _prepare(cursor, today: date) -> None:
    """reports_data's helpers (pg_temp.h, the unit slots per era and category), with the provincial
    category made of the mass mobilization committees only; and the titles with their folded form."""
    from danvan.core.text import fold

    _prepare_sql(cursor, today)
    cursor.execute("DELETE FROM bench_slot WHERE cat = 2")
    cursor.execute(
        """INSERT INTO bench_slot (era, cat, idx, id, path)
           SELECT e.era, 2, (row_number() OVER (PARTITION BY e.era ORDER BY u.id) - 1)::int, u.id, u.path
             FROM units_unit u
             JOIN (VALUES (0, %(last_old)s::date), (1, %(reform)s::date)) e(era, day)
               ON u.valid_from <= e.day AND (u.valid_to IS NULL OR u.valid_to >= e.day)
            WHERE u.kind = %(kind)s""",
        {"last_old": LAST_OLD_DAY, "reform": REFORM, "kind": MM_COMMITTEE},
    )
    cursor.execute("DELETE FROM bench_slot_count WHERE cat = 2")
    cursor.execute("INSERT INTO bench_slot_count SELECT era, cat, count(*)::int FROM bench_slot "
                   "WHERE cat = 2 "
                   "GROUP BY era, cat")  # fmt: skip
    cursor.execute("ANALYZE bench_slot")
    cursor.execute("ANALYZE bench_slot_count")
    cursor.execute("SELECT era, cat, n FROM bench_slot_count ORDER BY era, cat")
    counts = {(era, cat): n for era, cat, n in cursor.fetchall()}
    assert counts.get((0, 2)) and counts.get((1, 2)), f"no mass mobilization committees: {counts}"
    # Titles and names with their folded form (danvan.core.text.fold), by (set, k).
    cursor.execute("DROP TABLE IF EXISTS pg_temp.bench_word")
    cursor.execute("CREATE TEMP TABLE bench_word (s text, k int, word text, folded text, PRIMARY KEY (s, k))")
    sets: dict[str, tuple[str, ...]] = {
        **{f"activity:{kind}": titles for kind, titles in ACTIVITY_TITLES.items()},
        **{f"practice:{f}": names for f, names in PRACTICE_NAMES.items()},
        "document": tuple(title for *_rest, title in DOCUMENT_TYPES),
        "movement": MOVEMENT_NAMES,
        "family": FAMILY,
        "middle": MIDDLE,
        "given": GIVEN,
        "group": GROUPS,
    }
    with cursor.cursor.copy("COPY bench_word (s, k, word, folded) FROM STDIN") as out:
        for name, words in sets.items():
            for k, word in enumerate(words):
                out.write_row((name, k, word, fold(word)))
    cursor.execute("ANALYZE bench_word")


def _resolution_pick(cursor, day_sql: str, hash_sql: str) -> str:
    """The id of a resolution issued on or before `day_sql`, chosen by a hash (the seeded
    framework documents; one is always older than 2013)."""
    cursor.execute("SELECT id, issued_on FROM outreach_resolution ORDER BY issued_on, id")
    rows = cursor.fetchall()
    assert rows and rows[0][1] <= FIRST_DAY, "the seeded resolutions are missing"
    ids = "ARRAY[" + ",".join(str(pk) for pk, _ in rows) + "]"
    issued = " + ".join(f"({day_sql} >= DATE '{on}')::int" for _, on in rows)
    return f"({ids})[1 + ({hash_sql}) % ({issued})]"


def load_activities(cursor, n: int, user_id: int, log) -> None:
    from danvan.outreach.models import Activity, Participation

    kinds = _weighted(tuple((kind, share) for kind, share, _w in ACTIVITY_KINDS))
    Organisers = Activity.co_organisers.through
    Resolutions = Activity.resolutions.through
    title_count = _case("a.kind", {k: str(len(v)) for k, v in ACTIVITY_TITLES.items()})
    resolution = _resolution_pick(cursor, "a.d", "a.h >> 8")
    for first in range(1, n + 1, CHUNK):
        last = min(n, first + CHUNK - 1)
        started = time.perf_counter()
        cursor.execute("DROP TABLE IF EXISTS pg_temp.bench_act, pg_temp.bench_part")
        cursor.execute("CREATE TEMP TABLE bench_act (i bigint, kind text, d date, unit_id int, "
                       "unit_path text, "
                       "h int)")  # fmt: skip
        for kind, _share, weights in ACTIVITY_KINDS:
            cursor.execute(
                f"""INSERT INTO bench_act
                    SELECT g.i, '{kind}', g.d, su.id, su.path, pg_temp.h(g.i * 16 + 4)
                      FROM (SELECT i, {_day("i", n)} AS d FROM generate_series({first}, {last}) i
                             WHERE ({_sql_array(kinds)})[1 + pg_temp.h(i * 16 + 3) % 100] = '{kind}') g
                      {_unit_pick("g.i", "g.d", weights)}"""
            )
        cursor.execute("CREATE UNIQUE INDEX ON bench_act (i)")
        cursor.execute("ANALYZE bench_act")
        # 2-5 categories each, taken in the kind's order from a start (any for conferences).
        start = "CASE WHEN a.kind = 'conference' THEN (a.h >> 4) % 7 ELSE 0 END"
        category = _case(
            "a.kind", {k: f"({_sql_array(v)})[1 + ({start} + k) % 7]" for k, v in CATEGORY_ORDER.items()}
        )
        hk = "pg_temp.h(a.i * 8 + k)"
        people = _case(
            "a.kind",
            {kind: f"CASE WHEN k = 0 THEN {LEAD_PEOPLE[kind][0]} + {hk} % {LEAD_PEOPLE[kind][1]} "
                   f"ELSE {OTHER_PEOPLE[kind][0]} + {hk} % {OTHER_PEOPLE[kind][1]} END"
             for kind in CATEGORY_ORDER},
        )  # fmt: skip
        cursor.execute(
            f"""CREATE TEMP TABLE bench_part AS
                SELECT a.i, k, {category} AS category, {people} AS people
                  FROM bench_act a CROSS JOIN LATERAL generate_series(0, 1 + a.h % 4) k"""
        )
        source = f"""(SELECT a.*, t.word AS title, t.folded AS title_folded, s.total,
                             extract(year FROM a.d)::int AS year,
                             CASE WHEN a.kind = 'training'
                                  THEN LEAST(a.d + (a.h >> 12) % 4, DATE '{LAST_DAY}')
                                  ELSE a.d END AS ends_on
                        FROM bench_act a
                        JOIN (SELECT i, sum(people)::int AS total FROM bench_part GROUP BY i) s ON s.i = a.i
                        JOIN bench_word t ON t.s = 'activity:' || a.kind
                                         AND t.k = (a.h >> 16) % {title_count}) x"""
        rows = _insert(cursor, Activity,
                       {"id": "x.i", "unit_id": "x.unit_id", "unit_path": "x.unit_path", "kind": "x.kind",
                        "title": "x.title || ' năm ' || x.year",
                        "title_folded": "x.title_folded || ' nam ' || x.year",
                        "starts_on": "x.d", "ends_on": "x.ends_on",
                        "venue": "CASE WHEN x.h % 3 = 0 THEN 'Hội trường Ủy ban nhân dân' ELSE '' END",
                        "participants_total": "x.total", "from_attendance": "false",
                        "created_at": "(x.ends_on + time '17:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
                        "created_by_id": str(user_id), "version": "0"},
                       source)  # fmt: skip
        parts = _insert(cursor, Participation,
                        {"id": "(p.i - 1) * 5 + p.k + 1", "activity_id": "p.i", "category": "p.category",
                         "count": "p.people", "unit_path": "a.unit_path", "kind": "a.kind", "held_on": "a.d"},
                        "bench_part p JOIN bench_act a ON a.i = p.i")  # fmt: skip
        # One in five has a co-organiser: the unit directly above its lead organiser.
        parent = "('x' || substr(a.unit_path, length(a.unit_path) - 17, 8))::bit(32)::int"
        _insert(cursor, Organisers, {"id": "a.i", "activity_id": "a.i", "unit_id": parent},
                "bench_act a WHERE (a.h >> 20) % 5 = 0")  # fmt: skip
        _insert(cursor, Resolutions, {"id": "a.i", "activity_id": "a.i", "resolution_id": resolution},
                "bench_act a WHERE a.kind = 'conference' AND (a.h >> 24) % 2 = 0")  # fmt: skip
        log(f"  activities {last:,} / {n:,} (+{rows:,}, {parts:,} participation rows, "
            f"in {time.perf_counter() - started:.0f} s)")  # fmt: skip


def load_documents(cursor, n: int, user_id: int, log) -> None:
    from danvan.outreach.models import IssuedDocument

    types = _weighted(tuple((t, share) for t, share, _s, _title in DOCUMENT_TYPES))
    suffix = {t: s for t, _share, s, _title in DOCUMENT_TYPES}
    index = {t: k for k, (t, *_rest) in enumerate(DOCUMENT_TYPES)}
    started = time.perf_counter()
    source = f"""(SELECT g.i, g.d, su.id AS unit_id, su.path AS unit_path, su.cat, g.t, g.h,
                         w.word AS title, w.folded AS title_folded, extract(year FROM g.d)::int AS year
                    FROM (SELECT i, {_day("i", n)} AS d, pg_temp.h(i * 16 + 4) AS h,
                                 ({_sql_array(types)})[1 + pg_temp.h(i * 16 + 3) % 100] AS t
                            FROM generate_series(1, {n}) i) g
                    {_unit_pick("g.i", "g.d", ((45, 35), (75, 0)))}
                    JOIN bench_word w ON w.s = 'document' AND w.k = {_lookup("g.t", index)}
                 ) x"""  # fmt: skip
    resolution = _resolution_pick(cursor, "x.d", "x.h >> 4")
    rows = _insert(cursor, IssuedDocument,
                   {"id": "x.i", "unit_id": "x.unit_id", "unit_path": "x.unit_path",
                    "number": f"x.i || '/' || {_lookup('x.t', suffix)} || '-DV'",
                    "issued_on": "x.d", "doc_type": "x.t",
                    "title": "x.title || ' năm ' || x.year",
                    "title_folded": "x.title_folded || ' nam ' || x.year",
                    "issuer": f"({_sql_array(DOCUMENT_ISSUERS)})[1 + x.cat]",
                    "implements_id": f"CASE WHEN x.h % 5 <> 0 THEN {resolution} END",
                    "created_at": "(x.d + time '16:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
                    "created_by_id": str(user_id), "version": "0"},
                   source)  # fmt: skip
    log(f"  documents issued {rows:,} ({time.perf_counter() - started:.0f} s)")


def load_practices(cursor, n: int, user_id: int, log) -> None:
    from danvan.practices.models import Evaluation, PracticeModel, Recognition

    started = time.perf_counter()
    cursor.execute("SELECT applies, id, pass_mark FROM practices_criteriaset WHERE unit_id IS NULL "
                   "ORDER BY first_year, id")  # fmt: skip
    sets = {applies: (pk, mark) for applies, pk, mark in cursor.fetchall()}
    assert {"collective", "individual"} <= set(sets), f"the default criteria sets are missing: {sets}"
    fields = _weighted(PRACTICE_FIELDS)
    kinds = _weighted(PRACTICE_KINDS)
    cursor.execute("DROP TABLE IF EXISTS pg_temp.bench_model, pg_temp.bench_source")
    # The first recognition 3-12 months after registration, only while the model's unit and the
    # level exist (a model of a pre-reform unit is recognised by 30/06/2025 or not yet); a second
    # one at the next level (commune -> district before the reform, province after it; district ->
    # province) a year later, under the same condition, for about a third of them.
    cursor.execute(
        f"""CREATE TEMP TABLE bench_model AS
            SELECT m.*,
                   CASE WHEN m.sr < 66 AND m.d1 <= m.e_end THEN 'recognised'
                        WHEN m.sr < 76 AND m.d1 <= m.e_end THEN 'not_recognised'
                        WHEN m.sr < 81 THEN 'withdrawn'
                        WHEN m.d > DATE '{LAST_DAY}' - 30 THEN 'registered'
                        WHEN m.sr % 3 = 0 THEN 'under_review'
                        ELSE 'carrying_out' END AS status,
                   CASE m.cat WHEN 0 THEN 'commune' WHEN 1 THEN 'district' ELSE 'province' END AS level1,
                   CASE WHEN m.cat = 0 AND m.era = 0 THEN 'district' WHEN m.cat IN (0, 1) THEN 'province'
                        END AS level2,
                   CASE WHEN m.cat = 2 THEN {_seg("m.unit_path", 2)} ELSE m.unit_id END AS board1,
                   CASE WHEN m.cat = 0 AND m.era = 0 THEN {_seg("m.unit_path", 3)}
                        ELSE {_seg("m.unit_path", 2)} END AS board2
              FROM (SELECT g.i, g.d, su.id AS unit_id, su.path AS unit_path, su.cat, pick_r.era,
                           ({_sql_array(fields)})[1 + pg_temp.h(g.i * 16 + 3) % 100] AS field,
                           ({_sql_array(kinds)})[1 + pg_temp.h(g.i * 16 + 4) % 100] AS kind,
                           pg_temp.h(g.i * 16 + 5) % 100 AS sr, pg_temp.h(g.i * 16 + 6) AS h,
                           g.d + 90 + pg_temp.h(g.i * 16 + 7) % 270 AS d1,
                           g.d + 90 + pg_temp.h(g.i * 16 + 7) % 270 + 300 + pg_temp.h(g.i * 16 + 8) % 200
                             AS d2,
                           CASE WHEN pick_r.era = 0 THEN DATE '{LAST_OLD_DAY}' ELSE DATE '{LAST_DAY}' END
                             AS e_end
                      FROM (SELECT i, {_day("i", n)} AS d FROM generate_series(1, {n}) i) g
                      {_unit_pick("g.i", "g.d", ((70, 20), (88, 0)))}) m"""
    )  # fmt: skip
    cursor.execute("ALTER TABLE bench_model ADD COLUMN two boolean")
    cursor.execute("UPDATE bench_model SET two = status = 'recognised' AND level2 IS NOT NULL "
                   "AND d2 <= e_end "
                   "AND h % 100 < 35")  # fmt: skip
    cursor.execute("CREATE UNIQUE INDEX ON bench_model (i)")
    cursor.execute("ANALYZE bench_model")
    # Replicas (one in eight) copy a model recognised before they were registered: one of the last
    # few hundred so recognised.
    cursor.execute(
        "CREATE TEMP TABLE bench_source AS SELECT i, d1 FROM bench_model WHERE status = 'recognised'"
    )
    cursor.execute("CREATE INDEX ON bench_source (d1)")
    cursor.execute("ANALYZE bench_source")
    name_count = len(next(iter(PRACTICE_NAMES.values())))
    source = f"""(SELECT m.*, w.word AS name, w.folded AS name_folded, r.i AS replica_of
                    FROM bench_model m
                    JOIN bench_word w ON w.s = 'practice:' || m.field AND w.k = (m.h >> 8) % {name_count}
                    LEFT JOIN LATERAL (SELECT s.i FROM bench_source s WHERE s.d1 < m.d
                                        ORDER BY s.d1 DESC OFFSET (m.h >> 12) % 300 LIMIT 1) r
                           ON (m.h >> 4) % 8 = 0) x"""
    rows = _insert(cursor, PracticeModel,
                   {"id": "x.i", "unit_id": "x.unit_id", "unit_path": "x.unit_path", "kind": "x.kind",
                    "name": "x.name || ' (MH-' || lpad(x.i::text, 6, '0') || ')'",
                    "name_folded": "x.name_folded || ' (mh-' || lpad(x.i::text, 6, '0') || ')'",
                    "field": "x.field", "registered_on": "x.d", "year": "extract(year FROM x.d)::int",
                    "carried_out_by": "'Chi bộ, Ban công tác Mặt trận và các hộ gia đình trong khu dân cư'",
                    "aims": "'Phát huy quyền làm chủ của Nhân dân, huy động sức dân xây dựng quê hương'",
                    "status": "x.status",
                    "review_level": "CASE WHEN x.status = 'under_review' THEN x.level1 ELSE '' END",
                    "level": "CASE WHEN x.two THEN x.level2 WHEN x.status = 'recognised' THEN x.level1 "
                             "ELSE '' END",
                    "recognised_on": "CASE WHEN x.two THEN x.d2 WHEN x.status = 'recognised' THEN x.d1 END",
                    "replicated_from_id": "x.replica_of",
                    "created_at": "(x.d + time '09:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
                    "created_by_id": str(user_id), "version": "0"},
                   source)  # fmt: skip
    # Evaluations (id 2i-1 at the first level, 2i at the second) and the recognitions they led to.
    collective, individual = sets["collective"], sets["individual"]
    criteria = f"CASE WHEN x.kind = 'exemplar_individual' THEN {individual[0]} ELSE {collective[0]} END"
    mark = f"CASE WHEN x.kind = 'exemplar_individual' THEN {individual[1]} ELSE {collective[1]} END"
    levels = """(SELECT m.i * 2 - 1 AS id, m.i, m.kind, m.field, m.unit_path, m.level1 AS level,
                         m.board1 AS board, m.d1 AS decided_on, m.status = 'recognised' AS passed, m.h
                    FROM bench_model m WHERE m.status IN ('recognised', 'not_recognised')
                  UNION ALL
                  SELECT m.i * 2, m.i, m.kind, m.field, m.unit_path, m.level2, m.board2, m.d2, true, m.h >> 3
                    FROM bench_model m WHERE m.two) x"""
    evaluations = _insert(cursor, Evaluation,
                          {"id": "x.id", "model_id": "x.i", "level": "x.level", "board_unit_id": "x.board",
                           "criteria_set_id": criteria, "reviewed_on": "x.decided_on - 5 - x.h % 20",
                           "total": f"CASE WHEN x.passed THEN {mark} + x.h % (101 - {mark}) "
                                    f"ELSE {mark} - 1 - x.h % 30 END",
                           "passed": "x.passed", "created_by_id": str(user_id)},
                          levels)  # fmt: skip
    recognitions = _insert(cursor, Recognition,
                           {"id": "x.id", "model_id": "x.i", "evaluation_id": "x.id", "level": "x.level",
                            "board_unit_id": "x.board", "decision_number": "x.id || '/QĐ-BCĐ'",
                            "decided_on": "x.decided_on", "unit_path": "x.unit_path", "field": "x.field",
                            "kind": "x.kind"},
                           levels + " WHERE x.passed")  # fmt: skip
    log(f"  practice models {rows:,}, evaluations {evaluations:,}, recognitions {recognitions:,} "
        f"({time.perf_counter() - started:.0f} s)")  # fmt: skip


def load_movements(cursor, n: int, user_id: int, log) -> None:
    from danvan.emulation.models import Movement

    started = time.perf_counter()
    source = f"""(SELECT g.i, g.d, g.h, su.id AS unit_id, su.path AS unit_path, w.word AS name,
                         w.folded AS name_folded
                    FROM (SELECT i, {_day("i", n)} AS d, pg_temp.h(i * 16 + 3) AS h
                            FROM generate_series(1, {n}) i) g
                    {_unit_pick("g.i", "g.d", ((50, 30), (80, 0)))}
                    JOIN bench_word w ON w.s = 'movement'
                                     AND w.k = g.h % {len(MOVEMENT_NAMES)}) x"""  # fmt: skip
    resolution = _resolution_pick(cursor, "x.d", "x.h >> 4")
    rows = _insert(cursor, Movement,
                   {"id": "x.i", "unit_id": "x.unit_id", "unit_path": "x.unit_path",
                    "name": "x.name || ' giai đoạn ' || extract(year FROM x.d) || ' (PT-' || x.i || ')'",
                    "name_folded": "x.name_folded || ' giai doan ' || extract(year FROM x.d) "
                                   "|| ' (pt-' || x.i || ')'",
                    "starts_on": "x.d",
                    "ends_on": "CASE WHEN (x.h >> 8) % 5 <> 0 THEN x.d + 365 * (1 + (x.h >> 12) % 5) END",
                    "resolution_id": f"CASE WHEN (x.h >> 16) % 5 < 3 THEN {resolution} END",
                    "description": "''", "created_by_id": str(user_id), "version": "0"},
                   source)  # fmt: skip
    log(f"  movements {rows:,} ({time.perf_counter() - started:.0f} s)")


def load_commendations(cursor, n: int, sizes: dict[str, int], user_id: int, log) -> None:
    from danvan.emulation.models import Commendation

    started = time.perf_counter()
    # The level: from the recipient's unit (commune, district, provincial committee) and era.
    level = """CASE WHEN g.cat = 0 AND g.era = 0 THEN CASE WHEN g.lr < 55 THEN 'commune'
                                                           WHEN g.lr < 83 THEN 'district'
                                                           WHEN g.lr < 98 THEN 'province' ELSE 'country' END
                    WHEN g.cat = 0 THEN CASE WHEN g.lr < 65 THEN 'commune' WHEN g.lr < 98 THEN 'province'
                                             ELSE 'country' END
                    WHEN g.cat = 1 THEN CASE WHEN g.lr < 60 THEN 'district' WHEN g.lr < 95 THEN 'province'
                                             ELSE 'country' END
                    ELSE CASE WHEN g.lr < 85 THEN 'province' ELSE 'country' END END"""  # fmt: skip
    form = _case(
        "z.level", {lv: f"({_sql_array(forms)})[1 + z.fh % {len(forms)}]" for lv, forms in FORMS.items()}
    )
    # A collective's provincial commendation is an emulation flag one time in five.
    form = (f"CASE WHEN z.level = 'province' AND NOT z.individual AND z.fh % 5 = 0 "
            f"THEN 'province_emulation_flag' ELSE {form} END")  # fmt: skip
    district = f"CASE WHEN y.cat = 1 THEN y.unit_id ELSE {_seg('y.unit_path', 3)} END"
    issuer_unit = _case("y.level", {"commune": "y.unit_id", "district": district,
                                    "province": _seg("y.unit_path", 2),
                                    "country": _seg("y.unit_path", 1)})  # fmt: skip
    # Status: decided; declined and revoked now and then; in the last 90 days, half still proposed.
    status = f"""CASE WHEN z.d > DATE '{LAST_DAY}' - 90 AND z.sr < 50 THEN 'proposed'
                      WHEN z.sr < 3 THEN 'declined' WHEN z.sr < 5 THEN 'revoked' ELSE 'decided' END"""
    decided = "s.status IN ('decided', 'revoked')"

    def link(size: int, margin: int, share: int, shift: int) -> str:
        """A record of a source of `size` begun `margin` days before the decision, for `share` %."""
        if not size:
            return "NULL"
        count = _before_count(size, "z.d", margin)
        return (
            f"CASE WHEN (z.lh >> {shift}) % 100 < {share} AND {count} >= 1 THEN 1 + (z.lh >> 8) % {count} END"
        )

    source = f"""(
      SELECT z.*, {form} AS form FROM (
        SELECT y.*, {issuer_unit} AS issuer_unit FROM (
          SELECT g.*, {level} AS level FROM (
            SELECT x.i, x.d, su.id AS unit_id, su.path AS unit_path, su.cat, pick_r.era,
                   u.name_folded AS unit_folded,
                   pg_temp.h(x.i * 16 + 3) % 100 AS lr, pg_temp.h(x.i * 16 + 4) AS fh,
                   pg_temp.h(x.i * 16 + 5) % 100 AS sr, pg_temp.h(x.i * 16 + 6) AS lh,
                   pg_temp.h(x.i * 16 + 7) % 100 < 60 AS individual
              FROM (SELECT i, {_day("i", n)} AS d FROM generate_series(1, {n}) i) x
              {_unit_pick("x.i", "x.d", ((55, 20), (75, 0)))}
              JOIN units_unit u ON u.id = su.id) g) y) z
    ) z CROSS JOIN LATERAL (SELECT {status} AS status) s
      JOIN bench_word family ON family.s = 'family' AND family.k = z.fh % {len(FAMILY)}
      JOIN bench_word middle ON middle.s = 'middle' AND middle.k = (z.fh >> 4) % {len(MIDDLE)}
      JOIN bench_word given ON given.s = 'given' AND given.k = (z.fh >> 8) % {len(GIVEN)}
      JOIN bench_word grp ON grp.s = 'group' AND grp.k = (z.fh >> 12) % {len(GROUPS)}"""
    person = "family.word || ' ' || middle.word || ' ' || given.word"
    person_folded = "family.folded || ' ' || middle.folded || ' ' || given.folded"
    group = "grp.word || ' ' || (1 + (z.lh >> 16) % 20)"
    group_folded = "grp.folded || ' ' || (1 + (z.lh >> 16) % 20)"
    named_group = "(z.lh >> 20) % 2 = 0"
    last_year = "extract(year FROM z.d)::int - 1"  # a period of work: the year before the decision
    movement = link(sizes.get("movements", 0), 0, 25, 2)
    practice = link(sizes.get("practices", 0), 0, 12, 10)
    activity = link(sizes.get("activities", 0), 5, 8, 18)
    rows = _insert(cursor, Commendation,
                   {"id": "z.i", "unit_id": "z.unit_id", "unit_path": "z.unit_path",
                    "recipient": "CASE WHEN z.individual THEN 'individual' ELSE 'collective' END",
                    "group_name": f"CASE WHEN NOT z.individual AND {named_group} THEN {group} ELSE '' END",
                    "person_name": f"CASE WHEN z.individual THEN {person} ELSE '' END",
                    "person_position": f"CASE WHEN z.individual THEN ({_sql_array(POSITIONS)})"
                                       f"[1 + (z.lh >> 24) % {len(POSITIONS)}] ELSE '' END",
                    "recipient_folded": f"CASE WHEN z.individual THEN {person_folded} WHEN {named_group} "
                                        f"THEN {group_folded} ELSE z.unit_folded END",
                    "level": "z.level", "form": "z.form",
                    "reason": f"({_sql_array(REASONS)})[1 + (z.fh >> 16) % {len(REASONS)}]",
                    "status": "s.status",
                    "decision_number": f"CASE WHEN {decided} THEN z.i || '/QĐ-KT' ELSE '' END",
                    "decided_on": f"CASE WHEN {decided} THEN z.d END",
                    "issuer": f"CASE WHEN {decided} THEN {_lookup('z.form', ISSUERS)} "
                              "ELSE '' END",
                    "issuer_unit_id": f"CASE WHEN {decided} THEN z.issuer_unit END",
                    "movement_id": movement, "practice_id": practice, "activity_id": activity,
                    "work_from": f"CASE WHEN (z.lh >> 26) % 2 = 0 THEN make_date({last_year}, 1, 1) END",
                    "work_to": f"CASE WHEN (z.lh >> 26) % 2 = 0 THEN make_date({last_year}, 12, 31) END",
                    "created_at": "(z.d - 20 + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
                    "created_by_id": str(user_id), "version": "0"},
                   source)  # fmt: skip
    log(f"  commendations {rows:,} ({time.perf_counter() - started:.0f} s)")


def load(sizes: dict[str, int], user_id: int, today: date, log=print) -> dict:
    """Generate the records (`sizes`: activities, documents, practices, movements, commendations);
    returns the timings (seconds) of each step."""
    from django.db import connection

    names = tables()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET jit = off")  # compiling these wide INSERT … SELECTs costs more than they run
        cursor.execute("SET session_replication_role = replica")  # foreign keys: the rows are consistent
        constraints, indexes = _secondary_indexes(cursor, names)
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        _prepare(cursor, today)
        for name, step in (("activities", load_activities), ("documents", load_documents),
                           ("practices", load_practices), ("movements", load_movements)):  # fmt: skip
            begun = time.perf_counter()
            step(cursor, sizes[name], user_id, log)
            timings[f"{name}_s"] = time.perf_counter() - begun
        begun = time.perf_counter()
        load_commendations(cursor, sizes["commendations"], sizes, user_id, log)
        timings["commendations_s"] = time.perf_counter() - begun
        begun = time.perf_counter()
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["indexes_s"] = time.perf_counter() - begun
        log(f"  {len(constraints)} unique constraints and {len(indexes)} indexes rebuilt in "
            f"{timings['indexes_s']:.0f} s")  # fmt: skip
        cursor.execute("SET session_replication_role = origin")
        for table in names:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        cursor.execute("RESET work_mem")
        cursor.execute("RESET jit")
    begun = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    autocommit = raw.autocommit
    raw.autocommit = True  # VACUUM runs outside a transaction
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for table in (*names, "units_unit", "units_unitframe"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("RESET maintenance_work_mem")
    finally:
        raw.autocommit = autocommit
    timings["vacuum_analyze_s"] = time.perf_counter() - begun
    timings["total_s"] = time.perf_counter() - started
    return {k: round(v, 1) for k, v in timings.items()}
