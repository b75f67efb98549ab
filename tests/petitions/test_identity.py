"""A denouncer's identity (Luật Tố cáo 2018 Art 9(1)(b), 47): sealed at rest, found by digest only,
shown to the entitled and every showing logged.

The leak test plants a name, an ID number, an address and a phone, then looks for them (and their
folded forms) in every text column of every table, in errors, duplicate candidates and logs.
"""

from __future__ import annotations

import json
import logging
from datetime import date

import pytest
from django.apps import apps
from django.db import models

from danvan.core import crypto
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.core.text import fold
from danvan.petitions import identity, selectors, services
from danvan.petitions.models import Attachment, IdentityGrant, Kind, Outcome, Petition, Petitioner
from danvan.units.models import Role

from .conftest import PLANTED_ID, PLANTED_NAME, TODAY, intake_input
from .test_uploads import PNG

PLANTED_ADDRESS = "Số 77 ngõ Quỳnh Xyzw, phường Đặc Biệt"
PLANTED_PHONE = "0987 654 321"
PLANTED = (PLANTED_NAME, PLANTED_ID, PLANTED_ADDRESS, PLANTED_PHONE)
CONTENT = "Tố cáo ông Trưởng phòng Tài nguyên nhận hối lộ khi cấp phép khai thác cát trái phép tại bãi sông."
# Fields where ciphertext lives: the only place the planted values may be (sealed).
SEALED_COLUMNS = {("petitions", "petitioner", "sealed")}


def planted_person(**overrides) -> services.PersonInput:
    values = {
        "name": PLANTED_NAME,
        "id_number": PLANTED_ID,
        "address": PLANTED_ADDRESS,
        "phone": PLANTED_PHONE,
    }
    values.update(overrides)
    return services.PersonInput(**values)


def needles() -> set[str]:
    found = set()
    for value in PLANTED:
        found |= {value, fold(value), value.replace(" ", ""), fold(value).replace(" ", "")}
    return found


def leaks_in(text: str) -> set[str]:
    text = str(text)
    folded = fold(text)
    return {n for n in needles() if n in text or n in folded or n in folded.replace(" ", "")}


def text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def database_leaks() -> list[tuple[str, str, str]]:
    found = []
    for model, field in text_columns():
        meta = model._meta
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
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def planted(office, media, caplog):
    """A denunciation from the planted person, taken through intake, classification and resolution."""
    caplog.set_level(logging.DEBUG)
    data = intake_input(
        office.agency,
        kind=Kind.DENUNCIATION,
        field="corruption",
        content=CONTENT,
        petitioners=[planted_person()],
        files=[services.FileInput("giay-to.png", PNG, identifying=True)],
    )
    petition = services.petition_intake(actor=office.clerk, data=data, today=TODAY).petitions[0]
    petition = services.petition_accept(
        actor=office.handler,
        petition_id=petition.pk,
        version=petition.version,
        on=date(2026, 11, 9),
        today=TODAY,
    )
    return petition


def test_the_planted_identity_is_nowhere_in_the_database(office, planted, make_user, caplog):
    # More steps that write: a grant, a reveal, a decision, and a transfer of a second denunciation.
    committee = office.committee
    services.identity_grant(
        actor=office.leader, petition_id=planted.pk, user_id=committee.pk, reason="Xác minh"
    )
    revealed = services.identity_reveal(actor=committee, petition_id=planted.pk, reason="Gọi điện xác minh")
    assert revealed[0][1].name == PLANTED_NAME  # the entitled see it ...
    services.petition_decide(
        actor=office.leader,
        petition_id=planted.pk,
        version=planted.version,
        today=TODAY,
        number="9/KL",
        decided_on=date(2026, 11, 20),
        signer="Chủ tịch",
        outcome=Outcome.DENUNCIATION_PARTLY,
    )
    second = services.petition_intake(
        actor=office.clerk,
        data=intake_input(
            office.agency,
            kind=Kind.DENUNCIATION,
            field="corruption",
            content=CONTENT,
            petitioners=[planted_person()],
        ),
        today=TODAY,
    ).petitions[0]
    services.petition_transfer(
        actor=office.handler,
        petition_id=second.pk,
        version=second.version,
        on=date(2026, 11, 10),
        today=TODAY,
        target_unit_id=office.commune_agency.pk,
        document_number="5/PC",
    )
    # ... and nothing else holds it.
    assert Petitioner.objects.filter(sealed__gt="").count() == 3
    assert database_leaks() == []
    assert leaks_in(caplog.text) == set()


