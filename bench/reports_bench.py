"""Benchmark of reports on PostgreSQL over a national dataset (issue targets in brackets).

    .venv/bin/python bench/reports_bench.py                                   # 10M petitions, 5M visits
    .venv/bin/python bench/reports_bench.py --petitions 200000 --visits 100000   # a quick run
    .venv/bin/python bench/reports_bench.py --reuse                           # the database of the last run
    .venv/bin/python bench/reports_bench.py --reuse --parts form,drill --set jit=off   # a session setting

Loads the real unit tree and generates the records inside PostgreSQL (`reports_data`), then prints:
- (a) the ten-year national review (`reports.review.review_report`, country, 2013..2022, figures by
  year) in both frames, beside one hand-written SQL statement computing the same figures over the
  same rows (the faster of two: petitions read once for all their dates, or once per date): p50 and
  min of each, the ratio [engine ≤ 1.5 × SQL] and the time [< 1 s];
- (b) form 01/XLD (`reports.selectors.form_report`) for one current province over 2024, with its
  rows per unit, in both frames, beside one hand-written SQL statement (as it is: the same rows
  through the unit frame table) [≤ 1.5 × SQL, < 1 s];
- (d) a drill-down: the first page (50 rows, in the page's order) and the count of the records behind
  a figure of (b), through `engine.records_for`, and the drill-down page's whole read
  (`reports.presenters.drilldown`) [p95 < 200 ms];
- the values of the engine and of the SQL side by side (they must be equal), and a final table of
  figure | value | target | met?

Every timing is warm (one untimed run first) and reads the user afresh, as a request does. The
user holds a leader's role over the whole country (subtree). `--db` names another database (a quick
run beside the full one); its state (sizes, load times) is kept in the temporary folder for --reuse.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import petitions_bench  # noqa: E402
import reports_data  # noqa: E402
from petitions_bench import pct  # noqa: E402

DB = "danvan_reports_bench"
TODAY = date(2026, 12, 1)
USERNAME = "reports_bench"


def log(text: str) -> None:
    print(text, flush=True)


def setup_environment(args) -> None:
    """The petitions benchmark's set-up (fresh database unless --reuse, demo settings), on this
    benchmark's database."""
    petitions_bench.DB = args.db
    petitions_bench.setup_environment(args)


def bench_user():
    from django.contrib.auth import get_user_model

    from danvan.units.loader import COUNTRY_CODE
    from danvan.units.models import Role, RoleAssignment, RoleScope, Unit

    User = get_user_model()
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User.objects.create_user(username=USERNAME, password="x", is_staff=True, is_superuser=True)
    country = Unit.objects.get(code=COUNTRY_CODE, parent=None)
    RoleAssignment.objects.get_or_create(
        user=user, unit=country, role=Role.LEADER, defaults={"scope": RoleScope.SUBTREE}
    )
    return user


def fresh_user():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=USERNAME)


def timings(func: Callable[[], object], repeat: int) -> tuple[object, list[float]]:
    """One untimed run, then `repeat` timed ones (ms)."""
    result = func()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - started) * 1000)
    return result, samples


def brief(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples):,.0f} ms, min {min(samples):,.0f} ms"


# ---- the hand-written statements ---------------------------------------------------------------

KNPA_SQL = "('recommendation', 'feedback')"
OUTSIDE_SQL = "('guided', 'transferred', 'urged')"


