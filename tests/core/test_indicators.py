"""The indicator registry: discovery of the apps' declarations, one code once, figures scoped and
narrowed by dimensions."""

from __future__ import annotations

from datetime import date

import pytest

from danvan.core import indicators
from danvan.core.indicators import Indicator
from danvan.units.models import Unit


def test_apps_declarations_are_discovered():
    codes = set(indicators.registry())
    assert {"reception.sessions", "reception.visits", "reception.people", "reception.crowds"} <= codes


def test_a_code_is_registered_once():
    existing = indicators.get("reception.visits")
    indicators.register(existing)  # the same declaration again is harmless
    clash = Indicator(
        code="reception.visits",
        label="x",
        measure=indicators.COUNT,
        records=lambda user: Unit.objects.none(),
        date_field="valid_from",
        path_field="path",
    )
    with pytest.raises(ValueError, match="reception.visits"):
        indicators.register(clash)
    with pytest.raises(LookupError):
        indicators.get("no.such.indicator")


def test_unknown_dimension_value_is_refused(db, make_user, tree):
    user = make_user()
    with pytest.raises(LookupError):
        indicators.figure(
            "reception.visits",
            user=user,
            unit_path=tree.province.path,
            first=date(2026, 1, 1),
            last=date(2026, 12, 31),
            filters={"by": "nobody"},
        )