def test_the_leak_check_would_find_a_leak(office, planted):
    # The checker itself works: a clear value anywhere is found, folded or not.
    petition = Petition.objects.get(pk=planted.pk)
    Petition.objects.filter(pk=petition.pk).update(subject=fold(PLANTED_NAME).upper())
    assert ("petitions.Petition", "subject", fold(PLANTED_NAME)) in database_leaks()


def test_errors_with_the_planted_input_do_not_repeat_it(office, planted):
    bad_inputs = [
        {"received_on": date(2026, 12, 1)},
        {"field": "no_such_field"},
        {"petitioners": [planted_person(id_number=PLANTED_ID + "9")]},
        {"petitioners": [planted_person(name="")]},
        {"signer_count": 0},
        {"unit_id": 10**9},
        {
            "parts": [
                services.PartInput(
                    Kind.DENUNCIATION, "land", CONTENT, link="duplicate", link_petition_id=10**9
                )
            ]
        },
    ]
    errors = []
    for overrides in bad_inputs:
        values = {"kind": Kind.DENUNCIATION, "field": "corruption", "content": CONTENT}
        values["petitioners"] = [planted_person()]
        values.update(overrides)
        with pytest.raises(DomainError) as caught:
            services.petition_intake(
                actor=office.clerk, data=intake_input(office.agency, **values), today=TODAY
            )
        errors.append(caught.value)
    for actor, kwargs in (
        (office.handler, {"reason": ""}),
        (office.clerk, {"reason": "x"}),
        (office.outsider, {"reason": "x"}),
    ):
        with pytest.raises(DomainError) as caught:
            services.identity_reveal(actor=actor, petition_id=planted.pk, **kwargs)
        errors.append(caught.value)
    assert len(errors) == 10
    for error in errors:
        text = " ".join([error.message, str(error.params), str(error.field_messages()), str(error.args)])
        assert leaks_in(text) == set(), error.code


def test_duplicate_candidates_match_the_sealed_identity_without_showing_it(office, planted):
    person = identity.Identity(name=PLANTED_NAME, id_number=PLANTED_ID, address=PLANTED_ADDRESS)
    candidates = selectors.duplicate_candidates_for(office.handler, people=[person], content="Đơn khác hẳn")
    assert [c.petition.pk for c in candidates] == [planted.pk]
    assert set(candidates[0].reasons) == {"same_id", "same_name_address"}
    petition = candidates[0].petition
    shown = [str(v) for v in Petition.objects.filter(pk=petition.pk).values().get().values()]
    shown += [
        repr(candidates[0]),
        *(str(vars(p)) for p in selectors.petitioners_for(office.handler, petition)),
    ]
    assert leaks_in(" ".join(shown)) == set()


# ---- entitlement -----------------------------------------------------------------------------


def test_who_is_entitled_to_the_identity(office, planted, make_user):
    petition = Petition.objects.get(pk=planted.pk)
    assert petition.handler == office.handler  # accepted by the handler, who now handles it
    other_leader = make_user(Role.LEADER, office.commune_agency)
    granted = make_user(Role.COMMITTEE_MEMBER, office.agency)
    services.identity_grant(
        actor=office.leader, petition_id=petition.pk, user_id=granted.pk, reason="Phối hợp"
    )
    expected = {
        office.handler: True,  # the assigned handler
        office.leader: True,  # the head of the handling unit
        granted: True,
        office.clerk: False,
        office.committee: False,
        office.auditor: False,
        office.supervisor: False,  # leads the province's subtree, not the handling unit
        office.outsider: False,
        other_leader: False,
    }
    assert {user: identity.entitled(user, petition) for user in expected} == expected
    assert selectors.identity_entitled(office.leader, petition) is True
    unassigned_handler = make_user(Role.HANDLER, office.agency)
    assert identity.entitled(unassigned_handler, petition) is False


def test_revealing_is_logged_with_its_reason(office, planted):
    revealed = services.identity_reveal(
        actor=office.leader, petition_id=planted.pk, reason="Bảo vệ người tố cáo"
    )
    [(petitioner, person)] = revealed
    assert (person.name, person.id_number, person.address, person.phone) == PLANTED
    entry = AuditEvent.objects.get(action="petition.identity_view")
    assert (entry.actor, entry.record_id, entry.after) == (
        office.leader,
        str(planted.pk),
        {"reason": "Bảo vệ người tố cáo"},
    )
    assert petitioner.petition_id == planted.pk


