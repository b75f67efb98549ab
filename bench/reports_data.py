"""A national dataset for the reports benchmark, generated inside PostgreSQL.

The real unit tree (`units_load`: 63 provinces, their districts and communes until 30/06/2025; 34
provinces and 3,321 communes from 01/07/2025, with successions) plus one inspectorate per province
(valid while its province is); then petitions and reception sessions and visits dated 2013-01-01 …
2026-11-30, each on a unit valid on its date, made by INSERT … SELECT over generate_series in chunks:

- petitions come in cases (ten petitions make seven cases: three are repeats of the case's first,
  days to weeks later), on communes (60 %), districts (25 %) and provincial agencies (15 %) before
  the reform, communes (82 %) and agencies after it; a repeat that falls after 01/07/2025 on a unit
  that ended goes to the unit its records roll up to today (`UnitFrame`). Kinds, fields, channels,
  eligibility, authority, statuses, dates, decisions, outcomes, deadlines met or not and money follow
  fixed mixes drawn from a hash of the id, so a run is the same every time;
- sessions (regular 70 %, periodic 25 %, ad hoc 5 %; head or authorised person) with four visits
  each, plus cancelled sessions without visits; one visit in five repeats the case of an earlier one,
  one in thirty-three is a crowd.

The indexes other than primary keys are dropped during the load and rebuilt after it (the same
definitions, read from the catalogue), foreign keys are not checked row by row
(session_replication_role = replica, the rows are made consistent), and the tables are vacuumed and
analysed at the end.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from petitions_bench import _default

FIRST_DAY = date(2013, 1, 1)
LAST_DAY = date(2026, 11, 30)
REFORM = date(2025, 7, 1)
CHUNK = 1_000_000  # rows per INSERT; a multiple of 10 (petitions of a case stay in one chunk)
TEXTS = 600
TEXT_CHARS = 300
VISITS_PER_SESSION = 4
NOW = "2026-12-01 08:00:00+07"

# Ten petitions, seven cases: the case of each of the ten and the petition's place in it.
CASE_OF = (0, 1, 1, 2, 3, 3, 3, 4, 5, 6)
PLACE_IN_CASE = (0, 0, 1, 0, 0, 1, 2, 0, 0, 0)
CHANNELS = ("post", "post", "post", "in_person", "in_person", "hand_delivery", "online", "online", "deputy",
            "front", "press", "agency", "hotline", "suggestion_box", "leader")  # fmt: skip
INELIGIBLE = ("no_signature", "no_name_address", "unclear", "sent_to_competent", "already_guided",
              "time_limit", "already_decided", "anonymous", "other")  # fmt: skip


def _sql_array(values) -> str:
    return "ARRAY[" + ",".join(f"'{v}'" for v in values) + "]"


def _pick(values, hash_sql: str) -> str:
    return f"({_sql_array(values)})[1 + ({hash_sql}) % {len(values)}]"


def _kind_pick(by_kind: dict[str, tuple[str, ...]], kind_sql: str, hash_sql: str) -> str:
    whens = " ".join(f"WHEN '{k}' THEN {_pick(v, hash_sql)}" for k, v in by_kind.items())
    return f"CASE {kind_sql} {whens} END"


# ---- the tree --------------------------------------------------------------------------------


def units_prepare(today: date) -> dict:
    """Load the real tree, add a provincial inspectorate per province, build today's frame."""
    from danvan.core.text import fold
    from danvan.units.frames import frame_ensure, frame_mark_stale
    from danvan.units.loader import units_load
    from danvan.units.models import Unit, UnitKind, UnitLevel, path_segment

    started = time.perf_counter()
    result = units_load()
    loaded = time.perf_counter() - started
    provinces = list(Unit.objects.filter(level=UnitLevel.PROVINCE))
    have = set(Unit.objects.filter(level=UnitLevel.AGENCY).values_list("code", "valid_from"))
    agencies = []
    for p in provinces:
        code = f"{p.code}-TTr"
        if (code, p.valid_from) in have:
            continue
        name = f"Thanh tra {p.name}"
        agencies.append(
            Unit(
                code=code,
                valid_from=p.valid_from,
                valid_to=p.valid_to,
                name=name,
                name_folded=fold(name),
                kind=UnitKind.INSPECTORATE,
                level=UnitLevel.AGENCY,
                parent=p,
                path="",
                depth=0,
                source="bench",
            )  # fmt: skip
        )
    Unit.objects.bulk_create(agencies)
    parents = {p.pk: p.path for p in provinces}
    for a in agencies:
        a.path = parents[a.parent_id] + path_segment(a.pk)
        a.depth = a.path.count("/")
    Unit.objects.bulk_update(agencies, ["path", "depth"])
    if agencies:
        frame_mark_stale()
    framed = time.perf_counter()
    frame_ensure(today)
    counts = {
        str(level): Unit.objects.filter(level=level).count()
        for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE, UnitLevel.AGENCY)
    }
    return {
        "units_load_s": round(loaded, 1),
        "frame_s": round(time.perf_counter() - framed, 1),
        "units_created": result.units_created,
        "successions": result.successions_created,
        "agencies_created": len(agencies),
        "levels": counts,
    }


