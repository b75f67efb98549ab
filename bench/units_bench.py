"""Benchmark: loading all units, and subtree queries on the largest province.

    .venv/bin/python bench/units_bench.py                      # SQLite in a temporary folder
    .venv/bin/python bench/units_bench.py --postgres           # a fresh database on 127.0.0.1:5432

Prints the load time (cold and repeated), then for the largest province (most units below it)
the p50/p95 of the materialised-path subtree query and of two baselines on the same data: a
hand-written recursive CTE, and a level-by-level walk from Python (one query per level).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date

REPEAT = 50


def timed(func, repeat=REPEAT):
    samples = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return result, statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DANVAN_DEMO"] = "1"
    tmp = tempfile.mkdtemp(prefix="danvan-bench-")
    os.environ["DANVAN_VAR_DIR"] = tmp
    if args.postgres:
        db = "danvan_bench"
        for sql in (f"DROP DATABASE IF EXISTS {db}", f"CREATE DATABASE {db}"):
            subprocess.run(
                ["/usr/bin/psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True
            )
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "danvan.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from danvan.units import access
    from danvan.units.loader import units_load
    from danvan.units.models import Role, RoleAssignment, RoleScope, Unit, UnitLevel
    from danvan.units.selectors import unit_descendants

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}")
    started = time.perf_counter()
    result = units_load(actor=None)
    cold = time.perf_counter() - started
    started = time.perf_counter()
    units_load(actor=None)
    warm = time.perf_counter() - started
    print(
        f"load all units: {result.units_created} units, {result.successions_created} successions "
        f"in {cold:.2f} s (again, nothing to add: {warm:.2f} s)"
    )

    provinces = Unit.objects.filter(level=UnitLevel.PROVINCE)
    sizes = {p.pk: Unit.objects.filter(path__startswith=p.path).count() for p in provinces}
    largest = Unit.objects.get(pk=max(sizes, key=sizes.get))
    print(
        f"largest province: {largest.name} ({largest.code}, {largest.validity_label}), "
        f"{sizes[largest.pk] - 1} units below it"
    )

    def by_path():
        return list(unit_descendants(largest).values_list("pk", flat=True))

    table = Unit._meta.db_table
    cte = (
        f"WITH RECURSIVE sub(id) AS (SELECT id FROM {table} WHERE parent_id = %s "
        f"UNION ALL SELECT u.id FROM {table} u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub"
    )

    def by_path_sql():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {table} WHERE path >= %s AND path < %s AND id <> %s",
                [largest.path, largest.path[:-1] + "0", largest.pk],
            )
            return [row[0] for row in cursor.fetchall()]

    def by_cte():
        with connection.cursor() as cursor:
            cursor.execute(cte, [largest.pk])
            return [row[0] for row in cursor.fetchall()]

    def by_walk():
        found, frontier = [], [largest.pk]
        while frontier:
            frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
            found.extend(frontier)
        return found

    rows_path, p50_path, p95_path = timed(by_path)
    rows_sql, p50_sql, p95_sql = timed(by_path_sql)
    rows_cte, p50_cte, p95_cte = timed(by_cte)
    rows_walk, p50_walk, p95_walk = timed(by_walk)
    assert sorted(rows_path) == sorted(rows_sql) == sorted(rows_cte) == sorted(rows_walk)
    print(f"subtree ({len(rows_path)} units), ids of every unit below:")
    print(f"  path, through ORM  p50 {p50_path:7.2f} ms  p95 {p95_path:7.2f} ms")
    print(f"  path, raw SQL      p50 {p50_sql:7.2f} ms  p95 {p95_sql:7.2f} ms")
    print(
        f"  recursive CTE      p50 {p50_cte:7.2f} ms  p95 {p95_cte:7.2f} ms"
        f"  (CTE / raw path {p50_cte / p50_sql:.2f}x)"
    )
    print(
        f"  Python walk        p50 {p50_walk:7.2f} ms  p95 {p95_walk:7.2f} ms"
        f"  (walk / ORM path {p50_walk / p50_path:.2f}x)"
    )

    on = date(2024, 6, 1)
    _n, p50_on, p95_on = timed(lambda: unit_descendants(largest, on, UnitLevel.COMMUNE).count())
    print(f"  communes below it on {on:%d/%m/%Y} (count): p50 {p50_on:.2f} ms  p95 {p95_on:.2f} ms")

    from django.contrib.auth import get_user_model

    new_province = (
        Unit.objects.filter(level=UnitLevel.PROVINCE, valid_to__isnull=True)
        .annotate(n=Count("successions_in"))
        .order_by("-n")
        .first()
    )
    user = get_user_model().objects.create_user("bench")
    RoleAssignment.objects.create(user=user, unit=new_province, role=Role.LEADER, scope=RoleScope.SUBTREE)

    def scope():
        fresh = get_user_model().objects.get(pk=user.pk)
        return access.scope_for(fresh, "record.view")

    s, p50_scope, p95_scope = timed(scope, repeat=20)
    print(
        f"scope of a supervisor of {new_province.name} (with its {new_province.n} merged provinces): "
        f"{len(s.prefixes)} subtrees, p50 {p50_scope:.2f} ms  p95 {p95_scope:.2f} ms"
    )


if __name__ == "__main__":
    sys.exit(main())
