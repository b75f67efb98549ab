"""Asking for a report as a file: small exports answer at once, large ones become jobs of their user
(queued → running with progress → done, or failed with the error), a hard size limit, files moved
into place only when whole, expiry, and a job that is nobody's but its owner's.

Visits of 2024 in Tỉnh Ninh Bình (tests/conftest.py's tree), counted by hand for form 01/TCD:

  Xã Khánh Thiện (district Yên Khánh)  02/05/2024 regular, 1 person · 20/10/2024 the head, 3 people
  Xã Yên Phong (district Yên Mô)       01/03/2024 regular, 2 people

  Total: visits (1) 3, people (2) 6, regular visits (4) 2, the head's visits (13) 1
  Huyện Yên Khánh: visits 2, people 4 · Huyện Yên Mô: visits 1, people 2

The province in 2024 has three units directly below (two districts and the agency): a form has
(3 + 2) rows × 29 columns = 145 figures.
"""

from __future__ import annotations

import csv
import io
import os
import signal
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from danvan.core.errors import DomainError, NotFound
from danvan.core.models import AuditEvent
from danvan.reports import exports, services
from danvan.reports.models import ExportJob, ExportStatus
from danvan.reports.review import REVIEW_CODES
from danvan.units.models import Role, RoleAssignment, RoleScope

from .bulk import VisitRow, visits_bulk

TODAY = date(2026, 12, 2)
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
FORM_CELLS = 145


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="boss", language="en")


@pytest.fixture
def year_2024(tree, boss):
    return visits_bulk(
        [
            VisitRow(tree.c1, date(2024, 5, 2)),
            VisitRow(tree.c1, date(2024, 10, 20), "head", 3),
            VisitRow(tree.c3, date(2024, 3, 1), "regular", 2),
        ],
        by=boss,
    )


@pytest.fixture
def exports_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "exports"


@pytest.fixture
def background(settings, exports_dir):
    """Every form of the province goes to the background; tasks run where they are queued."""
    settings.DANVAN_EXPORT_BACKGROUND_CELLS = 100
    settings.TASKS = IMMEDIATE
    return exports_dir


def form_post(tree, fmt: str = "xlsx", **extra) -> dict:
    return {
        "kind": "form",
        "form": "01-tcd",
        "unit": tree.province.pk,
        "period": "2024",
        "format": fmt,
        **extra,
    }


def form_input(tree, fmt: str = "xlsx", **extra) -> services.ExportInput:
    values = {"kind": "form", "fmt": fmt, "unit_id": tree.province.pk, "period": "2024", "form": "01-tcd"}
    values.update(extra)
    return services.ExportInput(**values)


def read_sheet(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data)).active


def assert_form_figures(sheet) -> None:
    """Rows 11–13 of form 01/TCD: the total, Huyện Yên Khánh, Huyện Yên Mô (column n is n + 1)."""
    assert [sheet["A11"].value, sheet["B11"].value, sheet["C11"].value] == ["Total", 3, 6]
    assert [sheet["E11"].value, sheet["N11"].value] == [2, 1]
    assert [sheet["A12"].value, sheet["B12"].value, sheet["C12"].value] == ["Huyện Yên Khánh", 2, 4]
    assert [sheet["A13"].value, sheet["B13"].value, sheet["C13"].value] == ["Huyện Yên Mô", 1, 2]


def actions() -> list[str]:
    return list(
        AuditEvent.objects.filter(action__startswith="reports.export")
        .order_by("id")
        .values_list("action", flat=True)
    )


# ---- the size of an export -------------------------------------------------------------------


def test_the_size_is_rows_times_columns_or_figures_times_years(tree):
    from danvan.reports.forms.tcd01 import TT01_2024
    from danvan.reports.periods import period_parse

    form = services.export_estimate(
        kind="form",
        unit=tree.province,
        period=period_parse("2024"),
        frame="as_it_was",
        today=TODAY,
        declaration=TT01_2024,
    )
    assert form == (3 + 2) * 29 == FORM_CELLS
    review = services.export_estimate(
        kind="review",
        unit=tree.province,
        period=period_parse("2013..2022"),
        frame="as_it_was",
        today=TODAY,
        declaration=None,
    )
    assert review == len(REVIEW_CODES) * 11