def review_sql(root: str, first: date, last: date) -> tuple[str, dict]:
    """The review's figures by year over the records of the subtree `root`, in one statement: each
    record source read once (petitions once for all their dates), its figures as FILTERed aggregates."""
    sql = """
    WITH p AS (
      SELECT extract(year FROM e.day)::int AS year,
             count(*) FILTER (WHERE e.k = 'r') AS received,
             count(DISTINCT p.case_id * 4294967296 + p.unit_id) FILTER (WHERE e.k = 'r') AS cases,
             count(*) FILTER (WHERE e.k = 'a' AND p.handling = 'accepted') AS within_authority,
             count(*) FILTER (WHERE e.k = 'c' AND p.handling = 'accepted'
                                AND p.status IN ('resolved', 'withdrawn')) AS within_authority_resolved,
             count(*) FILTER (WHERE e.k = 'd' AND p.status = 'resolved') AS resolved_by_decision,
             count(*) FILTER (WHERE e.k = 'd' AND p.status = 'resolved' AND p.on_time) AS resolved_on_time
        FROM petitions_petition p
        CROSS JOIN LATERAL (VALUES ('r', p.received_on), ('a', p.accepted_on), ('c', p.closed_on),
                                   ('d', p.decision_on)) e(k, day)
       WHERE p.unit_path >= %(lo)s AND p.unit_path < %(hi)s
         AND (p.received_on BETWEEN %(first)s AND %(last)s OR p.accepted_on BETWEEN %(first)s AND %(last)s
              OR p.closed_on BETWEEN %(first)s AND %(last)s OR p.decision_on BETWEEN %(first)s AND %(last)s)
         AND e.day BETWEEN %(first)s AND %(last)s
       GROUP BY 1),
    v AS (
      SELECT extract(year FROM day)::int AS year, count(*) AS visits, sum(people_count) AS people,
             count(*) FILTER (WHERE crowd) AS crowds
        FROM reception_visit
       WHERE unit_path >= %(lo)s AND unit_path < %(hi)s AND day BETWEEN %(first)s AND %(last)s
       GROUP BY 1),
    s AS (
      SELECT extract(year FROM day)::int AS year, count(*) AS sessions
        FROM reception_session
       WHERE unit_path >= %(lo)s AND unit_path < %(hi)s AND day BETWEEN %(first)s AND %(last)s
         AND status = 'held'
       GROUP BY 1)
    SELECT * FROM p FULL JOIN v USING (year) FULL JOIN s USING (year) ORDER BY year"""
    return sql, {"lo": root, "hi": root[:-1] + "0", "first": first, "last": last}


def review_sql_by_date(root: str, first: date, last: date) -> tuple[str, dict]:
    """The same figures, each date of the petitions read by its own part of the statement."""
    scope = "unit_path >= %(lo)s AND unit_path < %(hi)s"

    def part(name: str, table: str, day: str, figures: str, where: str = "") -> str:
        return f"""{name} AS (
          SELECT extract(year FROM {day})::int AS year, {figures} FROM {table}
           WHERE {scope} AND {day} BETWEEN %(first)s AND %(last)s {where} GROUP BY 1)"""

    petitions, visits, sessions = "petitions_petition", "reception_visit", "reception_session"
    parts = [
        part("r", petitions, "received_on",
             "count(*) AS received, count(DISTINCT case_id * 4294967296 + unit_id) AS cases"),
        part("a", petitions, "accepted_on", "count(*) AS within_authority", "AND handling = 'accepted'"),
        part("c", petitions, "closed_on", "count(*) AS within_authority_resolved",
             "AND handling = 'accepted' AND status IN ('resolved', 'withdrawn')"),
        part("d", petitions, "decision_on",
             "count(*) AS resolved_by_decision, count(*) FILTER (WHERE on_time) AS resolved_on_time",
             "AND status = 'resolved'"),
        part("v", visits, "day",
             "count(*) AS visits, sum(people_count) AS people, count(*) FILTER (WHERE crowd) AS crowds"),
        part("s", sessions, "day", "count(*) AS sessions", "AND status = 'held'"),
    ]  # fmt: skip
    joined = " FULL JOIN ".join(f"{name} USING (year)" if i else name for i, name in enumerate("racdvs"))
    sql = f"WITH {', '.join(parts)} SELECT * FROM {joined} ORDER BY year"
    return sql, {"lo": root, "hi": root[:-1] + "0", "first": first, "last": last}


# Review figure -> column of review_sql.
REVIEW_COLUMNS = {
    "reception.sessions": "sessions",
    "reception.visits": "visits",
    "reception.people": "people",
    "reception.crowds": "crowds",
    "petitions.received": "received",
    "petitions.cases": "cases",
    "petitions.within_authority": "within_authority",
    "petitions.within_authority_resolved": "within_authority_resolved",
    "petitions.resolved_by_decision": "resolved_by_decision",
    "petitions.resolved_on_time": "resolved_on_time",
}


