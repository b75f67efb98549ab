"""Benchmark of the outreach, "Dân vận khéo" models and emulation figures on PostgreSQL over a
national dataset (issue targets in brackets).

    .venv/bin/python bench/outreach_bench.py                     # 1M activities, 100k documents, 200k models,
                                                                 # 20k movements, 300k commendations
    .venv/bin/python bench/outreach_bench.py --activities 50000 --documents 5000 --practices 10000 \\
        --movements 1000 --commendations 15000 --db danvan_outreach_quick      # a quick run
    .venv/bin/python bench/outreach_bench.py --reuse             # the database of the last run
    .venv/bin/python bench/outreach_bench.py --reuse --parts review --set jit=off   # a session setting

Loads the real unit tree and generates the records inside PostgreSQL (`outreach_data`), then prints:
- (a) the review's outreach, practices and emulation sections for the whole country over 2013..2022
  with years (`reports.engine.compute(..., by_year=True)` with the cells of those sections), in both
  frames, beside hand-written SQL computing the same figures by year: the fastest of four ways (one
  statement for every source, or one statement per source run in turn; the participants summed
  from the Participation rows the engine reads, or from `outreach_activity.participants_total`,
  which the services keep equal to their sum): p50 and min of each, the ratio [engine ≤ 1.5 × SQL]
  and the time [< 1 s];
- (b) the same cells for one current province over 2024 with a row per unit directly below it
  (`breakdown=True`), in both frames, beside the same four ways of hand-written SQL (as it is:
  through the unit frame table) [≤ 1.5 × SQL, < 1 s];
- (c) the activities list page's selector for a provincial user (the first page of 50, with the
  lead unit and co-organisers, and the count) p50/p95, and `outreach.selectors.
  communes_without_dialogue` (count and first page of 50) for the province and for the country,
  for the running year (the list page's figure) and a past year, p50 [no target was set: the
  drill-down page's 200 ms is used];
- the values of the engine and of the SQL side by side (they must be equal), and a final table of
  figure | value | target | met?

Every timing is warm (one untimed run first) and reads the user afresh, as a request does. The
national user holds a leader's role over the whole country (subtree), the provincial one over the
province of (b). `--db` names another database (a quick run beside the full one); its state (sizes,
load times) is kept in the temporary folder for --reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import outreach_data  # noqa: E402
import reports_bench  # noqa: E402
from petitions_bench import pct  # noqa: E402
from reports_bench import Table, bench_user, brief, compare, fetch, fresh_user, log, report_line, timings  # noqa: E402

DB = "danvan_outreach_bench"
TODAY = reports_bench.TODAY
PROVINCE_USER = "outreach_bench_province"
SECTIONS = ("outreach", "practices", "emulation")
SIZES = {"activities": 1_000_000, "documents": 100_000, "practices": 200_000, "movements": 20_000,
         "commendations": 300_000}  # fmt: skip


# ---- the hand-written statements ---------------------------------------------------------------


# Each record source: (name, table, date column, condition, {column: aggregate}, distinct?). A
# distinct count over a period is not the sum of its parts: its total is a grouping set of its own.
SOURCES = (
    ("a", "outreach_activity", "starts_on", "", {
        "conferences": "count(*) FILTER (WHERE x.kind = 'conference')",
        "trainings": "count(*) FILTER (WHERE x.kind = 'training')",
        "dialogue_conferences": "count(*) FILTER (WHERE x.kind = 'dialogue')"}, False),
    ("p", "outreach_participation", "held_on", "x.kind IN ('conference', 'training')", {
        "conference_participants": "sum(x.count) FILTER (WHERE x.kind = 'conference')",
        "training_participants": "sum(x.count) FILTER (WHERE x.kind = 'training')"}, False),
    ("d", "outreach_issueddocument", "issued_on", "", {"documents_issued": "count(*)"}, False),
    ("m", "practices_practicemodel", "registered_on", "x.status <> 'withdrawn'", {
        "models": "count(*)", "models_replicated": "count(x.replicated_from_id)"}, False),
    ("r", "practices_recognition", "decided_on", "", {
        "models_recognised": "count(DISTINCT x.model_id)"}, True),
    ("v", "emulation_movement", "starts_on", "", {"movements": "count(*)"}, False),
    ("c", "emulation_commendation", "decided_on", "x.status = 'decided'", {
        "commendations_collective": "count(*) FILTER (WHERE x.recipient = 'collective')",
        "commendations_individual": "count(*) FILTER (WHERE x.recipient = 'individual')"}, False),
)  # fmt: skip

# The same figures with the participants summed from `outreach_activity.participants_total` (the
# services keep it the sum of the activity's Participation rows): one read of activities, none of
# participation rows.
SOURCES_FROM_TOTALS = tuple(
    (
        "a", "outreach_activity", "starts_on", "", {
            **source[4],
            "conference_participants": "sum(x.participants_total) FILTER (WHERE x.kind = 'conference')",
            "training_participants": "sum(x.participants_total) FILTER (WHERE x.kind = 'training')"}, False,
    ) if source[0] == "a" else source
    for source in SOURCES
    if source[0] != "p"
)  # fmt: skip

# Figure -> column of the statements.
COLUMNS = {
    "outreach.conferences": "conferences",
    "outreach.conference_participants": "conference_participants",
    "outreach.trainings": "trainings",
    "outreach.training_participants": "training_participants",
    "outreach.documents_issued": "documents_issued",
    "outreach.dialogue_conferences": "dialogue_conferences",
    "practices.models": "models",
    "practices.models_recognised": "models_recognised",
    "practices.models_replicated": "models_replicated",
    "emulation.movements": "movements",
    "emulation.commendations_collective": "commendations_collective",
    "emulation.commendations_individual": "commendations_individual",
}
TOTAL_YEAR, TOTAL_ROW = 0, "*"  # the key of the period's row of a distinct count


def _part(source, root: str, by: str, as_it_is: bool = False) -> str:
    """One source's figures over the records of the subtree `root` (as it is: of the units that roll
    up into it today), grouped by year (`by="year"`) or by the unit directly below `root`
    (`by="row"`, "" for the unit's own records)."""
    _name, table, day, where, figures, distinct = source
    if as_it_is:
        frm = f"{table} x JOIN units_unitframe f ON f.unit_path = x.unit_path"
        scope, path = "f.now_path >= %(lo)s AND f.now_path < %(hi)s", "f.now_path"
    else:
        frm, scope, path = f"{table} x", "x.unit_path >= %(lo)s AND x.unit_path < %(hi)s", "x.unit_path"
    if by == "year":
        key, total = f"extract(year FROM x.{day})::int", str(TOTAL_YEAR)
    else:
        key, total = (
            f"CASE WHEN {path} = %(lo)s THEN '' ELSE substr({path}, 1, length(%(lo)s) + 9) END",
            f"'{TOTAL_ROW}'",
        )
    condition = f"{scope} AND x.{day} BETWEEN %(first)s AND %(last)s" + (f" AND {where}" if where else "")
    columns = ", ".join(f"{aggregate} AS {column}" for column, aggregate in figures.items())
    if distinct:
        return (
            f"SELECT coalesce({key}, {total}) AS k, {columns} FROM {frm} WHERE {condition} "
            f"GROUP BY ROLLUP (({key}))"
        )
    return f"SELECT {key} AS k, {columns} FROM {frm} WHERE {condition} GROUP BY 1"


def statements(
    root: str, first: date, last: date, by: str, as_it_is: bool = False, sources=SOURCES
) -> tuple[str, list[str], dict]:
    """(one statement for every source, one statement per source, parameters)."""
    parts = [_part(source, root, by, as_it_is) for source in sources]
    names = [source[0] for source in sources]
    ctes = ", ".join(f"{name} AS ({part})" for name, part in zip(names, parts, strict=True))
    joined = " FULL JOIN ".join(f"{name} USING (k)" if i else name for i, name in enumerate(names))
    one = f"WITH {ctes} SELECT * FROM {joined} ORDER BY k"
    return one, parts, {"lo": root, "hi": root[:-1] + "0", "first": first, "last": last}


def sql_values(rows: list[dict], total_key) -> dict[tuple, object]:
    """{(key, code): value} from the statements' rows, with the period's total under `total_key`
    (the sum of the rows, or the distinct count's own row)."""
    distinct = {column for *_rest, figures, is_distinct in SOURCES if is_distinct for column in figures}
    out: dict[tuple, object] = {}
    for code, column in COLUMNS.items():
        total = 0
        for row in rows:
            if column not in row:
                continue
            value = row[column]
            if row["k"] == total_key:
                if column in distinct:
                    out[(total_key, code)] = value or 0
                continue
            out[(row["k"], code)] = value or 0
            total += value or 0
        if column not in distinct:
            out[(total_key, code)] = total
    return out


def _nonzero(values: dict) -> dict:
    return {key: value for key, value in values.items() if value}


def run_statements(
    root: str, first: date, last: date, by: str, as_it_is: bool, repeat: int
) -> tuple[list[dict], list[float]]:
    """Time the hand-written SQL four ways: the engine's sources (participants from Participation
    rows) or participants from the activities' totals, each as one statement for every source or
    one statement per source run in turn. The fastest is the baseline; every way must give the same
    values. Returns the baseline's rows (merged per key) and timings."""
    total = TOTAL_YEAR if by == "year" else TOTAL_ROW
    best = None
    ways = (
        (SOURCES, "participants from Participation rows"),
        (SOURCES_FROM_TOTALS, "participants from activities.participants_total"),
    )
    for sources, label in ways:
        one, parts, params = statements(root, first, last, by, as_it_is, sources)

        def each(parts=parts, params=params) -> list[dict]:
            merged: dict = {}
            for part in parts:
                for row in fetch(part, params):
                    merged.setdefault(row["k"], {"k": row["k"]}).update(row)
            return list(merged.values())

        def together(one=one, params=params) -> list[dict]:
            return fetch(one, params)

        for how, func in ((f"one statement for the {len(parts)} sources", together),
                          (f"{len(parts)} statements in turn", each)):  # fmt: skip
            rows, samples = timings(func, repeat)
            log(f"    hand-written SQL, {label}, {how}: {brief(samples)}")
            if best is not None and _nonzero(sql_values(rows, total)) != _nonzero(sql_values(best[0], total)):
                log("    … its values differ from the first way's")
            if best is None or statistics.median(samples) < statistics.median(best[1]):
                best = (rows, samples)
    assert best is not None
    return best


# ---- the measurements ---------------------------------------------------------------------------


def review_cells():
    from danvan.reports.engine import Cell
    from danvan.reports.review import SECTIONS as REVIEW_SECTIONS

    return [
        Cell(item.code) for section in REVIEW_SECTIONS if section.key in SECTIONS for item in section.items
    ]


def _figures(values: dict, keys) -> str:
    return ", ".join(f"{code.split('.', 1)[1]} {values.get((key, code))}" for key in keys for code in COLUMNS)


def bench_review(table: Table, repeat: int) -> None:
    from danvan.reports.engine import FRAMES, compute
    from danvan.reports.periods import period_parse
    from danvan.units.loader import COUNTRY_CODE
    from danvan.units.models import Unit

    country = Unit.objects.get(code=COUNTRY_CODE, parent=None)
    period = period_parse("2013..2022")
    cells = review_cells()
    log(f"(a) hand-written SQL, {country.name}, {period.name}, by year …")
    rows, sql_ms = run_statements(country.path, period.first, period.last, "year", False, repeat)
    expected = sql_values(rows, TOTAL_YEAR)
    log(f"    SQL, the period: {_figures(expected, [TOTAL_YEAR])}")
    for frame in FRAMES:
        log(f"(a) review (outreach, practices, emulation), {country.name}, {period.name}, by year, {frame} …")

        def run(frame=frame):
            return compute(
                fresh_user(), cells, unit=country, period=period, frame=frame, today=TODAY, by_year=True
            )

        result, engine_ms = timings(run, repeat)
        got = {}
        for cell in cells:
            got[(TOTAL_YEAR, cell.code)] = result.total[cell].value
            for year, figures in result.years.items():
                got[(year, cell.code)] = figures[cell].value
        log(f"    engine, the period: {_figures(got, [TOTAL_YEAR])}")
        for year in sorted(result.years):
            log(f"    {year}: engine {_figures(got, [year])}")
            log(f"    {year}: SQL    {_figures(expected, [year])}")
        equal = compare("by year and the period", got, expected)
        report_line(table, f"(a) review {frame}", engine_ms, sql_ms, equal)


def bench_province(table: Table, province, repeat: int) -> None:
    from danvan.reports.engine import AS_IT_IS, FRAMES, compute
    from danvan.reports.periods import period_parse

    period = period_parse("2024")
    cells = review_cells()
    for frame in FRAMES:
        log(f"(b) review figures by unit, {province.name}, {period.name}, {frame} …")

        def run(frame=frame):
            return compute(
                fresh_user(), cells, unit=province, period=period, frame=frame, today=TODAY, breakdown=True
            )

        result, engine_ms = timings(run, repeat)
        rows, sql_ms = run_statements(
            province.path, period.first, period.last, "row", frame == AS_IT_IS, repeat
        )
        expected = sql_values(rows, TOTAL_ROW)
        got = {}
        for cell in cells:
            got[(TOTAL_ROW, cell.code)] = result.total[cell].value
        for row in result.rows:
            key = "" if row.unit is None or row.unit.pk == province.pk else row.unit.path
            for cell in cells:
                got[(key, cell.code)] = row.figures[cell].value
        log(f"    {len(result.rows)} rows (SQL {len(rows)}); engine, the total: {_figures(got, [TOTAL_ROW])}")
        log(f"    SQL, the total: {_figures(expected, [TOTAL_ROW])}")
        equal = compare("by row and the total", got, expected)
        report_line(table, f"(b) province by unit {frame}", engine_ms, sql_ms, equal)


def province_user(province):
    from django.contrib.auth import get_user_model

    from danvan.units.models import Role, RoleAssignment, RoleScope

    User = get_user_model()
    user = User.objects.filter(username=PROVINCE_USER).first()
    if user is None:
        user = User.objects.create_user(username=PROVINCE_USER, password="x")
    RoleAssignment.objects.filter(user=user).exclude(unit=province).delete()
    RoleAssignment.objects.get_or_create(
        user=user, unit=province, role=Role.LEADER, defaults={"scope": RoleScope.SUBTREE}
    )
    return user


def bench_lists(table: Table, province, repeat: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.outreach import selectors

    province_user(province)

    def user_of(name: str):
        return get_user_model().objects.get(username=name)

    def page() -> tuple[int, int]:
        rows = selectors.with_details(selectors.activity_list_for(user_of(PROVINCE_USER)))
        shown = list(rows[:50])
        for activity in shown:
            activity.unit.name, list(activity.co_organisers.all())  # noqa: B018 - what the page shows
        return len(shown), rows.count()

    (shown, count), samples = timings(page, repeat)
    with CaptureQueriesContext(connection) as queries:
        page()
    p50, p95 = statistics.median(samples), pct(samples, 0.95)
    log(f"(c) activities list, {province.name} (leader, subtree): first page {shown} rows of {count:,}, "
        f"{len(queries)} queries: p50 {p50:.0f} ms, p95 {p95:.0f} ms [p95 < 200 ms]")  # fmt: skip
    table.add("(c) activities list page + count, province: p50", f"{p50:.0f} ms")
    table.add("(c) activities list page + count, province: p95", f"{p95:.0f} ms", "< 200 ms", p95 < 200)
    for label, name in ((province.name, PROVINCE_USER), ("the country", reports_bench.USERNAME)):
        for year in (TODAY.year, TODAY.year - 2):

            def missing(name=name, year=year) -> tuple[int, int]:
                communes = selectors.communes_without_dialogue(user_of(name), year=year, today=TODAY)
                return communes.count(), len(list(communes[:50]))

            (count, shown), samples = timings(missing, repeat)
            p50 = statistics.median(samples)
            log(f"(c) communes without a dialogue conference in {year}, {label}: {count:,} "
                f"(first page {shown}): p50 {p50:.0f} ms, p95 {pct(samples, 0.95):.0f} ms "
                "[< 200 ms]")  # fmt: skip
            where = "province" if name == PROVINCE_USER else "country"
            table.add(
                f"(c) communes without dialogue {year}, {where}: p50", f"{p50:.0f} ms", "< 200 ms", p50 < 200
            )


def _count(sql: str) -> int:
    return fetch(sql, {})[0]["n"]


def describe_data() -> None:
    """What was loaded: the mixes the figures rest on."""
    log("data: " + ", ".join(
        f"{table} {_count(f'SELECT count(*) AS n FROM {table}'):,}" for table in outreach_data.tables()
    ))  # fmt: skip
    for sql in (
        "SELECT kind, count(*) AS n FROM outreach_activity GROUP BY 1 ORDER BY 2 DESC",
        "SELECT status, count(*) AS n FROM practices_practicemodel GROUP BY 1 ORDER BY 2 DESC",
        "SELECT level, count(*) AS n FROM practices_recognition GROUP BY 1 ORDER BY 2 DESC",
        "SELECT status, count(*) AS n FROM emulation_commendation GROUP BY 1 ORDER BY 2 DESC",
        "SELECT level, count(*) AS n FROM emulation_commendation GROUP BY 1 ORDER BY 2 DESC",
    ):
        rows = fetch(sql, {})
        first = next(iter(rows[0])) if rows else "?"
        log(f"  by {first}: " + ", ".join(f"{r[first]} {r['n']:,}" for r in rows))


def main() -> None:
    parser = argparse.ArgumentParser()
    for name, default in SIZES.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--reuse", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--db", default=DB, help="database name (dropped and created unless --reuse)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each report")
    parser.add_argument("--list-repeat", type=int, default=30, help="timed runs of the lists of (c)")
    parser.add_argument("--province", default="", help="official code of the province of (b) and (c)")
    parser.add_argument(
        "--parts", default="review,province,lists", help="which measurements (comma-separated)"
    )
    parser.add_argument("--set", action="append", default=[], help="a session setting, e.g. jit=off")
    args = parser.parse_args()
    state_file = Path(tempfile.gettempdir()) / f"{args.db}.json"
    if args.reuse and not state_file.exists():
        sys.exit(f"--reuse: no state file {state_file}; run once without it")
    reports_bench.setup_environment(args)
    from django.core.management import call_command

    if args.reuse:
        call_command("migrate", verbosity=0)  # a migration added since the load
        state = json.loads(state_file.read_text())
        log(f"reusing {args.db}: {state['sizes']} (loaded in {state['total_s']:,.0f} s)")
    else:
        sizes = {name: getattr(args, name) for name in SIZES}
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - started
        log(f"migrated in {migrated:.0f} s; loading the unit tree …")
        tree = outreach_data.units_prepare(TODAY)
        log(f"  units: {tree}")
        user = bench_user()
        log(f"loading {', '.join(f'{n:,} {name}' for name, n in sizes.items())} …")
        loaded = outreach_data.load(sizes, user.pk, TODAY, log)
        log(f"  load: {loaded}")
        state = {"sizes": sizes, "tree": tree, "load": loaded, "migrate_s": round(migrated, 1),
                 "total_s": round(time.perf_counter() - started, 1)}  # fmt: skip
        state_file.write_text(json.dumps(state))
        log(f"database ready in {state['total_s']:,.0f} s")
    bench_user()
    from django.db import connection

    with connection.cursor() as cursor:
        for setting in args.set:
            name, _eq, value = setting.partition("=")
            cursor.execute(f"SET {name} = {value}")
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name IN ('jit', 'work_mem', "
                       "'max_parallel_workers_per_gather', 'shared_buffers')")  # fmt: skip
        log("settings: " + ", ".join(f"{n}={v}" for n, v in cursor.fetchall()))
    describe_data()
    load1, load5, _load15 = os.getloadavg()
    log(f"machine: {os.cpu_count()} cores, load average {load1:.1f} (1 min), {load5:.1f} (5 min)")
    parts = set(args.parts.split(","))
    table = Table()
    load = state["load"]
    table.add(
        "load (records, indexes, VACUUM ANALYZE)",
        f"{load['total_s']:,.0f} s",
        "minutes",
        load["total_s"] < 3600,
    )
    table.add("database ready (migrate, tree, frame, load)", f"{state['total_s']:,.0f} s")
    if "review" in parts:
        bench_review(table, args.repeat)
    province = reports_bench.pick_province(args.province)
    if "province" in parts:
        bench_province(table, province, args.repeat)
    if "lists" in parts:
        bench_lists(table, province, args.list_repeat)
    load1, load5, _load15 = os.getloadavg()
    log(f"\nmachine load average at the end: {load1:.1f} (1 min), {load5:.1f} (5 min)")
    table.add("machine load average (1 min, at the end)", f"{load1:.1f}", "2 cores")
    table.print()


if __name__ == "__main__":
    main()