# ---- at once -----------------------------------------------------------------------------------


def test_a_small_export_answers_with_the_file(client, tree, boss, year_2024, exports_dir):
    client.force_login(boss)
    response = client.post(reverse("reports:export_start"), form_post(tree))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == 'attachment; filename="01-tcd-37-2024.xlsx"'
    assert_form_figures(read_sheet(response.content))
    assert not ExportJob.objects.exists()
    event = AuditEvent.objects.get(action="reports.export")
    assert event.actor == boss and event.unit_ref == tree.province.pk
    assert event.after["cells"] == FORM_CELLS and event.after["format"] == "xlsx"


def test_a_review_at_once_as_csv(client, tree, boss, year_2024, exports_dir):
    client.force_login(boss)
    post = {
        "kind": "review",
        "unit": tree.province.pk,
        "first": "01/01/2024",
        "last": "31/12/2024",
        "format": "csv",
    }
    response = client.post(reverse("reports:export_start"), post)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    visits = [line for line in lines if line[1] == "reception.visits"]
    assert [(line[3], line[4], line[5]) for line in visits] == [("3", "3", ""), ("3", "3", "2024")]
    people = [line for line in lines if line[1] == "reception.people"]
    assert people[0][3] == "6"


def test_the_request_is_checked_field_by_field(client, tree, boss):
    client.force_login(boss)
    url = reverse("reports:export_start")
    bad = client.post(url, form_post(tree, fmt="exe"), HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert bad.json()["code"] == "reports.export_invalid" and "format" in bad.json()["fields"]
    unknown = client.post(url, form_post(tree, form="99-xyz"), HTTP_ACCEPT="application/json")
    assert unknown.status_code == 400 and unknown.json()["code"] == "reports.form_unknown"
    dates = client.post(
        url, {**form_post(tree, period=""), "first": "31-12-2024"}, HTTP_ACCEPT="application/json"
    )
    assert dates.status_code == 400 and "first" in dates.json()["fields"]


def test_a_unit_out_of_reach_is_not_found(client, tree, make_user, year_2024):
    outsider = make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE)
    client.force_login(outsider)
    response = client.post(reverse("reports:export_start"), form_post(tree), HTTP_ACCEPT="application/json")
    assert response.status_code == 404
    assert client.post(reverse("reports:export_start"), form_post(tree)).status_code == 404
    with pytest.raises(NotFound):
        services.export_request(actor=outsider, data=form_input(tree), today=TODAY)


# ---- the hard limit ----------------------------------------------------------------------------


