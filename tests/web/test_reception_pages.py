"""Reception pages: the desk with the look-up and the visit form, the receipt with the secrets shown
once, a visit with its answer and the protected identity, sessions with their steps and the head's
conclusions, places and duties, the reception book and its downloads, compliance, what is owed,
and the public schedule.

Data is made through the services; assertions hold on status codes, ids, data attributes and
values, not on translated labels (except where the language is the point)."""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from danvan.core.errors import StaleEdit
from danvan.core.models import AuditEvent
from danvan.petitions import services as petition_services
from danvan.petitions.models import Petition
from danvan.reception import services
from danvan.reception.models import Duty, Place, Presider, Session, SessionKind, SessionStatus, Visit
from danvan.units import services as unit_services
from danvan.units.models import Role, RoleScope, Unit
from tests.web.conftest import REFORM, START, WebTree, create_user

pytestmark = pytest.mark.django_db

PLANTED_NAME = "Hoàng Thị Bí Mật Zyx"  # a denouncer: must appear nowhere it should not
PLANTED_ID = "037199012345"
CITIZEN_ID = "037090001234"


def today() -> date:
    return timezone.localdate()


@dataclass
class Reception:
    """The commune's People's Committee receives citizens: one user per role, a second clerk, the
    chairman's duty, and a clerk of another province (the outsider)."""

    tree: WebTree
    unit: Unit
    clerk: object
    clerk2: object
    handler: object
    leader: object
    committee: object
    supervisor: object
    outsider: object
    outside_unit: Unit
    duty: Duty


def build_reception(tree: WebTree) -> Reception:
    admin = tree.admin
    other_province = unit_services.unit_create(
        actor=admin,
        code="01",
        name="Thành phố Hà Nội",
        kind="central_city",
        parent_id=tree.country.pk,
        valid_from=START,
    )
    ward = unit_services.unit_create(
        actor=admin,
        code="00004",
        name="Phường Ba Đình",
        kind="ward",
        parent_id=other_province.pk,
        valid_from=REFORM,
    )
    unit = tree.commune
    leader = create_user("chairman", Role.LEADER, unit, first_name="Chủ", last_name="Trần Văn")
    duty = services.duty_save(
        actor=leader,
        unit_id=unit.pk,
        position="pc_chairman",
        holder_name="Trần Văn Chủ",
        holder_id=leader.pk,
        valid_from=REFORM,
    )
    return Reception(
        tree=tree,
        unit=unit,
        clerk=create_user("clerk", Role.CLERK, unit, first_name="Lan", last_name="Trần"),
        clerk2=create_user("clerk2", Role.CLERK, unit),
        handler=create_user("handler", Role.HANDLER, unit),
        leader=leader,
        committee=create_user("committee", Role.COMMITTEE_MEMBER, unit),
        supervisor=create_user("supervisor", Role.LEADER, tree.province, RoleScope.SUBTREE),
        outsider=create_user("outsider", Role.CLERK, ward),
        outside_unit=ward,
        duty=duty,
    )


@pytest.fixture
def rec(web_tree) -> Reception:
    return build_reception(web_tree)


def open_today(r: Reception, actor=None) -> Session:
    return services.session_open_regular(
        actor=actor or r.clerk, unit_id=r.unit.pk, day=today(), place_id=None, today=today()
    )


def head_session(r: Reception, day: date | None = None, **overrides) -> Session:
    """The chairman's periodic reception, held in person (today unless told)."""
    values = {
        "unit_id": r.unit.pk,
        "kind": SessionKind.PERIODIC,
        "day": day or today(),
        "duty_id": r.duty.pk,
        "held": True,
        "presider": Presider.HEAD,
    }
    values.update(overrides)
    return services.session_create(actor=r.clerk, data=services.SessionInput(**values), today=today()).session


def visit_input(session: Session, **overrides) -> services.VisitInput:
    values = {
        "session_id": session.pk,
        "parts": [
            services.VisitPart(
                kind="complaint",
                field="land",
                content="Khiếu nại việc thu hồi đất nông nghiệp tại thôn Đông, bồi thường chưa thỏa đáng.",
            )
        ],
        "visitors": [services.VisitorInput(name="Nguyễn Văn An", id_number=CITIZEN_ID, address="Thôn Đông")],
        "outcome": "accepted",
    }
    values.update(overrides)
    return services.VisitInput(**values)


def record(r: Reception, session: Session, actor=None, **overrides) -> services.VisitResult:
    return services.visit_record(
        actor=actor or r.clerk, data=visit_input(session, **overrides), today=today()
    )


def denouncer_visit(r: Reception, session: Session, actor=None) -> Visit:
    return record(
        r,
        session,
        actor=actor,
        parts=[
            services.VisitPart(
                kind="denunciation",
                field="corruption",
                content="Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy chứng nhận.",
            )
        ],
        visitors=[services.VisitorInput(name=PLANTED_NAME, id_number=PLANTED_ID, address="Thôn Bắc")],
        make_petitions=True,
    ).visit


def body_of(response) -> str:
    return response.content.decode()


def in_page(message: str, response, language: str = "vi") -> bool:
    with translation.override(language):
        return escape(translation.gettext(str(message))) in body_of(response)


