"""A denouncer received at the desk (Luật Tố cáo 2018 Art 9(1)(b), 47; Nghị định 154/2026 Art 12):
the visitor's identity is sealed at rest like a denouncer's in petitions, found by the ID digest
only, shown to the officer who received them, the head of the unit and those entitled to a petition
that came of the visit, and every showing is logged.

The leak test plants a name, an ID number, an address and a phone, takes the visit through the desk
(petitions made, answer, conclusions, the book, look-ups, identity views) and then looks for them,
and their folded forms, in every text and JSON column of every table, in errors and in the logs.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.apps import apps
from django.db import models

from danvan.core import crypto
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.core.text import fold
from danvan.petitions import services as petition_services
from danvan.petitions.models import Kind, Petitioner
from danvan.reception import selectors, services
from danvan.reception.models import Visitor
from danvan.units.models import Role

from .conftest import PLANTED_ID, PLANTED_NAME, TODAY, visit_input

PLANTED_ADDRESS = "Số 77 ngõ Quỳnh Xyzw, phường Đặc Biệt"
PLANTED_PHONE = "0987 654 321"
PLANTED = (PLANTED_NAME, PLANTED_ID, PLANTED_ADDRESS, PLANTED_PHONE)
# Where ciphertext lives: the only columns where the planted values may be (sealed).
SEALED_COLUMNS = {("reception", "visitor", "sealed"), ("petitions", "petitioner", "sealed")}
PARTS = [
    services.VisitPart(
        kind=Kind.DENUNCIATION,
        field="corruption",
        content="Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy chứng nhận.",
    ),
    services.VisitPart(
        kind=Kind.RECOMMENDATION, field="land", content="Kiến nghị công khai quy hoạch đất ở."
    ),
]


def planted_person(**overrides) -> services.VisitorInput:
    values = {
        "name": PLANTED_NAME,
        "id_number": PLANTED_ID,
        "address": PLANTED_ADDRESS,
        "phone": PLANTED_PHONE,
    }
    values.update(overrides)
    return services.VisitorInput(**values)


def needles() -> set[str]:
    found = set()
    for value in PLANTED:
        found |= {value, fold(value), value.replace(" ", ""), fold(value).replace(" ", "")}
    return found


def leaks_in(text) -> set[str]:
    text = str(text)
    folded = fold(text)
    return {n for n in needles() if n in text or n in folded or n in folded.replace(" ", "")}


def database_leaks() -> list[tuple[str, str, str]]:
    found = []
    for model in apps.get_models():
        meta = model._meta
        for field in meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            if (meta.app_label, meta.model_name, field.name) in SEALED_COLUMNS:
                continue
            for value in model._default_manager.values_list(field.attname, flat=True):
                if value is None:
                    continue
                text = json.dumps(value, ensure_ascii=False) if isinstance(field, models.JSONField) else value
                for needle in leaks_in(text):
                    found.append((meta.label, field.name, needle))
    return found


@pytest.fixture
def planted(desk, regular, caplog):
    """The planted person denounces at the desk; two petitions are made of the visit."""
    caplog.set_level(logging.DEBUG)
    return services.visit_record(
        actor=desk.clerk,
        data=visit_input(
            regular,
            parts=PARTS,
            visitors=[planted_person()],
            outcome="accepted",
            make_petitions=True,
            requests="Đề nghị giữ bí mật danh tính",
        ),
        today=TODAY,
    )


@pytest.fixture
def colleague(make_user, desk):
    """Another clerk of the same commune: sees the visit, not the person."""
    return make_user(Role.CLERK, desk.unit, username="colleague")


def test_the_planted_identity_is_nowhere_in_the_database(
    desk, regular, planted, colleague, head_session, caplog
):
    visit = planted.visit
    # Everything else that writes or reads around the visit.
    services.visit_answer(
        actor=desk.clerk,
        visit_id=visit.pk,
        version=visit.version,
        answered_on=TODAY,
        answer_kind="accepted",
        follow_up="Đã thụ lý tố cáo",
        today=TODAY,
    )
    seen = services.visitor_identities(actor=desk.clerk, visit_id=visit.pk, reason="Gọi điện hẹn làm việc")
    assert seen[0][1].name == PLANTED_NAME  # the entitled see it ...
    selectors.book_rows(desk.leader, unit_id=desk.unit.pk, first=TODAY, last=TODAY)
    selectors.book_rows(colleague, unit_id=desk.unit.pk, first=TODAY, last=TODAY)
    selectors.person_lookup(desk.leader, id_number=PLANTED_ID)
    selectors.person_lookup(colleague, id_number=PLANTED_ID)
    again = services.visit_record(
        actor=desk.clerk,
        data=visit_input(
            head_session, parts=PARTS[:1], visitors=[planted_person()], repeat_of_visit_id=visit.pk
        ),
        today=TODAY,
    ).visit
    services.conclusion_issue(
        actor=desk.leader,
        session_id=head_session.pk,
        number="3/TB-UBND",
        issued_on=TODAY,
        signer="Trần Văn Chủ",
        summary="Giao xác minh nội dung tố cáo.",
        directives=[
            services.DirectiveInput(
                task="Xác minh", due_date=TODAY, responsible_name="Thanh tra", visit_id=again.pk
            )
        ],
        today=TODAY,
    )
    # A refused input with the planted person: the error says nothing of them.
    with pytest.raises(DomainError) as err:
        services.visit_record(
            actor=desk.clerk,
            data=visit_input(regular, parts=PARTS, visitors=[planted_person()], crowd=True, people_count=3),
            today=TODAY,
        )
    assert not leaks_in(err.value.message) and not leaks_in(err.value.field_messages())
    # ... and nothing of them is stored in clear: not in the visitors, the petitions and their
    # petitioners, the audit trail (before / after), the petitions' events, or anywhere else.
    assert database_leaks() == []
    assert not leaks_in(caplog.text)
    for row in Visitor.objects.all():
        assert (row.name, row.name_folded, row.id_number, row.address, row.phone) == ("", "", "", "", "")
        assert row.sealed and not leaks_in(row.sealed)
    for event in AuditEvent.objects.all():
        assert not leaks_in(json.dumps([event.before, event.after], ensure_ascii=False))


def test_the_visit_and_its_petitions_are_protected(planted):
    visit = planted.visit
    assert visit.protected
    assert [p.kind for p in planted.petitions] == [Kind.DENUNCIATION, Kind.RECOMMENDATION]
    for petition in planted.petitions:
        # One denunciation protects the person in every petition made of the same matter.
        assert petition.protected
        (row,) = petition.petitioners.all()
        assert (row.name, row.name_folded, row.id_number, row.address, row.phone) == ("", "", "", "", "")
        assert crypto.unseal(row.sealed)["name"] == PLANTED_NAME
    (visitor,) = visit.visitors.all()
    assert crypto.unseal(visitor.sealed) == {
        "name": PLANTED_NAME,
        "id_number": PLANTED_ID,
        "address": PLANTED_ADDRESS,
        "address_unit_id": None,
        "phone": PLANTED_PHONE,
    }


def test_found_by_the_id_digest_only(desk, planted):
    digest = crypto.blind_index(PLANTED_ID)
    assert list(Visitor.objects.filter(id_digest=digest)) == list(planted.visit.visitors.all())
    assert Petitioner.objects.filter(id_digest=digest).count() == 2
    # By name, nobody finds a protected person: not even those entitled, and no "hidden" count.
    for user in (desk.clerk, desk.leader):
        for name in (PLANTED_NAME, fold(PLANTED_NAME), "Hoàng Thị"):
            found = selectors.person_lookup(user, name=name)
            assert (found.visits, found.petitions, found.hidden) == ([], [], 0)
    # By the ID written another way, the digest matches.
    found = selectors.person_lookup(desk.leader, id_number="037 199.012-345")
    assert [m.visit for m in found.visits] == [planted.visit]


def test_person_lookup_shows_it_only_to_the_entitled(desk, planted, colleague, make_user):
    visit = planted.visit
    # The officer who received the person: the visit (the petitions are the handlers' and the head's).
    clerk = selectors.person_lookup(desk.clerk, id_number=PLANTED_ID)
    assert [m.visit for m in clerk.visits] == [visit]
    assert clerk.petitions == [] and clerk.hidden == 2
    # The head of the unit: the visit and both petitions.
    head = selectors.person_lookup(desk.leader, id_number=PLANTED_ID)
    assert [m.visit for m in head.visits] == [visit]
    assert set(head.petitions) == set(planted.petitions) and head.hidden == 0
    # Another clerk of the unit, and the province's supervisor: only a count.
    for user in (colleague, desk.supervisor):
        other = selectors.person_lookup(user, id_number=PLANTED_ID)
        assert (other.visits, other.petitions, other.hidden) == ([], [], 3)
    # Outside the unit: nothing at all.
    outside = selectors.person_lookup(desk.outsider, id_number=PLANTED_ID)
    assert (outside.visits, outside.petitions, outside.hidden) == ([], [], 0)


def test_visitor_identities_are_shown_to_the_entitled_and_logged(desk, planted, colleague):
    visit = planted.visit
    for user, reason in ((desk.clerk, "Hẹn gặp lại"), (desk.leader, "Chỉ đạo xác minh")):
        ((row, ident),) = services.visitor_identities(actor=user, visit_id=visit.pk, reason=reason)
        assert row.visit_id == visit.pk and ident.name == PLANTED_NAME and ident.id_number == PLANTED_ID
        event = AuditEvent.objects.filter(action="reception.identity_view").latest("pk")
        assert (event.actor, event.record_id, event.after) == (
            user,
            str(visit.pk),
            {"reason": reason, "people": 1},
        )
    views = AuditEvent.objects.filter(action="reception.identity_view").count()
    for user in (colleague, desk.supervisor, desk.committee, desk.handler):
        with pytest.raises(PermissionDenied):
            services.visitor_identities(actor=user, visit_id=visit.pk, reason="Tò mò")
    with pytest.raises(NotFound):
        services.visitor_identities(actor=desk.outsider, visit_id=visit.pk, reason="Tò mò")
    # Even the entitled say why (the API, unlike the page's form, does not insist).
    for reason in ("", "   "):
        with pytest.raises(DomainError) as err:
            services.visitor_identities(actor=desk.clerk, visit_id=visit.pk, reason=reason)
        assert err.value.code == "reason_required" and "reason" in err.value.fields
    assert AuditEvent.objects.filter(action="reception.identity_view").count() == views


def test_a_grant_on_a_petition_of_the_visit_entitles_to_the_visit(desk, planted):
    denunciation = planted.petitions[0]
    assert not selectors.visit_entitled(desk.committee, planted.visit)
    petition_services.identity_grant(
        actor=desk.leader,
        petition_id=denunciation.pk,
        user_id=desk.committee.pk,
        reason="Thành viên tổ xác minh",
    )
    assert selectors.visit_entitled(desk.committee, planted.visit)
    ((_row, ident),) = services.visitor_identities(
        actor=desk.committee, visit_id=planted.visit.pk, reason="Xác minh"
    )
    assert ident.name == PLANTED_NAME


def test_the_book_masks_the_person_for_others_and_logs_the_showing(desk, planted, colleague):
    _unit, rows = selectors.book_rows(colleague, unit_id=desk.unit.pk, first=TODAY, last=TODAY)
    (row,) = rows
    assert row.masked and (row.name_address, row.id_number) == ("", "")
    assert not AuditEvent.objects.filter(action="reception.identity_view").exists()
    _unit, rows = selectors.book_rows(desk.leader, unit_id=desk.unit.pk, first=TODAY, last=TODAY)
    (row,) = rows
    assert not row.masked and PLANTED_NAME in row.name_address and row.id_number == PLANTED_ID
    event = AuditEvent.objects.get(action="reception.identity_view")
    assert (event.actor, event.record_id) == (desk.leader, str(planted.visit.pk))


def test_an_unprotected_visitor_is_in_clear_and_viewed_without_a_log(desk, regular, record_visit):
    visit = record_visit(regular).visit
    ((row, ident),) = services.visitor_identities(actor=desk.committee, visit_id=visit.pk)
    assert (row.name, ident.name, row.sealed) == ("Nguyễn Văn An", "Nguyễn Văn An", "")
    assert not AuditEvent.objects.filter(action="reception.identity_view").exists()