def xld01_sql(unit_path: str, first: date, last: date, as_it_is: bool) -> tuple[str, dict]:
    """Form 01/XLD (TT 01/2024 columns) for the unit and the units directly below it, in one
    statement; as it is, the petitions of every unit that rolls up into the unit today (the frame
    table). The row key is the path of the unit directly below ("" for the unit's own records)."""
    step = len(unit_path) + 9
    if as_it_is:
        source = """petitions_petition p JOIN units_unitframe f ON f.unit_path = p.unit_path
                    WHERE f.now_path >= %(lo)s AND f.now_path < %(hi)s"""
        key = f"CASE WHEN f.now_path = %(lo)s THEN '' ELSE substr(f.now_path, 1, {step}) END"
    else:
        source = "petitions_petition p WHERE p.unit_path >= %(lo)s AND p.unit_path < %(hi)s"
        key = f"CASE WHEN p.unit_path = %(lo)s THEN '' ELSE substr(p.unit_path, 1, {step}) END"
    processed = "p.processed_on BETWEEN %(first)s AND %(last)s"
    eligible = f"{processed} AND p.eligible"
    decided = "pp.decision_on <= p.received_on"
    pending = "p.previous_id IS NOT NULL AND (pp.decision_on IS NULL OR pp.decision_on > p.received_on)"
    kinds = {"complaint": "p.kind = 'complaint'", "denunciation": "p.kind = 'denunciation'",
             "knpa": f"p.kind IN {KNPA_SQL}"}  # fmt: skip
    columns = {
        "1": "p.processed_on IS NULL OR p.processed_on >= %(first)s",
        "2": "p.received_on < %(first)s AND (p.processed_on IS NULL OR p.processed_on >= %(first)s)",
        "3": "p.received_on >= %(first)s",
        "4": processed,
        "5": "p.processed_on IS NULL OR p.processed_on > %(last)s",
        "6": eligible,
        "8": f"{eligible} AND {kinds['complaint']}",
        "9": f"{eligible} AND {kinds['denunciation']}",
        "10": f"{eligible} AND {kinds['knpa']}",
        "11": f"{eligible} AND {decided} AND pp.round = 1",
        "12": f"{eligible} AND {decided} AND pp.round >= 2",
        "13": f"{eligible} AND (p.previous_id IS NULL OR ({pending}))",
        "14": f"{eligible} AND p.handling = 'accepted'",
        "15": f"{eligible} AND p.handling = 'accepted' AND {kinds['complaint']}",
        "16": f"{eligible} AND p.handling = 'accepted' AND {kinds['denunciation']}",
        "17": f"{eligible} AND p.handling = 'accepted' AND {kinds['knpa']}",
        "18": f"{eligible} AND p.handling IN {OUTSIDE_SQL}",
        "19": f"{eligible} AND p.handling = 'guided'",
        "20": f"{eligible} AND p.handling = 'transferred'",
        "21": f"{eligible} AND p.handling = 'urged'",
        "22": "p.reply_on BETWEEN %(first)s AND %(last)s AND p.handling = 'transferred'",
    }
    figures = [f'count(*) FILTER (WHERE {where}) AS "{number}"' for number, where in columns.items()]
    # Column 7: each case once per unit and kind of content (complaints, denunciations, the rest).
    figures.append(
        f"""count(DISTINCT (p.case_id, p.unit_id, CASE WHEN p.kind IN {KNPA_SQL} THEN 'knpa' ELSE p.kind END))
              FILTER (WHERE {eligible}) AS "7\""""
    )
    with_previous = "petitions_petition p LEFT JOIN petitions_petition pp ON pp.id = p.previous_id"
    # Every column's petitions were received by the period's end and not processed before it began,
    # or had a reply in it: the statement reads those once.
    sql = f"""
    SELECT {key} AS row_key, {", ".join(figures)}
      FROM {source.replace("petitions_petition p", with_previous, 1)}
       AND p.received_on <= %(last)s
       AND (p.processed_on IS NULL OR p.processed_on >= %(first)s
            OR p.reply_on BETWEEN %(first)s AND %(last)s)
     GROUP BY 1"""
    return sql, {"lo": unit_path, "hi": unit_path[:-1] + "0", "first": first, "last": last}


