"""Benchmark of petitions on PostgreSQL with a million petitions (issue targets in brackets).

    .venv/bin/python bench/petitions_bench.py                  # 1,000,000 petitions, fresh database
    .venv/bin/python bench/petitions_bench.py --reuse          # keep the loaded database of a last run
    .venv/bin/python bench/petitions_bench.py --petitions 100000 --intake-seconds 10

Prints:
- duplicate candidates (the selector the intake form and API call): p50/p95 over labelled queries
  [p95 < 20 ms], recall [>= 0.95] and precision [>= 0.9], and the same queries by brute force
  (the fuzzy score against every petition in scope) with the speed ratio;
- the handler's worklist (first page, ordered by deadline) and its counts, for a ward handler
  and for a provincial supervisor who sees all of them: p50/p95 [< 50 ms] and SQL queries per page
  for 5 and 25 rows (must be equal);
- API intake with 8 concurrent clients against gunicorn: each petition is one duplicate check
  and one intake call (deadline and audit included) [>= 200 petitions/s].
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
DB = "danvan_bench_petitions"
WARDS = 40
CHUNK = 25_000
SEPARATE = "a duplicate check call, then an intake call"
TOGETHER = "one intake call with check_duplicates"
TODAY = date(2026, 11, 27)


def pct(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def timed(func, repeat: int) -> tuple[object, float, float]:
    samples = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = func()
        samples.append((time.perf_counter() - started) * 1000)
    return result, statistics.median(samples), pct(samples, 0.95)


def setup_environment(args) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DANVAN_DEMO"] = "1"
    os.environ["DANVAN_FAST_HASHER"] = "1"
    os.environ["DANVAN_VAR_DIR"] = tempfile.mkdtemp(prefix="danvan-bench-")
    if not args.reuse:
        for sql in (f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", f"CREATE DATABASE {DB}"):
            subprocess.run(
                ["/usr/bin/psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", sql], check=True
            )
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "danvan.settings"
    import django

    django.setup()


def build_tree():
    """A country, a province, its People's Committee and WARDS wards; staff and supervisor."""
    from django.contrib.auth import get_user_model

    from danvan.units.models import Role, RoleAssignment, RoleScope, Unit, UnitKind, path_segment

    def unit(code, name, kind, parent):
        existing = Unit.objects.filter(code=code).first()
        if existing:
            return existing
        level = {"country": "country", "province": "province", "ward": "commune"}.get(kind, "agency")
        u = Unit.objects.create(
            code=code, valid_from=date(2000, 1, 1), name=name, name_folded=name.lower(), kind=kind,
            level=level, parent=parent, path="", depth=0,
        )  # fmt: skip
        u.path = (parent.path if parent else "") + path_segment(u.pk)
        u.depth = u.path.count("/")
        u.save(update_fields=["path", "depth"])
        return u

    country = unit("VN", "Việt Nam", UnitKind.COUNTRY, None)
    province = unit("37", "Tỉnh Ninh Bình", UnitKind.PROVINCE, country)
    agency = unit("37-UBND", "UBND tỉnh Ninh Bình", UnitKind.PEOPLES_COMMITTEE, province)
    wards = [unit(f"W{i:03d}", f"Phường {i}", UnitKind.WARD, province) for i in range(WARDS)]
    User = get_user_model()

    def user(name, role, on, scope=RoleScope.UNIT):
        u = User.objects.filter(username=name).first() or User.objects.create_user(
            username=name, password="x"
        )
        RoleAssignment.objects.get_or_create(user=u, unit=on, role=role, defaults={"scope": scope})
        return u

    supervisor = user("supervisor", Role.LEADER, province, RoleScope.SUBTREE)
    handler = user("handler", Role.HANDLER, wards[0])
    clients = [user(f"clerk{i}", Role.HANDLER, wards[i + 1]) for i in range(8)]
    return agency, wards, supervisor, handler, clients


