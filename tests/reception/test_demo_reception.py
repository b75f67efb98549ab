"""The reception demo: after `danvan demo`, every part of citizen reception has something to show,
the heads' compliance has in-person, delegated and missed days, and a second run adds nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils.module_loading import autodiscover_modules

from danvan.core import demo_registry, indicators
from danvan.core.selectors import working_calendar
from danvan.petitions.models import Kind
from danvan.reception import rules, selectors, services
from danvan.reception.demo import DENOUNCER, period_start
from danvan.reception.models import (
    Conclusion,
    Directive,
    Mode,
    Outcome,
    Position,
    Presider,
    Session,
    SessionKind,
    SessionStatus,
    Visit,
    Visitor,
)
from danvan.units.demo import COMMUNE, _unit

TODAY = date(2026, 11, 27)  # a Friday, as in tests/test_demo.py
DELEGATION_ENDS = date(2026, 7, 1)


@pytest.mark.django_db
def test_demo_shows_every_part_of_reception_and_runs_twice():
    autodiscover_modules("demo")
    credentials = demo_registry.populate_all(today=TODAY, stdout=io.StringIO())
    assert "provclerk" in {name for name, _pw, _what in credentials}
    User = get_user_model()
    leader, auditor = User.objects.get(username="leader"), User.objects.get(username="auditor")
    ward = _unit(COMMUNE, TODAY)
    sessions = Session.objects.filter(unit=ward)
    held = sessions.filter(status=SessionStatus.HELD)

    # Sessions: every kind held; the head in person, delegated (only while allowed), online; a
    # cancelled one with its reason; an ad hoc one with its trigger.
    assert set(held.values_list("kind", flat=True)) == set(SessionKind.values)
    periodic = held.filter(kind=SessionKind.PERIODIC)
    assert periodic.filter(presider=Presider.HEAD).exists()
    delegated = periodic.filter(presider=Presider.AUTHORISED)
    assert delegated.exists() and not delegated.filter(day__gte=DELEGATION_ENDS).exists()
    assert not delegated.filter(presider_name="").exists()
    assert periodic.filter(mode=Mode.ONLINE, day__gte=DELEGATION_ENDS).exclude(recording="").exists()
    assert sessions.filter(status=SessionStatus.CANCELLED).exclude(cancel_reason="").exists()
    assert held.filter(kind=SessionKind.AD_HOC).exclude(trigger="").exists()
    assert held.filter(kind=SessionKind.REGULAR).count() > 60  # most working days of the period

    # Visits: every outcome, with what the law asks of each.
    visits = Visit.objects.all()
    assert set(visits.values_list("outcome", flat=True)) == set(Outcome.values)
    assert not visits.filter(outcome=Outcome.REFUSED, refusal_ground="").exists()
    assert visits.filter(outcome=Outcome.REFUSED).exclude(refusal_notice="").exists()
    assert not visits.filter(outcome__in=(Outcome.GUIDED, Outcome.TRANSFERRED), target_document="").exists()
    assert visits.filter(outcome=Outcome.ANSWERED).exclude(outcome_note="").exists()

    # A crowd of seven with two representatives.
    crowd = visits.get(crowd=True)
    assert crowd.people_count == 7 and crowd.visitors.filter(representative=True).count() == 2

    # A case received three times, the later visits marked repeated.
    case = visits.filter(unit=ward).values("case_id").annotate(n=Count("pk")).order_by("-n").first()
    assert case["n"] >= 3
    assert visits.filter(case_id=case["case_id"], is_repeat=True).count() == case["n"] - 1

    # A denunciation: the visitor's identity is sealed and never stored in clear.
    protected = visits.filter(unit=ward, protected=True).first()
    assert protected is not None and Kind.DENUNCIATION in protected.kind_list
    assert not Visitor.objects.filter(visit__protected=True).exclude(name="").exists()
    assert not Visitor.objects.filter(name=DENOUNCER.name).exists()
    _book_unit, rows = selectors.book_rows(auditor, unit_id=ward.pk, first=period_start(TODAY), last=TODAY)
    assert any(r.masked for r in rows) and not any(DENOUNCER.name in r.name_address for r in rows)

    # Petitions made from visits, a matter of several kinds split into one petition per kind.
    assert visits.filter(petitions__isnull=False).exists()
    split = visits.filter(kinds__contains=",").annotate(n=Count("petitions")).first()
    assert split is not None and split.n == len(split.kind_list) >= 2

    # The answer owed within 10 working days: some given, some overdue.
    assert visits.filter(answered_on__isnull=False).exists()
    assert selectors.answers_due_for(leader, today=TODAY).filter(answer_due__lt=TODAY).exists()

    # A notice of conclusions with a task done and a task open.
    assert Conclusion.objects.filter(unit=ward).exists()
    directives = Directive.objects.filter(conclusion__unit=ward)
    assert directives.filter(done_on__isnull=False).exists()
    assert directives.filter(done_on__isnull=True).exists()

    # Sessions to come on the public page, one of them published late.
    places, upcoming = selectors.public_schedule(ward, today=TODAY)
    assert places and places[0].regular_hours and upcoming
    calendar = working_calendar(TODAY.year, TODAY.year + 1)
    book = services.rule_book()
    assert any(rules.published_late(s.day, s.published_on, book, calendar) for s in upcoming)
    assert any(not rules.published_late(s.day, s.published_on, book, calendar) for s in upcoming)

    # Compliance of the ward chairman over the demo period: in person, delegated and missed days.
    rows = selectors.compliance_for(leader, unit_id=ward.pk, first=period_start(TODAY), last=TODAY)
    chairman = next(r for r in rows if r.duty.position == Position.PC_CHAIRMAN)
    assert chairman.in_person > 0 and chairman.delegated > 0 and chairman.missed > 0
    assert chairman.required == chairman.in_person + chairman.delegated + chairman.missed
    secretary = next(r for r in rows if r.duty.position == Position.PARTY_SECRETARY)
    assert secretary.required > 0 and secretary.uncertain

    # Form 01/TCD has figures in each of its three blocks.
    for by in ("regular", "head", "authorised"):
        figure = indicators.figure(
            "reception.visits",
            user=leader,
            unit_path=ward.path,
            first=period_start(TODAY),
            last=TODAY,
            filters={"by": by},
        )
        assert figure.value > 0, by

    # A second run adds nothing.
    counts = (Session.objects.count(), Visit.objects.count(), Conclusion.objects.count())
    demo_registry.populate_all(today=TODAY, stdout=io.StringIO())
    assert (Session.objects.count(), Visit.objects.count(), Conclusion.objects.count()) == counts
