import pytest
from django.db import connection, transaction

from danvan.core import audit
from danvan.core.models import AuditEvent
from danvan.core.request_context import client_ip


@pytest.mark.django_db
def test_record_keeps_address_diff_and_actor_label(make_user):
    user = make_user()
    token = client_ip.set("203.0.113.7")
    try:
        event = audit.record(
            actor=user,
            action="thing.update",
            record_type="x.thing",
            record_id=5,
            label="Thing",
            before={"a": 1, "b": 2},
            after={"a": 1, "b": 3},
        )
    finally:
        client_ip.reset(token)
    assert event.ip_address == "203.0.113.7"
    assert event.actor_label == user.username
    assert (event.before, event.after) == ({"b": 2}, {"b": 3})


@pytest.mark.django_db
def test_application_cannot_change_or_delete_audit_rows():
    event = audit.record(actor=None, action="x", record_type="t", record_id=1)
    assert event.actor_label == "system"
    event.action = "tampered"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"


@pytest.mark.django_db
def test_database_refuses_updates_on_postgresql():
    event = audit.record(actor=None, action="x", record_type="t", record_id=1)
    if connection.vendor != "postgresql":
        # SQLite has no trigger; the model guard above is what protects the rows there.
        assert connection.vendor == "sqlite"
        return
    from django.db.utils import DatabaseError

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "x"
