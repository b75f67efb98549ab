import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from danvan.units.models import RoleAssignment


def test_units_show_text_and_json(tree):
    out = StringIO()
    call_command("units_show", "37", "--on", "2024-06-01", stdout=out)
    text = out.getvalue()
    assert "Huyện Yên Khánh" in text and "Việt Nam" in text
    out = StringIO()
    call_command("units_show", "14800", "--on", "2020-01-01", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["successors"][0]["unit"]["code"] == "14801"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE"], "No unit has the code NOPE"),
        (["375", "--on", "2026-01-01"], "No unit with code 375 existed on 01/01/2026"),
        (["375", "--on", "1/1/2026"], "is not a date"),
    ],
)
def test_units_show_errors(tree, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("units_show", *args, stdout=StringIO())


def test_createuser(tree):
    out = StringIO()
    call_command(
        "createuser",
        "canbo",
        "--role",
        "clerk",
        "--unit",
        "14801",
        "--full-name",
        "Lê Văn Bộ",
        "--generate-password",
        stdout=out,
    )
    user = get_user_model().objects.get(username="canbo")
    role = RoleAssignment.objects.get(user=user)
    assert role.unit == tree.n and role.role == "clerk"
    password = out.getvalue().split("Password: ")[1].strip()
    assert user.check_password(password)


def test_createuser_refuses_a_unit_gone_or_a_weak_password(tree):
    with pytest.raises(CommandError, match="No unit with code 375 exists today"):
        call_command(
            "createuser", "a", "--role", "clerk", "--unit", "375", "--password", "x", stdout=StringIO()
        )
    with pytest.raises(CommandError, match="password"):
        call_command(
            "createuser", "a", "--role", "clerk", "--unit", "14801", "--password", "123", stdout=StringIO()
        )
    assert not get_user_model().objects.filter(username="a").exists()


def test_cli_maps_units_subcommands(monkeypatch):
    from danvan import cli

    seen = {}
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line", lambda argv: seen.setdefault("a", argv)
    )
    cli.main(["units", "show", "37", "--on", "2024-06-01"])
    assert seen["a"] == ["danvan", "units_show", "37", "--on", "2024-06-01"]