def fetch(sql: str, params: dict) -> list[dict]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# ---- the measurements ---------------------------------------------------------------------------


class Table:
    """The final table: figure | value | target | met?"""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str, str, str]] = []

    def add(self, figure: str, value: str, target: str = "", met: bool | None = None) -> None:
        self.lines.append((figure, value, target, "" if met is None else ("yes" if met else "NO")))

    def print(self) -> None:
        widths = [
            max(len(line[i]) for line in [("figure", "value", "target", "met?"), *self.lines])
            for i in range(4)
        ]
        for line in [("figure", "value", "target", "met?"), tuple("-" * w for w in widths), *self.lines]:
            log(" | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)))


def compare(label: str, engine_values: dict, sql_values: dict) -> bool:
    """Print the figures that differ between the engine and the SQL; True when none does."""
    keys = sorted(set(engine_values) | set(sql_values))
    differ = [
        (k, engine_values.get(k), sql_values.get(k))
        for k in keys
        if (engine_values.get(k) or 0) != (sql_values.get(k) or 0)
    ]
    if differ:
        log(f"    {label}: {len(differ)} figures differ (figure, engine, SQL), first: {differ[:6]}")
    else:
        log(f"    {label}: the engine's {len(engine_values)} figures equal the SQL's")
    return not differ


def report_line(table: Table, name: str, engine_ms: list[float], sql_ms: list[float], equal: bool) -> None:
    engine_p50, sql_p50 = statistics.median(engine_ms), statistics.median(sql_ms)
    ratio = engine_p50 / sql_p50
    log(f"    engine {brief(engine_ms)}; SQL {brief(sql_ms)}; ratio {ratio:.2f} [≤ 1.5]")
    table.add(f"{name}: engine p50", f"{engine_p50:,.0f} ms", "< 1,000 ms", engine_p50 < 1000)
    table.add(f"{name}: SQL p50", f"{sql_p50:,.0f} ms")
    table.add(f"{name}: ratio engine/SQL", f"{ratio:.2f}", "≤ 1.5", ratio <= 1.5)
    table.add(f"{name}: values equal to SQL", "yes" if equal else "no", "equal", equal)


def bench_review(table: Table, repeat: int) -> None:
    from danvan.reports.engine import FRAMES
    from danvan.reports.periods import period_parse
    from danvan.reports.review import REVIEW_CODES, review_report
    from danvan.units.loader import COUNTRY_CODE
    from danvan.units.models import Unit

    country = Unit.objects.get(code=COUNTRY_CODE, parent=None)
    period = period_parse("2013..2022")
    # The baseline is the faster of two statements: petitions read once for all their dates, or
    # once per date (as the engine groups them).
    baseline = None
    for how, make in (("one read of petitions", review_sql), ("one read per date", review_sql_by_date)):
        sql, params = make(country.path, period.first, period.last)
        rows, sql_ms = timings(lambda sql=sql, params=params: fetch(sql, params), repeat)
        log(f"    hand-written SQL, {how}: {brief(sql_ms)}")
        if baseline is None or statistics.median(sql_ms) < statistics.median(baseline[1]):
            baseline = (rows, sql_ms)
    rows, sql_ms = baseline
    sql_years = {row["year"]: row for row in rows}
    for frame in FRAMES:
        log(f"(a) ten-year review, {country.name}, {period.name}, {frame} …")

        def run(frame=frame):
            return review_report(fresh_user(), unit=country, period=period, frame=frame, today=TODAY)

        review, engine_ms = timings(run, repeat)
        available = [code for code in REVIEW_CODES if review.result.total[_cell(code)].value is not None]
        values = (f"{code.split('.', 1)[1]} {review.result.total[_cell(code)].value}" for code in available)
        log(f"    {len(available)} of {len(REVIEW_CODES)} figures available: {', '.join(values)}")
        engine_values, sql_values = {}, {}
        for code, column in REVIEW_COLUMNS.items():
            cell = _cell(code)
            for year, figures in review.result.years.items():
                if cell in figures:
                    engine_values[(code, year)] = figures[cell].value
                    sql_values[(code, year)] = sql_years.get(year, {}).get(column)
        for code in ("petitions.resolution_rate", "petitions.on_time_rate"):
            log(f"    {code}: {review.result.total[_cell(code)].value} %")
        equal = compare("by year", engine_values, sql_values)
        report_line(table, f"(a) review {frame}", engine_ms, sql_ms, equal)


def _cell(code: str):
    from danvan.reports.engine import Cell

    return Cell(code)


def pick_province(code: str):
    """The province of (b): the one asked for, or the current province with the most records that
    existed before the 2025 reform too (so both frames apply to 2024)."""
    from django.db import connection

    from danvan.units.models import Unit

    if code:
        return Unit.objects.get(code=code, level="province", valid_to__isnull=True)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT u.id FROM units_unit u
                WHERE u.level = 'province' AND u.valid_to IS NULL AND u.valid_from < '2024-01-01'
                ORDER BY (SELECT count(*) FROM units_unit c WHERE c.path >= u.path
                           AND c.path < substr(u.path, 1, length(u.path) - 1) || '0') DESC LIMIT 1"""
        )
        return Unit.objects.get(pk=cursor.fetchone()[0])


def bench_form(table: Table, province, repeat: int) -> dict:
    from danvan.reports.engine import AS_IT_IS, FRAMES
    from danvan.reports.periods import period_parse
    from danvan.reports.selectors import form_report

    period = period_parse("2024")
    reports = {}
    for frame in FRAMES:
        log(f"(b) form 01/XLD, {province.name}, {period.name}, {frame} …")

        def run(frame=frame):
            return form_report(
                fresh_user(), form="01-xld", unit=province, period=period, frame=frame, today=TODAY
            )

        report, engine_ms = timings(run, repeat)
        reports[frame] = report
        sql, params = xld01_sql(province.path, period.first, period.last, frame == AS_IT_IS)
        rows, sql_ms = timings(lambda sql=sql, params=params: fetch(sql, params), repeat)
        log(f"    version {report.declaration.version}, {len(report.rows)} rows; total: "
            + ", ".join(f"({n}) {f.value}" for n, f in report.total.figures.items())
            + f"; form checks hold: {report.checks_hold}")  # fmt: skip
        engine_values, sql_values = {}, {}
        for row in report.rows:
            key = "" if row.unit is None or row.unit.pk == province.pk else row.unit.path
            for number, figure in row.figures.items():
                engine_values[(key, number)] = figure.value
        for row in rows:
            for number in report.total.figures:
                sql_values[(row["row_key"], number)] = row.get(number)
        equal = compare("by row and column", engine_values, sql_values)
        report_line(table, f"(b) 01/XLD {frame}", engine_ms, sql_ms, equal)
    return reports


def bench_drill(table: Table, province, reports: dict, columns: list[str], repeat: int) -> None:
    from danvan.reports import engine
    from danvan.reports.engine import FRAMES

    try:
        from danvan.reports.presenters import drilldown, source_of
    except ImportError:
        drilldown, source_of = None, None
    for frame in FRAMES:
        report = reports[frame]
        period = report.result.period
        for number in columns:
            cell = report.declaration.column(number).cell
            figure = report.total.figures[number]

            def page(cell=cell, frame=frame, period=period) -> tuple[int, int]:
                rows = engine.records_for(
                    fresh_user(), cell, unit=province, period=period, frame=frame, today=TODAY
                )
                order = source_of(rows.model).order if source_of else ("pk",)
                shown = list(rows.select_related("unit").order_by(*order)[:50])
                return len(shown), rows.count()

            (shown, count), samples = timings(page, repeat)
            p50, p95 = statistics.median(samples), pct(samples, 0.95)
            log(f"(d) drill-down, 01/XLD column {number} ({figure.value}), {frame}: first page {shown} rows, "
                f"count {count:,}: p50 {p50:.0f} ms, p95 {p95:.0f} ms [< 200 ms]")  # fmt: skip
            table.add(f"(d) drill col {number} {frame}: records_for page + count p95", f"{p95:.0f} ms",
                      "< 200 ms", p95 < 200)  # fmt: skip
            if drilldown is not None:

                def whole(cell=cell, frame=frame, period=period):
                    return drilldown(fresh_user(), cell, unit=province, period=period, frame=frame,
                                     row_unit_id=None, today=TODAY, page=1)  # fmt: skip

                drill, samples = timings(whole, repeat)
                p50, p95 = statistics.median(samples), pct(samples, 0.95)
                log(f"    the drill-down page's read (presenters.drilldown, its figure and page of "
                    f"{len(drill.rows)}): p50 {p50:.0f} ms, p95 {p95:.0f} ms [< 200 ms]")  # fmt: skip
                table.add(
                    f"(d) drill col {number} {frame}: page read p95", f"{p95:.0f} ms", "< 200 ms", p95 < 200
                )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--petitions", type=int, default=10_000_000)
    parser.add_argument("--visits", type=int, default=5_000_000)
    parser.add_argument("--reuse", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--db", default=DB, help="database name (dropped and created unless --reuse)")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each report")
    parser.add_argument("--drill-repeat", type=int, default=30, help="timed runs of the drill-down")
    parser.add_argument("--province", default="", help="official code of the province of (b)")
    parser.add_argument("--parts", default="review,form,drill", help="which measurements (comma-separated)")
    parser.add_argument("--drill-columns", default="14,7", help="columns of 01/XLD to drill into")
    parser.add_argument("--set", action="append", default=[], help="a session setting, e.g. jit=off")
    args = parser.parse_args()
    state_file = Path(tempfile.gettempdir()) / f"{args.db}.json"
    if args.reuse and not state_file.exists():
        sys.exit(f"--reuse: no state file {state_file}; run once without it")
    setup_environment(args)
    from django.core.management import call_command

    if args.reuse:
        call_command("migrate", verbosity=0)  # a migration added since the load
        state = json.loads(state_file.read_text())
        log(f"reusing {args.db}: {state['petitions']:,} petitions, {state['visits']:,} visits "
            f"(loaded in {state['load']['total_s']:,.0f} s)")  # fmt: skip
    else:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrated = time.perf_counter() - started
        log(f"migrated in {migrated:.0f} s; loading the unit tree …")
        tree = reports_data.units_prepare(TODAY)
        log(f"  units: {tree}")
        user = bench_user()
        log(f"loading {args.petitions:,} petitions and {args.visits:,} visits …")
        loaded = reports_data.load(args.petitions, args.visits, user.pk, TODAY, log)
        log(f"  load: {loaded}")
        state = {"petitions": args.petitions, "visits": args.visits, "tree": tree, "load": loaded,
                 "migrate_s": round(migrated, 1),
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
    load1, load5, _load15 = os.getloadavg()
    log(f"machine: {os.cpu_count()} cores, load average {load1:.1f} (1 min), {load5:.1f} (5 min)")
    parts = set(args.parts.split(","))
    table = Table()
    table.add("load (tree, petitions, visits, indexes, VACUUM ANALYZE)", f"{state['total_s']:,.0f} s",
              "minutes", state["total_s"] < 3600)  # fmt: skip
    if "review" in parts:
        bench_review(table, args.repeat)
    province = pick_province(args.province)
    reports = {}
    if parts & {"form", "drill"}:
        reports = bench_form(table, province, args.repeat)
    if "drill" in parts:
        bench_drill(table, province, reports, args.drill_columns.split(","), args.drill_repeat)
    load1, load5, _load15 = os.getloadavg()
    log(f"\nmachine load average at the end: {load1:.1f} (1 min), {load5:.1f} (5 min)")
    table.print()


if __name__ == "__main__":
    main()
