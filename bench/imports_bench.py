"""Benchmark of the spreadsheet import on PostgreSQL (issue targets in brackets).

    .venv/bin/python bench/imports_bench.py                    # 1,000,000 petitions, 20,000-row XLSX
    .venv/bin/python bench/imports_bench.py --rows 100000      # a quicker run
    .venv/bin/python bench/imports_bench.py --reuse            # the tree of the last run (imports removed)

Loads the real unit tree into a fresh database, writes a CSV register of `--rows` petitions of the
communes of one province over 2013..2024 (Vietnamese headers, as a clerk's register: units written
as plain names where the province has one commune of that name and as "Name (code)" otherwise, dates
dd/mm/yyyy, one denunciation in twenty whose denouncer's identity is sealed), then prints:
- the baseline: reading the same file row by row (`imports.readers`, what any import must pay) and
  with the bare `csv` module, rows per second;
- (a) `danvan import` of the CSV in one pass (preview and commit, one transaction) in a child
  process: rows per second [≥ 5,000], the child's peak resident memory [< 300 MB] beside the same
  child's memory after start-up (Django and the unit index), and the ratio to the reading rate;
- (b) the same import again: every row matches, nothing is created [idempotent];
- (c) a 20,000-row XLSX register of petitions previewed through the service [< 30 s];
- a table of figure | value | target | met?
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

DB = "danvan_import_bench"
PROVINCE = "37"  # Ninh Bình, with its districts and communes until 30/06/2025
USERNAME = "import_bench"
HEADERS = [
    "Đơn vị tiếp nhận",
    "Số biên nhận",
    "Ngày nhận đơn",
    "Nguồn đơn",
    "Loại",
    "Lĩnh vực",
    "Nội dung",
    "Người, cơ quan bị khiếu nại, bị tố cáo",
    "Họ tên người viết đơn",
    "Địa chỉ",
    "Số người đứng tên",
    "Kết quả xử lý đơn",
    "Ngày xử lý",
    "Lý do lưu đơn",
    "Nơi chuyển đơn đến",
    "Ngày quyết định",
    "Số quyết định, kết luận",
    "Kết quả giải quyết",
]
CONTENTS = [
    "Đề nghị xem xét lại mức bồi thường khi thu hồi đất nông nghiệp tại thôn {n}.",
    "Phản ánh việc xây dựng công trình lấn chiếm hành lang giao thông tại xóm {n}.",
    "Khiếu nại quyết định xử phạt vi phạm hành chính trong lĩnh vực đất đai số {n}.",
    "Kiến nghị sửa chữa tuyến đường liên thôn bị hư hỏng sau mưa lũ, đoạn {n}.",
]
HANDLED_ELSEWHERE = ("Đã hướng dẫn đến cơ quan có thẩm quyền", "Đã xếp lưu")
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đỗ Thị Hoa"]


def log(text: str) -> None:
    print(text, flush=True)


def setup(args) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DANVAN_DEMO"] = "1"
    os.environ["DANVAN_FAST_HASHER"] = "1"
    os.environ.setdefault("DANVAN_VAR_DIR", tempfile.mkdtemp(prefix="danvan-import-bench-"))
    if not args.reuse and not args.child:
        for sql in (f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)", f"CREATE DATABASE {args.db}"):
            subprocess.run(
                ["/usr/bin/psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True
            )
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "danvan.settings"
    import django

    django.setup()


def bench_user():
    from django.contrib.auth import get_user_model

    from danvan.units.models import Role, RoleAssignment, RoleScope, Unit

    user, _created = get_user_model().objects.get_or_create(username=USERNAME)
    province = Unit.objects.filter(code=PROVINCE, parent__parent=None).order_by("valid_from").first()
    RoleAssignment.objects.get_or_create(
        user=user, unit=province, role=Role.LEADER, defaults={"scope": RoleScope.SUBTREE}
    )
    return user, province


def communes(province):
    """The communes of the province valid over all of 2013..2024, as the register names them."""
    from collections import Counter

    from danvan.units.models import Unit, UnitLevel, subtree_q

    rows = list(
        Unit.objects.filter(
            subtree_q(province.path), level=UnitLevel.COMMUNE, valid_from__lte=date(2013, 1, 1)
        )
        .filter(valid_to__gte=date(2024, 12, 31))
        .values_list("name", "code")
    )
    count = Counter(name for name, _code in rows)
    return [name if count[name] == 1 else f"{name} ({code})" for name, code in rows]


def write_register(path: Path, rows: int, units: list[str], seed: int = 11) -> None:
    rng = random.Random(seed)
    first = date(2013, 1, 1)
    span = (date(2024, 12, 31) - first).days
    numbers: dict[tuple[str, int], int] = {}
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow(["SỔ THEO DÕI ĐƠN THƯ 2013 - 2024"])
        out.writerow(HEADERS)
        for i in range(rows):
            unit = rng.choice(units)
            received = first + timedelta(days=rng.randrange(span))
            key = (unit, received.year)
            numbers[key] = numbers.get(key, 0) + 1
            kind = "Tố cáo" if i % 20 == 0 else rng.choice(("Khiếu nại", "Kiến nghị", "Phản ánh"))
            processed = received + timedelta(days=rng.randrange(1, 10))
            decided = processed + timedelta(days=rng.randrange(20, 60))
            resolved = kind in ("Khiếu nại", "Tố cáo") and i % 3 == 0
            # Complaints and denunciations resolved here; the rest guided elsewhere or filed away.
            handling = "Thụ lý để giải quyết" if resolved else rng.choice(HANDLED_ELSEWHERE)
            out.writerow(
                [
                    unit,
                    f"{numbers[key]}/{received.year}",
                    f"{received:%d/%m/%Y}",
                    rng.choice(("Qua bưu điện", "Trực tiếp", "")),
                    kind,
                    rng.choice(("Đất đai", "Nhà ở", "Chế độ chính sách", "Khác")),
                    rng.choice(CONTENTS).format(n=rng.randrange(1, 40)),
                    "UBND xã" if kind != "Kiến nghị" else "",
                    rng.choice(NAMES),
                    f"Thôn {rng.randrange(1, 12)}",
                    1,
                    handling,
                    f"{processed:%d/%m/%Y}",
                    "Đã được giải quyết" if handling == "Đã xếp lưu" else "",
                    "Tòa án nhân dân huyện" if handling.startswith("Đã hướng dẫn") else "",
                    f"{decided:%d/%m/%Y}" if resolved else "",
                    f"{rng.randrange(1, 300)}/QĐ-UBND" if resolved else "",
                    ("complaint_partly" if kind == "Khiếu nại" else "denunciation_partly")
                    if resolved
                    else "",
                ]
            )


def read_rates(path: Path) -> tuple[float, float]:
    from danvan.imports.readers import open_sheet

    started = time.perf_counter()
    count = sum(1 for _row in open_sheet(path, path.name).rows())
    ours = count / (time.perf_counter() - started)
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        count = sum(1 for _row in csv.reader(handle))
    bare = count / (time.perf_counter() - started)
    return ours, bare


def peak_mb() -> float:
    """This process's peak resident memory. Not `ru_maxrss`, which a child started from a large
    parent inherits across fork and exec; the kernel's high-water mark of this address space."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds(pid: int | None = None) -> float:
    """CPU time (user + system) of this process, or of another process of this machine (the
    PostgreSQL backend serving the import) read from /proc."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(args) -> None:
    """Import the file in this process and print one JSON line with the figures."""
    from danvan.core.errors import DomainError
    from danvan.imports import services
    from danvan.units.names import UnitNames

    user, province = bench_user()
    UnitNames(within=province).resolve(province.name, date(2016, 1, 1))  # the index, as the import builds it
    ready_mb = peak_mb()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    cpu_before, db_before = cpu_seconds(), cpu_seconds(backend)
    started = time.perf_counter()
    try:
        batch = services.import_file(
            user,
            Path(args.child),
            record_type="petitions",
            unit_id=province.pk,
            check_size=False,
            commit=True,
        )
    except DomainError as error:
        print(json.dumps({"error": error.message, "batch": error.params.get("batch")}))
        return
    elapsed = time.perf_counter() - started
    peak = peak_mb()
    cpu, db_cpu = cpu_seconds() - cpu_before, cpu_seconds(backend) - db_before
    print(
        json.dumps(
            {
                "batch": batch.pk,
                "rows": batch.rows,
                "created": batch.created,
                "matched": batch.matched,
                "seconds": elapsed,
                "ready_mb": ready_mb,
                "peak_mb": peak,
                "cpu_s": cpu,
                "db_cpu_s": db_cpu,
            }
        )
    )


def run_child(args, path: Path) -> dict:
    command = [sys.executable, __file__, "--db", args.db, "--child", str(path)]
    done = subprocess.run(command, check=True, capture_output=True, text=True, env=os.environ)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        sys.exit(done.stdout + done.stderr)
    return json.loads(lines[-1])


def preview_xlsx(user, province, units: list[str], rows: int, folder: Path) -> tuple[float, int, int]:
    from openpyxl import Workbook

    from danvan.imports import services

    csv_path = folder / "register-xlsx.csv"
    write_register(csv_path, rows, units, seed=23)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sổ đơn")
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    xlsx = folder / "register.xlsx"
    book.save(xlsx)
    started = time.perf_counter()
    batch = services.import_file(user, xlsx, record_type="petitions", unit_id=province.pk)
    return time.perf_counter() - started, batch.rows, batch.error_count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=20_000)
    parser.add_argument("--db", default=DB)
    parser.add_argument("--reuse", action="store_true", help="keep the database (its tree) of the last run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup(args)
    if args.child:
        child(args)
        return
    from django.core.management import call_command

    import reports_data
    from danvan.core.models import ImportBatch
    from danvan.petitions.models import Case, Counter, Petition

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if args.reuse:
        from django.db import connection

        with connection.cursor() as cursor:  # the last run's imports, without loading them
            tables = ", ".join(m._meta.db_table for m in (Petition, Case, Counter))
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        ImportBatch.objects.all().delete()
    else:
        log("loading the unit tree …")
        reports_data.units_prepare(date(2026, 12, 1))
    user, province = bench_user()
    units = communes(province)
    log(f"ready in {time.perf_counter() - started:.0f} s: {len(units)} communes of {province.name}")

    folder = Path(tempfile.mkdtemp(prefix="danvan-import-files-"))
    path = folder / "register.csv"
    started = time.perf_counter()
    write_register(path, args.rows, units)
    size_mb = path.stat().st_size / 1e6
    log(f"wrote {args.rows:,} rows ({size_mb:.0f} MB) in {time.perf_counter() - started:.0f} s")

    ours, bare = read_rates(path)
    log(f"baseline: reading the file {ours:,.0f} rows/s (imports.readers), {bare:,.0f} rows/s (csv module)")

    first = run_child(args, path)
    if "error" in first:
        sys.exit(f"the import was refused: {first['error']} (batch {first['batch']})")
    rate = first["rows"] / first["seconds"]
    log(
        f"(a) import: {first['rows']:,} rows, {first['created']:,} created in {first['seconds']:.1f} s = "
        f"{rate:,.0f} rows/s; peak RSS {first['peak_mb']:.0f} MB "
        f"(after start-up {first['ready_mb']:.0f} MB); {rate / ours:.2f} of the reading rate"
    )
    per_row = 1e6 / first["rows"]
    log(
        f"    CPU a row: the import {first['cpu_s'] * per_row:.0f} µs, its PostgreSQL backend "
        f"{first['db_cpu_s'] * per_row:.0f} µs (2 cores: the two add up, one waits for the other)"
    )
    stored = Petition.objects.filter(import_batch_id=first["batch"]).count()
    again = run_child(args, path)
    log(
        f"(b) again: {again['rows']:,} rows, {again['matched']:,} matched, {again['created']:,} created in "
        f"{again['seconds']:.1f} s ({again['rows'] / again['seconds']:,.0f} rows/s); "
        f"petitions stored {stored:,}"
    )
    seconds, rows, problems = preview_xlsx(user, province, units, args.xlsx_rows, folder)
    log(f"(c) preview of a {rows:,}-row XLSX: {seconds:.1f} s, {problems} problems")

    table = [
        ("(a) rows per second, one-pass import of the CSV", f"{rate:,.0f}", "≥ 5,000", rate >= 5000),
        (
            "(a) peak resident memory of the import",
            f"{first['peak_mb']:.0f} MB",
            "< 300 MB",
            first["peak_mb"] < 300,
        ),
        ("(a) every row created", f"{stored:,} of {args.rows:,}", "all", stored == args.rows),
        ("(b) the same file again creates nothing", f"{again['created']:,}", "0", again["created"] == 0),
        ("(c) preview of the XLSX", f"{seconds:.1f} s", "< 30 s", seconds < 30 and problems == 0),
    ]
    log("\nfigure | value | target | met?")
    for name, value, target, met in table:
        log(f"{name} | {value} | {target} | {'✔' if met else '✘'}")


if __name__ == "__main__":
    main()