def load(n: int, units: list, seed: int = 7) -> tuple[list[int], list[tuple[str, int | None]]]:
    """COPY n petitions (with case, petitioner, content keys, receive event) spread over `units`.
    Returns the ids of the labelled originals and the labelled queries."""
    from django.db import connection

    import petition_corpus
    from danvan.core import crypto
    from danvan.petitions.models import Case, ContentKey, Counter, Event, Petition, Petitioner

    originals, queries = petition_corpus.labelled_pairs(2000, seed)
    started = time.perf_counter()
    sizes = [len(originals)] + [CHUNK] * ((n - len(originals)) // CHUNK)
    if sum(sizes) < n:
        sizes.append(n - sum(sizes))
    with multiprocessing.Pool(os.cpu_count() or 2) as pool:
        jobs = [(i, size, seed, originals if i == 0 else None) for i, size in enumerate(sizes)]
        prepared = pool.map(_prepare, jobs)
    print(f"  generated and keyed {n:,} contents in {time.perf_counter() - started:.0f} s", flush=True)
    kinds = ["complaint", "denunciation", "recommendation", "feedback"]
    fields = {
        "complaint": "land",
        "denunciation": "civil_service",
        "recommendation": "policy",
        "feedback": "other",
    }
    statuses = [
        "received",
        "accepted",
        "accepted",
        "resolved",
        "resolved",
        "resolved",
        "guided",
        "transferred",
    ]

    def columns(model):
        return [f for f in model._meta.concrete_fields]

    def copy(model, rows):
        cols = [f for f in columns(model) if not (f.primary_key and "id" not in rows[0])]
        names = ", ".join(f'"{f.column}"' for f in cols)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {model._meta.db_table} ({names}) FROM STDIN") as out,
        ):
            for row in rows:
                out.write_row([row.get(f.attname, _default(f)) for f in cols])

    start_id = 1
    now = "2026-11-27 08:00:00+07"
    counters: dict[tuple[int, int], int] = {}
    started = time.perf_counter()
    offset = 0
    for chunk in prepared:
        cases, petitions, people, keys, events = [], [], [], [], []
        for j, (text, folded, signature) in enumerate(chunk):
            pid = start_id + offset + j
            unit = units[pid % len(units)]
            kind = kinds[pid % 4]
            received = TODAY - timedelta(days=pid % 3650)
            status = statuses[pid % len(statuses)]
            number = counters[(unit.pk, received.year)] = counters.get((unit.pk, received.year), 0) + 1
            due = received + timedelta(days=30) if status in ("received", "accepted") else None
            cases.append({"id": pid, "unit_id": unit.pk, "unit_path": unit.path, "opened_on": received,
                          "created_at": now})  # fmt: skip
            petitions.append({
                "id": pid, "unit_id": unit.pk, "unit_path": unit.path, "tracking_code": f"DB{pid:08d}",
                "secret_digest": "0" * 64, "year": received.year, "number": number, "received_on": received,
                "channel": "post", "kind": kind, "field": fields[kind], "content": text,
                "content_folded": folded, "case_id": pid, "protected": kind == "denunciation",
                "status": status, "due_date": due, "created_at": now, "created_by_id": 1,
                "accepted_on": received if status != "received" else None,
            })  # fmt: skip
            name, id_number = f"Người {pid}", f"0371{pid:08d}"
            person = {"id": pid, "petition_id": pid, "position": 0}
            by_id = crypto.blind_index(id_number)
            person["id_digest"] = by_id
            if kind == "denunciation":
                person["sealed"] = crypto.seal({"name": name, "id_number": id_number})
            else:
                person.update(name=name, id_number=id_number)
            people.append(person)
            keys.extend(
                {"petition_id": pid, "key": k, "unit_id": unit.pk, "unit_path": unit.path} for k in signature
            )
            events.append({"petition_id": pid, "action": "receive", "to_status": "received", "on": received,
                           "at": now})  # fmt: skip
        copy(Case, cases)
        copy(Petition, petitions)
        copy(Petitioner, people)
        copy(ContentKey, keys)
        copy(Event, events)
        offset += len(chunk)
        done = offset
        print(f"  loaded {done:,} petitions ({time.perf_counter() - started:.0f} s)", flush=True)
    Counter.objects.bulk_create(
        [Counter(unit_id=u, year=y, last=v) for (u, y), v in counters.items()], ignore_conflicts=True
    )
    with connection.cursor() as cursor:
        for model in (Case, Petition, Petitioner):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        cursor.execute("ANALYZE")
    print(f"  load done in {time.perf_counter() - started:.0f} s")
    return list(range(start_id, start_id + len(originals))), queries