@pytest.mark.parametrize("reason", ["", "   "])
def test_revealing_needs_a_reason(office, planted, reason):
    with pytest.raises(DomainError) as caught:
        services.identity_reveal(actor=office.leader, petition_id=planted.pk, reason=reason)
    assert caught.value.code == "reason_required"
    assert not AuditEvent.objects.filter(action="petition.identity_view").exists()


def test_revealing_is_refused_to_the_non_entitled(office, planted):
    for user in (office.clerk, office.committee, office.auditor, office.supervisor):
        with pytest.raises(PermissionDenied):
            services.identity_reveal(actor=user, petition_id=planted.pk, reason="Tò mò")
    with pytest.raises(NotFound):
        services.identity_reveal(actor=office.outsider, petition_id=planted.pk, reason="Tò mò")
    assert not AuditEvent.objects.filter(action="petition.identity_view").exists()


def test_only_an_entitled_leader_grants(office, planted, make_user):
    # The assigned handler is entitled but is no leader; the supervisor leads elsewhere.
    for actor in (office.handler, office.supervisor, office.clerk):
        with pytest.raises(PermissionDenied):
            services.identity_grant(
                actor=actor, petition_id=planted.pk, user_id=office.auditor.pk, reason="x"
            )
    with pytest.raises(NotFound):
        services.identity_grant(
            actor=office.outsider, petition_id=planted.pk, user_id=office.auditor.pk, reason="x"
        )
    with pytest.raises(DomainError) as caught:
        services.identity_grant(
            actor=office.leader, petition_id=planted.pk, user_id=office.auditor.pk, reason=" "
        )
    assert caught.value.code == "reason_required"
    with pytest.raises(DomainError) as caught:  # cannot even see the petition
        services.identity_grant(
            actor=office.leader, petition_id=planted.pk, user_id=office.outsider.pk, reason="x"
        )
    assert caught.value.code == "user_invalid"
    assert not IdentityGrant.objects.exists()
    grant = services.identity_grant(
        actor=office.leader, petition_id=planted.pk, user_id=office.auditor.pk, reason="Thanh tra vụ việc"
    )
    assert (grant.user, grant.granted_by, grant.reason) == (
        office.auditor,
        office.leader,
        "Thanh tra vụ việc",
    )
    assert identity.entitled(office.auditor, planted)
    entry = AuditEvent.objects.get(action="petition.identity_grant")
    assert entry.after == {"user": office.auditor.get_username(), "reason": "Thanh tra vụ việc"}


def test_a_complaint_is_not_sealed(office, make_petition):
    petition = make_petition(petitioners=[planted_person()])
    row = petition.petitioners.get()
    assert (row.name, row.id_number, row.sealed) == (PLANTED_NAME, PLANTED_ID, "")
    assert identity.identity_of(row).address == PLANTED_ADDRESS


# ---- attachments -----------------------------------------------------------------------------


def test_a_denunciation_s_attachments_are_encrypted_on_disk(office, planted, media):
    attachment = Attachment.objects.get(petition=planted)
    assert (attachment.encrypted, attachment.identifying, attachment.size) == (True, True, len(PNG))
    stored = (media / attachment.file.name).read_bytes()
    assert stored != PNG and PNG not in stored
    assert crypto.unseal_bytes(stored) == PNG


def test_a_complaint_s_attachments_are_not_marked_identifying(office, media, make_petition):
    petition = make_petition(files=[services.FileInput("ảnh.png", PNG, identifying=True)])
    attachment = Attachment.objects.get(petition=petition)
    assert (attachment.encrypted, attachment.identifying) == (False, False)
    assert (media / attachment.file.name).read_bytes() == PNG


def test_the_head_of_the_successor_unit_is_entitled(tree, make_user):
    # C1 was merged into N on 01/07/2025: N's leader heads what was C1's handling unit.
    national = make_user(Role.LEADER, tree.country, "subtree")
    data = intake_input(
        tree.c1,
        received_on=date(2025, 3, 3),
        kind=Kind.DENUNCIATION,
        field="corruption",
        content=CONTENT,
        petitioners=[planted_person()],
    )
    petition = services.petition_intake(actor=national, data=data, today=TODAY).petitions[0]
    successor_leader = make_user(Role.LEADER, tree.n)
    other_leader = make_user(Role.LEADER, tree.n2)  # heads the successor of C3, not of C1
    assert identity.entitled(successor_leader, petition) is True
    assert identity.entitled(other_leader, petition) is False
    assert identity.entitled(national, petition) is False  # a supervisor, not the head
    [(_row, person)] = services.identity_reveal(
        actor=successor_leader, petition_id=petition.pk, reason="Hồ sơ cũ"
    )
    assert person.name == PLANTED_NAME
