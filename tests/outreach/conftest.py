"""Fixtures of the outreach tests: the staff of commune N (after the 2025 reform) and of the
province, and helpers that record activities and documents through the services.

Dates are before 2026-12-02; "today" of the services is TODAY."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import pytest

from danvan.outreach import services
from danvan.outreach.models import Activity, Attendee, IssuedDocument, Participation, Resolution
from danvan.units.models import Role, RoleScope, Unit

TODAY = date(2026, 11, 27)
DAY = date(2026, 10, 15)


@dataclass
class Team:
    """Who works on commune N's outreach, and who looks from elsewhere."""

    unit: Unit
    recorder: object  # committee member of N (records outreach work)
    leader: object  # leader of N
    clerk: object  # clerk of N (reads only)
    supervisor: object  # leader of the province, whole subtree
    national: object  # leader of the country, whole subtree
    outsider: object  # committee member of a ward of another province


@pytest.fixture
def team(tree, make_user) -> Team:
    return Team(
        unit=tree.n,
        recorder=make_user(Role.COMMITTEE_MEMBER, tree.n, username="recorder"),
        leader=make_user(Role.LEADER, tree.n, username="leader"),
        clerk=make_user(Role.CLERK, tree.n, username="clerk"),
        supervisor=make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="supervisor"),
        national=make_user(Role.LEADER, tree.country, RoleScope.SUBTREE, username="national"),
        outsider=make_user(Role.COMMITTEE_MEMBER, tree.other_commune, username="outsider"),
    )


def resolution(number: str = "25-NQ/TW") -> Resolution:
    return Resolution.objects.get(number=number)


def activity_input(unit: Unit, **overrides) -> services.ActivityInput:
    """A dissemination conference of `unit` on DAY with 30 cadres and 70 party members."""
    values = {
        "unit_id": unit.pk,
        "kind": "conference",
        "title": "Hội nghị quán triệt Kết luận 43-KL/TW",
        "starts_on": DAY,
        "counts": {"cadres": 30, "party_members": 70},
        "participants_total": 100,
    }
    values.update(overrides)
    return services.ActivityInput(**values)


def record_activity(actor, unit: Unit, today: date = TODAY, **overrides) -> Activity:
    return services.activity_record(actor=actor, data=activity_input(unit, **overrides), today=today)


def document_input(unit: Unit, **overrides) -> services.DocumentInput:
    values = {
        "unit_id": unit.pk,
        "number": "15-KH/ĐU",
        "issued_on": date(2026, 3, 2),
        "doc_type": "plan",
        "title": "Kế hoạch thực hiện Kết luận 43-KL/TW về công tác dân vận",
        "issuer": "Ban Thường vụ Đảng ủy xã",
        "implements_id": resolution("43-KL/TW").pk,
    }
    values.update(overrides)
    return services.DocumentInput(**values)


def record_document(actor, unit: Unit, today: date = TODAY, **overrides) -> IssuedDocument:
    return services.document_record(actor=actor, data=document_input(unit, **overrides), today=today)


def counts_of(activity: Activity) -> dict[str, int]:
    return dict(Participation.objects.filter(activity=activity).values_list("category", "count"))


def state() -> tuple:
    """Everything outreach writes, to check that a refusal wrote nothing."""
    from danvan.core.models import AuditEvent, RecordFile

    rows = [
        (a.pk, a.version, a.title, a.starts_on, a.kind, a.participants_total, a.from_attendance)
        for a in Activity.objects.order_by("pk")
    ]
    return (
        rows,
        sorted(
            Participation.objects.values_list(
                "activity_id", "category", "count", "unit_path", "kind", "held_on"
            )
        ),
        sorted(Attendee.objects.values_list("activity_id", "position", "full_name", "category")),
        sorted(IssuedDocument.objects.values_list("pk", "number", "version")),
        sorted(Activity.co_organisers.through.objects.values_list("activity_id", "unit_id")),
        sorted(Activity.documents.through.objects.values_list("activity_id", "issueddocument_id")),
        AuditEvent.objects.count(),
        RecordFile.objects.count(),
    )


def xlsx(rows: list[list], title_rows: list[list] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` (after optional title rows)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in title_rows or []:
        sheet.append(row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], *, bom: bool = True, delimiter: str = ",") -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in rows:
        writer.writerow(row)
    data = out.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data
