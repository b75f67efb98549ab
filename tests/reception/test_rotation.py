"""Key rotation reaches the sealed identities of protected visitors."""

from __future__ import annotations

import io

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from danvan.core import crypto
from danvan.core.management.commands import rotate_field_keys
from danvan.reception import services
from danvan.reception.models import Visitor

from .conftest import PLANTED_ID, PLANTED_NAME


def test_visitors_take_part_in_key_rotation(desk, regular, record_visit):
    assert Visitor in rotate_field_keys.sealed_models()
    record_visit(
        regular,
        kind="denunciation",
        field="corruption",
        visitors=[services.VisitorInput(name=PLANTED_NAME, id_number=PLANTED_ID)],
    )
    row = Visitor.objects.get()
    assert row.sealed and crypto.is_current(row.sealed)
    new_key = Fernet.generate_key().decode()
    with override_settings(DANVAN_FIELD_KEYS=[new_key, *settings.DANVAN_FIELD_KEYS]):
        assert not crypto.is_current(row.sealed)
        call_command("rotate_field_keys", stdout=io.StringIO())
        row.refresh_from_db()
        assert crypto.is_current(row.sealed)
        assert crypto.unseal(row.sealed)["name"] == PLANTED_NAME
