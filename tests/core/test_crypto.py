"""Sealed personal data: round trips, key rotation, blind indexes, settings that fail closed."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import override_settings
from django.utils import translation

from danvan.core import crypto
from danvan.core.management.commands import rotate_field_keys
from danvan.core.management.commands.rotate_field_keys import Counts, rotate_file

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
INDEX_KEY = Fernet.generate_key().decode()
NAME = "Nguyễn Văn A"


def keys(*field_keys: str, index: str = INDEX_KEY):
    return override_settings(DANVAN_FIELD_KEYS=list(field_keys), DANVAN_INDEX_KEY=index)


# Round trips


@pytest.mark.parametrize(
    "value",
    [
        NAME,
        "Số 12, đường Lê Lợi, phường Đông Hương, tỉnh Thanh Hóa",
        {"name": NAME, "id_number": "038090001234", "phone": "0912 345 678", "nested": [1, None, True]},
        ["một", "hai"],
        "",
    ],
)
def test_seal_round_trips(value):
    token = crypto.seal(value)
    assert isinstance(token, str)
    assert crypto.unseal(token) == value


def test_a_token_does_not_contain_the_plaintext():
    token = crypto.seal({"name": NAME, "id_number": "038090001234"})
    for fragment in ("Nguy", "038090001234", "name", "id_number"):
        assert fragment not in token


def test_sealing_the_same_value_twice_gives_different_tokens():
    assert crypto.seal(NAME) != crypto.seal(NAME)
    assert crypto.seal_bytes(b"same") != crypto.seal_bytes(b"same")


def test_bytes_round_trip_and_hide_the_content():
    content = "Chữ viết tay của người tố cáo".encode() * 100 + bytes(range(256))
    token = crypto.seal_bytes(content)
    assert isinstance(token, bytes)
    assert content[:20] not in token
    assert crypto.unseal_bytes(token) == content


def test_a_file_is_sealed_piece_by_piece_and_comes_back_whole(monkeypatch):
    from io import BytesIO

    monkeypatch.setattr(crypto, "FILE_PIECE", 1000)  # several pieces
    data = "Người tố cáo: Nguyễn Văn An, thôn Đông\n".encode() * 200
    sealed = BytesIO()
    crypto.seal_file(BytesIO(data), sealed)
    assert "Nguyễn Văn An".encode() not in sealed.getvalue()
    back = BytesIO()
    crypto.unseal_file(BytesIO(sealed.getvalue()), back)
    assert back.getvalue() == data
    with pytest.raises(crypto.SealError):
        crypto.unseal_file(BytesIO(sealed.getvalue()[:-10]), BytesIO())  # cut short


def test_the_settings_the_tests_run_with_give_working_keys(settings):
    assert settings.DEMO
    assert len(settings.DANVAN_FIELD_KEYS) >= 1
    assert crypto.unseal(crypto.seal(NAME)) == NAME


# Rotation


def test_rotation_prepends_a_key_rotates_tokens_and_lets_the_old_key_go():
    with keys(KEY_A):
        token = crypto.seal(NAME)
        file_token = crypto.seal_bytes(b"scan")
        assert crypto.is_current(token)
    with keys(KEY_B, KEY_A):
        assert crypto.unseal(token) == NAME
        assert crypto.unseal_bytes(file_token) == b"scan"
        assert not crypto.is_current(token)
        assert not crypto.is_current(file_token)
        rotated = crypto.rotate(token)
        rotated_file = crypto.rotate_bytes(file_token)
        assert crypto.is_current(rotated)
        assert crypto.is_current(rotated_file)
    with keys(KEY_B):
        assert crypto.unseal(rotated) == NAME
        assert crypto.unseal_bytes(rotated_file) == b"scan"
        with pytest.raises(crypto.SealError):
            crypto.unseal(token)


def test_a_token_no_key_decrypts_raises_seal_error_without_data():
    with keys(KEY_A):
        token = crypto.seal(NAME)
        file_token = crypto.seal_bytes(b"scan")
    with keys(KEY_B), translation.override("en"):
        with pytest.raises(crypto.SealError) as error:
            crypto.unseal(token)
        assert "DANVAN_FIELD_KEYS" in str(error.value)
        assert NAME not in str(error.value) and token not in str(error.value)
        with pytest.raises(crypto.SealError):
            crypto.unseal_bytes(file_token)
        with pytest.raises(crypto.SealError):
            crypto.rotate(token)
        with pytest.raises(crypto.SealError):
            crypto.rotate_bytes(file_token)
        assert not crypto.is_current(token)


@pytest.mark.parametrize("token", ["", "not a token", "Nguyễn", "gAAAAA" + "x" * 80])
def test_damaged_tokens_raise_seal_error(token):
    with pytest.raises(crypto.SealError):
        crypto.unseal(token)
    assert not crypto.is_current(token)


def test_a_tampered_token_is_refused():
    token = crypto.seal(NAME)
    tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(crypto.SealError):
        crypto.unseal(tampered)


def test_keys_are_read_once_until_reset_keys():
    from django.conf import settings

    token = crypto.seal(NAME)  # reads and caches the keys
    primary = settings.DANVAN_FIELD_KEYS
    settings.DANVAN_FIELD_KEYS = [KEY_B]  # a plain assignment sends no setting_changed
    try:
        assert crypto.unseal(token) == NAME
        crypto.reset_keys()
        with pytest.raises(crypto.SealError):
            crypto.unseal(token)
    finally:
        settings.DANVAN_FIELD_KEYS = primary
        crypto.reset_keys()
    assert crypto.unseal(token) == NAME


def test_override_settings_is_seen_at_once():
    token = crypto.seal(NAME)
    with keys(KEY_B), pytest.raises(crypto.SealError):
        crypto.unseal(token)
    assert crypto.unseal(token) == NAME


# Blind indexes


def test_blind_index_ignores_case_diacritics_and_spacing():
    index = crypto.blind_index(NAME)
    assert len(index) == 64 and int(index, 16) >= 0
    assert crypto.blind_index("nguyen van a") == index
    assert crypto.blind_index("NGUYỄN  VĂN A") == index
    assert crypto.blind_index(" Nguyễn\tVăn\nA ") == index
    assert crypto.blind_index("Nguyễn Văn B") != index
    assert crypto.blind_index("Đặng Thị Hoa") == crypto.blind_index("dang thi hoa")


def test_blind_index_depends_on_the_index_key_only():
    with keys(KEY_A):
        index = crypto.blind_index(NAME)
    with keys(KEY_B, KEY_A):
        assert crypto.blind_index(NAME) == index  # field-key rotation keeps lookups working
    with keys(KEY_A, index=Fernet.generate_key().decode()):
        assert crypto.blind_index(NAME) != index


@pytest.mark.parametrize("value", ["", "   ", "\n\t"])
def test_blind_index_of_nothing_is_empty(value):
    assert crypto.blind_index(value) == ""


# The command


def _rotate(*args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_reports_nothing_to_do_when_no_model_declares_sealed_fields(monkeypatch):
    monkeypatch.setattr(rotate_field_keys, "sealed_models", list)
    output = _rotate()
    assert "No model declares sealed fields." in output
    assert "Total: checked 0, re-encrypted 0, unreadable 0, missing files 0" in output
    assert "dry run" in _rotate("--dry-run", "--batch", "10")


@pytest.mark.django_db
def test_the_command_reports_zero_for_every_declaring_model_when_nothing_is_stored():
    output = _rotate()
    for model in rotate_field_keys.sealed_models():
        assert f"{model._meta.label}: checked 0, re-encrypted 0" in output
    assert "Total: checked 0, re-encrypted 0, unreadable 0, missing files 0" in output


@pytest.mark.django_db
def test_the_command_refuses_a_batch_below_one():
    with pytest.raises(CommandError):
        _rotate("--batch", "0")


@pytest.fixture
def sealed_user_names(monkeypatch, make_user):
    """Users whose first name holds a sealed token, as a model with SEALED_FIELDS would."""
    user_model = get_user_model()
    monkeypatch.setattr(user_model, "SEALED_FIELDS", ("first_name",), raising=False)
    monkeypatch.setattr(user_model, "SEALED_ROWS", {"last_name": "sealed"}, raising=False)
    with keys(KEY_A):
        users = [make_user(first_name=crypto.seal(f"Người {n}"), last_name="sealed") for n in range(5)]
    make_user(first_name="", last_name="sealed")  # nothing sealed
    make_user(first_name="Bình")  # a row SEALED_ROWS leaves out: not a token, not looked at
    return user_model, [user.pk for user in users]


@pytest.mark.django_db
def test_the_command_rotates_declared_fields_in_batches_and_is_idempotent(sealed_user_names):
    user_model, pks = sealed_user_names
    label = user_model._meta.label
    with keys(KEY_B, KEY_A):
        assert f"{label}: checked 5, to re-encrypt 5" in _rotate("--dry-run")
        assert not any(crypto.is_current(u.first_name) for u in user_model.objects.filter(pk__in=pks))
        assert f"{label}: checked 5, re-encrypted 5, unreadable 0" in _rotate("--batch", "2")
        assert f"{label}: checked 5, re-encrypted 0, unreadable 0" in _rotate("--batch", "2")
    with keys(KEY_B):
        names = [crypto.unseal(u.first_name) for u in user_model.objects.filter(pk__in=pks).order_by("pk")]
    assert names == [f"Người {n}" for n in range(5)]


@pytest.mark.django_db
def test_the_command_resumes_after_a_partial_run_and_fails_on_unreadable_values(sealed_user_names):
    user_model, pks = sealed_user_names
    label = user_model._meta.label
    with keys(KEY_B, KEY_A):  # as if an earlier run had stopped after the first row
        first = user_model.objects.get(pk=pks[0])
        user_model.objects.filter(pk=first.pk).update(first_name=crypto.rotate(first.first_name))
        assert f"{label}: checked 5, re-encrypted 4" in _rotate()
    with keys(Fernet.generate_key().decode()), pytest.raises(CommandError, match="5 sealed values"):
        _rotate()


def _file_field(tmp_path) -> models.FileField:
    field = models.FileField(storage=FileSystemStorage(location=tmp_path), max_length=100)
    field.name = "scan"
    return field


def test_rotating_a_file_writes_a_new_file_and_leaves_current_ones_alone(tmp_path):
    field = _file_field(tmp_path)
    with keys(KEY_A):
        name = field.storage.save("scans/a.bin", ContentFile(crypto.seal_bytes(b"handwriting")))
    counts = Counts()
    with keys(KEY_B, KEY_A):
        assert rotate_file(field, name, counts, dry_run=True) is None
        new_name = rotate_file(field, name, counts, dry_run=False)
        assert new_name and new_name != name
        with field.storage.open(new_name, "rb") as stored:
            token = stored.read()
        assert crypto.is_current(token)
        assert rotate_file(field, new_name, counts, dry_run=False) is None
    with keys(KEY_B):
        assert crypto.unseal_bytes(token) == b"handwriting"
    assert (counts.checked, counts.rotated, counts.missing) == (3, 2, 0)
    assert rotate_file(field, "scans/gone.bin", counts, dry_run=False) is None
    assert rotate_file(field, "", counts, dry_run=False) is None
    assert counts.missing == 1


# Settings


def _settings_import(env_changes: dict) -> subprocess.CompletedProcess:
    removed = ("SECRET_KEY", "DEBUG", "DANVAN_DEMO", "DANVAN_FIELD_KEYS", "DANVAN_INDEX_KEY")
    env = {k: v for k, v in os.environ.items() if k not in removed}
    env.update({"SECRET_KEY": "x" * 50, **env_changes})
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='danvan.settings'; django.setup();"
        "from django.conf import settings as s; "
        "print(','.join(s.DANVAN_FIELD_KEYS), s.DANVAN_INDEX_KEY)"
    )
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)


def test_settings_refuse_to_start_without_field_keys():
    result = _settings_import({})
    assert result.returncode != 0
    assert "DANVAN_FIELD_KEYS is not set" in result.stderr
    assert "docs/operations.md" in result.stderr


def test_settings_refuse_to_start_without_an_index_key():
    result = _settings_import({"DANVAN_FIELD_KEYS": KEY_A})
    assert result.returncode != 0
    assert "DANVAN_INDEX_KEY is not set" in result.stderr


def test_settings_refuse_an_invalid_key_without_printing_it():
    bad = "secret-but-not-a-fernet-key"
    result = _settings_import({"DANVAN_FIELD_KEYS": f"{KEY_A},{bad}", "DANVAN_INDEX_KEY": INDEX_KEY})
    assert result.returncode != 0
    assert "DANVAN_FIELD_KEYS: key 2 is not a valid key" in result.stderr
    assert bad not in result.stderr


def test_settings_refuse_an_index_key_that_is_also_a_field_key():
    result = _settings_import({"DANVAN_FIELD_KEYS": KEY_A, "DANVAN_INDEX_KEY": KEY_A})
    assert result.returncode != 0
    assert "different from every key in DANVAN_FIELD_KEYS" in result.stderr


def test_settings_take_the_keys_from_the_environment():
    result = _settings_import({"DANVAN_FIELD_KEYS": f"{KEY_B}, {KEY_A}", "DANVAN_INDEX_KEY": INDEX_KEY})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"{KEY_B},{KEY_A}", INDEX_KEY]


def test_the_demo_derives_its_keys_from_the_secret_key():
    first = _settings_import({"DANVAN_DEMO": "1"})
    again = _settings_import({"DANVAN_DEMO": "1"})
    other = _settings_import({"DANVAN_DEMO": "1", "SECRET_KEY": "y" * 50})
    assert first.returncode == 0, first.stderr
    field_key, index_key = first.stdout.split()
    assert first.stdout == again.stdout != other.stdout
    assert field_key != index_key
    Fernet(field_key)  # valid keys
    Fernet(index_key)
    given = _settings_import({"DANVAN_DEMO": "1", "DANVAN_FIELD_KEYS": KEY_A, "DANVAN_INDEX_KEY": INDEX_KEY})
    assert given.stdout.split() == [KEY_A, INDEX_KEY]


def test_the_demo_command_generates_its_keys_once_in_var(tmp_path, monkeypatch):
    from danvan import cli

    removed = ("SECRET_KEY", "DANVAN_FIELD_KEYS", "DANVAN_INDEX_KEY", "DANVAN_DEMO")
    environ = {k: v for k, v in os.environ.items() if k not in removed}
    monkeypatch.setattr(os, "environ", {**environ, "DANVAN_VAR_DIR": str(tmp_path)})
    cli._demo_environment()
    field_keys, index_key = os.environ["DANVAN_FIELD_KEYS"], os.environ["DANVAN_INDEX_KEY"]
    Fernet(field_keys)
    Fernet(index_key)
    assert field_keys != index_key
    for name in ("demo-secret-key", "demo-field-keys", "demo-index-key"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600
    del os.environ["DANVAN_FIELD_KEYS"]
    cli._demo_environment()
    assert os.environ["DANVAN_FIELD_KEYS"] == field_keys