# ---- the load ----------------------------------------------------------------------------------


TABLES = ("petitions_case", "petitions_petition", "reception_session", "reception_visit")


def _secondary_indexes(cursor) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(table, constraint, definition) of unique constraints and (index, definition) of plain
    indexes of the loaded tables, primary keys left alone."""
    cursor.execute(
        """SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE t.relname = ANY(%s) AND c.contype = 'u'""",
        [list(TABLES)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = ANY(%s) AND i.schemaname = 'public'
              AND i.indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
        [list(TABLES)],
    )
    return constraints, cursor.fetchall()


def _insert(cursor, model, exprs: dict[str, str], source: str) -> int:
    """INSERT INTO the model's table every concrete column: `exprs` (SQL over `source`) where given,
    the field's default otherwise (so a column added later is filled all the same)."""
    from psycopg import sql

    columns, values = [], []
    for f in model._meta.concrete_fields:
        columns.append(f'"{f.column}"')
        if f.attname in exprs:
            values.append(exprs[f.attname])
        else:
            values.append(sql.Literal(_default(f)).as_string(cursor.cursor.connection))
    statement = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) SELECT {', '.join(values)} FROM {source}"
    )
    cursor.execute(statement)
    return cursor.rowcount


def _summary(text: str) -> str:
    if len(text) <= TEXT_CHARS:
        return text
    return text[:TEXT_CHARS].rsplit(" ", 1)[0] + " …"