def _prepare(job) -> list[tuple[str, str, list[int]]]:
    """One chunk of contents with their folded form and content keys (run in a worker process)."""
    import django

    django.setup()
    import petition_corpus
    from danvan.core.text import fold
    from danvan.petitions import similarity

    index, size, seed, given = job
    texts = given if given is not None else petition_corpus.make_contents(size, seed * 1000 + index)
    return [(t, fold(t), sorted(set(similarity.signature(t)))) for t in texts]


def _default(field):
    if field.get_internal_type() == "JSONField":
        return json.dumps(field.get_default() if field.has_default() else {})
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.get_internal_type() in ("CharField", "TextField"):
        return ""
    if field.get_internal_type() == "JSONField":
        return json.dumps({})
    return None


def bench_duplicates(supervisor, original_ids: list[int], queries, sample: int, brute_queries: int) -> None:
    from rapidfuzz import process

    from danvan.petitions import selectors, similarity
    from danvan.petitions.models import Petition

    chosen = queries[:sample]
    samples, tp, fp, fn = [], 0, 0, 0
    for text, label in chosen:
        started = time.perf_counter()
        found = selectors.duplicate_candidates_for(supervisor, people=[], content=text, limit=10)
        samples.append((time.perf_counter() - started) * 1000)
        ids = {c.petition.pk for c in found}
        want = original_ids[label] if label is not None else None
        if want is not None and want in ids:
            tp += 1
            fp += len(ids) - 1
        else:
            fp += len(ids)
            fn += want is not None
    recall = tp / max(1, tp + fn)
    precision = tp / max(1, tp + fp)
    print(
        f"duplicate candidates: {len(chosen)} queries, p50 {statistics.median(samples):.1f} ms, "
        f"p95 {pct(samples, 0.95):.1f} ms [target < 20]; recall {recall:.3f} [>= 0.95], "
        f"precision {precision:.3f} [>= 0.9]"
    )
    started = time.perf_counter()
    corpus = list(Petition.objects.values_list("content_folded", flat=True).iterator(chunk_size=50_000))
    print(f"  brute force: read {len(corpus):,} contents in {time.perf_counter() - started:.1f} s")
    brute = []
    for text, _label in chosen[:brute_queries]:
        started = time.perf_counter()
        process.extract(similarity.match_text(text), corpus, scorer=_brute_score, limit=10)
        brute.append((time.perf_counter() - started) * 1000)
    print(
        f"  brute force (score against every petition): p50 {statistics.median(brute):.0f} ms per query; "
        f"indexed is {statistics.median(brute) / statistics.median(samples):.0f}x faster"
    )


def _brute_score(a: str, b: str, **_kwargs) -> float:
    from danvan.petitions import similarity

    return similarity.score(a, b)


def bench_worklist(users: dict) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from danvan.petitions import selectors

    f = selectors.WorklistFilter()
    for label, user in users.items():

        def page(size, user=user):
            return list(selectors.petition_list_for(user, f, today=TODAY)[:size])

        rows, p50, p95 = timed(lambda: page(25), 40)
        _counts, c50, c95 = timed(lambda user=user: selectors.petition_counts_for(user, f, today=TODAY), 10)
        with CaptureQueriesContext(connection) as five:
            page(5)
        with CaptureQueriesContext(connection) as twenty_five:
            page(25)
        print(
            f"worklist, {label}: first page p50 {p50:.1f} ms, p95 {p95:.1f} ms [< 50]; "
            f"queries per page {len(five)} (5 rows) / {len(twenty_five)} (25 rows); "
            f"counts p50 {c50:.0f} ms, p95 {c95:.0f} ms"
        )


