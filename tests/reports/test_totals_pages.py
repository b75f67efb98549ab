"""The period totals pages: the list with its conflicts first, keep and withdraw as POST buttons,
the form to enter one total, the records a total replaces, and the drill-down's count."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from danvan.reports.models import PeriodTotal, TotalStatus
from danvan.units.models import Role, RoleScope

from .bulk import VisitRow, visits_bulk
from .test_totals import total


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="boss")


@pytest.fixture
def conflict(tree, boss):
    visits_bulk([VisitRow(tree.c1, date(2024, 5, 2)), VisitRow(tree.c1, date(2024, 6, 2))], by=boss)
    return total(tree.c1, "reception.visits", 10, by=boss, note="Báo cáo năm")


def test_the_page_lists_the_conflict_and_keep_resolves_it(client, tree, boss, conflict, make_user):
    client.force_login(boss)
    url = reverse("reports:totals") + f"?unit={tree.province.pk}"
    html = client.get(url).content.decode()
    assert f'data-conflict="{conflict.pk}"' in html and 'data-conflict-records="2"' in html
    records = client.get(reverse("reports:total_records", args=[conflict.pk])).content.decode()
    assert records.count("<tr data-record>") == 2
    stale = client.post(reverse("reports:total_keep", args=[conflict.pk]), {"version": "3"})
    assert stale.status_code == 409
    done = client.post(reverse("reports:total_keep", args=[conflict.pk]), {"version": "0"})
    assert done.status_code == 302
    assert 'data-conflict="' not in client.get(url).content.decode()
    client.post(reverse("reports:total_withdraw", args=[conflict.pk]), {"version": "1"})
    conflict.refresh_from_db()
    assert conflict.status == TotalStatus.WITHDRAWN
    stranger = make_user(Role.LEADER, tree.other_province, RoleScope.SUBTREE)
    client.force_login(stranger)
    assert client.get(reverse("reports:total_records", args=[conflict.pk])).status_code == 404


def test_entering_a_total_and_its_errors(client, tree, boss):
    client.force_login(boss)
    url = reverse("reports:totals") + f"?unit={tree.province.pk}"
    data = {"unit": tree.c2.pk, "indicator": "reception.visits", "year": "2024", "value": "7", "note": ""}
    assert client.post(url, data).status_code == 302
    made = PeriodTotal.objects.get()
    assert (made.unit, made.first, made.last, made.value) == (
        tree.c2,
        date(2024, 1, 1),
        date(2024, 12, 31),
        7,
    )
    bad = client.post(url, {**data, "value": "2.5", "year": "2023"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "data-error-summary" in bad.content.decode()
    assert PeriodTotal.objects.count() == 1


def test_the_drill_down_counts_records_and_totals(client, tree, boss, conflict):
    total(tree.c2, "reception.visits", 4, by=boss)
    visits_bulk([VisitRow(tree.c3, date(2024, 7, 1))], by=boss, first_number=50)
    client.force_login(boss)
    query = {"cell": "reception.visits", "unit": tree.province.pk, "period": "2024"}
    html = client.get(reverse("reports:records") + "?" + urlencode(query)).content.decode()
    # C1's two visits replaced by its total: one visit (C3) and two totals behind the figure
    assert 'data-drill-count="3"' in html
    assert re.search(r"data-drill-value>\s*15\s*<", html)
    assert html.count("<tr data-record>") == 1
    assert Decimal(conflict.value) == 10
