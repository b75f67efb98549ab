"""Benchmark of citizen reception on PostgreSQL with a million visits (issue targets in brackets).

    .venv/bin/python bench/reception_bench.py                     # 1,000,000 visits, fresh database
    .venv/bin/python bench/reception_bench.py --visits 20000      # a quick run
    .venv/bin/python bench/reception_bench.py --reuse             # keep the database of the last run

Loads, with COPY in batches: a province with WARDS wards, each with its chairman's reception duty and
a session every weekday for DAYS weekdays (Mondays the chairman's periodic reception, the other days
regular reception), the visits spread over them (a tenth repeat an earlier visit of the same person
and case, one in fifty is a crowd, a tenth are denunciations whose visitors are sealed), the visitors
(Vietnamese names, citizen ID numbers, keyed digests from `danvan.petitions.identity.digests`, folded
names) and, for visits accepted or transferred, the petition made of them with its petitioner.

Then prints:
- (a) recording a visit with two petitions through the API: POST /api/v1/reception/visits to gunicorn
  with a token, p50/p95/p99 [p95 < 100 ms], beside GET /healthz by the same client (the stack's
  floor: one request, one SQL query) and the ratio of the two;
- (b) the desk's person look-up by ID number and by the start of a name, through the selector and
  through GET /api/v1/reception/people, for a ward clerk and for the provincial supervisor:
  p50/p95 [p95 < 20 ms].
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from array import array
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import petition_corpus  # noqa: E402
from petitions_bench import _default, pct  # noqa: E402

DB = "danvan_bench_reception"
WARDS = 40
DAYS = 750  # weekdays of sessions per ward, about three years
CHUNK = 50_000
PORT = 8766
NOW = "2026-01-01 08:00:00+07"
KIND_OF = ("complaint", "complaint", "complaint", "denunciation", "complaint", "recommendation",
           "recommendation", "feedback", "feedback", "feedback")  # fmt: skip
FIELD_OF = {
    "complaint": "land",
    "denunciation": "civil_service",
    "recommendation": "policy",
    "feedback": "other",
}
OUTCOMES = {
    "complaint": ("accepted", "answered", "guided", "accepted"),
    "denunciation": ("accepted", "transferred"),
    "recommendation": ("answered", "transferred", "accepted"),
    "feedback": ("answered", "guided"),
}
HAMLETS = petition_corpus.HAMLET_NAMES


# ---- environment and server -----------------------------------------------------------------


def setup_environment(args) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only")  # the demo keys derive from it: keep it for --reuse
    os.environ["DANVAN_DEMO"] = "1"
    os.environ["DANVAN_FAST_HASHER"] = "1"
    os.environ["DANVAN_PLAIN_STATIC"] = "1"
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


@contextmanager
def gunicorn(workers: int):
    """danvan under gunicorn on 127.0.0.1:PORT, stopped (with its workers) on the way out."""
    env = dict(os.environ, ALLOWED_HOSTS="127.0.0.1")
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/danvan"), "serve", "--host", "127.0.0.1", "--port", str(PORT),
         "--workers", str(workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{PORT}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


# ---- the people ------------------------------------------------------------------------------


def person(pid: int) -> tuple[str, str, str]:
    """Name, citizen ID number and address of person `pid`: the same every time, without state."""
    h = (pid * 2654435761) & 0xFFFFFFFF
    male = h & 1
    middle, given = (petition_corpus.MIDDLE_M, petition_corpus.GIVEN_M) if male else (
        petition_corpus.MIDDLE_F, petition_corpus.GIVEN_F)  # fmt: skip
    fam = petition_corpus.FAMILY
    name = f"{fam[(h >> 1) % len(fam)]} {middle[(h >> 7) % len(middle)]} {given[(h >> 12) % len(given)]}"
    id_number = f"037{pid:09d}"  # 037: Ninh Bình, a real province code of the citizen ID
    address = f"Thôn {HAMLETS[(h >> 20) % len(HAMLETS)]}"
    return name, id_number, address


# ---- the tree, the staff, the duties ---------------------------------------------------------


def build_tree(wards: int):
    from django.contrib.auth import get_user_model

    from danvan.core.text import fold
    from danvan.reception.models import Duty, Position
    from danvan.units.models import Role, RoleAssignment, RoleScope, Unit, UnitKind, path_segment

    def unit(code, name, kind, parent):
        existing = Unit.objects.filter(code=code).first()
        if existing:
            return existing
        level = {"country": "country", "province": "province", "ward": "commune"}.get(kind, "agency")
        u = Unit.objects.create(
            code=code, valid_from=date(2000, 1, 1), name=name, name_folded=fold(name), kind=kind,
            level=level, parent=parent, path="", depth=0,
        )  # fmt: skip
        u.path = (parent.path if parent else "") + path_segment(u.pk)
        u.depth = u.path.count("/")
        u.save(update_fields=["path", "depth"])
        return u

    country = unit("VN", "Việt Nam", UnitKind.COUNTRY, None)
    province = unit("37", "Tỉnh Ninh Bình", UnitKind.PROVINCE, country)
    units = [unit(f"W{i:03d}", f"Phường {i + 1}", UnitKind.WARD, province) for i in range(wards)]
    User = get_user_model()

    def user(name, role, on, scope=RoleScope.UNIT):
        u = User.objects.filter(username=name).first() or User.objects.create_user(
            username=name, password="x"
        )
        RoleAssignment.objects.get_or_create(user=u, unit=on, role=role, defaults={"scope": scope})
        return u

    supervisor = user("supervisor", Role.LEADER, province, RoleScope.SUBTREE)
    clerks = [user(f"clerk{i}", Role.CLERK, u) for i, u in enumerate(units)]
    duties = []
    for i, u in enumerate(units):
        duty = Duty.objects.filter(unit=u).first() or Duty.objects.create(
            unit=u, unit_path=u.path, position=Position.PC_CHAIRMAN, holder_name=person(10**8 + i)[0],
            valid_from=date(2020, 1, 1),
        )  # fmt: skip
        duties.append(duty)
    return province, units, supervisor, clerks, duties


def weekdays(last: date, n: int) -> list[date]:
    days, day = [], last
    while len(days) < n:
        if day.weekday() < 5:
            days.append(day)
        day -= timedelta(days=1)
    return days[::-1]


# ---- the load --------------------------------------------------------------------------------


def copy(model_or_table, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection

    table = model_or_table if isinstance(model_or_table, str) else model_or_table._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as out:
        for row in rows:
            out.write_row(row)


class Rows:
    """Rows of one model, each a dict of some columns completed with the model's defaults."""

    def __init__(self, model):
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in fields]
        self.attnames = [f.attname for f in fields]
        self.defaults = {f.attname: _default(f) for f in fields}
        self.rows: list[tuple] = []

    def add(self, **values) -> None:
        self.rows.append(tuple(values[a] if a in values else self.defaults[a] for a in self.attnames))

    def flush(self) -> None:
        if self.rows:
            copy(self.model, self.columns, self.rows)
            self.rows = []


