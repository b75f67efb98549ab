"""Report pages: the chooser and its errors, form 01/TCD on screen with every number opening to the
records behind it, the drill-down, compare, the dashboard and the review; scoping and query
bounds.

The data, made through the reception services, all dated today (so in this year's period):

  commune (Xã Khánh Thiện), regular reception:
    v1 case A first, 1 person · v2 case A again, 2 people · v3 crowd, case B first, 1,500 people
  commune, the chairman's periodic reception in person:
    v4 case C first, 1 person
  the provincial People's Committee (an agency under the province), regular reception:
    v5 case D first, 3 people

Counted by hand for the province, form 01/TCD: (1) visits 5, (2) people 1,507, (4) regular visits
4, (5) regular people 1,506, (6) regular cases first time 3 (A, B, D), (8) regular crowds 1,
(9) people in them 1,500, (12) the head's sessions 1, (13) visits 1, (14) people 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from danvan.core.indicators import registry
from danvan.reception import services
from danvan.reception.models import Visit
from danvan.reports import selectors
from danvan.reports.engine import AS_IT_WAS
from danvan.reports.periods import period_parse
from danvan.units.models import Role, RoleScope, Unit
from tests.web.conftest import WebTree, create_user
from tests.web.test_reception_pages import Reception, build_reception, head_session, open_today, record

pytestmark = pytest.mark.django_db

PROVINCE_COLUMNS = {"1": "5", "2": "1.507", "4": "4", "5": "1.506", "6": "3", "8": "1", "9": "1.500"}
HEAD_COLUMNS = {"12": "1", "13": "1", "14": "1"}


def year() -> str:
    return str(timezone.localdate().year)


@dataclass
class Data:
    rec: Reception
    tree: WebTree
    agency_clerk: object
    visits: dict[str, Visit]


def build_data(tree: WebTree) -> Data:
    rec = build_reception(tree)
    regular = open_today(rec)
    v1 = record(rec, regular).visit
    v2 = record(rec, regular, people_count=2, repeat_of_visit_id=v1.pk).visit
    crowd = [services.VisitorInput(name="Trần Văn Cử", address="Thôn Đông", representative=True)]
    v3 = record(rec, regular, people_count=1500, crowd=True, visitors=crowd).visit
    v4 = record(rec, head_session(rec)).visit
    agency_clerk = create_user("provclerk", Role.CLERK, tree.agency)
    today = timezone.localdate()
    agency_session = services.session_open_regular(
        actor=agency_clerk, unit_id=tree.agency.pk, day=today, place_id=None, today=today
    )
    v5 = services.visit_record(
        actor=agency_clerk,
        data=services.VisitInput(
            session_id=agency_session.pk,
            parts=[
                services.VisitPart(
                    kind="recommendation", field="land", content="Kiến nghị về đường giao thông."
                )
            ],
            visitors=[services.VisitorInput(name="Lê Thị Bình", address="Thôn Tây")],
            people_count=3,
            outcome="accepted",
        ),
        today=today,
    ).visit
    return Data(rec, tree, agency_clerk, {"v1": v1, "v2": v2, "v3": v3, "v4": v4, "v5": v5})


@pytest.fixture
def data(web_tree) -> Data:
    return build_data(web_tree)


def form_url(unit: Unit, period: str | None = None, frame: str = AS_IT_WAS, code: str = "01-tcd") -> str:
    return reverse("reports:form", args=[code]) + f"?unit={unit.pk}&period={period or year()}&frame={frame}"


def html_of(response) -> str:
    return response.content.decode()


def row_cells(html: str, row_attr: str) -> dict[str, tuple[str, str]]:
    """{column number: (text, href)} of the table row with the given attribute."""
    row = re.search(rf"<tr {row_attr}>(.*?)</tr>", html, re.S)
    assert row, row_attr
    out = {}
    for number, body in re.findall(r'<td class="num" data-col="([^"]+)">(.*?)</td>', row.group(1), re.S):
        link = re.search(r'<a href="([^"]+)">([^<]*)</a>', body)
        out[number] = (link.group(2), unescape(link.group(1))) if link else ("", "")
    return out


def error_links(html: str) -> list[str]:
    summary = re.search(r"data-error-summary>(.*?)</div>", html, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a class="alert-link" href="([^"]+)"', summary.group(1))


# ---- the chooser -------------------------------------------------------------------------------


def test_chooser_starts_on_the_current_unit_and_this_year(data, client):
    client.force_login(data.rec.supervisor)
    html = html_of(client.get(reverse("reports:chooser")))
    assert re.search(rf'<option value="{data.tree.province.pk}" selected>', html)
    assert f'name="period" value="{year()}"' in html
    assert '<option value="01-tcd">' in html and '<option value="review">' in html


def test_chooser_opens_the_form_or_the_review(data, client):
    client.force_login(data.rec.supervisor)
    query = {"unit": data.tree.province.pk, "period": year(), "frame": "as_it_was"}
    response = client.get(reverse("reports:chooser"), {**query, "form": "01-tcd"})
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == "/reports/form/01-tcd/"
    assert parse_qs(target.query) == {
        "unit": [str(data.tree.province.pk)],
        "period": [year()],
        "frame": ["as_it_was"],
    }
    response = client.get(reverse("reports:chooser"), {**query, "form": "review"})
    assert response.status_code == 302 and urlparse(response["Location"]).path == "/reports/review/"


def test_a_period_that_ends_before_it_starts_is_shown_on_the_form(data, client):
    client.force_login(data.rec.supervisor)
    base = {"unit": data.tree.province.pk, "form": "01-tcd", "frame": "as_it_was"}
    response = client.get(reverse("reports:chooser"), {**base, "period": "2026..2020"})
    assert response.status_code == 400
    assert error_links(html_of(response)) == ["#id_period"]
    response = client.get(reverse("reports:chooser"), {**base, "first": "01/12/2026", "last": "01/01/2026"})
    assert response.status_code == 400
    html = html_of(response)
    assert error_links(html) == ["#id_last"]
    assert "01/01/2026" in html and "01/12/2026" in html  # the message names both dates
    response = client.get(reverse("reports:chooser"), {**base, "period": "2026-Q5"})
    assert response.status_code == 400 and error_links(html_of(response)) == ["#id_period"]


def test_a_unit_that_did_not_exist_in_the_period_is_shown_on_the_form(data, client):
    client.force_login(data.rec.supervisor)
    base = {"form": "01-tcd", "frame": "as_it_was"}
    # The commune exists from 01/07/2025; the district ended on 30/06/2025.
    for unit, period in ((data.tree.commune, "2024"), (data.tree.district, year())):
        response = client.get(reverse("reports:chooser"), {**base, "unit": unit.pk, "period": period})
        assert response.status_code == 400, unit
        html = html_of(response)
        assert "#id_unit" in error_links(html)
        assert unit.name in html
    # The same on the form page itself: the chooser comes back with the error, nothing is computed.
    response = client.get(form_url(data.tree.commune, "2024"))
    assert response.status_code == 400 and "#id_unit" in error_links(html_of(response))
    assert "data-report-table" not in html_of(response)


def test_a_form_version_that_does_not_cover_the_period_is_shown_on_the_form(data, client):
    client.force_login(data.rec.supervisor)
    response = client.get(
        reverse("reports:chooser"), {"unit": data.tree.province.pk, "period": "2019", "form": "01-tcd"}
    )
    assert response.status_code == 400
    assert error_links(html_of(response)) == ["#id_period"]


# ---- the form on screen ------------------------------------------------------------------------


def test_form_01_tcd_shows_the_units_below_and_the_total(data, client):
    client.force_login(data.rec.supervisor)
    response = client.get(form_url(data.tree.province))
    assert response.status_code == 200
    html = html_of(response)
    total = row_cells(html, 'class="total-row" data-total')
    for number, text in {**PROVINCE_COLUMNS, **HEAD_COLUMNS}.items():
        assert total[number][0] == text, number
    commune = row_cells(html, f'data-row="{data.tree.commune.pk}"')
    assert [commune[n][0] for n in ("1", "2", "4", "9", "12")] == ["4", "1.504", "3", "1.500", "1"]
    agency = row_cells(html, f'data-row="{data.tree.agency.pk}"')
    assert [agency[n][0] for n in ("1", "2", "4", "13")] == ["1", "3", "1", "0"]
    assert "data-checks-failed" not in html
    # Grouped headers: "Total" spans columns 1–3, the column-number row has all 29.
    assert re.search(r'<th scope="colgroup" colspan="3" class="text-center">Tổng cộng</th>', html)
    numbers_row = re.search(r"data-column-numbers>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r">(\d+)</th>", numbers_row) == [str(n) for n in range(1, 30)]
    assert "Circular 06/2025/TT-TTCP" in html or "Thông tư 06/2025/TT-TTCP" in html


def test_every_number_opens_to_as_many_records_as_the_figure_counts(data, client):
    client.force_login(data.rec.supervisor)
    html = html_of(client.get(form_url(data.tree.province)))
    report = selectors.form_report(
        data.rec.supervisor,
        form="01-tcd",
        unit=data.tree.province,
        period=period_parse(year()),
        today=timezone.localdate(),
    )
    checked = 0
    for row_attr, row in (
        ('class="total-row" data-total', report.total),
        (f'data-row="{data.tree.commune.pk}"', next(r for r in report.rows if r.unit == data.tree.commune)),
    ):
        for number, (_text, href) in row_cells(html, row_attr).items():
            response = client.get(href)
            assert response.status_code == 200, href
            page = html_of(response)
            shown = int(re.search(r'data-drill-count="(\d+)"', page).group(1))
            assert shown == row.figures[number].records, (row_attr, number)
            assert page.count("<tr data-record>") == min(shown, 50)
            checked += 1
    assert checked == 58
    # Column 6 (cases first time, regular): the first visits v1, v3 and v5, not v2 (a repeat);
    # column 7 (repeated): v2.
    total = row_cells(html, 'class="total-row" data-total')
    for number, keys in (("6", ("v1", "v3", "v5")), ("7", ("v2",))):
        page = html_of(client.get(total[number][1]))
        listed = sorted(int(pk) for pk in re.findall(r'href="/reception/visits/(\d+)/"', page))
        assert listed == sorted(data.visits[k].pk for k in keys), number


def test_the_drill_down_shows_the_query_and_no_visitor_name(data, client):
    client.force_login(data.rec.supervisor)
    url = reverse("reports:records") + (
        f"?cell=reception.visits[by=regular]&unit={data.tree.province.pk}&period={year()}"
        f"&frame=as_it_was&row={data.tree.commune.pk}"
    )
    html = html_of(client.get(url))
    assert 'data-drill-count="3"' in html
    assert "reception.visits[by=regular]" in html
    assert data.tree.commune.name in re.search(r"data-drill-row>([^<]*)<", html).group(1)
    books = re.findall(r'href="/reception/visits/(\d+)/"', html)
    assert sorted(int(b) for b in books) == sorted(data.visits[k].pk for k in ("v1", "v2", "v3"))
    assert "Nguyễn Văn An" not in html and "Lê Thị Bình" not in html


def test_the_drill_down_pages_fifty_records_at_a_time(data, client):
    rec = data.rec
    session = open_today(rec)
    for _ in range(50):
        record(rec, session)
    client.force_login(rec.supervisor)
    url = reverse("reports:records") + f"?cell=reception.visits&unit={data.tree.province.pk}&period={year()}"
    first = html_of(client.get(url))
    assert 'data-drill-count="55"' in first and first.count("<tr data-record>") == 50
    second = html_of(client.get(url + "&page=2"))
    assert second.count("<tr data-record>") == 5


# ---- scoping -----------------------------------------------------------------------------------


def test_another_units_user_gets_not_found(data, client):
    province = data.tree.province
    cell = f"reception.visits&unit={province.pk}&period={year()}"
    urls = [
        form_url(province),
        reverse("reports:records") + f"?cell={cell}",
        reverse("reports:compare") + f"?indicator={cell}",
        reverse("reports:review") + f"?unit={province.pk}&period={year()}",
        reverse("reports:chooser") + f"?form=01-tcd&unit={province.pk}&period={year()}",
    ]
    for user in (data.rec.outsider, data.rec.clerk):  # another province; the commune below
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    # The supervisor of the province cannot open the other province's ward either.
    client.force_login(data.rec.supervisor)
    assert client.get(form_url(data.rec.outside_unit)).status_code == 404
    # ... nor a row outside the unit of the report.
    url = reverse("reports:records") + f"?cell={cell}&row={data.rec.outside_unit.pk}"
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("reports:records") + f"?cell=nothing.here&unit={province.pk}").status_code == 404
    )


def test_the_commune_clerk_sees_only_the_commune(data, client):
    client.force_login(data.rec.clerk)
    html = html_of(client.get(form_url(data.tree.commune)))
    assert row_cells(html, 'class="total-row" data-total')["1"][0] == "4"


# ---- query bounds ------------------------------------------------------------------------------


def _queries(client, url, django_assert_max_num_queries, bound: int) -> None:
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_the_form_and_the_drill_down_run_a_bounded_number_of_queries(
    data, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(data.rec.supervisor)
    drill = (
        reverse("reports:records") + f"?cell=reception.people&unit={data.tree.province.pk}&period={year()}"
    )
    counts = []
    for _round in range(2):
        for url in (form_url(data.tree.province), drill):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        session = open_today(data.rec)
        for _ in range(3):
            record(data.rec, session)
    assert counts[:2] == counts[2:]  # more records, the same queries
    # session, user, two-factor device, roles, history; units; one grouped query per record source
    _queries(client, form_url(data.tree.province), django_assert_max_num_queries, 12)
    # ... the unit; one aggregate (the figure and the count), one page of records; the totals
    _queries(client, drill, django_assert_max_num_queries, 10)


# ---- languages ---------------------------------------------------------------------------------


def test_the_form_speaks_the_users_language(data, client):
    english = create_user("englishleader", Role.LEADER, data.tree.province, RoleScope.SUBTREE, language="en")
    client.force_login(english)
    html = html_of(client.get(form_url(data.tree.province)))
    assert '<html lang="en">' in html
    total = row_cells(html, 'class="total-row" data-total')
    assert total["2"][0] == "1,507"
    assert re.search(r'<th scope="row" class="unit-col">Total</th>', html)
    client.force_login(data.rec.supervisor)
    html = html_of(client.get(form_url(data.tree.province)))
    assert '<html lang="vi">' in html
    assert row_cells(html, 'class="total-row" data-total')["2"][0] == "1.507"
    assert re.search(r'<th scope="row" class="unit-col">Tổng cộng</th>', html)


# ---- compare, dashboard, review ----------------------------------------------------------------


def test_compare_puts_the_units_below_side_by_side(data, client):
    client.force_login(data.rec.supervisor)
    url = (
        reverse("reports:compare")
        + f"?indicator=reception.people&unit={data.tree.province.pk}&period={year()}"
    )
    response = client.get(url)
    assert response.status_code == 200
    html = html_of(response)
    values = dict(
        re.findall(r'<tr data-compare-row="(\d+)">.*?data-value><a href="[^"]+">([^<]*)</a>', html, re.S)
    )
    # The district ended before this year: as it was, the units below are the commune and the agency.
    assert values == {str(data.tree.commune.pk): "1.504", str(data.tree.agency.pk): "3"}
    assert 'data-chart="units"' in html and 'data-chart-table="units"' in html
    assert 'data-chart="periods"' in html
    total = re.search(r"data-compare-total>.*?data-value><a[^>]*>([^<]*)<", html, re.S).group(1)
    assert total == "1.507"
    # Last year: the commune did not exist yet, the agency received nobody.
    before = re.search(r"data-compare-total>.*?data-before>([^<]*)<", html, re.S).group(1)
    assert before == "0"


def test_compare_with_a_dimension_value(data, client):
    client.force_login(data.rec.supervisor)
    url = reverse("reports:compare") + (
        f"?indicator=reception.visits[by=head]&unit={data.tree.province.pk}&period={year()}"
    )
    html = html_of(client.get(url))
    assert re.search(r"data-compare-total>.*?data-value><a[^>]*>1<", html, re.S)


def test_the_dashboard_of_the_commune(data, client):
    client.force_login(data.rec.leader)  # the chairman of the commune
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    html = html_of(response)
    visits = re.search(r'data-key-figure="reception.visits">.*?data-this>(.*?)</td>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", visits).strip() == "4"
    people = re.search(r'data-key-figure="reception.people">.*?data-this>(.*?)</td>', html, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", people).strip() == "1.504"
    assert f'data-duty="{data.rec.duty.pk}"' in html  # the chairman's reception days
    assert 'data-dash-overdue="0"' in html
    assert 'data-chart="years"' in html and 'data-chart-table="years"' in html
    for code in ("petitions.received", "petitions.resolution_rate"):
        if code not in registry():
            cell = re.search(
                rf'data-key-figure="{re.escape(code)}">.*?data-this>(.*?)</td>', html, re.S
            ).group(1)
            assert cell.strip() != "0"


def test_the_review_shows_each_figure_and_what_is_not_available(data, client, unrecorded_in_review):
    client.force_login(data.rec.supervisor)
    url = reverse("reports:review") + f"?unit={data.tree.province.pk}&period={year()}&frame=as_it_was"
    response = client.get(url)
    assert response.status_code == 200
    html = html_of(response)
    visits = re.search(r'data-review-item="reception.visits">.*?<a href="([^"]+)">([^<]*)</a>', html, re.S)
    assert visits.group(2) == "5"
    drill = html_of(client.get(unescape(visits.group(1))))
    assert 'data-drill-count="5"' in drill
    assert "data-narrative" in html and "1.507" in html  # the sentence quotes the people received
    item = re.search(rf'data-review-item="{unrecorded_in_review}" data-not-available>(.*?)</tr>', html, re.S)
    assert item and ">0<" not in item.group(1)
    assert "data-not-available-list" in html
    assert 'data-chart="reception-visits"' in html


def test_report_pages_are_in_the_navigation(data, client):
    client.force_login(data.rec.committee)
    html = html_of(client.get(reverse("core:home")))
    assert 'data-nav="reports"' in html and 'data-nav="dashboard"' in html
    assert client.get(reverse("reports:chooser")).status_code == 200


def test_every_declared_form_opens_and_every_number_is_a_link(data, client):
    from danvan.reports.forms import FORM_CODES, versions_of

    client.force_login(data.rec.supervisor)
    opened = 0
    for code in FORM_CODES:
        if not versions_of(code):
            continue
        response = client.get(form_url(data.tree.province, code=code))
        assert response.status_code == 200, code
        html = html_of(response)
        total = row_cells(html, 'class="total-row" data-total')
        assert total and all(href.startswith("/reports/records/?") for _text, href in total.values() if href)
        first = next(href for _text, href in total.values() if href)
        assert client.get(first).status_code == 200, code
        opened += 1
    assert opened >= 1
