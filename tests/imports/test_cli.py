"""`danvan import` and `danvan export`: the preview's report with every problem by row and column,
a non-zero exit when anything is wrong (nothing imported then), a dry run that keeps nothing, an
import in one pass that says its batch; an export written to a file named after what it holds,
and bad input refused with no file written."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from danvan.core.models import ImportBatch, ImportBatchStatus
from danvan.outreach.models import IssuedDocument
from tests.imports import test_views
from tests.imports.test_views import BAD, GOOD, Imports

pytestmark = pytest.mark.django_db
# The fixtures of the page tests: the tree, the users, the media directory.
imp = test_views.imp
media = test_views.media


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "van-ban.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "van-ban-loi.csv"
    bad.write_text(BAD, encoding="utf-8")
    return good, bad


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_failing(*args) -> tuple[str, str]:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=out)
    assert refused.value.returncode == 1
    return out.getvalue(), str(refused.value)


def test_dry_run_reports_and_keeps_nothing(imp: Imports, files):
    good, _bad = files
    output = run(
        "import", str(good), "--type", "documents_issued", "--dry-run", "--lang", "en", "--user", "recorder"
    )
    assert "Rows: 2; to create: 2; matching existing records: 0; problems: 0" in output
    assert "B  Document number → Document number" in output
    assert "Dry run: nothing was imported." in output
    assert not ImportBatch.objects.exists()
    assert not IssuedDocument.objects.exists()


def test_a_bad_file_prints_every_problem_and_exits_non_zero(imp: Imports, files):
    _good, bad = files
    output, reason = run_failing("import", str(bad), "--dry-run", "--lang", "en", "--user", "recorder")
    assert "Row 3, column C (Date issued): " in output
    assert "problems: 1" in output
    assert "1 problem" in reason
    assert not ImportBatch.objects.exists()

    output, _reason = run_failing("import", str(bad), "--lang", "en", "--user", "recorder")
    assert "Row 3, column C (Date issued): " in output
    assert not IssuedDocument.objects.exists()
    assert ImportBatch.objects.get().status == ImportBatchStatus.PREVIEWED


def test_import_in_one_pass_then_again_creates_nothing(imp: Imports, files):
    good, _bad = files
    output = run("import", str(good), "--lang", "en", "--user", "recorder", "--unit", "37")
    batch = ImportBatch.objects.get()
    assert f"Imported as batch #{batch.pk}: 2 records created, 0 already there." in output
    assert batch.status == ImportBatchStatus.COMMITTED and batch.unit_ref == imp.tree.province.pk
    assert IssuedDocument.objects.filter(import_batch=batch).count() == 2
    output = run("import", str(good), "--lang", "en", "--user", "recorder")
    assert "0 records created, 2 already there." in output
    assert IssuedDocument.objects.count() == 2


def test_refusals_exit_non_zero(imp: Imports, files, tmp_path):
    good, _bad = files
    _out, reason = run_failing("import", str(tmp_path / "missing.csv"), "--user", "recorder")
    assert "no such file" in reason
    _out, reason = run_failing("import", str(good), "--user", "nobody")
    assert "nobody" in reason
    _out, reason = run_failing(
        "import", str(good), "--type", "nonsense", "--lang", "en", "--user", "recorder"
    )
    assert "nonsense" in reason
    _out, reason = run_failing("import", str(good), "--unit", "01", "--user", "recorder")
    assert "--unit" in reason
    # The operator reads every unit but records nothing: it is told to name an account.
    _out, reason = run_failing("import", str(good), "--type", "documents_issued", "--lang", "en")
    assert "--user" in reason
    assert not IssuedDocument.objects.exists()


def test_export_writes_a_file_named_after_what_it_holds(imp: Imports, files, tmp_path, monkeypatch):
    good, _bad = files
    run("import", str(good), "--user", "recorder")
    monkeypatch.chdir(tmp_path)
    arguments = ["export", "documents_issued", "--unit", "37", "--from", "2014-01-01", "--to", "31/12/2014"]
    output = run(*arguments, "--format", "csv", "--user", "recorder", "--lang", "en")
    written = tmp_path / "documents-issued-37-2014-01-01-2014-12-31.csv"
    assert f"{written.name} (2 records)" in output
    text = written.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Issuing unit,Document number")
    assert "15-KH/TU" in text and "16-KH/TU" in text
    target = tmp_path / "out.xlsx"
    run(*arguments, "--output", str(target), "--user", "recorder")
    assert target.read_bytes()[:2] == b"PK"


def test_export_refuses_bad_input_and_writes_nothing(imp: Imports, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = ["--unit", "37", "--from", "2014-01-01", "--to", "2014-12-31", "--user", "recorder"]
    for args, expected in (
        (["export", "nonsense", *base], "nonsense"),
        (["export", "documents_issued", *base[:3], "2014-13-45", *base[4:]], "--from"),
        (
            ["export", "documents_issued", "--unit", "37", "--from", "2015-01-01", "--to", "2014-01-01"],
            "--to",
        ),
        (["export", "documents_issued", "--unit", "01", *base[2:]], "--unit"),
        (["export", "documents_issued", *base, "--output", str(tmp_path / "nowhere" / "x.csv")], "directory"),
    ):
        _out, reason = run_failing(*args)
        assert expected in reason, (args, reason)
    assert list(tmp_path.iterdir()) == []


def test_export_without_user_is_the_operators_over_every_unit(imp: Imports, files, tmp_path, monkeypatch):
    good, _bad = files
    run("import", str(good), "--user", "recorder")
    monkeypatch.chdir(tmp_path)
    output = run("export", "documents_issued", "--unit", "37", "--from", "2014-01-01", "--to", "2014-12-31")
    assert "(2 records)" in output
