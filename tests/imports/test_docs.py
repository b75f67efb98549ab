"""`docs/import.md` is generated from the record types' declarations and must not drift from them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from danvan.core.records import registry
from danvan.imports.management.commands.import_docs import DEFAULT_OUTPUT
from danvan.imports.workbooks import import_formats_markdown


def test_the_committed_document_matches_the_declarations():
    """If this fails, run `danvan import_docs` and commit docs/import.md."""
    out = StringIO()
    call_command("import_docs", "--check", stdout=out)
    assert "is up to date" in out.getvalue()


def test_check_fails_when_the_document_differs_and_writing_fixes_it(tmp_path):
    path = tmp_path / "import.md"
    path.write_text(DEFAULT_OUTPUT.read_text(encoding="utf-8") + "\nedited by hand\n", encoding="utf-8")
    with pytest.raises(CommandError, match="differs from the record types' declarations") as raised:
        call_command("import_docs", "--check", "--output", str(path), stdout=StringIO())
    assert raised.value.returncode == 1
    out = StringIO()
    call_command("import_docs", "--output", str(path), stdout=out)
    assert "Wrote" in out.getvalue()
    call_command("import_docs", "--check", "--output", str(path), stdout=StringIO())
    assert path.read_text(encoding="utf-8") == import_formats_markdown()


def test_check_fails_when_the_document_is_missing(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_docs", "--check", "--output", str(tmp_path / "none.md"), stdout=StringIO())


def test_the_document_describes_every_record_type_and_column_in_both_languages():
    text = import_formats_markdown()
    assert text.index("## English") < text.index("## Tiếng Việt") < text.index("## Record types")
    for phrase in (
        "UTF-8",
        "TCVN3",
        "05/03/2016",
        "ngày 5 tháng 3 năm 2016",
        "danvan import",
        "/api/v1/imports/",
    ):
        assert phrase in text
    for phrase in ("Hoàn tác", "Nhập lại không tạo trùng", "Số liệu tổng hợp theo kỳ"):
        assert phrase in text
    assert registry(), "no record type is declared"
    for record_type in registry().values():
        section = text.split(f"(`{record_type.code}`)", 1)[1].split("\n### ", 1)[0]
        for column in record_type.columns:
            assert f"| `{column.key}` |" in section, (record_type.code, column.key)
            for language in ("vi", "en"):
                with translation.override(language):
                    assert " ".join(str(column.label).split()) in section
            for code in column.choices:
                assert f"`{code}`" in section, (record_type.code, column.key, code)


def test_the_document_does_not_depend_on_the_active_language():
    with translation.override("en"):
        english = import_formats_markdown()
    with translation.override("vi"):
        vietnamese = import_formats_markdown()
    assert english == vietnamese
