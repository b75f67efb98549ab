"""Benchmark: every report page on SQLite with the demo data [target: each under a second].

    .venv/bin/python bench/reports_demo_bench.py          # builds the demo in a temporary folder
    .venv/bin/python bench/reports_demo_bench.py --var DIR  # reuse a demo built there before

Signs in as the demo's provincial leader and opens, through Django's test client (the whole
stack but the network), the form page of every declared form for the province over the demo's
year in both frames, the review over 2013..2026, a drill-down, the comparison and the dashboard:
p50 and max of REPEAT openings each, beside the home page as the baseline (the ratio says what
the report itself costs).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEAT = 5
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--var", default="")
    args = parser.parse_args()
    var = args.var or tempfile.mkdtemp(prefix="danvan-reports-demo-")
    env = {**os.environ, "DANVAN_VAR_DIR": var, "DANVAN_DEMO": "1", "DANVAN_PLAIN_STATIC": "1"}
    env.pop("DATABASE_URL", None)
    if not (Path(var) / "danvan.sqlite3").exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "danvan.cli", "demo", "--no-serve"],
            env=env,
            check=True,
            capture_output=True,
        )
        print(f"demo built in {time.perf_counter() - started:.1f} s ({var})")
    os.environ.update(env)
    os.environ.setdefault("SECRET_KEY", (Path(var) / "demo-secret-key").read_text().strip())
    os.environ.setdefault("DANVAN_FIELD_KEYS", (Path(var) / "demo-field-keys").read_text().strip())
    os.environ.setdefault("DANVAN_INDEX_KEY", (Path(var) / "demo-index-key").read_text().strip())
    os.environ["DJANGO_SETTINGS_MODULE"] = "danvan.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from danvan.reports.forms import FORM_CODES, versions_of
    from danvan.units.models import Unit

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="leader"))
    province = Unit.objects.get(code="37", valid_to__isnull=True)
    year = {"unit": province.pk, "period": "2026"}

    pages: list[tuple[str, str, dict]] = [("home (baseline)", reverse("core:home"), {})]
    for code in FORM_CODES:
        if versions_of(code):
            for frame in ("as_it_was", "as_it_is"):
                pages.append(
                    (f"form {code} {frame}", reverse("reports:form", args=[code]), {**year, "frame": frame})
                )
    pages += [
        (
            "review 2013..2026 as_it_is",
            reverse("reports:review"),
            {**year, "period": "2013..2026", "frame": "as_it_is"},
        ),
        ("drill-down reception.visits", reverse("reports:records"), {**year, "cell": "reception.visits"}),
        ("drill-down petitions.received", reverse("reports:records"), {**year, "cell": "petitions.received"}),
        ("compare reception.visits", reverse("reports:compare"), {**year, "indicator": "reception.visits"}),
        ("dashboard", reverse("reports:dashboard"), {}),
    ]
    baseline = None
    worst = 0.0
    print(f"{'page':<40} {'p50 ms':>8} {'max ms':>8} {'× home':>7}")
    for label, url, params in pages:
        samples = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            response = client.get(url, params)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
        p50, top = statistics.median(samples), max(samples)
        baseline = baseline or p50
        if not label.startswith("home"):
            worst = max(worst, top)
        print(f"{label:<40} {p50:8.1f} {top:8.1f} {p50 / baseline:7.1f}")
    print(f"slowest report opening: {worst:.0f} ms [target < 1000 ms] {'met' if worst < 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()