def visit_post(**fields) -> dict:
    """The visit form as the browser posts it: one person, one complaint, an empty second content."""
    data = {
        "step": "save",
        "visitors-TOTAL_FORMS": "1",
        "visitors-INITIAL_FORMS": "0",
        "visitors-MIN_NUM_FORMS": "1",
        "visitors-MAX_NUM_FORMS": "30",
        "visitors-0-name": "Nguyễn Văn An",
        "visitors-0-id_number": CITIZEN_ID,
        "visitors-0-address": "Thôn Đông, xã Khánh Thiện",
        "visitors-0-phone": "",
        "people_count": "1",
        "parts-TOTAL_FORMS": "2",
        "parts-INITIAL_FORMS": "0",
        "parts-MIN_NUM_FORMS": "1",
        "parts-MAX_NUM_FORMS": "4",
        "parts-0-kind": "complaint",
        "parts-0-field": "land",
        "parts-0-content": "Khiếu nại quyết định thu hồi đất nông nghiệp tại thôn Đông, mức bồi thường thấp.",
        "parts-0-subject": "UBND xã Khánh Thiện",
        "parts-1-kind": "",
        "parts-1-field": "",
        "parts-1-content": "",
        "parts-1-subject": "",
        "summary": "",
        "requests": "Đề nghị xem xét lại mức bồi thường.",
        "earlier_handling": "",
        "outcome": "accepted",
        "outcome_note": "",
        "target_name": "",
        "target_document": "",
        "refusal_ground": "",
        "refusal_notice": "",
        "make_petitions": "on",
        "note": "",
        "repeat_of_visit": "",
        "repeat_of_petition": "",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def error_links(response) -> list[str]:
    summary = re.search(r"data-error-summary>(.*?)</div>", body_of(response), re.S)
    assert summary, "no error summary"
    return re.findall(r'href="(#[^"]*)"', summary[1])


# ---- navigation and access ------------------------------------------------------------------------


def test_nav_links_to_the_desk_or_the_sessions(client, rec):
    client.force_login(rec.clerk)
    body = body_of(client.get(reverse("core:home")))
    assert (
        'data-nav="reception"' in body and f'href="{reverse("reception:desk")}" data-nav="reception"' in body
    )
    client.force_login(rec.committee)
    body = body_of(client.get(reverse("core:home")))
    assert f'href="{reverse("reception:sessions")}" data-nav="reception"' in body
    client.force_login(create_user("nobody"))
    assert 'data-nav="reception"' not in body_of(client.get(reverse("core:home")))


def test_every_page_opens_for_the_unit_and_not_for_another_province(client, rec):
    session = open_today(rec)
    head = head_session(rec)
    visit = record(rec, session, make_petitions=True).visit
    place = services.place_save(
        actor=rec.leader, unit_id=rec.unit.pk, name="Trụ sở UBND xã", address="Thôn Đông"
    )
    pages = [
        ("reception:session", [session.pk]),
        ("reception:visit_new", [session.pk]),
        ("reception:visit", [visit.pk]),
        ("reception:receipt", [visit.pk]),
        ("reception:visitor_identity", [visit.pk]),
        ("reception:conclusion_new", [head.pk]),
        ("reception:place_edit", [place.pk]),
        ("reception:duty_edit", [rec.duty.pk]),
    ]
    lists = [
        "reception:desk",
        "reception:sessions",
        "reception:session_new",
        "reception:book",
        "reception:compliance",
        "reception:answers_due",
        "reception:places",
        "reception:duties",
        "reception:place_new",
        "reception:duty_new",
    ]
    client.force_login(rec.leader)
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    for name in lists:
        assert client.get(reverse(name)).status_code == 200, name

    client.force_login(rec.outsider)
    for name, args in pages:
        expected = (
            403
            if name in ("reception:conclusion_new", "reception:place_edit", "reception:duty_edit")
            else 404
        )
        assert client.get(reverse(name, args=args)).status_code == expected, name
    body = body_of(client.get(reverse("reception:sessions")))
    assert f'data-session="{session.pk}"' not in body

    client.force_login(rec.clerk)
    for name in ("reception:places", "reception:duties", "reception:place_new", "reception:duty_new"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("reception:conclusion_new", args=[head.pk])).status_code == 403

    client.force_login(rec.committee)
    for name in ("reception:desk", "reception:session_new"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("reception:visit_new", args=[session.pk])).status_code == 403
    assert client.get(reverse("reception:receipt", args=[visit.pk])).status_code == 403
    assert client.get(reverse("reception:visit", args=[visit.pk])).status_code == 200
    assert client.get(reverse("reception:book")).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, rec):
    response = client.get(reverse("reception:desk"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# ---- the desk ----------------------------------------------------------------------------------


def test_desk_opens_todays_regular_reception_once(client, rec):
    client.force_login(rec.clerk)
    response = client.get(reverse("reception:desk"))
    assert response.status_code == 200 and "data-no-session" in body_of(response)
    assert "data-open-regular" in body_of(response) and "autofocus" in body_of(response)
    opened = client.post(reverse("reception:open_regular"))
    session = Session.objects.get()
    assert opened.status_code == 302 and opened["Location"] == reverse(
        "reception:visit_new", args=[session.pk]
    )
    assert (session.kind, session.status, session.day) == (SessionKind.REGULAR, SessionStatus.HELD, today())
    client.post(reverse("reception:open_regular"))
    assert Session.objects.count() == 1
    body = body_of(client.get(reverse("reception:desk")))
    assert f'data-open-session="{session.pk}"' in body


def test_lookup_shows_earlier_visits_and_petitions_and_counts_the_hidden(client, rec):
    session = open_today(rec)
    first = record(rec, session, make_petitions=True).visit
    second = record(rec, session, repeat_of_visit_id=first.pk).visit
    hidden = denouncer_visit(rec, session, actor=rec.clerk2)
    client.force_login(rec.clerk)
    url = reverse("reception:lookup")
    response = client.get(
        url, {"q": "037 090 001 234", "session": session.pk, "inline": "True"}, HTTP_HX_REQUEST="true"
    )
    body = body_of(response)
    assert response.status_code == 200 and 'data-lookup-done="id"' in body
    assert f'data-earlier-visit="{first.pk}"' in body and f'data-earlier-visit="{second.pk}"' in body
    assert body.count('data-case-visits="2"') == 2
    petition = first.petitions.get()
    assert f'data-earlier-petition="{petition.pk}"' in body
    form_url = reverse("reception:visit_new", args=[session.pk])
    assert f'href="{form_url}?repeat_of_visit={first.pk}" data-id="{first.pk}" role="button"' in body
    assert f'href="{form_url}?repeat_of_petition={petition.pk}"' in body
    assert 'data-same-matter="visit"' in body and 'data-same-matter="petition"' in body

    # The denouncer, received by another clerk, is only counted; their name never appears.
    response = client.get(url, {"q": PLANTED_ID}, HTTP_HX_REQUEST="true")
    body = body_of(response)
    assert 'data-lookup-hidden="2"' in body  # the visit and the petition made of it
    assert f'data-earlier-visit="{hidden.pk}"' not in body and PLANTED_NAME not in body

    by_name = body_of(client.get(url, {"q": "Nguyễn Văn"}, HTTP_HX_REQUEST="true"))
    assert 'data-lookup-done="name"' in by_name and f'data-earlier-visit="{first.pk}"' in by_name
    partial = body_of(client.get(url, {"q": "0370"}, HTTP_HX_REQUEST="true"))
    assert 'data-lookup-done="partial_id"' in partial

    # Without htmx the look-up is drawn on the desk, with links to record a visit on the same matter.
    plain = client.get(url, {"q": CITIZEN_ID})
    assert plain.status_code == 302 and plain["Location"].startswith(reverse("reception:desk"))
    desk = body_of(client.get(plain["Location"]))
    assert f'data-earlier-visit="{first.pk}"' in desk
    assert f"{reverse('reception:visit_new', args=[session.pk])}?repeat_of_visit={first.pk}" in desk

    client.force_login(rec.outsider)
    outside = body_of(client.get(url, {"q": CITIZEN_ID}, HTTP_HX_REQUEST="true"))
    assert "data-lookup-none" in outside and f'data-earlier-visit="{first.pk}"' not in outside


# ---- the visit form ------------------------------------------------------------------------------


def test_visit_form_offers_two_contents_and_the_lookup(client, rec):
    session = open_today(rec)
    client.force_login(rec.clerk)
    response = client.get(reverse("reception:visit_new", args=[session.pk]))
    assert response.status_code == 200
    body = body_of(response)
    assert 'id="parts-0"' in body and 'id="parts-1"' in body and 'data-add-row="parts"' in body
    assert 'id="visitors-empty"' in body and 'data-add-row="visitors"' in body
    assert 'name="make_petitions"' in body and re.search(r'name="make_petitions"[^>]*checked', body)
    assert "data-lookup-input" in body and 'id="visit-form"' in body
    for outcome in ("answered", "accepted", "guided", "transferred", "urged", "refused"):
        assert f'value="{outcome}"' in body


def test_visit_with_two_contents_makes_two_petitions_and_a_receipt_shown_once(client, rec):
    session = open_today(rec)
    client.force_login(rec.clerk)
    fields = {
        "parts-1-kind": "recommendation",
        "parts-1-field": "policy",
        "parts-1-content": "Kiến nghị hỗ trợ chuyển đổi nghề cho các hộ bị thu hồi đất.",
        "has_original_documents": "on",
    }
    response = client.post(reverse("reception:visit_new", args=[session.pk]), visit_post(**fields))
    assert response.status_code == 302, body_of(response)
    visit = Visit.objects.get()
    assert response["Location"] == reverse("reception:receipt", args=[visit.pk])
    petitions = list(visit.petitions.order_by("pk"))
    assert [p.kind for p in petitions] == ["complaint", "recommendation"]
    assert petitions[0].case_id == visit.case_id and all(p.has_original_documents for p in petitions)
    assert visit.answer_due is not None and visit.received_by == rec.clerk

    first = client.get(response["Location"])
    assert first.status_code == 200 and "no-store" in first["Cache-Control"]
    body = body_of(first)
    assert f"data-book-number>{visit.book_number}<" in body
    secrets = re.findall(r"data-secret>([A-Z0-9]+)<", body)
    assert len(secrets) == 2
    for petition, secret in zip(petitions, secrets, strict=True):
        assert petition.tracking_code in body
        assert petition_services.secret_digest(secret) == petition.secret_digest
    assert reverse("petitions:track") in body and "data-print" in body
    again = body_of(client.get(response["Location"]))
    assert not any(secret in again for secret in secrets) and again.count("data-secret-gone") == 2


def test_receipt_never_names_a_denouncer(client, rec):
    session = open_today(rec)
    client.force_login(rec.clerk)
    fields = {
        "parts-0-kind": "denunciation",
        "parts-0-field": "corruption",
        "parts-0-content": "Tố cáo cán bộ địa chính xã nhận tiền khi làm thủ tục cấp giấy chứng nhận.",
        "outcome": "transferred",
        "target_name": "Thanh tra huyện",
        "visitors-0-name": PLANTED_NAME,
        "visitors-0-id_number": PLANTED_ID,
    }
    response = client.post(reverse("reception:visit_new", args=[session.pk]), visit_post(**fields))
    assert response.status_code == 302, body_of(response)
    body = body_of(client.get(response["Location"]))
    assert PLANTED_NAME not in body and PLANTED_ID not in body
    assert Visit.objects.get().protected


def test_visit_errors_are_shown_on_the_form_and_nothing_is_saved(client, rec):
    session = open_today(rec)
    client.force_login(rec.clerk)
    url = reverse("reception:visit_new", args=[session.pk])

    # The form's own checks: no outcome, no content.
    response = client.post(url, visit_post(outcome=None, **{"parts-0-content": ""}))
    assert response.status_code == 400
    assert {"#id_outcome", "#id_parts-0-content"} <= set(error_links(response))

    # The service's rules, each beside its field: a crowd of three, a refusal without ground.
    response = client.post(url, visit_post(crowd="on", people_count="3"))
    assert response.status_code == 400 and "#id_crowd" in error_links(response)
    response = client.post(url, visit_post(outcome="refused", make_petitions=None))
    assert response.status_code == 400 and "#id_refusal_ground" in error_links(response)
    assert 'id="id_refusal_ground_error"' in body_of(response)

    # A field the report forms do not list for the kind lands on that content's field.
    response = client.post(url, visit_post(**{"parts-0-field": "corruption"}))
    assert response.status_code == 400 and "#id_parts-0-field" in error_links(response)

    # A matter answered on the spot does not become a petition.
    response = client.post(url, visit_post(outcome="answered"))
    assert response.status_code == 400 and "#id_make_petitions" in error_links(response)

    # Two contents of the same kind: the section's error, linked to the section.
    response = client.post(
        url,
        visit_post(
            **{"parts-1-kind": "complaint", "parts-1-field": "policy", "parts-1-content": "Khiếu nại khác."}
        ),
    )
    assert response.status_code == 400 and "#parts" in error_links(response)
    assert 'data-section-error="parts"' in body_of(response)

    # Nobody named: the people's section.
    response = client.post(
        url, visit_post(**{"visitors-0-name": "", "visitors-0-id_number": "", "visitors-0-address": ""})
    )
    assert response.status_code == 400 and "#visitors" in error_links(response)
    assert Visit.objects.count() == 0 and Petition.objects.count() == 0


def test_a_visit_in_a_cancelled_session_is_refused_on_the_form(client, rec):
    session = head_session(rec, held=False, presider="", day=today() + timedelta(days=30))
    services.session_cancel(
        actor=rec.clerk, session_id=session.pk, version=session.version, reason="Bão", today=today()
    )
    client.force_login(rec.clerk)
    url = reverse("reception:visit_new", args=[session.pk])
    assert "data-session-not-open" in body_of(client.get(url))
    response = client.post(url, visit_post())
    assert response.status_code == 400 and "alert-danger" in body_of(response)
    assert Visit.objects.count() == 0


def test_add_rows_and_same_matter_without_javascript(client, rec):
    session = open_today(rec)
    earlier = record(rec, session).visit
    client.force_login(rec.clerk)
    url = reverse("reception:visit_new", args=[session.pk])
    response = client.post(url, visit_post(step="add_visitor"))
    assert response.status_code == 200 and 'id="visitors-1"' in body_of(response)
    response = client.post(url, visit_post(step="add_part"))
    assert 'id="parts-2"' in body_of(response)
    assert Visit.objects.count() == 1

    response = client.get(url, {"repeat_of_visit": earlier.pk})  # the look-up's "same matter" link
    body = body_of(response)
    assert response.status_code == 200 and f'name="repeat_of_visit" value="{earlier.pk}"' in body
    assert earlier.book_number in re.search(r"data-repeat-text>(.*?)</span>", body, re.S)[1]
    unlinked = client.post(url, visit_post(step="unlink", repeat_of_visit=str(earlier.pk)))
    body = body_of(unlinked)
    assert 'name="repeat_of_visit" value=' not in body and "Nguyễn Văn An" in body  # what was typed is kept

    response = client.post(url, visit_post(repeat_of_visit=str(earlier.pk)))
    assert response.status_code == 302
    visit = Visit.objects.exclude(pk=earlier.pk).get()
    assert visit.is_repeat and visit.repeat_of_id == earlier.pk and visit.case_id == earlier.case_id

    # The same link from a petition, through the link of the desk's look-up.
    petition = record(rec, session, make_petitions=True).petitions[0]
    response = client.get(url, {"repeat_of_petition": petition.pk})
    assert f'name="repeat_of_petition" value="{petition.pk}"' in body_of(response)


def test_a_crowd_with_its_representatives(client, rec):
    session = open_today(rec)
    client.force_login(rec.clerk)
    fields = {
        "crowd": "on",
        "people_count": "12",
        "visitors-TOTAL_FORMS": "2",
        "visitors-0-representative": "on",
        "visitors-1-name": "Lê Thị Bình",
        "visitors-1-address": "Thôn Đông",
        "visitors-1-representative": "on",
    }
    response = client.post(reverse("reception:visit_new", args=[session.pk]), visit_post(**fields))
    assert response.status_code == 302, body_of(response)
    visit = Visit.objects.get()
    assert visit.crowd and visit.people_count == 12
    assert list(visit.visitors.values_list("representative", flat=True)) == [True, True]


# ---- a visit -------------------------------------------------------------------------------------


def test_visit_page_shows_the_petitions_the_chain_and_the_answer(client, rec):
    session = open_today(rec)
    first = record(rec, session).visit
    result = record(rec, session, repeat_of_visit_id=first.pk, make_petitions=True)
    client.force_login(rec.handler)
    body = body_of(client.get(reverse("reception:visit", args=[result.visit.pk])))
    assert f'data-petition="{result.petitions[0].pk}"' in body
    assert reverse("petitions:detail", args=[result.petitions[0].pk]) in body
    assert f'data-chain-visit="{first.pk}"' in body and "data-repeat" in body
    assert 'data-answer="owed"' in body and "data-answer-form" in body
    assert "Nguyễn Văn An" in body and CITIZEN_ID in body


def test_answer_is_recorded_and_a_stale_version_answers_with_the_stale_message(client, rec):
    session = open_today(rec)
    visit = record(rec, session).visit
    client.force_login(rec.clerk)
    url = reverse("reception:visit_answer", args=[visit.pk])
    data = {
        "version": str(visit.version + 1),
        "answered_on": today().strftime("%d/%m/%Y"),
        "answer_kind": "accepted",
    }
    stale = client.post(url, data)
    assert stale.status_code == 409
    assert in_page(StaleEdit.default_message, stale)
    assert Visit.objects.get().answered_on is None

    bad = client.post(url, {**data, "version": str(visit.version), "answered_on": "01/01/2020"})
    assert bad.status_code == 400 and "#id_answered_on" in error_links(bad)

    ok = client.post(url, {**data, "version": str(visit.version), "follow_up": "Đã thụ lý."})
    assert ok.status_code == 302 and ok["Location"] == reverse("reception:visit", args=[visit.pk])
    visit.refresh_from_db()
    assert (
        visit.answered_on == today() and visit.answer_kind == "accepted" and visit.follow_up == "Đã thụ lý."
    )
    assert 'data-answer="answered"' in body_of(client.get(ok["Location"]))


def test_protected_identity_for_the_entitled_only_with_a_reason_logged(client, rec):
    session = open_today(rec)
    visit = denouncer_visit(rec, session)
    url = reverse("reception:visitor_identity", args=[visit.pk])

    client.force_login(rec.committee)
    detail = body_of(client.get(reverse("reception:visit", args=[visit.pk])))
    assert (
        PLANTED_NAME not in detail
        and "data-visitors-protected" in detail
        and "data-reveal-form" not in detail
    )
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "xem"}).status_code == 403

    client.force_login(rec.outsider)
    assert client.get(url).status_code == 404

    client.force_login(rec.leader)  # the head of the unit
    detail = body_of(client.get(reverse("reception:visit", args=[visit.pk])))
    assert PLANTED_NAME not in detail and "data-reveal-form" in detail
    assert client.post(url, {"reason": ""}).status_code == 400
    before = AuditEvent.objects.filter(action="reception.identity_view").count()
    response = client.post(url, {"reason": "Xác minh nội dung tố cáo"})
    assert (
        response.status_code == 200 and PLANTED_NAME in body_of(response) and PLANTED_ID in body_of(response)
    )
    assert "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="reception.identity_view").count() == before + 1


