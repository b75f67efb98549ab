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