def bench_intake(clients, wards, seconds: float) -> None:
    import petition_corpus
    from danvan.core import services as core_services

    tokens = [core_services.api_token_create(actor=u, name="bench")[1] for u in clients]
    port = 8765
    env = dict(os.environ, DANVAN_PLAIN_STATIC="1", ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/danvan"), "serve", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "4"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        texts = petition_corpus.make_contents(20_000, 99)
        baseline = _baseline_phase(port, min(seconds, 10), len(clients))
        for separate in (False, True):
            rate = _intake_phase(port, tokens, wards, texts, seconds, separate, len(clients))
            print(f"  = {rate / baseline:.2f} of the baseline's requests per second")
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn and its workers
        server.wait()


def _baseline_phase(port, seconds, clients) -> float:
    """The ceiling of this machine's stack: GET /healthz (one request, one SQL query) by the same
    clients against the same gunicorn."""
    done = [0] * clients
    stop = time.perf_counter() + seconds

    def client(i):
        while time.perf_counter() < stop:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30):
                done[i] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = sum(done) / (time.perf_counter() - started)
    print(f"baseline: GET /healthz, {clients} clients: {rate:.0f} requests/s")
    return rate


def _intake_phase(port, tokens, wards, texts, seconds, separate, clients) -> float:
    done, errors = [0] * clients, [0] * clients
    stop = time.perf_counter() + seconds

    def post(path, token, body):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1{path}", data=json.dumps(body).encode(), method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status

    def client(i):
        n = 0
        while time.perf_counter() < stop:
            text = texts[(i * 2500 + n) % len(texts)]
            person = {"name": f"Khách {i}-{n}", "id_number": f"0372{i:02d}{n:06d}", "address": "Tổ 1"}
            intake = {
                "unit_id": wards[i + 1].pk, "received_on": TODAY.isoformat(), "channel": "post",
                "parts": [{"kind": "complaint", "field": "land", "content": text}],
                "petitioners": [person],
            }  # fmt: skip
            try:
                if separate:
                    post("/petitions/duplicates", tokens[i], {"people": [person], "content": text})
                    post("/petitions", tokens[i], intake)
                else:
                    post("/petitions", tokens[i], {**intake, "check_duplicates": True})
                done[i] += 1
            except Exception:  # noqa: BLE001 - counted and reported
                errors[i] += 1
            n += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    print(
        f"API intake, {clients} clients, {elapsed:.0f} s: {sum(done):,} petitions, "
        f"{sum(done) / elapsed:.0f} petitions/s [>= 200] "
        f"({SEPARATE if separate else TOGETHER}); "
        f"errors {sum(errors)}"
    )
    return sum(done) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--petitions", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--intake-seconds", type=float, default=30)
    parser.add_argument("--brute", type=int, default=3, help="queries timed by brute force (slow)")
    parser.add_argument(
        "--parts", default="duplicates,worklist,intake", help="which measurements to run (comma-separated)"
    )
    args = parser.parse_args()
    setup_environment(args)
    from django.core.management import call_command

    from danvan.petitions.models import Petition

    call_command("migrate", verbosity=0)
    agency, wards, supervisor, handler, clients = build_tree()
    state = Path(tempfile.gettempdir()) / f"{DB}.json"
    if args.reuse and state.exists():
        saved = json.loads(state.read_text())
        original_ids, queries = saved["originals"], [tuple(q) for q in saved["queries"]]
    else:
        print(f"loading {args.petitions:,} petitions into PostgreSQL …", flush=True)
        original_ids, queries = load(args.petitions, [agency, *wards])
        state.write_text(json.dumps({"originals": original_ids, "queries": queries}))
    print(f"petitions in the database: {Petition.objects.count():,}")
    parts = set(args.parts.split(","))
    if "duplicates" in parts:
        bench_duplicates(supervisor, original_ids, queries, args.queries, args.brute)
    if "worklist" in parts:
        bench_worklist({"ward handler": handler, "provincial supervisor": supervisor})
    if "intake" in parts:
        bench_intake(clients, wards, args.intake_seconds)


if __name__ == "__main__":
    main()