# ---- sessions ------------------------------------------------------------------------------------


def session_post(r: Reception, **fields) -> dict:
    data = {
        "unit": str(r.unit.pk),
        "kind": "periodic",
        "mode": "in_person",
        "day": (today() + timedelta(days=21)).strftime("%d/%m/%Y"),
        "starts_at": "07:30",
        "ends_at": "11:00",
        "place": "",
        "duty": str(r.duty.pk),
        "trigger": "",
        "attendees": "Công chức địa chính",
        "expected_content": "Tiếp công dân định kỳ.",
        "presider": "",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_session_scheduled_published_then_cancelled_with_version_checks(client, rec):
    client.force_login(rec.clerk)
    response = client.post(reverse("reception:session_new"), session_post(rec))
    assert response.status_code == 302, body_of(response)
    session = Session.objects.get()
    assert response["Location"] == reverse("reception:session", args=[session.pk])
    assert (session.status, session.duty_id, session.starts_at.hour) == (
        SessionStatus.SCHEDULED,
        rec.duty.pk,
        7,
    )

    page = body_of(client.get(response["Location"]))
    for step in ("publish", "hold", "cancel"):
        assert f'data-step="{step}"' in page

    publish = reverse("reception:session_publish", args=[session.pk])
    on = today().strftime("%d/%m/%Y")
    stale = client.post(publish, {"publish-version": str(session.version + 1), "publish-on": on})
    assert stale.status_code == 409
    assert in_page(StaleEdit.default_message, stale)
    ok = client.post(publish, {"publish-version": str(session.version), "publish-on": on})
    assert ok.status_code == 302
    session.refresh_from_db()
    assert session.published_on == today()
    assert 'data-step="publish"' not in body_of(client.get(ok["Location"]))

    cancel = reverse("reception:session_cancel", args=[session.pk])
    empty = client.post(cancel, {"cancel-version": str(session.version), "cancel-reason": ""})
    assert empty.status_code == 400 and "#id_cancel-reason" in body_of(empty)
    done = client.post(
        cancel, {"cancel-version": str(session.version), "cancel-reason": "Chủ tịch đi công tác."}
    )
    assert done.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert "data-step=" not in body_of(client.get(done["Location"]))


def test_session_form_shows_the_service_errors(client, rec):
    client.force_login(rec.clerk)
    response = client.post(reverse("reception:session_new"), session_post(rec, kind="ad_hoc", duty=""))
    assert response.status_code == 400
    body = body_of(response)
    assert 'href="#id_duty"' in body and 'href="#id_trigger"' in body
    response = client.post(
        reverse("reception:session_new"), session_post(rec, starts_at="10:00", ends_at="09:00")
    )
    assert response.status_code == 400 and 'href="#id_ends_at"' in body_of(response)
    assert not Session.objects.exists()


def test_session_held_now_with_its_presider(client, rec):
    client.force_login(rec.clerk)
    session = head_session(rec, held=False, presider="", day=today())
    url = reverse("reception:session_hold", args=[session.pk])
    missing = client.post(url, {"hold-version": str(session.version), "hold-presider": ""})
    assert missing.status_code == 400 and 'href="#id_hold-presider"' in body_of(missing)
    ok = client.post(url, {"hold-version": str(session.version), "hold-presider": "head"})
    assert ok.status_code == 302
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD and session.presider == Presider.HEAD
    assert "data-record-visit" in body_of(client.get(ok["Location"]))


def test_session_list_filters(client, rec):
    regular = open_today(rec)
    head = head_session(rec)
    client.force_login(rec.clerk)
    body = body_of(client.get(reverse("reception:sessions")))
    assert f'data-session="{regular.pk}"' in body and f'data-session="{head.pk}"' in body
    body = body_of(client.get(reverse("reception:sessions"), {"kind": "periodic"}))
    assert f'data-session="{regular.pk}"' not in body and f'data-session="{head.pk}"' in body
    body = body_of(client.get(reverse("reception:sessions"), {"unit": str(rec.outside_unit.pk)}))
    assert "data-empty" in body


def test_conclusions_with_tasks_then_a_task_done(client, rec):
    session = head_session(rec)
    visit = record(rec, session).visit
    client.force_login(rec.leader)
    url = reverse("reception:conclusion_new", args=[session.pk])
    form = body_of(client.get(url))
    assert 'id="directives-0"' in form and 'id="directives-1"' in form and 'data-add-row="directives"' in form
    due = (today() + timedelta(days=10)).strftime("%d/%m/%Y")
    data = {
        "number": "12/TB-UBND",
        "issued_on": today().strftime("%d/%m/%Y"),
        "signer": "Trần Văn Chủ",
        "summary": "Giao công chức địa chính kiểm tra hồ sơ.",
        "directives-TOTAL_FORMS": "3",
        "directives-INITIAL_FORMS": "0",
        "directives-MIN_NUM_FORMS": "1",
        "directives-MAX_NUM_FORMS": "20",
        "directives-0-task": "Kiểm tra hồ sơ đất thôn Đông",
        "directives-0-due_date": due,
        "directives-0-responsible_name": "Công chức địa chính",
        "directives-0-visit": str(visit.pk),
        "directives-1-task": "Báo cáo kết quả",
        "directives-1-due_date": due,
        "directives-1-responsible_code": rec.unit.code,
        "directives-2-task": "",
        "directives-2-due_date": "",
    }
    bad = client.post(url, {**data, "directives-0-responsible_name": ""})
    assert bad.status_code == 400 and "#id_directives-0-responsible_name" in error_links(bad)
    unknown = client.post(url, {**data, "directives-1-responsible_code": "99999"})
    assert unknown.status_code == 400 and "#id_directives-1-responsible_code" in error_links(unknown)
    assert not session.conclusions.exists()

    ok = client.post(url, data)
    assert ok.status_code == 302, body_of(ok)
    conclusion = session.conclusions.get()
    directives = list(conclusion.directives.order_by("pk"))
    assert (
        len(directives) == 2
        and directives[0].visit_id == visit.pk
        and directives[1].responsible_unit_id == rec.unit.pk
    )
    page = body_of(client.get(ok["Location"]))
    assert (
        f'data-conclusion="{conclusion.pk}"' in page
        and f'data-directive-done-link="{directives[0].pk}"' in page
    )

    client.force_login(rec.clerk)
    assert f'data-directive="{directives[0].pk}"' in body_of(client.get(reverse("reception:answers_due")))
    done_url = reverse("reception:directive_done", args=[directives[0].pk])
    assert client.get(done_url).status_code == 200
    stale = client.post(done_url, {"version": "7", "done_on": today().strftime("%d/%m/%Y"), "result": "Xong"})
    assert stale.status_code == 409
    done = client.post(
        done_url,
        {"version": str(directives[0].version), "done_on": today().strftime("%d/%m/%Y"), "result": "Xong"},
    )
    assert done.status_code == 302
    directives[0].refresh_from_db()
    assert directives[0].done_on == today()
    assert client.get(done_url).status_code == 404  # no longer open


def test_regular_session_has_no_conclusions(client, rec):
    session = open_today(rec)
    client.force_login(rec.leader)
    assert "data-conclusion-new" not in body_of(client.get(reverse("reception:session", args=[session.pk])))


# ---- places and duties ---------------------------------------------------------------------------


def test_places_created_and_edited_by_the_leader(client, rec):
    client.force_login(rec.leader)
    data = {
        "unit": str(rec.unit.pk),
        "name": "Trụ sở UBND xã",
        "address": "Thôn Đông",
        "regular_hours": "Thứ 2–6",
        "active": "on",
    }
    missing = client.post(reverse("reception:place_new"), {**data, "address": ""})
    assert missing.status_code == 400 and not Place.objects.exists()
    created = client.post(reverse("reception:place_new"), data)
    assert created.status_code == 302
    place = Place.objects.get()
    assert f'data-place="{place.pk}"' in body_of(client.get(created["Location"]))
    url = reverse("reception:place_edit", args=[place.pk])
    stale = client.post(url, {**data, "name": "Trụ sở mới", "version": str(place.version + 3)})
    assert stale.status_code == 409 and in_page(StaleEdit.default_message, stale)
    ok = client.post(url, {**data, "name": "Trụ sở mới", "version": str(place.version)})
    assert ok.status_code == 302
    place.refresh_from_db()
    assert place.name == "Trụ sở mới"
    client.force_login(rec.clerk)
    assert client.post(reverse("reception:place_new"), data).status_code == 403


def test_duties_created_by_the_leader(client, rec):
    client.force_login(rec.leader)
    data = {
        "unit": str(rec.unit.pk),
        "position": "party_secretary",
        "holder_name": "Lê Văn Bí Thư",
        "holder": "",
        "valid_from": "01/07/2025",
        "valid_to": "01/01/2025",
    }
    bad = client.post(reverse("reception:duty_new"), data)
    assert bad.status_code == 400 and 'href="#id_valid_to"' in body_of(bad)
    ok = client.post(reverse("reception:duty_new"), {**data, "valid_to": ""})
    assert ok.status_code == 302
    duty = Duty.objects.get(position="party_secretary")
    assert f'data-duty="{duty.pk}"' in body_of(client.get(ok["Location"]))


# ---- the book, compliance, what is owed ------------------------------------------------------------


def test_book_has_the_twelve_columns_and_masks_a_protected_visitor_for_another_clerk(client, rec):
    session = open_today(rec)
    plain = record(rec, session).visit
    protected = denouncer_visit(rec, session, actor=rec.clerk)
    client.force_login(rec.clerk2)
    response = client.get(reverse("reception:book"))
    assert response.status_code == 200
    body = body_of(response)
    numbers = re.search(r"data-column-numbers>(.*?)</tr>", body, re.S)[1]
    assert re.findall(r"\((\d+)\)", numbers) == [str(n) for n in range(1, 13)]
    assert f'data-book-row="{plain.pk}"' in body and "Nguyễn Văn An" in body
    row = re.search(rf'data-book-row="{protected.pk}" data-masked>(.*?)</tr>', body, re.S)[1]
    assert in_page("Protected identity", response) and PLANTED_NAME not in body and PLANTED_ID not in body
    assert 'colspan="2"' in row
    assert 'data-export="xlsx"' in body and 'data-export="pdf"' in body

    client.force_login(rec.clerk)  # who received the denouncer
    body = body_of(client.get(reverse("reception:book")))
    assert PLANTED_NAME in body and f'data-book-row="{protected.pk}" data-masked' not in body


def test_book_period_and_unit_choice(client, rec):
    session = open_today(rec)
    visit = record(rec, session).visit
    client.force_login(rec.supervisor)  # a province leader sees the commune's book
    url = reverse("reception:book")
    day = today().strftime("%d/%m/%Y")
    body = body_of(client.get(url, {"unit": str(rec.unit.pk), "first": day, "last": day}))
    assert f'data-book-row="{visit.pk}"' in body
    earlier = (today() - timedelta(days=400)).strftime("%d/%m/%Y")
    body = body_of(client.get(url, {"unit": str(rec.unit.pk), "first": earlier, "last": earlier}))
    assert f'data-book-row="{visit.pk}"' not in body
    bad = client.get(url, {"unit": str(rec.unit.pk), "first": day, "last": earlier})
    assert bad.status_code == 400 and 'href="#id_last"' in body_of(bad)
    by_code = client.get(url, {"unit_code": rec.unit.code, "first": day, "last": day})
    assert f'data-book-row="{visit.pk}"' in body_of(by_code)
    client.force_login(rec.outsider)  # another province's unit is not offered, nor shown
    response = client.get(url, {"unit": str(rec.unit.pk), "first": day, "last": day})
    assert response.status_code in (400, 404) and f'data-book-row="{visit.pk}"' not in body_of(response)
    response = client.get(url, {"unit_code": rec.unit.code, "first": day, "last": day})
    assert response.status_code in (400, 404) and f'data-book-row="{visit.pk}"' not in body_of(response)


def export_query(r: Reception) -> dict:
    day = today().strftime("%d/%m/%Y")
    return {"unit": str(r.unit.pk), "first": day, "last": day}


def test_book_downloads_as_a_spreadsheet_masked_like_the_page(client, rec):
    session = open_today(rec)
    record(rec, session)
    denouncer_visit(rec, session)
    client.force_login(rec.clerk2)
    url = reverse("reception:book_export")
    xlsx = client.get(url, {**export_query(rec), "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert "attachment" in xlsx["Content-Disposition"] and ".xlsx" in xlsx["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        # openpyxl with lxml writes non-ASCII text as character references
        text = html.unescape(
            " ".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
        )
    assert "Nguyễn Văn An" in text and PLANTED_NAME not in text and PLANTED_ID not in text
    assert client.get(url, {**export_query(rec), "format": "exe"}).status_code == 404
    client.force_login(rec.outsider)
    assert client.get(url, {**export_query(rec), "format": "xlsx"}).status_code == 404


def test_book_downloads_as_pdf(client, rec):
    record(rec, open_today(rec))
    client.force_login(rec.clerk)
    pdf = client.get(reverse("reception:book_export"), {**export_query(rec), "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF" and pdf["Content-Type"] == "application/pdf"
    assert ".pdf" in pdf["Content-Disposition"]


def test_compliance_rates_in_the_vietnamese_format(client, rec):
    head_session(rec)
    client.force_login(rec.leader)
    first = today() - timedelta(days=today().weekday())  # the week of the session: one day required
    last = first + timedelta(days=6)
    response = client.get(
        reverse("reception:compliance"),
        {"unit": str(rec.unit.pk), "first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")},
    )
    assert response.status_code == 200
    body = body_of(response)
    assert f'data-duty="{rec.duty.pk}"' in body
    rate = re.search(r"data-rate>([^<]*)<", body)[1]
    assert re.fullmatch(r"\d{1,3},\d %|—", rate), rate
    assert re.search(r"data-in-person>1<", body)
    client.force_login(rec.supervisor)
    with_below = client.get(
        reverse("reception:compliance"), {"unit": str(rec.tree.province.pk), "below": "on"}
    )
    assert f'data-duty="{rec.duty.pk}"' in body_of(with_below)
    without = client.get(reverse("reception:compliance"), {"unit": str(rec.tree.province.pk)})
    assert f'data-duty="{rec.duty.pk}"' not in body_of(without)


def test_compliance_marks_an_uncertain_rule(client, rec):
    services.duty_save(
        actor=rec.leader,
        unit_id=rec.unit.pk,
        position="party_secretary",
        holder_name="Lê Văn Bí Thư",
        valid_from=REFORM,
    )
    client.force_login(rec.leader)
    body = body_of(client.get(reverse("reception:compliance")))
    assert body.count("data-uncertain") == 1


def test_answers_due_marks_the_overdue(client, rec):
    past = services.session_create(
        actor=rec.clerk,
        data=services.SessionInput(
            unit_id=rec.unit.pk, kind=SessionKind.REGULAR, day=today() - timedelta(days=40), held=True
        ),
        today=today(),
    ).session
    late = record(rec, past).visit
    fresh = record(rec, open_today(rec)).visit
    answered = record(rec, open_today(rec)).visit
    services.visit_answer(
        actor=rec.clerk,
        visit_id=answered.pk,
        version=answered.version,
        answered_on=today(),
        answer_kind="accepted",
        today=today(),
    )
    client.force_login(rec.clerk)
    body = body_of(client.get(reverse("reception:answers_due")))
    assert f'data-visit="{late.pk}" data-state="overdue"' in body
    assert f'data-visit="{fresh.pk}" data-state="owed"' in body
    assert f'data-visit="{answered.pk}"' not in body
    assert 'data-answers-due="2"' in body_of(client.get(reverse("reception:desk")))


# ---- the public schedule -------------------------------------------------------------------------


def test_public_schedule_shows_places_and_published_sessions_and_nothing_personal(client, rec):
    place = services.place_save(
        actor=rec.leader,
        unit_id=rec.unit.pk,
        name="Trụ sở UBND xã",
        address="Thôn Đông",
        regular_hours="Thứ 2–6",
    )
    services.place_save(
        actor=rec.leader, unit_id=rec.unit.pk, name="Điểm cũ", address="Thôn Tây", active=False
    )
    published = head_session(
        rec, held=False, presider="", day=today() + timedelta(days=20), place_id=place.pk
    )
    services.session_publish(
        actor=rec.clerk, session_id=published.pk, version=published.version, on=today(), today=today()
    )
    unpublished = head_session(rec, held=False, presider="", day=today() + timedelta(days=27))
    session = open_today(rec)
    record(rec, session)
    denouncer_visit(rec, session)
    response = client.get(reverse("reception:public_schedule", args=[rec.unit.pk]))  # not signed in
    assert response.status_code == 200
    body = body_of(response)
    assert f'data-public-place="{place.pk}"' in body and "Điểm cũ" not in body
    assert (
        f'data-public-session="{published.pk}"' in body
        and f'data-public-session="{unpublished.pk}"' not in body
    )
    for personal in ("Nguyễn Văn An", CITIZEN_ID, PLANTED_NAME, PLANTED_ID, "thu hồi đất nông nghiệp"):
        assert personal not in body
    assert client.get(reverse("reception:public_schedule", args=[999999])).status_code == 404