def test_an_export_over_the_limit_is_refused_naming_the_limit(client, settings, tree, boss):
    settings.DANVAN_EXPORT_MAX_CELLS = 100
    client.force_login(boss)
    url = reverse("reports:export_start")
    response = client.post(url, form_post(tree), HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "reports.export_too_large"
    assert response.json()["message"] == (
        "This export would hold 145 figures, more than the limit of 100 figures for one export. "
        "Choose a shorter period or a unit lower in the tree."
    )
    page = client.post(url, form_post(tree))
    assert page.status_code == 413
    assert "more than the limit of 100 figures" in page.content.decode()
    assert not ExportJob.objects.exists()


def test_the_limit_is_written_as_people_write_numbers(settings, tree, boss):
    settings.DANVAN_EXPORT_MAX_CELLS = 1000
    cells = len(REVIEW_CODES) * 101  # a review over a hundred years, and the whole period
    review = services.ExportInput(kind="review", fmt="pdf", unit_id=tree.province.pk, period="2000..2099")
    with translation.override("vi"), pytest.raises(DomainError) as refused:
        services.export_request(actor=boss, data=review, today=TODAY)
    assert refused.value.code == "reports.export_too_large"
    assert refused.value.params == {"cells": f"{cells:,}".replace(",", "."), "limit": "1.000"}


# ---- in the background, run where it is queued ---------------------------------------------------


def test_a_large_export_becomes_a_job_that_ends_with_its_file(client, tree, boss, year_2024, background):
    client.force_login(boss)
    response = client.post(reverse("reports:export_start"), form_post(tree))
    job = ExportJob.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("reports:export_status", args=[job.pk])
    assert (job.status, job.progress, job.user, job.cells) == (ExportStatus.DONE, 100, boss, FORM_CELLS)
    assert job.language == "en" and job.file_name == "01-tcd-37-2024.xlsx"
    assert job.expires_at == job.finished_at + timedelta(hours=24)
    assert job.task_id

    page = client.get(response["Location"])
    assert page.status_code == 200
    download = reverse("reports:export_download", args=[job.pk])
    assert download in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()  # finished: no more polling

    file = client.get(download)
    assert file.status_code == 200
    assert file["Content-Disposition"] == 'attachment; filename="01-tcd-37-2024.xlsx"'
    assert_form_figures(read_sheet(b"".join(file.streaming_content)))
    assert [p.name for p in background.iterdir()] == [f"{job.pk}.xlsx"]  # nothing half-written left
    assert actions() == [
        "reports.export_queued",
        "reports.export_running",
        "reports.export_done",
    ]


def test_progress_goes_from_computed_to_written_while_the_file_is_made(
    monkeypatch, tree, boss, year_2024, background
):
    seen: list[tuple[str, int]] = []

    def writer(report, out, *, document, progress=None):
        for done in (1, 2, 3, 4):
            progress(done, 4)
            job = ExportJob.objects.get()
            seen.append((job.status, job.progress))
        out.write(b"x")

    monkeypatch.setitem(exports.RENDERERS, ("form", "csv"), writer)
    job = services.export_request(actor=boss, data=form_input(tree, "csv"), today=TODAY).job
    # 40 % once the figures are computed, then the writing up to 95 %, 100 % when done.
    assert seen == [("running", 53), ("running", 67), ("running", 81), ("running", 95)]
    assert (job.status, job.progress, job.size) == (ExportStatus.DONE, 100, 1)


def test_a_failed_job_shows_its_error_and_offers_nothing(
    client, monkeypatch, tree, boss, year_2024, background
):
    def broken(report, out, *, document, progress=None):
        out.write(b"half of a file")
        raise RuntimeError("disk full")

    monkeypatch.setitem(exports.RENDERERS, ("form", "pdf"), broken)
    client.force_login(boss)
    response = client.post(reverse("reports:export_start"), form_post(tree, "pdf"))
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.FAILED
    assert job.error == "An unexpected error: disk full"
    assert not job.file_path and list(background.iterdir()) == []  # the partial file is gone

    page = client.get(response["Location"])
    assert "The export failed." in page.content.decode() and "disk full" in page.content.decode()
    refused = client.get(reverse("reports:export_download", args=[job.pk]), HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "reports.export_failed"
    assert actions()[-1] == "reports.export_failed"


def test_a_job_whose_user_lost_the_unit_fails_as_not_found(tree, boss, year_2024, background, settings):
    settings.TASKS = DATABASE
    job = services.export_request(actor=boss, data=form_input(tree), today=TODAY).job
    assert job.status == ExportStatus.QUEUED
    RoleAssignment.objects.filter(user=boss).delete()
    done = services.export_job_run(job_id=str(job.pk))
    assert (done.status, done.error_code) == (ExportStatus.FAILED, "not_found")
    assert services.export_job_run(job_id=str(job.pk)) is None  # only a waiting job is run


def test_htmx_gets_a_fragment_that_polls_until_the_end(client, tree, boss, year_2024, background, settings):
    settings.TASKS = DATABASE
    client.force_login(boss)
    response = client.post(reverse("reports:export_start"), form_post(tree), HTTP_HX_REQUEST="true")
    job = ExportJob.objects.get()
    assert response.status_code == 202
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body and reverse("reports:export_status", args=[job.pk]) in body
    assert "<progress" in body and 'value="0"' in body
    services.export_job_run(job_id=str(job.pk))
    done = client.get(
        reverse("reports:export_status", args=[job.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "hx-get" not in done and reverse("reports:export_download", args=[job.pk]) in done
    assert "<html" not in done  # the fragment alone


# ---- the queued path: a worker runs it -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_is_run_by_the_worker(client, tree, boss, year_2024, settings, exports_dir):
    settings.DANVAN_EXPORT_BACKGROUND_CELLS = 100
    settings.TASKS = DATABASE
    client.force_login(boss)
    asked = client.post(
        reverse("reports:export_start"), form_post(tree, "docx"), HTTP_ACCEPT="application/json"
    )
    assert asked.status_code == 202
    body = asked.json()
    assert (body["status"], body["progress"], body["download_url"]) == ("queued", 0, None)
    assert asked["Location"] == body["status_url"]
    waiting = client.get(body["status_url"], HTTP_ACCEPT="application/json").json()
    assert waiting["status"] == "queued"
    early = client.get(reverse("reports:export_download", args=[body["id"]]), HTTP_ACCEPT="application/json")
    assert early.status_code == 400 and early.json()["code"] == "reports.export_not_ready"

    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)

    finished = client.get(body["status_url"], HTTP_ACCEPT="application/json").json()
    assert (finished["status"], finished["progress"]) == ("done", 100)
    file = client.get(finished["download_url"])
    assert file.status_code == 200
    from docx import Document

    doc = Document(io.BytesIO(b"".join(file.streaming_content)))
    table = doc.tables[1]
    assert [table.cell(5, c).text for c in (0, 1, 2)] == ["Total", "3", "6"]
    assert doc.tables[0].rows[0].cells[1].paragraphs[0].text == "SOCIALIST REPUBLIC OF VIET NAM"
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get(id=ExportJob.objects.get().task_id).status == "SUCCESSFUL"


# ---- whose job it is ----------------------------------------------------------------------------


def test_a_job_is_its_owners_alone(client, tree, boss, make_user, year_2024, background):
    job = services.export_request(actor=boss, data=form_input(tree), today=TODAY).job
    colleague = make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="colleague")
    client.force_login(colleague)
    for name in ("reports:export_status", "reports:export_download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
        assert client.get(reverse(name, args=[job.pk]), HTTP_ACCEPT="application/json").status_code == 404
    assert client.get(reverse("reports:export_status", args=["not-a-job"])).status_code == 404
    with pytest.raises(NotFound):
        services.export_job_get_for(colleague, str(job.pk))
    client.force_login(boss)
    assert client.get(reverse("reports:export_status", args=[job.pk])).status_code == 200


# ---- expiry --------------------------------------------------------------------------------------


def test_finished_files_are_deleted_after_the_retention(client, tree, boss, year_2024, background):
    job = services.export_request(actor=boss, data=form_input(tree, "csv"), today=TODAY).job
    path = background / job.file_path
    assert path.is_file()
    assert services.export_purge(now=job.expires_at - timedelta(minutes=1)) == 0
    assert services.export_purge(now=job.expires_at + timedelta(minutes=1)) == 1
    job.refresh_from_db()
    assert (job.status, job.file_path) == (ExportStatus.EXPIRED, "")
    assert not path.exists()
    client.force_login(boss)
    assert client.get(reverse("reports:export_download", args=[job.pk])).status_code == 410
    assert actions()[-1] == "reports.export_expired"


def test_the_next_request_purges_and_fails_jobs_left_waiting(tree, boss, year_2024, background, settings):
    settings.TASKS = DATABASE
    old = services.export_request(
        actor=boss, data=form_input(tree), today=TODAY, now=timezone.now() - timedelta(hours=30)
    ).job
    settings.DANVAN_EXPORT_BACKGROUND_CELLS = 1000
    services.export_request(actor=boss, data=form_input(tree, "csv"), today=TODAY)  # at once
    old.refresh_from_db()
    assert (old.status, old.error_code) == (ExportStatus.FAILED, "reports.export_interrupted")
    assert old.error == "The export did not finish in time. Ask for it again."


def test_files_live_under_the_var_directory(tree, boss, year_2024, background):
    job = services.export_request(actor=boss, data=form_input(tree, "pdf"), today=TODAY).job
    assert services.exports_dir() == Path(background)
    assert (background / f"{job.pk}.pdf").read_bytes().startswith(b"%PDF")


def test_a_temporary_file_left_by_a_stopped_worker_is_removed(tree, boss, background):
    background.mkdir(parents=True)
    left = background / ".0d9f-abc.part"
    left.write_bytes(b"half")
    kept = background / ".recent.part"
    kept.write_bytes(b"being written")
    old = (timezone.now() - timedelta(hours=25)).timestamp()
    os.utime(left, (old, old))
    services.export_purge()
    assert not left.exists() and kept.exists()
