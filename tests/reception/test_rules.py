"""The rules of citizen reception as data, and their arithmetic (pure: no database, no clock).

Every expected date and count is worked out by hand on the 2024–2026 calendars of the `holidays`
package (Tết 2026: Monday 16 – Friday 20 February; National Day 2026: Monday 31 August – Wednesday
2 September; Vietnamese Culture Day: Tuesday 24 November 2026). The comments show the count.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from danvan.core.calendar import WorkingCalendar, build_calendar
from danvan.reception import rules
from danvan.reception.rules import Bucket, answer_due, compliance, duty_buckets, publish_by, published_late

BOOK = rules.load_rules()
CAL = build_calendar(range(2024, 2028))


def d(text: str) -> date:
    return date.fromisoformat(text)


# ---- frequencies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "level", "day", "expected"),
    [
        # Luật Tiếp công dân 42/2013: commune chairman 1 day a week (Art 15(2)(d)) ...
        ("pc_chairman", "commune", "2014-07-01", ("week", 1)),
        ("pc_chairman", "commune", "2026-11-27", ("week", 1)),
        # ... not before the law came into force
        ("pc_chairman", "commune", "2014-06-30", None),
        # district chairman 2 days a month (Art 13(5)), until the district level ended on 30/06/2025
        ("pc_chairman", "district", "2020-03-01", ("month", 2)),
        ("pc_chairman", "district", "2025-06-30", ("month", 2)),
        ("pc_chairman", "district", "2025-07-01", None),
        # province chairman 1 day a month (Art 12(5))
        ("pc_chairman", "province", "2026-11-27", ("month", 1)),
        # any agency head 1 day a month (Art 18(2)), whatever the level asked for
        ("agency_head", "any", "2026-11-27", ("month", 1)),
        ("agency_head", "commune", "2026-11-27", ("month", 1)),
        ("agency_head", "province", "2015-01-01", ("month", 1)),
        # Party secretaries (QĐ 11-QĐi/TW of 18/02/2019; KL 215-KL/TW)
        ("party_secretary", "province", "2019-02-18", ("month", 1)),
        ("party_secretary", "province", "2026-11-27", ("month", 1)),
        ("party_secretary", "commune", "2026-11-27", ("month", 2)),
        ("party_secretary", "district", "2025-06-30", ("month", 1)),
        ("party_secretary", "district", "2025-07-01", None),
        ("party_secretary", "commune", "2019-02-17", None),
        # positions without a minimum in the rule data
        ("council_chair", "commune", "2026-11-27", None),
        ("deputy", "province", "2026-11-27", None),
        ("pc_chairman", "country", "2026-11-27", None),
    ],
)
def test_frequency_by_position_level_and_day(position, level, day, expected):
    rule = BOOK.frequency(position, level, d(day))
    if expected is None:
        assert rule is None
    else:
        assert rule is not None
        assert (rule.per, rule.days) == expected
        assert rule.in_force(d(day))


def test_party_secretaries_rules_are_marked_uncertain_and_the_law_s_are_not():
    on = d("2024-05-15")
    for level in ("province", "district", "commune"):
        rule = BOOK.frequency("party_secretary", level, on)
        assert rule is not None and rule.uncertain, level
        assert "11-QĐi/TW" in rule.source
    for position, level in (("pc_chairman", "commune"), ("pc_chairman", "district"), ("agency_head", "any")):
        rule = BOOK.frequency(position, level, on)
        assert rule is not None and not rule.uncertain
        assert "42/2013/QH13" in rule.source


def test_dated_values_of_the_packaged_rules():
    assert BOOK.publish_days(d("2026-11-27")) == 5
    assert BOOK.answer_days(d("2026-11-27")) == 10
    # Online reception from 1 July 2026 (Law 136/2025).
    assert BOOK.online(d("2026-06-30")) is False
    assert BOOK.online(d("2026-07-01")) is True
    # Delegation allowed until 30/06/2026; the "no delegation" rule after it is uncertain (press).
    before, after = BOOK.delegation(d("2026-06-30")), BOOK.delegation(d("2026-07-01"))
    assert before is not None and before.value is True and not before.uncertain
    assert after is not None and after.value is False and after.uncertain
    assert BOOK.delegation(d("2014-06-30")) is None


def test_an_override_file_replaces_an_entry_by_key_and_keeps_the_others(tmp_path):
    override = tmp_path / "rules.json"
    override.write_text(
        json.dumps(
            {
                "frequencies": [
                    {
                        "key": "pc_chairman.commune.2014",
                        "position": "pc_chairman",
                        "level": "commune",
                        "per": "week",
                        "days": 2,
                        "effective_from": "2014-07-01",
                        "effective_to": None,
                        "source": "Quyết định của tỉnh",
                    },
                    {
                        "key": "council_chair.commune.2026",
                        "position": "council_chair",
                        "level": "commune",
                        "per": "month",
                        "days": 1,
                        "effective_from": "2026-01-01",
                        "uncertain": True,
                    },
                ],
                "answer_working_days": [
                    {"key": "answer.2014", "effective_from": "2014-07-01", "working_days": 7}
                ],
            }
        ),
        encoding="utf-8",
    )
    book = rules.load_rules(str(override))
    commune = book.frequency("pc_chairman", "commune", d("2026-11-27"))
    assert commune is not None
    assert (commune.days, commune.source, commune.uncertain) == (2, "Quyết định của tỉnh", False)
    added = book.frequency("council_chair", "commune", d("2026-11-27"))
    assert added is not None and (added.per, added.days, added.uncertain) == ("month", 1, True)
    assert book.frequency("council_chair", "commune", d("2025-12-31")) is None
    # One entry replaced, one added, the rest untouched.
    assert len(book.frequencies) == len(BOOK.frequencies) + 1
    assert {f.key for f in BOOK.frequencies} < {f.key for f in book.frequencies}
    district = book.frequency("pc_chairman", "district", d("2024-01-10"))
    assert district == BOOK.frequency("pc_chairman", "district", d("2024-01-10"))
    assert book.answer_days(d("2026-11-27")) == 7
    assert book.publish_days(d("2026-11-27")) == 5
    # The packaged book itself did not change.
    assert rules.load_rules().frequency("pc_chairman", "commune", d("2026-11-27")).days == 1


# ---- publication of the schedule (Art 24: at least 5 working days before) ---------------------


@pytest.mark.parametrize(
    ("session_day", "last_day"),
    [
        # Wed 14/10/2026: Tue 13 (1), Mon 12 (2), [Sun 11, Sat 10], Fri 9 (3), Thu 8 (4), Wed 7 (5)
        ("2026-10-14", "2026-10-07"),
        # Mon 30/11/2026: Fri 27 (1), Thu 26 (2), Wed 25 (3), [Tue 24 Culture Day], Mon 23 (4),
        # [Sun 22, Sat 21], Fri 20 (5)
        ("2026-11-30", "2026-11-20"),
        # Wed 25/02/2026, after Tết: Tue 24 (1), Mon 23 (2), [Sun 22 .. Sat 14: Tết and two weekends],
        # Fri 13 (3), Thu 12 (4), Wed 11 (5)
        ("2026-02-25", "2026-02-11"),
        # Mon 23/02/2026, the first working day after Tết: [Fri 20 .. Sat 14], Fri 13 (1), Thu 12 (2),
        # Wed 11 (3), Tue 10 (4), Mon 9 (5)
        ("2026-02-23", "2026-02-09"),
        # Thu 03/09/2026, after National Day: [Wed 2, Tue 1, Mon 31 Aug, Sun 30, Sat 29], Fri 28 (1),
        # Thu 27 (2), Wed 26 (3), Tue 25 (4), Mon 24 (5)
        ("2026-09-03", "2026-08-24"),
    ],
)
def test_publish_by_counts_working_days_back(session_day, last_day):
    assert publish_by(d(session_day), BOOK, CAL) == d(last_day)


def test_published_late_is_after_the_last_day_only():
    session = d("2026-02-25")  # last day Wed 11/02/2026
    assert not published_late(session, d("2026-02-02"), BOOK, CAL)
    assert not published_late(session, d("2026-02-11"), BOOK, CAL)
    assert published_late(session, d("2026-02-12"), BOOK, CAL)
    assert published_late(session, d("2026-02-24"), BOOK, CAL)


def test_publish_by_follows_a_calendar_override():
    # Saturday 22/08/2026 made a working day: Thu 03/09 -> [Wed 2 .. Sat 29] Fri 28 (1), Thu 27 (2),
    # Wed 26 (3), Tue 25 (4), Mon 24 (5); the Saturday is before that, so nothing moves ...
    swapped = build_calendar(range(2026, 2027), working_days=[d("2026-08-22")])
    assert publish_by(d("2026-09-03"), BOOK, swapped) == d("2026-08-24")
    # ... but for Tue 01/12/2026 with Friday 27/11 declared a day off: Mon 30 (1), [Sun 29, Sat 28,
    # Fri 27 off], Thu 26 (2), Wed 25 (3), [Tue 24], Mon 23 (4), Fri 20 (5)
    off = build_calendar(range(2026, 2027), days_off=[d("2026-11-27")])
    assert publish_by(d("2026-12-01"), BOOK, off) == d("2026-11-20")
    assert publish_by(d("2026-12-01"), BOOK, CAL) == d("2026-11-23")


# ---- the answer owed to the citizen (Art 28(1): 10 working days, the visit day not counted) ----


@pytest.mark.parametrize(
    ("visit_day", "due"),
    [
        # Fri 27/11/2026: Mon 30 (1), Tue 1 .. Fri 4 Dec (2–5), Mon 7 .. Fri 11 (6–10)
        ("2026-11-27", "2026-12-11"),
        # Mon 02/11/2026: Tue 3 .. Fri 6 (1–4), Mon 9 .. Fri 13 (5–9), Mon 16 (10)
        ("2026-11-02", "2026-11-16"),
        # Thu 27/08/2026, over National Day: Fri 28 (1), [Sat 29, Sun 30, Mon 31, Tue 1, Wed 2],
        # Thu 3 (2), Fri 4 (3), Mon 7 .. Fri 11 (4–8), Mon 14 (9), Tue 15 (10)
        ("2026-08-27", "2026-09-15"),
        # Tue 10/02/2026, over Tết: Wed 11 (1), Thu 12 (2), Fri 13 (3), [Sat 14 .. Sun 22],
        # Mon 23 .. Fri 27 (4–8), Mon 2 Mar (9), Tue 3 Mar (10)
        ("2026-02-10", "2026-03-03"),
        # Fri 13/11/2026, over Culture Day: Mon 16 .. Fri 20 (1–5), Mon 23 (6), [Tue 24],
        # Wed 25 (7), Thu 26 (8), Fri 27 (9), Mon 30 (10)
        ("2026-11-13", "2026-11-30"),
        # A visit on a Saturday (a day off): Mon 29/06/2026 is the first counted day.
        # Sat 27/06/2026: Mon 29 (1), Tue 30 (2), Wed 1 .. Fri 3 Jul (3–5), Mon 6 .. Fri 10 (6–10)
        ("2026-06-27", "2026-07-10"),
    ],
)
def test_answer_due_is_ten_working_days_after_the_visit(visit_day, due):
    assert answer_due(d(visit_day), BOOK, CAL) == d(due)


def test_answer_due_with_a_working_saturday():
    # Saturday 22/08/2026 worked in exchange for Monday 31/08. Fri 21/08: Sat 22 (1), Mon 24 .. Fri 28
    # (2–6), [Mon 31, Tue 1, Wed 2], Thu 3 (7), Fri 4 (8), Mon 7 (9), Tue 8 (10).
    swapped = build_calendar(range(2026, 2027), working_days=[d("2026-08-22")])
    assert answer_due(d("2026-08-21"), BOOK, swapped) == d("2026-09-08")
    # Without the swap: Mon 24 .. Fri 28 (1–5), Thu 3 (6), Fri 4 (7), Mon 7 (8), Tue 8 (9), Wed 9 (10).
    assert answer_due(d("2026-08-21"), BOOK, CAL) == d("2026-09-09")


# ---- the head's duty, week by week or month by month ------------------------------------------


def spans(buckets: list[Bucket]) -> list[tuple[str, str, int]]:
    return [(b.start.isoformat(), b.end.isoformat(), b.required) for b in buckets]


def commune_weeks(first: str, last: str, calendar: WorkingCalendar = CAL) -> list[Bucket]:
    return duty_buckets(
        position="pc_chairman", level="commune", first=d(first), last=d(last), book=BOOK, calendar=calendar
    )


def test_a_commune_chairman_s_weeks_in_a_month_with_a_public_holiday():
    # September 2026 (Tue 1 – Wed 30). The week of Mon 31 Aug has its first working day on Thu 3 Sep
    # (31 Aug, 1 and 2 Sep are National Day holidays), so it belongs to September; the week of Mon 28
    # Sep opens on the 28th, also in September, although it ends in October.
    buckets = commune_weeks("2026-09-01", "2026-09-30")
    assert spans(buckets) == [
        ("2026-08-31", "2026-09-06", 1),
        ("2026-09-07", "2026-09-13", 1),
        ("2026-09-14", "2026-09-20", 1),
        ("2026-09-21", "2026-09-27", 1),
        ("2026-09-28", "2026-10-04", 1),
    ]
    assert {b.rule_key for b in buckets} == {"pc_chairman.commune.2014"}


def test_a_week_belongs_to_the_month_of_its_first_working_day():
    # August 2026: the week of Mon 27 Jul opens in July; the week of Mon 31 Aug opens on Thu 3 Sep.
    august = commune_weeks("2026-08-01", "2026-08-31")
    assert [b.start.isoformat() for b in august] == ["2026-08-03", "2026-08-10", "2026-08-17", "2026-08-24"]
    # October 2026: the week of Mon 28 Sep is September's; the week of Mon 26 Oct is October's.
    october = commune_weeks("2026-10-01", "2026-10-31")
    assert [b.start.isoformat() for b in october] == ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]
    # November 2026 (Culture Day on Tue 24 does not empty its week): five weeks, from Mon 2 to Mon 30.
    november = commune_weeks("2026-11-01", "2026-11-30")
    assert [b.start.isoformat() for b in november] == [
        "2026-11-02",
        "2026-11-09",
        "2026-11-16",
        "2026-11-23",
        "2026-11-30",
    ]
    # Over the whole quarter, no week is counted twice and none is lost.
    quarter = commune_weeks("2026-08-01", "2026-10-31")
    assert spans(quarter) == spans(august) + spans(commune_weeks("2026-09-01", "2026-09-30")) + spans(october)


def test_a_week_without_a_working_day_requires_nothing():
    # February 2026: the week of Mon 26 Jan opens in January; the week of Mon 16 Feb is all Tết and
    # a weekend; the week of Mon 23 Feb opens on the 23rd. Three weeks required, not four.
    buckets = commune_weeks("2026-02-01", "2026-02-28")
    assert spans(buckets) == [
        ("2026-02-02", "2026-02-08", 1),
        ("2026-02-09", "2026-02-15", 1),
        ("2026-02-23", "2026-03-01", 1),
    ]


def test_held_in_person_delegated_and_missed_across_a_month():
    buckets = commune_weeks("2026-09-01", "2026-09-30")
    held = [
        (d("2026-09-03"), True),  # week of 31 Aug: in person
        (d("2026-09-08"), False),  # week of 7 Sep: an authorised deputy
        (d("2026-09-15"), True),  # week of 14 Sep: twice in person ...
        (d("2026-09-17"), True),  # ... which does not make up for the week of 21 Sep (missed)
        (d("2026-09-29"), False),  # week of 28 Sep: a deputy and the head: the head counts
        (d("2026-09-30"), True),
        (d("2026-10-07"), True),  # outside every bucket
    ]
    result = compliance(buckets, held)
    assert (result.required, result.in_person, result.delegated, result.missed) == (5, 3, 1, 1)
    assert result.rate == pytest.approx(3 / 5)


def test_two_sessions_in_one_week_do_not_make_up_another_week():
    buckets = commune_weeks("2026-10-01", "2026-10-31")  # four weeks
    held = [
        (d("2026-10-05"), True),
        (d("2026-10-06"), True),
        (d("2026-10-07"), False),
        (d("2026-10-08"), True),
    ]
    result = compliance(buckets, held)
    assert (result.required, result.in_person, result.delegated, result.missed) == (4, 1, 0, 3)
    # Two sessions on one day count once.
    same_day = compliance(buckets, [(d("2026-10-13"), False), (d("2026-10-13"), False)])
    assert (same_day.in_person, same_day.delegated, same_day.missed) == (0, 1, 3)
    # A day with the head and a deputy both is the head's.
    both = compliance(buckets, [(d("2026-10-13"), False), (d("2026-10-13"), True)])
    assert (both.in_person, both.delegated, both.missed) == (1, 0, 3)


def test_nothing_required_gives_no_rate():
    result = compliance([], [(d("2026-10-13"), True)])
    assert (result.required, result.in_person, result.delegated, result.missed) == (0, 0, 0, 0)
    assert result.rate is None


def test_a_province_chairman_s_month():
    # One day a month. Q1 2026: January opens Fri 2 (Thu 1 is New Year), February Mon 2, March Mon 2.
    buckets = duty_buckets(
        position="pc_chairman",
        level="province",
        first=d("2026-01-01"),
        last=d("2026-03-31"),
        book=BOOK,
        calendar=CAL,
    )
    assert spans(buckets) == [
        ("2026-01-01", "2026-01-31", 1),
        ("2026-02-01", "2026-02-28", 1),
        ("2026-03-01", "2026-03-31", 1),
    ]
    held = [(d("2026-01-15"), True), (d("2026-02-10"), True), (d("2026-02-11"), True)]
    result = compliance(buckets, held)
    assert (result.required, result.in_person, result.delegated, result.missed) == (3, 2, 0, 1)


def test_a_district_chairman_s_two_days_a_month_end_with_the_district():
    # May and June 2025 require two days each; from July the district level is gone.
    buckets = duty_buckets(
        position="pc_chairman",
        level="district",
        first=d("2025-05-01"),
        last=d("2025-08-31"),
        book=BOOK,
        calendar=CAL,
    )
    assert spans(buckets) == [("2025-05-01", "2025-05-31", 2), ("2025-06-01", "2025-06-30", 2)]
    assert {b.rule_key for b in buckets} == {"pc_chairman.district.2014"}
    held = [
        (d("2025-05-06"), True),
        (d("2025-05-20"), False),
        (d("2025-06-10"), True),
        (d("2025-07-15"), True),  # after the district level ended: counts nowhere
    ]
    result = compliance(buckets, held)
    assert (result.required, result.in_person, result.delegated, result.missed) == (4, 2, 1, 1)


def test_a_month_with_one_working_day_requires_at_most_one():
    # March 2024 with every working day but Fri 15 declared off: the district chairman's two days
    # shrink to the one day there is; February is untouched.
    off = [
        d("2024-03-01") + timedelta(days=i)
        for i in range(31)
        if (d("2024-03-01") + timedelta(days=i)).weekday() < 5 and i != 14
    ]
    calendar = build_calendar(range(2024, 2025), days_off=off)
    buckets = duty_buckets(
        position="pc_chairman",
        level="district",
        first=d("2024-02-01"),
        last=d("2024-03-31"),
        book=BOOK,
        calendar=calendar,
    )
    assert spans(buckets) == [("2024-02-01", "2024-02-29", 2), ("2024-03-01", "2024-03-31", 1)]
    result = compliance(buckets, [(d("2024-03-15"), True)])
    assert (result.required, result.in_person, result.missed) == (3, 1, 2)


def test_a_party_secretary_of_a_commune_two_days_a_month():
    buckets = duty_buckets(
        position="party_secretary",
        level="commune",
        first=d("2026-11-01"),
        last=d("2026-12-31"),
        book=BOOK,
        calendar=CAL,
    )
    assert spans(buckets) == [("2026-11-01", "2026-11-30", 2), ("2026-12-01", "2026-12-31", 2)]
    assert {b.rule_key for b in buckets} == {"party_secretary.commune.2019"}


def test_a_position_without_a_rule_has_no_buckets():
    assert not duty_buckets(
        position="council_chair",
        level="commune",
        first=d("2026-01-01"),
        last=d("2026-12-31"),
        book=BOOK,
        calendar=CAL,
    )
    assert not duty_buckets(
        position="pc_chairman",
        level="district",
        first=d("2025-07-01"),
        last=d("2025-12-31"),
        book=BOOK,
        calendar=CAL,
    )


def test_the_monthly_rule_opens_on_the_first_working_day():
    # A period that starts mid-month: the month belongs to the period when its first working day does.
    # January 2026 opens on Fri 2; a period from Mon 5 January leaves it out.
    buckets = duty_buckets(
        position="pc_chairman",
        level="province",
        first=d("2026-01-05"),
        last=d("2026-02-28"),
        book=BOOK,
        calendar=CAL,
    )
    assert spans(buckets) == [("2026-02-01", "2026-02-28", 1)]
    # A period from Fri 2 January keeps it (Thu 1 is New Year's Day).
    buckets = duty_buckets(
        position="pc_chairman",
        level="province",
        first=d("2026-01-02"),
        last=d("2026-01-31"),
        book=BOOK,
        calendar=CAL,
    )
    assert spans(buckets) == [("2026-01-01", "2026-01-31", 1)]
