"""Recomputing stored due dates after the deadline rules change (DANVAN_DEADLINE_RULES)."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

from django.core.management import call_command
from django.test import override_settings

from danvan.core.models import AuditEvent
from danvan.petitions import deadlines, services
from danvan.petitions.models import Petition


def test_refresh_applies_a_changed_rule_to_running_petitions_only(office, make_petition, tmp_path):
    # A complaint received Monday 02/11/2026: acceptance within 7 working days (from 01/07/2026).
    running = make_petition()
    assert running.due_date == date(2026, 11, 11)
    closed = make_petition()
    closed = services.petition_file(
        actor=office.handler,
        petition_id=closed.pk,
        version=closed.version,
        on=date(2026, 11, 3),
        today=date(2026, 11, 27),
        ineligible_reason="unclear",
    )
    book = deadlines.load_rules()
    rule = book.find("complaint", "accept", running.received_on)
    override = tmp_path / "rules.json"
    override.write_text(
        json.dumps([{**_as_json(rule), "days": 5}]),
        encoding="utf-8",
    )
    with override_settings(DANVAN_DEADLINE_RULES=str(override)):
        deadlines.clear_rules_cache()
        out = StringIO()
        call_command("petitions_refresh_deadlines", stdout=out)
    deadlines.clear_rules_cache()
    assert "Due dates changed: 1." in out.getvalue()
    # Five working days after Monday 02/11/2026.
    assert Petition.objects.get(pk=running.pk).due_date == date(2026, 11, 9)
    assert Petition.objects.get(pk=closed.pk).due_date is None  # no deadline runs for a filed petition
    assert AuditEvent.objects.filter(action="petition.deadlines_refresh").exists()


def _as_json(rule) -> dict:
    return {
        "key": rule.key,
        "kind": rule.kind,
        "step": rule.step,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
        "count": rule.count,
        "days": rule.days,
        "source": rule.source,
        "uncertain": rule.uncertain,
    }
