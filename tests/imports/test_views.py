"""Import pages: the list of batches (with templates and the export), the upload (a bad file is
told on the form, never a 500), a batch's preview with its problems by row and column, the column
mapping, the commit and the roll-back with its confirmation; both languages, scoping (a batch of
another province is not found) and a number of queries that does not grow with the batches.

Records are documents issued (outreach): a unit, a number, a date, a type and a title."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from danvan.core.models import AuditEvent, ImportBatch, ImportBatchStatus
from danvan.imports.models import ColumnMapping
from danvan.imports.views import mapping_headers
from danvan.outreach.models import IssuedDocument
from danvan.units import services as unit_services
from danvan.units.models import Role, RoleScope, Unit
from tests.web.conftest import WebTree, build_tree, create_user

pytestmark = pytest.mark.django_db

HEADER = "Issuing unit,Document number,Date issued,Type of document,Title of the document\n"
GOOD = (
    HEADER
    + "37,15-KH/TU,12/05/2014,plan,Kế hoạch thực hiện Nghị quyết 25\n37,16-KH/TU,13/05/2014,plan,Kế hoạch B\n"
)
BAD = (
    HEADER
    + "37,15-KH/TU,12/05/2014,plan,Kế hoạch thực hiện Nghị quyết 25\n37,16-KH/TU,32/13/2014,plan,Kế hoạch B\n"
)
ODD_HEADER = (
    "Issuing unit,Cột thứ hai,Date issued,Type of document,Title of the document\n"
    "37,15-KH/TU,12/05/2014,plan,KH\n"
)


@dataclass
class Imports:
    tree: WebTree
    other: Unit
    recorder: object
    outsider: object
    clerk: object
    auditor: object


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def imp(db) -> Imports:
    web_tree = build_tree()
    other = unit_services.unit_create(
        actor=web_tree.admin,
        code="01",
        name="Thành phố Hà Nội",
        kind="central_city",
        parent_id=web_tree.country.pk,
        valid_from=web_tree.province.valid_from,
    )
    return Imports(
        tree=web_tree,
        other=other,
        recorder=create_user("recorder", Role.COMMITTEE_MEMBER, web_tree.province, RoleScope.SUBTREE),
        outsider=create_user("outsider", Role.COMMITTEE_MEMBER, other, RoleScope.SUBTREE),
        clerk=create_user("clerk", Role.CLERK, web_tree.province, RoleScope.SUBTREE),
        auditor=create_user("auditor", Role.AUDITOR, web_tree.province, RoleScope.SUBTREE),
    )


def csv_file(text: str, name: str = "van-ban.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def upload(client, text: str, name: str = "van-ban.csv", **fields):
    data = {"file": csv_file(text, name), "record_type": "documents_issued", **fields}
    return client.post(reverse("imports:new"), data)


def uploaded(client, text: str, **fields) -> ImportBatch:
    response = upload(client, text, **fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    return ImportBatch.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_pages_render_in_both_languages(client, imp, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(imp.recorder)
    batch = uploaded(client, BAD)
    for url in (
        reverse("imports:index"),
        reverse("imports:new"),
        reverse("imports:batch", args=[batch.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}"' in response.content.decode()
    body = client.get(reverse("imports:index")).content.decode()
    assert 'data-nav="imports"' in body
    # The shell's language switch names the other language (a page's context must not shadow its list).
    assert 'lang="en">English</button>' in body or 'lang="vi">Tiếng Việt</button>' in body
    assert f'data-batch="{batch.pk}"' in body
    assert 'data-type="documents_issued"' in body and "data-export-form" in body
    assert "data-import-new" in body


def test_the_navigation_offers_import_only_to_those_who_may_import(client, imp):
    client.force_login(imp.auditor)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-nav="imports"' not in body
    assert client.get(reverse("imports:new")).status_code == 403
    index = client.get(reverse("imports:index")).content.decode()
    assert "data-import-new" not in index


def test_a_bad_row_is_shown_with_its_row_and_column_and_cannot_be_committed(client, imp):
    english(client).force_login(imp.recorder)
    batch = uploaded(client, BAD)
    assert batch.status == ImportBatchStatus.PREVIEWED
    assert (batch.rows, batch.to_create, batch.error_count) == (2, 1, 1)
    body = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-problem-row="3" data-problem-column="C"' in body
    assert "data-commit-blocked" in body
    assert "data-commit-form" not in body
    response = client.post(
        reverse("imports:batch", args=[batch.pk]), {"step": "commit", "version": batch.version}
    )
    assert response.status_code == 400
    assert "data-error-summary" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_told_on_the_form(client, imp):
    english(client).force_login(imp.recorder)
    for name, data in (
        ("empty.csv", b""),
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200),
        ("broken.xls", b"\xd0\xcf\x11\xe0" + b"\x01" * 300),
        ("table.ods", b"PK\x03\x04 not really a zip"),
    ):
        response = client.post(
            reverse("imports:new"),
            {"file": SimpleUploadedFile(name, data), "record_type": "documents_issued"},
        )
        assert response.status_code == 400, name
        body = response.content.decode()
        assert "data-error-summary" in body, name
        assert 'id="id_file_error"' in body, name
    assert not ImportBatch.objects.exists()


READER_FILES = sorted((Path(__file__).parents[1] / "data" / "imports" / "readers").glob("*.*[!y]"))


@pytest.mark.parametrize("path", READER_FILES, ids=lambda path: path.name)
def test_no_file_of_the_readers_makes_a_500(client, imp, path):
    client.force_login(imp.recorder)
    response = client.post(
        reverse("imports:new"),
        {"file": SimpleUploadedFile(path.name, path.read_bytes()), "record_type": "documents_issued"},
    )
    assert response.status_code in (302, 400), path.name


def test_no_file_and_an_unknown_type_are_refused_on_their_fields(client, imp):
    english(client).force_login(imp.recorder)
    response = client.post(reverse("imports:new"), {"record_type": "documents_issued"})
    assert response.status_code == 400
    assert 'id="id_file_error"' in response.content.decode()
    response = upload(client, GOOD, record_type="nonsense")
    assert response.status_code == 400
    assert 'id="id_record_type_error"' in response.content.decode()


def test_a_type_the_user_may_not_import_is_refused_on_the_type(client, imp):
    english(client).force_login(imp.clerk)  # imports petitions, not documents issued
    response = upload(client, GOOD)
    assert response.status_code == 400
    assert 'id="id_record_type_error"' in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_commit_creates_the_records_then_roll_back_after_confirmation_removes_them(client, imp):
    english(client).force_login(imp.recorder)
    batch = uploaded(client, GOOD)
    body = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "data-commit-form" in body
    assert 'data-samples="new"' in body and 'data-samples-title="to-create"' in body
    response = client.post(
        reverse("imports:batch", args=[batch.pk]), {"step": "commit", "version": batch.version}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.COMMITTED and batch.created == 2
    body = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-samples-title="created"' in body and 'data-samples-title="to-create"' not in body
    assert set(IssuedDocument.objects.values_list("number", "import_batch")) == {
        ("15-KH/TU", batch.pk),
        ("16-KH/TU", batch.pk),
    }
    body = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "data-rollback" in body

    # The same file again: every row matches, and the earlier import is named.
    again = uploaded(client, GOOD)
    assert (again.to_create, again.matched) == (0, 2)
    body = client.get(reverse("imports:batch", args=[again.pk])).content.decode()
    assert f'data-earlier="{batch.pk}"' in body
    assert "data-nothing-new" in body

    # Roll-back: a confirmation page first; a stale version is refused; then the records go.
    confirm = client.get(reverse("imports:rollback", args=[batch.pk]))
    assert confirm.status_code == 200 and "data-rollback-confirm" in confirm.content.decode()
    stale = client.post(reverse("imports:rollback", args=[batch.pk]), {"version": batch.version - 1})
    assert stale.status_code == 409
    assert IssuedDocument.objects.count() == 2
    response = client.post(reverse("imports:rollback", args=[batch.pk]), {"version": batch.version})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportBatchStatus.ROLLED_BACK
    assert not IssuedDocument.objects.exists()


def test_a_stale_commit_is_refused_with_a_message(client, imp):
    english(client).force_login(imp.recorder)
    batch = uploaded(client, GOOD)
    response = client.post(
        reverse("imports:batch", args=[batch.pk]), {"step": "commit", "version": batch.version + 3}
    )
    assert response.status_code == 409
    assert "data-error-summary" in response.content.decode()
    assert not IssuedDocument.objects.exists()


def test_an_unknown_header_is_mapped_and_the_mapping_kept(client, imp):
    english(client).force_login(imp.recorder)
    batch = uploaded(client, ODD_HEADER)
    assert batch.report["unknown"] == ["Cột thứ hai"]
    body = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert "data-mapping-form" in body
    headers = [header for _letter, header, _field in mapping_headers(batch)]
    data = {"step": "remap", "version": batch.version, "save_as": "Sổ văn bản cũ"}
    for index, header in enumerate(headers):
        data[f"col_{index}"] = {
            "Issuing unit": "unit",
            "Cột thứ hai": "number",
            "Date issued": "issued_on",
            "Type of document": "doc_type",
            "Title of the document": "title",
        }[header]
    response = client.post(reverse("imports:batch", args=[batch.pk]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.error_count, batch.to_create, batch.mapping_name) == (0, 1, "Sổ văn bản cũ")
    assert ColumnMapping.objects.filter(name="Sổ văn bản cũ", record_type="documents_issued").exists()
    # The next file of the same shape maps by itself.
    assert uploaded(client, ODD_HEADER).error_count == 0


def test_a_batch_of_another_province_is_not_found(client, imp):
    client.force_login(imp.recorder)
    batch = uploaded(client, GOOD)
    client.force_login(imp.outsider)
    for name in ("imports:batch", "imports:rollback", "imports:batch_file"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404, name
    response = client.post(reverse("imports:batch", args=[batch.pk]), {"step": "commit", "version": 0})
    assert response.status_code == 404
    assert f'data-batch="{batch.pk}"' not in client.get(reverse("imports:index")).content.decode()


def test_the_original_file_is_kept_sealed_and_downloads_to_its_uploader_alone(client, imp):
    client.force_login(imp.recorder)
    batch = uploaded(client, GOOD)
    with batch.file.open("rb") as stored:
        kept = stored.read()
    assert GOOD.encode()[:40] not in kept  # a register may name denouncers: never kept in clear
    response = client.get(reverse("imports:batch_file", args=[batch.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == GOOD.encode()
    assert "van-ban.csv" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="import.file_download", record_id=str(batch.pk)).count() == 1
    # A colleague who sees the batch (made for the province) does not get the file.
    batch.unit_ref, batch.unit_path = imp.tree.province.pk, imp.tree.province.path
    batch.save(update_fields=["unit_ref", "unit_path"])
    colleague = create_user("colleague", Role.COMMITTEE_MEMBER, imp.tree.province, RoleScope.SUBTREE)
    client.force_login(colleague)
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 200
    assert "data-original" not in client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert client.get(reverse("imports:batch_file", args=[batch.pk])).status_code == 404


def test_the_template_downloads_in_both_languages(client, imp):
    client.force_login(imp.recorder)
    for language, header in (("vi", "Số văn bản"), ("en", "Document number")):
        response = client.get(reverse("imports:template"), {"type": "documents_issued", "lang": language})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        assert "Document number" in headers if language == "en" else "Document number" not in headers
        assert any(header.lower() in str(h).lower() for h in headers) or language == "vi"
    assert client.get(reverse("imports:template"), {"type": "nonsense"}).status_code == 404


def test_the_export_gives_the_records_of_the_unit_and_refuses_a_bad_period(client, imp):
    english(client).force_login(imp.recorder)
    batch = uploaded(client, GOOD)
    client.post(reverse("imports:batch", args=[batch.pk]), {"step": "commit", "version": batch.version})
    query = {
        "type": "documents_issued",
        "unit": imp.tree.province.pk,
        "first": "01/01/2014",
        "last": "31/12/2014",
        "format": "csv",
    }
    response = client.get(reverse("imports:export"), query)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "15-KH/TU" in text and "16-KH/TU" in text
    bad = client.get(reverse("imports:export"), {**query, "first": "31/12/2014", "last": "01/01/2014"})
    assert bad.status_code == 400
    assert "data-error-summary" in bad.content.decode()
    # A unit outside the user's scope is not offered, so not accepted.
    other = client.get(reverse("imports:export"), {**query, "unit": imp.other.pk})
    assert other.status_code == 400


def test_the_list_has_a_bounded_number_of_queries(client, imp, django_assert_max_num_queries):
    client.force_login(imp.recorder)
    uploaded(client, GOOD)
    client.get(reverse("imports:index"))
    with django_assert_max_num_queries(100) as few:
        assert client.get(reverse("imports:index")).status_code == 200
    bound = len(few)  # read now: each request empties the connection's log of queries
    for _n in range(6):
        uploaded(client, BAD)
    with django_assert_max_num_queries(bound):
        assert client.get(reverse("imports:index")).status_code == 200
    batch = ImportBatch.objects.first()
    with django_assert_max_num_queries(bound + 5):
        assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 200


def test_anonymous_users_are_asked_to_sign_in(client, imp):
    for name in ("imports:index", "imports:new"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "/sign-in/" in response["Location"]