def load(n: int, units, clerks, duties, days: list[date], today: date) -> None:
    from django.db import connection

    from danvan.core import crypto
    from danvan.core.text import fold
    from danvan.petitions import identity
    from danvan.petitions.models import Case, Petition, Petitioner
    from danvan.petitions.models import Counter as PetitionCounter
    from danvan.reception.models import Counter, Session, Visit, Visitor

    started = time.perf_counter()
    texts = petition_corpus.make_contents(min(n, 20_000), 11)
    folded = [fold(t) for t in texts]
    print(f"  generated {len(texts):,} contents in {time.perf_counter() - started:.0f} s", flush=True)

    # Sessions, ordered by ward then day, so a ward's visits are one run of ids.
    sessions = Rows(Session)
    plan: list[tuple[int, date, str, str]] = []  # (ward index, day, kind, presider) per session
    sid = 0
    for w, u in enumerate(units):
        for d in days:
            sid += 1
            periodic = d.weekday() == 0
            presider = ("authorised" if sid % 5 == 0 else "head") if periodic else "staff"
            sessions.add(
                id=sid, unit_id=u.pk, unit_path=u.path, kind="periodic" if periodic else "regular",
                mode="in_person", day=d, duty_id=duties[w].pk if periodic else None, presider=presider,
                presider_name="Phó Chủ tịch" if presider == "authorised" else "",
                status="held", published_on=d - timedelta(days=10) if periodic else None,
                created_at=NOW, created_by_id=clerks[w].pk,
            )  # fmt: skip
            plan.append((w, d, "periodic" if periodic else "regular", presider))
    sessions.flush()
    total_sessions = len(plan)

    visits = Rows(Visit)
    visitors = Rows(Visitor)
    cases = Rows(Case)
    petitions = Rows(Petition)
    petitioners = Rows(Petitioner)
    links: list[tuple[int, int]] = []
    link_table = Visit.petitions.through._meta.db_table
    case_of = array("l", [0]) * (n + 1)
    person_of = array("l", [0]) * (n + 1)
    numbers: dict[tuple[int, int], int] = {}
    petition_numbers: dict[tuple[int, int], int] = {}
    visitor_id = petition_id = 0
    for vid in range(1, n + 1):
        i = vid - 1
        s = i * total_sessions // n
        w, day, session_kind, presider = plan[s]
        u = units[w]
        j = vid - 997
        repeat = vid % 10 == 9 and j > 0 and plan[(j - 1) * total_sessions // n][0] == w
        kind = KIND_OF[vid % 10] if not repeat else KIND_OF[j % 10]
        protected = kind == "denunciation"
        outcome = OUTCOMES[kind][(vid // 10) % len(OUTCOMES[kind])]
        crowd = vid % 50 == 17 and not protected
        pid = person_of[j] if repeat else vid
        case_id = case_of[j] if repeat else vid
        person_of[vid], case_of[vid] = pid, case_id
        if not repeat:
            cases.add(id=case_id, unit_id=u.pk, unit_path=u.path, opened_on=day, created_at=NOW)
        number = numbers[(u.pk, day.year)] = numbers.get((u.pk, day.year), 0) + 1
        text_index = (pid * 7919) % len(texts)
        owed = outcome in ("accepted", "transferred")
        target = "UBND tỉnh Ninh Bình"
        answer_due = day + timedelta(days=14) if owed else None
        answered = answer_due is not None and answer_due < today - timedelta(days=5)
        visits.add(
            id=vid, session_id=s + 1, unit_id=u.pk, unit_path=u.path, year=day.year, number=number, day=day,
            session_kind=session_kind, presider=presider, kinds=kind, content=texts[text_index],
            content_folded=folded[text_index], people_count=8 if crowd else 1, crowd=crowd,
            protected=protected, case_id=case_id, is_repeat=repeat, repeat_of_id=j if repeat else None,
            outcome=outcome, target_name=target if outcome in ("guided", "transferred") else "",
            answer_due=answer_due, answered_on=day + timedelta(days=7) if answered else None,
            answer_kind="accepted" if answered else "", received_by_id=clerks[w].pk, created_at=NOW,
        )  # fmt: skip
        people = [pid] + ([n + vid] if crowd else [])
        idents = []
        for position, who in enumerate(people):
            name, id_number, address = person(who)
            ident = identity.Identity(name=name, id_number=id_number, address=f"{address}, {u.name}")
            idents.append(ident)
            by_id, by_name = identity.digests(ident)
            visitor_id += 1
            row = {
                "id": visitor_id, "visit_id": vid, "position": position, "representative": crowd,
                "id_digest": by_id, "name_address_digest": by_name, "unit_id_copy": u.pk, "unit_path": u.path,
            }  # fmt: skip
            if protected:
                row["sealed"] = crypto.seal(ident.as_dict())
            else:
                row.update(name=name, name_folded=fold(name), id_number=id_number, address=ident.address)
            visitors.add(**row)
        if owed:
            petition_id += 1
            pnumber = petition_numbers[(u.pk, day.year)] = petition_numbers.get((u.pk, day.year), 0) + 1
            petitions.add(
                id=petition_id, unit_id=u.pk, unit_path=u.path, tracking_code=f"DB{petition_id:08d}",
                secret_digest="0" * 64, year=day.year, number=pnumber, received_on=day, channel="in_person",
                kind=kind, field=FIELD_OF[kind], content=texts[text_index], content_folded=folded[text_index],
                case_id=case_id, is_repeat=repeat, protected=protected,
                status="accepted" if answered else "received",
                accepted_on=day if answered else None, created_at=NOW, created_by_id=clerks[w].pk,
            )  # fmt: skip
            ident = idents[0]
            by_id, by_name = identity.digests(ident)
            petitioner_id = petition_id
            prow = {"id": petitioner_id, "petition_id": petition_id, "position": 0, "id_digest": by_id,
                    "name_address_digest": by_name}  # fmt: skip
            if protected:
                prow["sealed"] = crypto.seal(ident.as_dict())
            else:
                prow.update(name=ident.name, name_folded=fold(ident.name), id_number=ident.id_number,
                            address=ident.address)  # fmt: skip
            petitioners.add(**prow)
            links.append((vid, petition_id))
        if vid % CHUNK == 0 or vid == n:
            cases.flush()
            visits.flush()
            visitors.flush()
            petitions.flush()
            petitioners.flush()
            copy(link_table, ["visit_id", "petition_id"], links)
            links = []
            print(f"  loaded {vid:,} visits ({time.perf_counter() - started:.0f} s)", flush=True)
    Counter.objects.bulk_create(
        [Counter(unit_id=uid, year=y, last=v) for (uid, y), v in numbers.items()], ignore_conflicts=True
    )
    PetitionCounter.objects.bulk_create(
        [PetitionCounter(unit_id=uid, year=y, last=v) for (uid, y), v in petition_numbers.items()],
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        for model in (Session, Case, Visit, Visitor, Petition, Petitioner):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        analysed = time.perf_counter()
        cursor.execute("ANALYZE")
    elapsed = time.perf_counter() - started
    print(
        f"  load done in {elapsed:.0f} s ({n / elapsed:,.0f} visits/s; ANALYZE "
        f"{time.perf_counter() - analysed:.0f} s): {total_sessions:,} sessions, {n:,} visits, "
        f"{visitor_id:,} visitors, {petition_id:,} petitions",
        flush=True,
    )


# ---- (a) recording a visit through the API ---------------------------------------------------


def _request(url: str, token: str | None = None, body: dict | None = None) -> float:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, method="POST" if body is not None else "GET", headers=headers
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()
        status = response.status
    elapsed = (time.perf_counter() - started) * 1000
    if status >= 400:
        raise RuntimeError(status)
    return elapsed


def figures(samples: list[float]) -> str:
    return (
        f"p50 {statistics.median(samples):.1f} ms, p95 {pct(samples, 0.95):.1f} ms, "
        f"p99 {pct(samples, 0.99):.1f} ms"
    )


def bench_record(base: str, clerks, units, requests: int, clients: int, today: date) -> None:
    from danvan.core import services as core_services
    from danvan.reception import services

    sessions, tokens = [], []
    for clerk, u in list(zip(clerks, units, strict=True))[:clients]:
        sessions.append(
            services.session_open_regular(actor=clerk, unit_id=u.pk, day=today, place_id=None, today=today).pk
        )
        tokens.append(core_services.api_token_create(actor=clerk, name="bench")[1])
    texts = petition_corpus.make_contents(2 * requests + 100, 23)
    serial = random.Random(5).randrange(10**8, 9 * 10**8)

    def body(k: int, client: int) -> dict:
        name, id_number, address = person(serial + client * 10**6 + k)
        return {
            "session_id": sessions[client],
            "parts": [
                {"kind": "complaint", "field": "land", "content": texts[(2 * k) % len(texts)]},
                {"kind": "recommendation", "field": "policy", "content": texts[(2 * k + 1) % len(texts)]},
            ],
            "visitors": [{"name": name, "id_number": id_number, "address": address}],
            "outcome": "accepted",
            "make_petitions": True,
        }

    health = f"{base}/healthz"
    visits_url = f"{base}/api/v1/reception/visits"
    for k in range(20):  # warm up every worker
        _request(health)
        _request(visits_url, tokens[0], body(10**5 + k, 0))

    def run(work, per_client: int) -> list[float]:
        samples: list[list[float]] = [[] for _ in range(clients)]
        errors = [0] * clients

        def client(c: int) -> None:
            for k in range(per_client):
                try:
                    samples[c].append(work(c, k))
                except Exception:  # noqa: BLE001 - counted and reported
                    errors[c] += 1

        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if sum(errors):
            print(f"  errors: {sum(errors)}")
        return [x for s in samples for x in s]

    per_client = max(1, requests // clients)
    base_samples = run(lambda c, k: _request(health), per_client)
    started = time.perf_counter()
    record_samples = run(lambda c, k: _request(visits_url, tokens[c], body(k, c)), per_client)
    elapsed = time.perf_counter() - started
    print(
        f"baseline GET /healthz, {clients} client(s), {len(base_samples)} requests: {figures(base_samples)}"
    )
    print(
        f"(a) POST /api/v1/reception/visits (a visit, its visitor, two petitions, audit), "
        f"{clients} client(s), "
        f"{len(record_samples)} requests: {figures(record_samples)} [p95 < 100 ms]; "
        f"{len(record_samples) / elapsed:.0f} visits/s"
    )
    p50 = statistics.median(record_samples) / statistics.median(base_samples)
    p95 = pct(record_samples, 0.95) / pct(base_samples, 0.95)
    print(f"    ratio to the baseline: p50 {p50:.1f}x, p95 {p95:.1f}x")


# ---- (b) the person look-up ------------------------------------------------------------------


def lookup_probes(n: int, units, ward: int | None, count: int, seed: int) -> list[tuple[str, str]]:
    """(ID number, name prefix) of people who came, in one ward (`ward`) or anywhere."""
    from danvan.core.text import fold

    rng = random.Random(seed)
    per_ward = n // len(units)
    probes = []
    for _ in range(count):
        start = (ward if ward is not None else rng.randrange(len(units))) * per_ward
        vid = start + rng.randrange(1, per_ward)
        vid -= vid % 10 == 9  # a repeated visit brings the person of an earlier one
        name, id_number, _address = person(vid)
        folded = fold(name)
        probes.append((id_number, folded[: max(2, len(folded) - 2)]))  # "nguyen van hu" of "nguyen van hung"
    return probes


def bench_lookup(base: str, n: int, units, users: dict, count: int) -> None:
    """The selector and the API each look up people of their own (two disjoint draws), so that
    neither finds the pages the other just read in the cache: a desk looks up someone new."""
    from django.contrib.auth import get_user_model

    from danvan.core import services as core_services
    from danvan.reception import selectors

    User = get_user_model()
    for label, (user, ward) in users.items():
        probes = lookup_probes(n, units, ward, 2 * count, seed=len(label))
        direct_probes, api_probes = probes[:count], probes[count:]
        token = core_services.api_token_create(actor=user, name="bench lookup")[1]
        for how in ("id_number", "name"):
            direct, over_http, found, hidden = [], [], 0, 0

            def query(probe, how=how) -> dict:
                return {"id_number": probe[0]} if how == "id_number" else {"name": probe[1]}

            for probe in direct_probes:
                fresh = User.objects.get(pk=user.pk)  # roles and scope read in the timing, as in a request
                started = time.perf_counter()
                matches = selectors.person_lookup(fresh, **query(probe))
                direct.append((time.perf_counter() - started) * 1000)
                found += bool(matches.visits or matches.petitions)
                hidden += matches.hidden
            for probe in api_probes:
                over_http.append(
                    _request(f"{base}/api/v1/reception/people?{urllib.parse.urlencode(query(probe))}", token)
                )
            print(
                f"(b) look-up by {'ID number' if how == 'id_number' else 'name prefix'}, {label}, "
                f"{count} + {count} people: selector p50 {statistics.median(direct):.1f} ms, "
                f"p95 {pct(direct, 0.95):.1f} ms [< 20]; API p50 {statistics.median(over_http):.1f} ms, "
                f"p95 {pct(over_http, 0.95):.1f} ms; selector found {found}/{count}, hidden records {hidden}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visits", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="reuse the database of the last run")
    parser.add_argument("--requests", type=int, default=400, help="visits recorded through the API")
    parser.add_argument("--clients", type=int, default=1, help="concurrent API clients")
    parser.add_argument("--lookups", type=int, default=200, help="people looked up, per user and way")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--parts", default="record,lookup", help="which measurements (comma-separated)")
    args = parser.parse_args()
    setup_environment(args)
    from django.core.management import call_command
    from django.utils import timezone

    from danvan.reception.models import Visit

    today = timezone.localdate()
    call_command("migrate", verbosity=0)
    province, units, supervisor, clerks, duties = build_tree(WARDS)
    state = Path(tempfile.gettempdir()) / f"{DB}.json"
    if args.reuse and state.exists():
        n = json.loads(state.read_text())["visits"]
    else:
        n = args.visits
        print(f"loading {n:,} visits into PostgreSQL …", flush=True)
        load(n, units, clerks, duties, weekdays(today - timedelta(days=1), DAYS), today)
        state.write_text(json.dumps({"visits": n}))
    print(f"visits in the database: {Visit.objects.count():,}", flush=True)
    parts = set(args.parts.split(","))
    load1, load5, _load15 = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load1:.1f} (1 min), {load5:.1f} (5 min)", flush=True
    )
    with gunicorn(args.workers) as base:
        if "record" in parts:
            bench_record(base, clerks, units, args.requests, args.clients, today)
        if "lookup" in parts:
            users = {"ward clerk": (clerks[0], 0), "provincial supervisor": (supervisor, None)}
            bench_lookup(base, n, units, users, args.lookups)


if __name__ == "__main__":
    main()
