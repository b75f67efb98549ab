"""Intake: one petition per kind of content, receipt numbers, tracking codes, validation that
writes nothing, normalisation, the complaint time-limit warning, the first deadline, sealing.

Expected dates are counted by hand on the 2016 and 2026 calendars; the comments show the count.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import date

import pytest

from danvan.core import audit, crypto
from danvan.core.errors import DomainError, PermissionDenied
from danvan.core.models import AuditEvent
from danvan.petitions import selectors, services
from danvan.petitions.models import (
    Case,
    Channel,
    ContentKey,
    Counter,
    Event,
    Kind,
    Petition,
    Petitioner,
    Status,
)
from danvan.units.models import Role

from .conftest import TODAY, intake_input

RECEIVED = date(2026, 11, 2)  # a Monday
COMPLAINT_TEXT = "Khiếu nại quyết định thu hồi đất số 12/QĐ-UBND của Chủ tịch UBND xã, bồi thường quá thấp."
DENUNCIATION_TEXT = "Tố cáo cán bộ địa chính xã nhận tiền của người dân khi làm thủ tục cấp giấy chứng nhận."
RECOMMENDATION_TEXT = "Kiến nghị sửa chữa đường liên thôn bị sạt lở sau mưa lũ, đi lại rất nguy hiểm."


def three_parts() -> list[services.PartInput]:
    return [
        services.PartInput(
            kind=Kind.COMPLAINT, field="land", content=COMPLAINT_TEXT, subject="Chủ tịch UBND xã"
        ),
        services.PartInput(
            kind=Kind.DENUNCIATION, field="corruption", content=DENUNCIATION_TEXT, subject="Ông B"
        ),
        services.PartInput(kind=Kind.RECOMMENDATION, field="policy", content=RECOMMENDATION_TEXT),
    ]


def counts() -> dict[str, object]:
    return {
        "petitions": Petition.objects.count(),
        "cases": Case.objects.count(),
        "petitioners": Petitioner.objects.count(),
        "keys": ContentKey.objects.count(),
        "events": Event.objects.count(),
        "audit": AuditEvent.objects.count(),
        "counters": sorted(Counter.objects.values_list("unit_id", "year", "last")),
    }


# ---- a multi-content petition --------------------------------------------------------------


def test_a_multi_content_petition_becomes_one_petition_per_kind(office):
    result = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, parts=three_parts()), today=TODAY
    )
    petitions = result.petitions
    assert [p.kind for p in petitions] == [Kind.COMPLAINT, Kind.DENUNCIATION, Kind.RECOMMENDATION]
    assert [p.field for p in petitions] == ["land", "corruption", "policy"]
    assert [p.content for p in petitions] == [COMPLAINT_TEXT, DENUNCIATION_TEXT, RECOMMENDATION_TEXT]
    first = petitions[0].number
    assert [p.number for p in petitions] == [first, first + 1, first + 2]
    assert {p.year for p in petitions} == {2026}
    assert [p.receipt_number for p in petitions] == [f"{first + i}/2026" for i in range(3)]
    assert Counter.objects.get(unit=office.agency, year=2026).last == first + 2
    assert all(p.status == Status.RECEIVED and p.version == 0 for p in petitions)
    assert len({p.case_id for p in petitions}) == 3
    # Each part is logged: one receive event and one audit entry per petition.
    for petition in petitions:
        assert list(petition.events.values_list("action", "from_status", "to_status")) == [
            ("receive", "", "received")
        ]
    receipts = AuditEvent.objects.filter(action="petition.receive", record_type="petitions.petition")
    assert sorted(receipts.values_list("record_id", flat=True)) == sorted(str(p.pk) for p in petitions)


def test_the_next_petition_continues_the_numbering_and_a_new_year_restarts_it(office, make_petition):
    first = make_petition()
    second = make_petition()
    assert second.number == first.number + 1
    earlier_year = make_petition(received_on=date(2025, 12, 31))
    assert (earlier_year.year, earlier_year.number) == (2025, 1)
    other_unit = make_petition(actor=office.supervisor, unit=office.commune_agency)
    assert (other_unit.year, other_unit.number) == (2026, 1)


def test_each_petition_has_a_tracking_code_and_a_secret_kept_only_as_a_digest(office):
    result = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, parts=three_parts()), today=TODAY
    )
    petitions = result.petitions
    assert set(result.secrets) == {p.pk for p in petitions}
    codes = [p.tracking_code for p in petitions]
    assert len(set(codes)) == 3
    for petition in petitions:
        secret = result.secrets[petition.pk]
        assert petition.tracking_code.startswith("DV") and len(petition.tracking_code) == 10
        assert len(secret) >= 10
        stored = Petition.objects.filter(pk=petition.pk).values().get()
        assert secret not in {str(v) for v in stored.values()}
        # Keyed: the plain hash of the secret is not stored (no offline guessing from a copy).
        assert stored["secret_digest"] != hashlib.sha256(secret.upper().encode()).hexdigest()
        assert stored["secret_digest"] == crypto.blind_index(secret.upper())
        assert selectors.petition_by_tracking(petition.tracking_code, secret) == petition
        # Typed by a citizen: spaces and lower case are forgiven.
        assert (
            selectors.petition_by_tracking(f" {petition.tracking_code.lower()} ", f" {secret.lower()} ")
            == petition
        )
    complaint, denunciation, _recommendation = petitions
    assert selectors.petition_by_tracking(complaint.tracking_code, result.secrets[denunciation.pk]) is None
    assert selectors.petition_by_tracking(complaint.tracking_code, "WRONGSECRET") is None
    assert selectors.petition_by_tracking(complaint.tracking_code, "") is None
    assert selectors.petition_by_tracking("DV00000000", result.secrets[complaint.pk]) is None


def test_the_denouncer_is_sealed_and_the_complainant_is_in_clear(office):
    person = services.PersonInput(
        name="Trần Thị Bình",
        id_number="037 190 004 321",
        address="Xóm 3, xã Khánh Thiện",
        phone="0912 345 678",
    )
    [complaint] = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, petitioners=[person]), today=TODAY
    ).petitions
    clear = complaint.petitioners.get()
    assert not complaint.protected
    assert (clear.name, clear.id_number, clear.address, clear.phone, clear.sealed) == (
        "Trần Thị Bình",
        "037190004321",
        "Xóm 3, xã Khánh Thiện",
        "0912 345 678",
        "",
    )
    data = intake_input(office.agency, parts=three_parts(), petitioners=[person])
    petitions = services.petition_intake(actor=office.clerk, data=data, today=TODAY).petitions
    # One denunciation among the contents protects the petitioners of every part: they are the
    # same people, and the complaint's next receipt number would otherwise name the denouncer.
    assert [p.protected for p in petitions] == [True, True, True]
    for petition in petitions:
        sealed = Petitioner.objects.filter(petition=petition).values().get()
        assert (sealed["name"], sealed["id_number"], sealed["address"], sealed["phone"]) == ("", "", "", "")
        assert sealed["address_unit_id"] is None
        assert sealed["sealed"] and "Bình" not in sealed["sealed"]
        # The digests are set, and the same for the same person, so duplicates are found without the name.
        assert (sealed["id_digest"], sealed["name_address_digest"]) == (
            clear.id_digest,
            clear.name_address_digest,
        )


# ---- validation ------------------------------------------------------------------------------


def _parts(*kinds_fields, content=COMPLAINT_TEXT):
    return [services.PartInput(kind=k, field=f, content=content) for k, f in kinds_fields]


INVALID = [
    ("received_on", {"received_on": date(2026, 11, 28)}),  # TODAY is 27/11/2026
    ("petitioners.0.id_number", {"petitioners": [services.PersonInput(name="Lê Văn C", id_number="12345")]}),
    # 12 digits, but 999 is no province code.
    (
        "petitioners.0.id_number",
        {"petitioners": [services.PersonInput(name="Lê Văn C", id_number="999123456789")]},
    ),
    (
        "petitioners.0.id_number",
        {"petitioners": [services.PersonInput(name="Lê Văn C", id_number="03709000123X")]},
    ),
    ("petitioners.0.name", {"petitioners": [services.PersonInput(id_number="037090001234")]}),
    # No corruption field on the complaint forms.
    ("parts.0.field", {"parts": _parts((Kind.COMPLAINT, "corruption"))}),
    ("parts.0.field", {"parts": _parts((Kind.RECOMMENDATION, "civil_service"))}),
    ("parts.0.content", {"parts": _parts((Kind.COMPLAINT, "land"), content=" \n\t ")}),
    (
        "parts.1.content",
        {"parts": [*_parts((Kind.COMPLAINT, "land")), *_parts((Kind.FEEDBACK, "land"), content="")]},
    ),
    ("parts.0.kind", {"parts": _parts(("petition", "land"))}),
    ("parts", {"parts": []}),
    ("parts", {"parts": _parts((Kind.COMPLAINT, "land"), (Kind.COMPLAINT, "policy"))}),
    ("anonymous", {"anonymous": True, "petitioners": []}),
    ("petitioners", {"petitioners": []}),
    ("channel", {"channel": "carrier_pigeon"}),
    ("sender_body", {"channel": Channel.PRESS, "sender_body": "  "}),
    ("sender_body", {"channel": Channel.DEPUTY}),
    ("decision_known_on", {"decision_known_on": date(2026, 11, 3)}),
    (
        "signer_count",
        {
            "signer_count": 1,
            "petitioners": [
                services.PersonInput(name="Nguyễn Văn An", address="Thôn Đông"),
                services.PersonInput(name="Nguyễn Thị Hoa", address="Thôn Đông"),
            ],
        },
    ),
    ("signer_count", {"signer_count": 0}),
    (
        "parts.0.link",
        {"parts": [services.PartInput(kind=Kind.COMPLAINT, field="land", content="x", link="case")]},
    ),
    (
        "parts.0.link",
        {
            "parts": [
                services.PartInput(
                    kind=Kind.COMPLAINT, field="land", content="x", link="merge", link_petition_id=1
                )
            ]
        },
    ),
]


@pytest.mark.parametrize(
    ("field", "overrides"), INVALID, ids=[f"{f}-{i}" for i, (f, _o) in enumerate(INVALID)]
)
def test_each_bad_input_gets_its_field_error_and_writes_nothing(office, field, overrides):
    before = counts()
    with pytest.raises(DomainError) as caught:
        services.petition_intake(
            actor=office.clerk, data=intake_input(office.agency, **overrides), today=TODAY
        )
    assert caught.value.code == "petition_invalid"
    assert list(caught.value.fields) == [field]
    assert caught.value.field_messages()[field][0]
    assert counts() == before


def test_all_problems_are_reported_at_once(office):
    data = intake_input(
        office.agency,
        received_on=date(2026, 12, 1),
        channel=Channel.FRONT,
        petitioners=[services.PersonInput(name="Lê Văn C", id_number="12345")],
        parts=_parts((Kind.COMPLAINT, "corruption"), content=""),
    )
    with pytest.raises(DomainError) as caught:
        services.petition_intake(actor=office.clerk, data=data, today=TODAY)
    assert set(caught.value.fields) == {
        "received_on",
        "sender_body",
        "petitioners.0.id_number",
        "parts.0.field",
        "parts.0.content",
    }


def test_a_unit_that_did_not_exist_on_the_date_received(tree, make_user):
    # Commune C1 ended on 30/06/2025 (merged into N); N began on 01/07/2025.
    clerk_c1 = make_user(Role.CLERK, tree.c1)
    clerk_n = make_user(Role.CLERK, tree.n)
    for actor, unit, received in ((clerk_c1, tree.c1, RECEIVED), (clerk_n, tree.n, date(2025, 6, 30))):
        with pytest.raises(DomainError) as caught:
            services.petition_intake(actor=actor, data=intake_input(unit, received_on=received), today=TODAY)
        assert list(caught.value.fields) == ["received_on"]
    assert not Petition.objects.exists()
    # The last day of C1 and the first day of N are fine.
    old = services.petition_intake(
        actor=clerk_c1, data=intake_input(tree.c1, received_on=date(2025, 6, 30)), today=TODAY
    )
    new = services.petition_intake(
        actor=clerk_n, data=intake_input(tree.n, received_on=date(2025, 7, 1)), today=TODAY
    )
    assert (old.petitions[0].unit, new.petitions[0].unit) == (tree.c1, tree.n)


def test_an_unknown_unit_and_a_unit_out_of_reach(office):
    with pytest.raises(DomainError) as caught:
        services.petition_intake(
            actor=office.clerk, data=intake_input(office.agency, unit_id=10**9), today=TODAY
        )
    assert caught.value.code == "unit_not_found"
    with pytest.raises(PermissionDenied):
        services.petition_intake(actor=office.clerk, data=intake_input(office.foreign_agency), today=TODAY)
    assert not Petition.objects.exists()


def test_valid_id_shapes_are_accepted(make_petition):
    for number, stored in (
        ("037090001234", "037090001234"),
        ("123456789", "123456789"),
        ("b1234567", "B1234567"),
    ):
        petition = make_petition(petitioners=[services.PersonInput(name="Lê Văn C", id_number=number)])
        assert petition.petitioners.get().id_number == stored


def test_anonymous_denunciation_and_recommendation_are_recorded(make_petition):
    denunciation = make_petition(
        kind=Kind.DENUNCIATION, field="corruption", content=DENUNCIATION_TEXT, anonymous=True, petitioners=[]
    )
    recommendation = make_petition(
        kind=Kind.RECOMMENDATION, field="policy", content=RECOMMENDATION_TEXT, anonymous=True, petitioners=[]
    )
    assert denunciation.anonymous and recommendation.anonymous
    assert not denunciation.petitioners.exists()


# ---- text ------------------------------------------------------------------------------------


def test_decomposed_input_is_stored_composed(make_petition):
    nfd = unicodedata.normalize("NFD", COMPLAINT_TEXT)
    name = unicodedata.normalize("NFD", "Nguyễn Thị Hoà")
    assert nfd != COMPLAINT_TEXT
    petition = make_petition(content=nfd, petitioners=[services.PersonInput(name=name, address="Thôn Đông")])
    petition.refresh_from_db()
    assert petition.content == COMPLAINT_TEXT
    assert petition.petitioners.get().name == unicodedata.normalize("NFC", "Nguyễn Thị Hoà")
    assert petition.content_folded.startswith("khieu nai quyet dinh thu hoi dat so 12/qd-ubnd")


def test_markup_is_stored_as_text(make_petition):
    content = "Tố cáo <script>alert('Đất')</script> ông Đỗ <b>Văn</b> Được"
    petition = make_petition(kind=Kind.DENUNCIATION, field="land", content=content)
    petition.refresh_from_db()
    assert petition.content == content
    assert petition.content_folded == "to cao <script>alert('dat')</script> ong do <b>van</b> duoc"


# ---- the time limit to complain --------------------------------------------------------------


def test_a_complaint_after_its_90_days_gets_a_warning(office, make_petition):
    # Known on 01/07/2026: 90 days end on 29/09/2026 (30 + 31 + 29); received on 02/11/2026.
    result = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, decision_known_on=date(2026, 7, 1)), today=TODAY
    )
    assert len(result.warnings) == 1
    assert "29/09/2026" in result.warnings[0]
    event = result.petitions[0].events.get()
    assert event.data == {"warnings": result.warnings}
    assert result.petitions[0].status == Status.RECEIVED  # only a warning: the officer judges


def test_a_complaint_received_on_the_90th_day_gets_none(office):
    # Known on 04/08/2026: 27 + 30 + 31 + 2 = 90 days end on Monday 02/11/2026, the day received.
    result = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, decision_known_on=date(2026, 8, 4)), today=TODAY
    )
    assert result.warnings == []
    assert result.petitions[0].events.get().data == {}


def test_the_warning_is_only_for_complaints(office):
    parts = three_parts()[1:]
    result = services.petition_intake(
        actor=office.clerk,
        data=intake_input(office.agency, parts=parts, decision_known_on=date(2026, 1, 5)),
        today=TODAY,
    )
    assert result.warnings == []


# ---- the first deadline ----------------------------------------------------------------------


def test_deadlines_set_at_intake_by_kind(office):
    result = services.petition_intake(
        actor=office.clerk, data=intake_input(office.agency, parts=three_parts()), today=TODAY
    )
    complaint, denunciation, recommendation = result.petitions
    # Complaint: acceptance within 7 working days (rule from 01/07/2026): Tue 3, 4, 5, 6, Mon 9, 10, 11.
    assert (complaint.deadline_step, complaint.deadline_start, complaint.due_date) == (
        "accept",
        RECEIVED,
        date(2026, 11, 11),
    )
    # Denunciation (Luật Tố cáo 2018 Art 24): initial processing, 7 working days, the same count.
    assert (denunciation.deadline_step, denunciation.due_date) == ("process", date(2026, 11, 11))
    # Recommendation: processing in 10 days: Thursday 12/11/2026.
    assert (recommendation.deadline_step, recommendation.due_date) == ("process", date(2026, 11, 12))
    stored = Petition.objects.get(pk=denunciation.pk)
    assert stored.due_date == date(2026, 11, 11)


def test_deadlines_follow_the_law_in_force_on_the_date_received(make_petition):
    # 02/05/2016 is itself a day off (30/4 observed); 03/05 too (1/5 observed).
    denunciation = make_petition(
        kind=Kind.DENUNCIATION, field="corruption", content=DENUNCIATION_TEXT, received_on=date(2016, 5, 2)
    )
    # Luật Tố cáo 2011: 10 calendar days -> Thursday 12/05/2016.
    assert (denunciation.deadline_step, denunciation.due_date) == ("process", date(2016, 5, 12))
    complaint = make_petition(received_on=date(2016, 5, 2))
    # Complaint acceptance before 01/07/2026: 10 working days: 4, 5, 6, 9, 10, 11, 12, 13, 16, 17.
    assert (complaint.deadline_step, complaint.due_date) == ("accept", date(2016, 5, 17))


def test_a_second_complaint_follows_the_first(office, make_petition):
    first = make_petition()
    second = make_petition(previous_id=first.pk, received_on=date(2026, 11, 20))
    assert (second.previous_id, second.round, second.kind) == (first.pk, 2, Kind.COMPLAINT)
    with pytest.raises(DomainError) as caught:
        make_petition(previous_id=first.pk, kind=Kind.DENUNCIATION, field="land", content=DENUNCIATION_TEXT)
    assert caught.value.code == "previous_kind"
    with pytest.raises(DomainError) as caught:
        make_petition(previous_id=10**9)
    assert list(caught.value.fields) == ["previous"]


# ---- atomicity -------------------------------------------------------------------------------


def test_intake_failing_halfway_leaves_nothing(office, make_petition, monkeypatch):
    make_petition()  # a counter row exists and must keep its value
    before = counts()
    calls = {"n": 0}
    real = audit.record

    def failing(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:  # the first petition is fully written, the second half-way
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        services.petition_intake(
            actor=office.clerk, data=intake_input(office.agency, parts=three_parts()[:2]), today=TODAY
        )
    assert calls["n"] == 2
    assert counts() == before