def _prepare_sql(cursor, today: date) -> None:
    import petition_corpus
    from danvan.core.text import fold

    cursor.execute("CREATE OR REPLACE FUNCTION pg_temp.h(bigint) RETURNS int LANGUAGE sql IMMUTABLE "
                   "AS 'SELECT hashint8($1) & 2147483647'")  # fmt: skip
    cursor.execute("DROP TABLE IF EXISTS pg_temp.bench_text, pg_temp.bench_slot, pg_temp.bench_slot_count")
    cursor.execute("CREATE TEMP TABLE bench_text (k int PRIMARY KEY, content text, folded text)")
    # A register's summary of the content, not the whole letter: the first words, up to TEXT_CHARS.
    texts = [_summary(t) for t in petition_corpus.make_contents(TEXTS, 41)]
    with cursor.cursor.copy("COPY bench_text (k, content, folded) FROM STDIN") as out:
        for k, text in enumerate(texts):
            out.write_row((k, text, fold(text)))
    # The units records may sit on, per era (0: until 30/06/2025, 1: from 01/07/2025) and category
    # (0: commune, 1: district, 2: agency), numbered from 0 within each.
    cursor.execute(
        """CREATE TEMP TABLE bench_slot AS
           SELECT era, cat, (row_number() OVER (PARTITION BY era, cat ORDER BY id) - 1)::int AS idx,
                  id, path
             FROM (SELECT e.era, CASE u.level WHEN 'commune' THEN 0 WHEN 'district' THEN 1 ELSE 2 END AS cat,
                          u.id, u.path
                     FROM units_unit u
                     JOIN (VALUES (0, %(last_old)s::date), (1, %(reform)s::date)) e(era, day)
                       ON u.valid_from <= e.day AND (u.valid_to IS NULL OR u.valid_to >= e.day)
                    WHERE u.level IN ('commune', 'district', 'agency')) s""",
        {"last_old": REFORM - timedelta(days=1), "reform": REFORM},
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_slot (era, cat, idx)")
    cursor.execute("CREATE TEMP TABLE bench_slot_count AS SELECT era, cat, count(*)::int AS n "
                   "FROM bench_slot GROUP BY era, cat")  # fmt: skip
    for table in ("bench_text", "bench_slot", "bench_slot_count"):
        cursor.execute(f"ANALYZE {table}")


def _unit_pick(key_sql: str, day_sql: str, weights: tuple[tuple[int, int], tuple[int, int]]) -> str:
    """A FROM fragment choosing, for each row, a unit valid on `day_sql` from a hash of `key_sql`:
    weights[era] = (commune share, district share) in percent, the rest agencies."""
    (c0, d0), (c1, d1) = weights
    return f"""
        CROSS JOIN LATERAL (SELECT ({day_sql} >= DATE '{REFORM}')::int AS era,
                                   pg_temp.h(({key_sql}) * 16 + 1) % 100 AS r) pick_r
        CROSS JOIN LATERAL (SELECT CASE WHEN pick_r.era = 0
                                        THEN CASE WHEN r < {c0} THEN 0 WHEN r < {c0 + d0} THEN 1 ELSE 2 END
                                        ELSE CASE WHEN r < {c1} THEN 0 WHEN r < {c1 + d1} THEN 1 ELSE 2 END
                                   END AS cat) pick_c
        JOIN bench_slot_count sc ON sc.era = pick_r.era AND sc.cat = pick_c.cat
        JOIN bench_slot su ON su.era = pick_r.era AND su.cat = pick_c.cat
                          AND su.idx = pg_temp.h(({key_sql}) * 16 + 2) % sc.n"""


def load_petitions(cursor, n: int, user_id: int, today: date, log) -> None:
    from danvan.petitions.models import FIELDS_OF_KIND, Case, Petition, outcomes_for

    groups = (n + 9) // 10
    cases_total = groups * 7
    span = (LAST_DAY - FIRST_DAY).days - 90  # room for the repeats of the last cases
    case_day = f"(DATE '{FIRST_DAY}' + ((c - 1) * {span}::bigint / {cases_total})::int)"
    for a in range(1, n + 1, CHUNK):
        b = min(n, a + CHUNK - 1)
        started = time.perf_counter()
        c_first = (a - 1) // 10 * 7 + 1
        c_last = (b - 1) // 10 * 7 + CASE_OF[(b - 1) % 10] + 1
        cursor.execute("DROP TABLE IF EXISTS pg_temp.bench_case")
        cursor.execute(
            f"""CREATE TEMP TABLE bench_case AS
                SELECT c, {case_day} AS base, su.id AS unit_id, su.path AS unit_path,
                       f.now_unit_id, f.now_path, pg_temp.h(c * 16 + 3) % 100 AS kr,
                       pg_temp.h(c * 16 + 4) AS fh
                  FROM generate_series({c_first}, {c_last}) c
                  {_unit_pick("c", case_day, ((60, 25), (82, 0)))}
                  JOIN units_unitframe f ON f.unit_id = su.id"""
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_case (c)")
        cursor.execute("ANALYZE bench_case")
        _insert(cursor, Case,
                {"id": "c", "unit_id": "unit_id", "unit_path": "unit_path", "opened_on": "base",
                 "created_at": "(base + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'"},
                "bench_case")  # fmt: skip
        kinds = ("complaint",) * 45 + ("denunciation",) * 10 + ("recommendation",) * 30 + ("feedback",) * 15
        outcome_1 = {k: outcomes_for(k, 1) for k in FIELDS_OF_KIND}
        outcome_2 = {**outcome_1, "complaint": outcomes_for("complaint", 2)}
        source = f"""(
          SELECT q.*, CASE WHEN q.d >= DATE '{REFORM}' AND q.base < DATE '{REFORM}'
                           THEN q.now_unit_id ELSE q.unit_id END AS p_unit_id,
                      CASE WHEN q.d >= DATE '{REFORM}' AND q.base < DATE '{REFORM}'
                           THEN q.now_path ELSE q.unit_path END AS p_unit_path,
                      q.accepted + 3 + q.h3 % (q.limit_days * 6 / 5) AS resolved_on,
                      q.d + 2 + q.h3 % 25 AS handled_on
            FROM (
              SELECT p.i, p.j, k.*, p.d, ({_sql_array(kinds)})[1 + k.kr] AS kind,
                     pg_temp.h(p.i * 16 + 5) % 1000 AS h1, pg_temp.h(p.i * 16 + 6) % 1000 AS h2,
                     pg_temp.h(p.i * 16 + 7) AS h3, DATE '{today}' - p.d AS age,
                     p.d + 2 + pg_temp.h(p.i * 16 + 8) % 8 AS accepted,
                     CASE WHEN k.kr < 45 AND p.j > 0 AND pg_temp.h(p.i * 16 + 9) % 2 = 0 THEN 2 ELSE 1 END
                       AS round_no,
                     CASE WHEN k.kr < 55 THEN 30 ELSE 15 END AS limit_days
                FROM (SELECT i, c, j,
                             LEAST({case_day} + j * (7 + pg_temp.h(i * 16 + 10) % 60), DATE '{LAST_DAY}') AS d
                        FROM (SELECT i,
                                     ((i - 1) / 10) * 7 + (ARRAY{list(CASE_OF)})[(i - 1) % 10 + 1] + 1 AS c,
                                     (ARRAY{list(PLACE_IN_CASE)})[(i - 1) % 10 + 1] AS j
                                FROM generate_series({a}, {b}) i) g) p
                JOIN bench_case k ON k.c = p.c) q
        ) r"""
        # Status: the last ten days still to classify; 15 % ineligible and filed; of the eligible,
        # 55 % within the unit's authority (resolved once old enough, 3 % withdrawn, 5 % left open)
        # and the rest guided (complaints) or transferred, urged, answered back.
        recent = "r.age <= 10"
        eligible = "r.h1 >= 150"
        own = "r.h2 < 550"
        resolved = "(r.age > 150 AND r.h2 < 500) OR (r.age > 10 AND r.age <= 150 AND r.h2 < 230)"
        withdrawn = "r.age > 150 AND r.h2 >= 500 AND r.h2 < 520"
        status = f"""CASE WHEN {recent} THEN 'received'
            WHEN NOT ({eligible}) THEN 'filed'
            WHEN {own} THEN CASE WHEN {resolved} THEN 'resolved' WHEN {withdrawn} THEN 'withdrawn'
                                 ELSE 'accepted' END
            WHEN r.kind = 'complaint' THEN 'guided'
            WHEN r.h2 < 700 THEN 'transferred' WHEN r.h2 < 800 THEN 'urged' ELSE 'answered' END"""
        exprs = {
            "id": "r.i",
            "unit_id": "r.p_unit_id",
            "unit_path": "r.p_unit_path",
            "tracking_code": "'RB' || lpad(r.i::text, 10, '0')",
            "secret_digest": "repeat('0', 64)",
            "year": "extract(year FROM r.d)::int",
            "number": "r.i",
            "received_on": "r.d",
            "channel": _pick(CHANNELS, "pg_temp.h(r.i * 16 + 11)"),
            "kind": "r.kind",
            "field": _kind_pick(dict(FIELDS_OF_KIND), "r.kind", "r.fh"),
            "content": "t.content",
            "content_folded": "t.folded",
            "signer_count": "CASE WHEN r.h3 % 100 < 8 THEN 5 + r.h3 % 20 ELSE 1 END",
            "protected": "r.kind = 'denunciation'",
            "complex": "r.h3 % 100 = 42",
            "case_id": "r.c",
            "is_repeat": "r.j > 0",
            "previous_id": "CASE WHEN r.j > 0 THEN r.i - 1 END",
            "round": "r.round_no",
            "status": "s.status",
            "eligible": f"CASE WHEN {recent} THEN NULL ELSE {eligible} END",
            "ineligible_reason": f"CASE WHEN s.status = 'filed' THEN {_pick(INELIGIBLE, 'r.h3')} ELSE '' END",
            "own_authority": f"CASE WHEN {recent} OR NOT ({eligible}) THEN NULL ELSE {own} END",
            # Processing ended (accepted, guided, transferred, urged, filed) days after receipt;
            # the reply to a transfer or a decision comes later and does not change it.
            "handling": """CASE s.status WHEN 'received' THEN ''
                WHEN 'filed' THEN 'filed' WHEN 'guided' THEN 'guided' WHEN 'urged' THEN 'urged'
                WHEN 'transferred' THEN 'transferred' WHEN 'answered' THEN 'transferred'
                ELSE 'accepted' END""",
            "processed_on": """CASE WHEN s.status = 'received' THEN NULL
                WHEN s.status IN ('accepted', 'resolved', 'withdrawn') THEN r.accepted
                ELSE r.handled_on END""",
            "handler_id": f"CASE WHEN s.status IN ('accepted', 'resolved', 'withdrawn') THEN {user_id} END",
            "accepted_on": "CASE WHEN s.status IN ('accepted', 'resolved', 'withdrawn') THEN r.accepted END",
            "deadline_start": "CASE WHEN s.status IN ('accepted', 'resolved', 'withdrawn') "
            "THEN r.accepted END",
            "deadline_step": "CASE WHEN s.status = 'accepted' THEN 'resolve' ELSE '' END",
            "due_date": """CASE WHEN s.status = 'accepted' THEN r.accepted + r.limit_days
                                 WHEN s.status = 'received' THEN r.d + 10
                                 WHEN s.status IN ('transferred', 'urged') THEN r.handled_on + 30 END""",
            "closed_on": """CASE WHEN s.status = 'resolved' THEN r.resolved_on
                                 WHEN s.status = 'withdrawn' THEN r.accepted + 10
                                 WHEN s.status IN ('filed', 'guided', 'answered') THEN r.handled_on END""",
            "target_name": "CASE WHEN s.status IN ('guided', 'transferred', 'urged', 'answered') "
            "THEN 'Ủy ban nhân dân cấp trên' ELSE '' END",
            "target_document_number": "CASE WHEN s.status IN ('transferred', 'urged', 'answered') "
            "THEN r.i || '/CV-TTr' ELSE '' END",
            "reply_on": "CASE WHEN s.status = 'answered' THEN r.handled_on + 20 END",
            "reply_summary": "CASE WHEN s.status = 'answered' THEN 'Đã xem xét, trả lời công dân' "
            "ELSE '' END",
            "decision_number": "CASE WHEN s.status = 'resolved' THEN r.i || '/QĐ-UBND' ELSE '' END",
            "decision_on": "CASE WHEN s.status = 'resolved' THEN r.resolved_on END",
            "decision_signer": "CASE WHEN s.status = 'resolved' THEN 'Chủ tịch UBND' ELSE '' END",
            "outcome": f"""CASE WHEN s.status <> 'resolved' THEN ''
                WHEN r.round_no = 2 THEN {_kind_pick(outcome_2, "r.kind", "r.h3 / 7")}
                ELSE {_kind_pick(outcome_1, "r.kind", "r.h3 / 7")} END""",
            "on_time": "CASE WHEN s.status = 'resolved' THEN r.resolved_on <= r.accepted + r.limit_days END",
            "money_recovered": "CASE WHEN s.status = 'resolved' AND r.kr < 55 AND r.h3 % 10 = 0 "
            "THEN (r.h3 % 500000) / 1000.0 ELSE 0 END",
            "land_recovered": "CASE WHEN s.status = 'resolved' AND r.kr < 45 AND r.h3 % 20 = 1 "
            "THEN (r.h3 % 100000) / 100.0 ELSE 0 END",
            "money_returned": "CASE WHEN s.status = 'resolved' AND r.kr < 45 AND r.h3 % 20 = 2 "
            "THEN (r.h3 % 200000) / 1000.0 ELSE 0 END",
            "people_restored": "CASE WHEN s.status = 'resolved' AND r.kr < 45 AND r.h3 % 20 = 3 "
            "THEN 1 ELSE 0 END",
            "people_sanctioned": "CASE WHEN s.status = 'resolved' AND r.kr >= 45 AND r.kr < 55 "
            "AND r.h3 % 10 = 4 THEN 1 + r.h3 % 3 ELSE 0 END",
            "created_at": "(r.d + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
            "created_by_id": str(user_id),
        }
        full = (
            f"{source} CROSS JOIN LATERAL (SELECT {status} AS status) s "
            f"JOIN bench_text t ON t.k = r.i % {TEXTS}"
        )
        rows = _insert(cursor, Petition, exprs, full)
        log(f"  petitions {b:,} / {n:,} (+{rows:,} in {time.perf_counter() - started:.0f} s)")


def load_visits(cursor, n: int, user_id: int, today: date, log) -> None:
    from danvan.petitions.models import Case
    from danvan.reception.models import OUTCOMES_OF_KIND, Session, Visit

    held = (n + VISITS_PER_SESSION - 1) // VISITS_PER_SESSION
    cancelled = held // 30
    span = (LAST_DAY - FIRST_DAY).days
    cursor.execute("SELECT coalesce(max(id), 0) FROM petitions_case")
    case_offset = cursor.fetchone()[0]
    started = time.perf_counter()
    # A session every so often, moved off the weekend.
    raw_day = f"(DATE '{FIRST_DAY}' + ((s - 1) * {span}::bigint / {held + cancelled})::int)"
    day = (
        f"({raw_day} - CASE extract(isodow FROM {raw_day}) WHEN 6 THEN 1 ELSE 0 END"
        f" + CASE extract(isodow FROM {raw_day}) WHEN 7 THEN 1 ELSE 0 END)"
    )
    session_source = f"""(SELECT s, {day} AS day, su.id AS unit_id, su.path AS unit_path,
                                 pg_temp.h(s * 16 + 3) % 100 AS kr, pg_temp.h(s * 16 + 4) % 10 AS pr
                            FROM generate_series(1, {held + cancelled}) s
                            {_unit_pick("s", day, ((70, 20), (85, 0)))}) x"""
    kind = "CASE WHEN x.kr < 70 THEN 'regular' WHEN x.kr < 95 THEN 'periodic' ELSE 'ad_hoc' END"
    presider = "CASE WHEN x.kr < 70 THEN 'staff' WHEN x.pr < 7 THEN 'head' ELSE 'authorised' END"
    # Held sessions are the ids not divisible by 31 (one in 31 is cancelled, spread over the years).
    _insert(cursor, Session,
            {"id": "x.s", "unit_id": "x.unit_id", "unit_path": "x.unit_path", "kind": kind, "day": "x.day",
             "presider": presider,
             "presider_name": "CASE WHEN x.kr >= 70 THEN 'Chủ tịch UBND' ELSE '' END",
             "authorisation": "CASE WHEN x.kr >= 70 AND x.pr >= 7 THEN 'QĐ ủy quyền ' || x.s ELSE '' END",
             "trigger": "CASE WHEN x.kr >= 95 THEN 'complex' ELSE '' END",
             "status": "CASE WHEN x.s % 31 = 0 THEN 'cancelled' ELSE 'held' END",
             "cancel_reason": "CASE WHEN x.s % 31 = 0 THEN 'Lãnh đạo bận công tác đột xuất' ELSE '' END",
             "published_on": "CASE WHEN x.kr >= 70 AND x.kr < 95 THEN x.day - 10 END",
             "created_at": "(x.day + time '07:30') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
             "created_by_id": str(user_id)},
            session_source)  # fmt: skip
    log(f"  sessions {held + cancelled:,} ({time.perf_counter() - started:.0f} s)")
    # Visit v goes to the (v-1)/4-th held session.
    held_session = f"(((v - 1) / {VISITS_PER_SESSION}) + ((v - 1) / {VISITS_PER_SESSION}) / 30 + 1)"
    repeat = "(v % 5 = 4 AND v > 41)"
    kinds = ("complaint",) * 40 + ("denunciation",) * 10 + ("recommendation",) * 25 + ("feedback",) * 15
    kinds += ("complaint,recommendation",) * 10
    outcomes = {k: tuple(sorted(v)) for k, v in OUTCOMES_OF_KIND.items()}
    for a in range(1, n + 1, CHUNK):
        b = min(n, a + CHUNK - 1)
        started = time.perf_counter()
        source = f"""(SELECT v, ss.id AS session_id, ss.unit_id, ss.unit_path, ss.day,
                             ss.kind AS session_kind,
                             ss.presider, {repeat} AS is_repeat, pg_temp.h(v * 16 + 5) AS h1,
                             pg_temp.h(v * 16 + 6) % 100 AS cr,
                             ({_sql_array(kinds)})[1 + pg_temp.h(v * 16 + 7) % 100] AS kinds
                        FROM generate_series({a}, {b}) v
                        JOIN reception_session ss ON ss.id = {held_session}) y"""
        cursor.execute("DROP TABLE IF EXISTS pg_temp.bench_visit")
        cursor.execute(f"CREATE TEMP TABLE bench_visit AS SELECT * FROM {source}")
        _insert(cursor, Case,
                {"id": f"{case_offset} + v", "unit_id": "unit_id", "unit_path": "unit_path",
                 "opened_on": "day",
                 "created_at": "(day + time '08:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'"},
                "bench_visit WHERE NOT is_repeat")  # fmt: skip
        first_kind = "split_part(y.kinds, ',', 1)"
        outcome = _kind_pick(outcomes, first_kind, "y.h1 / 3")
        owed = "o.outcome IN ('accepted', 'transferred', 'urged')"
        exprs = {
            "id": "y.v",
            "session_id": "y.session_id",
            "unit_id": "y.unit_id",
            "unit_path": "y.unit_path",
            "year": "extract(year FROM y.day)::int",
            "number": "y.v",
            "day": "y.day",
            "session_kind": "y.session_kind",
            "presider": "y.presider",
            "kinds": "y.kinds",
            "content": "t.content",
            "content_folded": "t.folded",
            "people_count": "CASE WHEN y.cr < 3 THEN 5 + y.h1 % 30 WHEN y.cr < 20 THEN 2 ELSE 1 END",
            "crowd": "y.cr < 3",
            "protected": "y.kinds LIKE '%denunciation%'",
            "case_id": f"{case_offset} + CASE WHEN y.is_repeat THEN y.v - 41 ELSE y.v END",
            "is_repeat": "y.is_repeat",
            "repeat_of_id": "CASE WHEN y.is_repeat THEN y.v - 41 END",
            "outcome": "o.outcome",
            "outcome_note": "CASE WHEN o.outcome = 'answered' THEN 'Đã giải thích, hướng dẫn' ELSE '' END",
            "target_name": "CASE WHEN o.outcome IN ('guided', 'transferred') THEN 'Ủy ban nhân dân cấp trên' "
            "ELSE '' END",
            "refusal_ground": "CASE WHEN o.outcome = 'refused' THEN 'resolved' ELSE '' END",
            "answer_due": f"CASE WHEN {owed} THEN y.day + 14 END",
            "answered_on": f"CASE WHEN {owed} AND y.day < DATE '{today}' - 30 THEN y.day + 5 + y.h1 % 10 END",
            "answer_kind": f"CASE WHEN {owed} AND y.day < DATE '{today}' - 30 THEN "
            "CASE o.outcome WHEN 'accepted' THEN 'accepted' ELSE 'transferred' END ELSE '' END",
            "received_by_id": str(user_id),
            "created_at": "(y.day + time '09:00') AT TIME ZONE 'Asia/Ho_Chi_Minh'",
        }
        full = (
            f"bench_visit y CROSS JOIN LATERAL (SELECT {outcome} AS outcome) o "
            f"JOIN bench_text t ON t.k = y.v % {TEXTS}"
        )
        rows = _insert(cursor, Visit, exprs, full)
        log(f"  visits {b:,} / {n:,} (+{rows:,} in {time.perf_counter() - started:.0f} s)")


def load(petitions: int, visits: int, user_id: int, today: date, log=print) -> dict:
    """Generate the records; returns the timings (seconds) of each step."""
    from django.db import connection

    timings: dict[str, float] = {}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET jit = off")  # compiling these wide INSERT … SELECTs costs more than they run
        cursor.execute("SET session_replication_role = replica")  # foreign keys: the rows are consistent
        constraints, indexes = _secondary_indexes(cursor)
        for table, name, _definition in constraints:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        _prepare_sql(cursor, today)
        step = time.perf_counter()
        load_petitions(cursor, petitions, user_id, today, log)
        timings["petitions_s"] = time.perf_counter() - step
        step = time.perf_counter()
        load_visits(cursor, visits, user_id, today, log)
        timings["visits_s"] = time.perf_counter() - step
        step = time.perf_counter()
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for _name, definition in indexes:
            cursor.execute(definition)
        timings["indexes_s"] = time.perf_counter() - step
        log(f"  {len(constraints)} unique constraints and {len(indexes)} indexes rebuilt in "
            f"{timings['indexes_s']:.0f} s")  # fmt: skip
        cursor.execute("SET session_replication_role = origin")
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("RESET work_mem")
        cursor.execute("RESET jit")
    step = time.perf_counter()
    connection.ensure_connection()
    raw = connection.connection
    autocommit = raw.autocommit
    raw.autocommit = True  # VACUUM runs outside a transaction
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            for table in (*TABLES, "units_unit", "units_unitframe"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            cursor.execute("RESET maintenance_work_mem")
    finally:
        raw.autocommit = autocommit
    timings["vacuum_analyze_s"] = time.perf_counter() - step
    timings["total_s"] = time.perf_counter() - started
    return {k: round(v, 1) for k, v in timings.items()}
