"""Attachments are checked by content and size: PDF, PNG, JPEG and DOCX only, and a file whose bytes
disagree with its name is refused. At intake a bad file is named by its position and nothing is written."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import override_settings

from danvan.core.errors import DomainError
from danvan.core.uploads import DOCX, check_upload
from danvan.petitions import services
from danvan.petitions.models import Attachment, Case, Counter, Event, Petition, Petitioner

from .conftest import TODAY, intake_input

# The smallest valid PNG: one transparent pixel (67 bytes).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000"
    "0500010d0a2db40000000049454e44ae426082"
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            'main"><w:body><w:p><w:r><w:t>Biên bản</w:t></w:r></w:p></w:body></w:document>',
        )
    return buffer.getvalue()


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "không phải tài liệu Word")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Đơn khiếu nại.pdf", PDF, "application/pdf"),
        ("ảnh.PNG", PNG, "image/png"),
        ("ảnh.jpg", JPEG, "image/jpeg"),
        ("ảnh.jpeg", JPEG, "image/jpeg"),
        ("biên bản.docx", None, DOCX),
    ],
)
def test_accepted_types(name, data, content_type):
    data = data if data is not None else docx_bytes()
    checked = check_upload(name, data)
    assert checked.content_type == content_type
    assert checked.data == data
    assert checked.name == name


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("đơn.pdf", PNG, "attachment_mismatch"),  # a PNG named .pdf
        ("ảnh.png", PDF, "attachment_mismatch"),
        ("ảnh.jpg", PNG, "attachment_mismatch"),
        ("biên bản.docx", None, "attachment_mismatch"),  # a zip without word/document.xml
        ("biên bản.docx", PDF, "attachment_mismatch"),
        ("văn bản.pdf", b"just some text, not a PDF", "attachment_mismatch"),
        ("setup.exe", b"MZ\x90\x00" + b"\x00" * 60, "attachment_type"),
        ("ảnh.png.exe", PNG, "attachment_type"),
        ("no-extension", PDF, "attachment_type"),
        ("trống.pdf", b"", "attachment_empty"),
    ],
)
def test_refused_files(name, data, code):
    data = data if data is not None else zip_bytes()
    with pytest.raises(DomainError) as caught:
        check_upload(name, data, field="file")
    assert caught.value.code == code
    assert set(caught.value.fields) == {"file"}
    assert name in caught.value.message


@override_settings(DANVAN_ATTACHMENT_MAX_MB=1)
def test_too_large_is_refused_and_the_limit_is_inclusive():
    exactly = PDF + b"0" * (1024 * 1024 - len(PDF))
    assert check_upload("lớn.pdf", exactly).content_type == "application/pdf"
    with pytest.raises(DomainError) as caught:
        check_upload("lớn.pdf", exactly + b"0")
    assert caught.value.code == "attachment_too_large"
    assert "1 MB" in caught.value.message


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Petition, Case, Petitioner, Attachment, Event, Counter)
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_intake_stores_valid_files_in_clear_for_a_complaint(office, media):
    files = [services.FileInput("đơn.pdf", PDF), services.FileInput("ảnh.png", PNG)]
    result = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, files=files), today=TODAY
    )
    petition = result.petitions[0]
    stored = list(petition.attachments.order_by("pk"))
    assert [a.original_name for a in stored] == ["đơn.pdf", "ảnh.png"]
    assert [a.content_type for a in stored] == ["application/pdf", "image/png"]
    assert [a.encrypted for a in stored] == [False, False]
    with stored[1].file.open("rb") as handle:
        assert handle.read() == PNG
    assert stored[1].size == len(PNG)
    # The stored name is random: the citizen's file name never becomes a path.
    assert "ảnh" not in stored[1].file.name


@pytest.mark.parametrize(
    ("files", "field"),
    [
        ([("đơn.pdf", PNG)], "files.0"),
        ([("đơn.pdf", PDF), ("virus.exe", b"MZ" + b"\x00" * 100)], "files.1"),
    ],
)
def test_intake_names_the_bad_file_and_writes_nothing(office, media, files, field):
    before = _counts()
    data = intake_input(office.agency, files=[services.FileInput(n, d) for n, d in files])
    with pytest.raises(DomainError) as caught:
        services.petition_intake(actor=office.clerk, data=data, today=TODAY)
    assert caught.value.code == "petition_invalid"
    assert list(caught.value.fields) == [field]
    assert _counts() == before
    assert not [path for path in media.rglob("*") if path.is_file()]


@override_settings(DANVAN_ATTACHMENT_MAX_MB=1)
def test_intake_refuses_a_file_too_large(office, media):
    data = intake_input(office.agency, files=[services.FileInput("lớn.pdf", PDF + b"0" * (1024 * 1024))])
    with pytest.raises(DomainError) as caught:
        services.petition_intake(actor=office.clerk, data=data, today=TODAY)
    assert list(caught.value.fields) == ["files.0"]
    assert not Petition.objects.exists()


def test_a_failed_intake_leaves_no_file_on_disk(office, media, monkeypatch):
    """The files are written before the transaction commits: a failure after them removes them."""

    def fail(**kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr("danvan.petitions.services.audit.record", fail)
    data = intake_input(office.agency, files=[services.FileInput("đơn.pdf", PDF)])
    with pytest.raises(RuntimeError):
        services.petition_intake(actor=office.clerk, data=data, today=TODAY)
    assert not Petition.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]
