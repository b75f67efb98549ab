"""The demo data: every app's populator runs, twice without harm, and shows the whole system."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.utils.module_loading import autodiscover_modules

from danvan.core import demo_registry
from danvan.petitions.models import Petition, Petitioner, Status


@pytest.mark.django_db
def test_demo_has_petitions_in_every_status_and_runs_twice():
    autodiscover_modules("demo")
    today = date(2026, 11, 27)
    credentials = demo_registry.populate_all(today=today, stdout=io.StringIO())
    assert {"clerk", "handler", "chairman", "inspector"} <= {name for name, _pw, _what in credentials}
    statuses = set(Petition.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    # The merged-away city's archive is there, and a denouncer is sealed.
    assert Petition.objects.filter(received_on__year=2016).exists()
    sealed = Petitioner.objects.filter(petition__protected=True)
    assert sealed.exists() and not sealed.exclude(name="").exists()
    count = Petition.objects.count()
    demo_registry.populate_all(today=today, stdout=io.StringIO())
    assert Petition.objects.count() == count


@pytest.mark.django_db
def test_the_demo_tells_ten_years_of_resolution_25_for_a_city():
    """The review of Hoa Lư city, 2013–2022, as it was: every section told from records, with the
    figures the demo's story sets (two commendation rounds, one revoked), in both languages."""
    from django.utils import translation

    from danvan.emulation.models import Commendation
    from danvan.outreach.models import Activity
    from danvan.reports.engine import AS_IT_WAS
    from danvan.reports.periods import period_parse
    from danvan.reports.review import review_report
    from danvan.units.access import operator_user
    from danvan.units.demo import STORY_CITY
    from danvan.units.models import Unit

    autodiscover_modules("demo")
    today = date(2026, 11, 27)
    demo_registry.populate_all(today=today, stdout=io.StringIO())
    city = Unit.objects.get(code=STORY_CITY, level="district")
    with translation.override("en"):
        review = review_report(
            operator_user(), unit=city, period=period_parse("2013..2022"), frame=AS_IT_WAS, today=today
        )
    figures = {item.code: item.figure.value for item in review.items}
    assert review.not_available == []
    for code in (
        "outreach.conferences",
        "outreach.conference_participants",
        "outreach.trainings",
        "outreach.training_participants",
        "outreach.documents_issued",
        "outreach.dialogue_conferences",
        "reception.visits",
        "petitions.received",
        "practices.models",
        "practices.models_recognised",
        "emulation.movements",
    ):
        assert figures[code] > 0, code
    # Eleven collectives and eight individuals were proposed at the two reviews; one of the
    # individuals' commendations was revoked, so seven count.
    assert (figures["emulation.commendations_collective"], figures["emulation.commendations_individual"]) == (
        11,
        7,
    )
    assert Commendation.objects.filter(status="revoked").count() == 1
    paragraphs = " ".join(review.paragraphs)
    assert "dissemination conferences" in paragraphs and "11 collectives and 7 individuals" in paragraphs
    # A co-organised conference is counted once, under its lead organiser.
    assert Activity.objects.filter(co_organisers__isnull=False).exists()
    assert (
        figures["outreach.conferences"]
        == Activity.objects.filter(
            kind="conference", unit__path__startswith=city.path, starts_on__year__range=(2013, 2022)
        ).count()
    )
    # Since the reform, the ward of Hoa Lư carries the work on.
    ward = Unit.objects.get(code="14329", valid_to__isnull=True)
    assert Activity.objects.filter(unit__path__startswith=ward.path, starts_on__year=2026).exists()
