"""The deadline engine: rules chosen by the date received, and Civil Code counting on a real calendar.

Expected dates were worked out by hand from the calendar; the comments show the count.
"""

import json
import os
from datetime import date

import pytest
from django.utils import translation

from danvan.core.calendar import WorkingCalendar, build_calendar, public_holidays
from danvan.petitions.deadlines import (
    DEFAULT_RULES_PATH,
    KINDS,
    STEPS,
    Extension,
    Rule,
    check_no_overlap,
    compute,
    explain,
    extensions_left,
    load_rules,
    rule_from_dict,
    time_limit_expired,
    urgency,
)

BOOK = load_rules(DEFAULT_RULES_PATH)
TET_2024 = frozenset(date(2024, 2, day) for day in range(8, 15))
SWAPPED_SATURDAY_2024 = date(2024, 5, 4)
CAL_2024 = build_calendar([2024, 2025], working_days=[SWAPPED_SATURDAY_2024])
CAL_2019 = build_calendar([2018, 2019])
CAL_2023_2024 = build_calendar([2023, 2024])
CAL_2026 = build_calendar([2026])
WEEKENDS_ONLY = WorkingCalendar()


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_the_calendar_the_tables_rely_on():
    february = {day for day in public_holidays([2024]) if day.month == 2}
    assert february == TET_2024
    assert {d("2024-04-29"), d("2024-04-30"), d("2024-05-01")} <= public_holidays([2024])
    assert SWAPPED_SATURDAY_2024.weekday() == 5 and CAL_2024.is_working_day(SWAPPED_SATURDAY_2024)
    assert {d("2019-02-04"), d("2019-02-08")} <= public_holidays([2019])


# --- counting -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "step", "start", "complex", "expected", "weekends_only"),
    [
        # 7 working days from Thu 1/2/2024: 2, 5, 6, 7, (Tết 8–14) 15, 16, 19.
        ("denunciation", "process", "2024-02-01", False, "2024-02-19", "2024-02-12"),
        # 7 working days from Mon 5/2: 6, 7, 15, 16, 19, 20, 21.
        ("denunciation", "process", "2024-02-05", False, "2024-02-21", "2024-02-14"),
        # checks at several places: 10 working days, 22, 23, 26.
        ("denunciation", "process", "2024-02-05", True, "2024-02-26", "2024-02-19"),
        # transfer: 5 working days from Mon 5/2: 6, 7, 15, 16, 19.
        ("denunciation", "transfer", "2024-02-05", False, "2024-02-19", "2024-02-12"),
        # 30 days from 10/1/2024 is Fri 9/2, inside Tết: the period ends on Thu 15/2.
        ("complaint", "resolve", "2024-01-10", False, "2024-02-15", "2024-02-09"),
    ],
)
def test_working_and_calendar_days_across_tet(kind, step, start, complex, expected, weekends_only):
    received = d(start)
    deadline = compute(
        BOOK, kind=kind, step=step, received_on=received, start=received, calendar=CAL_2024, complex=complex
    )
    assert deadline.due == d(expected)
    without_tet = compute(
        BOOK,
        kind=kind,
        step=step,
        received_on=received,
        start=received,
        calendar=WEEKENDS_ONLY,
        complex=complex,
    )
    assert without_tet.due == d(weekends_only)


@pytest.mark.parametrize(
    ("calendar", "expected"),
    [
        # From Fri 26/4/2024: 29/4 swapped day off, 30/4 and 1/5 holidays; then 2, 3, Sat 4 (worked), 6, 7, 8,
        # 9, 10, 13, 14.
        (CAL_2024, "2024-05-14"),
        (build_calendar([2024]), "2024-05-15"),
    ],
)
def test_reply_after_reception_counts_the_swapped_saturday(calendar, expected):
    deadline = compute(
        BOOK,
        kind="complaint",
        step="reply",
        received_on=d("2024-04-26"),
        start=d("2024-04-26"),
        calendar=calendar,
    )
    assert deadline.rule.key == "any.reply.2013"
    assert (deadline.count, deadline.base_days) == ("working_days", 10)
    assert deadline.due == d(expected)


@pytest.mark.parametrize(
    ("step", "complex", "remote", "base", "expected"),
    [
        # from Fri 1/3/2024: +30 = Sun 31/3 → Mon 1/4; +45 = Mon 15/4; +60 = Tue 30/4 (holiday), 1/5 holiday
        # → Thu 2/5; +70 = Fri 10/5.
        ("resolve", False, False, 30, "2024-04-01"),
        ("resolve", True, False, 45, "2024-04-15"),
        ("resolve", False, True, 45, "2024-04-15"),
        ("resolve", True, True, 60, "2024-05-02"),
        ("resolve_second", False, False, 45, "2024-04-15"),
        ("resolve_second", True, False, 60, "2024-05-02"),
        ("resolve_second", False, True, 60, "2024-05-02"),
        ("resolve_second", True, True, 70, "2024-05-10"),
        ("second_complaint_limit", False, False, 30, "2024-04-01"),
        ("second_complaint_limit", True, True, 45, "2024-04-15"),
    ],
)
def test_complaint_variants(step, complex, remote, base, expected):
    deadline = compute(
        BOOK,
        kind="complaint",
        step=step,
        received_on=d("2024-03-01"),
        start=d("2024-03-01"),
        calendar=CAL_2024,
        complex=complex,
        remote=remote,
    )
    assert deadline.base_days == base
    assert deadline.due == d(expected)
    assert deadline.remote_applied == remote


def test_a_period_in_days_ending_on_sunday_ends_on_monday():
    deadline = compute(
        BOOK,
        kind="complaint",
        step="resolve",
        received_on=d("2024-03-01"),
        start=d("2024-03-01"),
        calendar=CAL_2024,
    )
    assert d("2024-03-31").weekday() == 6
    assert deadline.due == d("2024-04-01")


# --- rules chosen by the date received ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "start", "complex", "n_extensions", "key", "expected"),
    [
        # Law 03/2011: 28/12/2018 + 60 = Tue 26/2/2019; + 90 = Thu 28/3/2019.
        ("2018-12-28", "2018-12-28", False, 0, "denunciation.resolve.2011", "2019-02-26"),
        ("2018-12-28", "2018-12-28", True, 0, "denunciation.resolve.2011", "2019-03-28"),
        ("2018-12-31", "2018-12-31", False, 0, "denunciation.resolve.2011", "2019-03-01"),
        # Law 25/2018: accepted 7/1/2019 + 30 = 6/2/2019, Tết (4–8/2) and a weekend → Mon 11/2.
        ("2019-01-02", "2019-01-07", False, 0, "denunciation.resolve.2018", "2019-02-11"),
        # complex changes nothing by itself: the extra time comes only from extension decisions.
        ("2019-01-02", "2019-01-07", True, 0, "denunciation.resolve.2018", "2019-02-11"),
        # + 60 = Fri 8/3/2019; + 90 = Sun 7/4/2019 → Mon 8/4.
        ("2019-01-02", "2019-01-07", True, 1, "denunciation.resolve.2018", "2019-03-08"),
        ("2019-01-02", "2019-01-07", True, 2, "denunciation.resolve.2018", "2019-04-08"),
        ("2019-01-01", "2019-01-07", False, 0, "denunciation.resolve.2018", "2019-02-11"),
    ],
)
def test_the_2019_denunciation_law_change(received, start, complex, n_extensions, key, expected):
    extensions = [Extension(on=d("2019-02-01"))] * n_extensions
    deadline = compute(
        BOOK,
        kind="denunciation",
        step="resolve",
        received_on=d(received),
        start=d(start),
        calendar=CAL_2019,
        complex=complex,
        extensions=extensions,
    )
    assert deadline.rule.key == key
    assert deadline.due == d(expected)
    assert deadline.extension_days_total == 30 * n_extensions


@pytest.mark.parametrize(
    ("received", "key", "count", "days", "expected"),
    [
        # 28/12/2018 + 10 days = 7/1/2019.
        ("2018-12-28", "denunciation.process.2011", "days", 10, "2019-01-07"),
        # 7 working days from Wed 2/1/2019: 3, 4, 7, 8, 9, 10, 11.
        ("2019-01-02", "denunciation.process.2018", "working_days", 7, "2019-01-11"),
    ],
)
def test_denunciation_processing_under_each_law(received, key, count, days, expected):
    deadline = compute(
        BOOK,
        kind="denunciation",
        step="process",
        received_on=d(received),
        start=d(received),
        calendar=CAL_2019,
    )
    assert (deadline.rule.key, deadline.count, deadline.base_days) == (key, count, days)
    assert deadline.due == d(expected)


@pytest.mark.parametrize(
    ("received", "key", "days", "uncertain", "expected"),
    [
        # 10 working days from Tue 30/6/2026: 1, 2, 3, 6, 7, 8, 9, 10, 13, 14 July.
        ("2026-06-30", "complaint.accept.2011", 10, False, "2026-07-14"),
        # 7 working days from Wed 1/7/2026: 2, 3, 6, 7, 8, 9, 10 July.
        ("2026-07-01", "complaint.accept.2026", 7, True, "2026-07-10"),
    ],
)
def test_complaint_acceptance_change_on_1_july_2026(received, key, days, uncertain, expected):
    deadline = compute(
        BOOK, kind="complaint", step="accept", received_on=d(received), start=d(received), calendar=CAL_2026
    )
    assert (deadline.rule.key, deadline.base_days, deadline.rule.uncertain) == (key, days, uncertain)
    assert deadline.due == d(expected)


def test_the_rule_follows_the_date_received_not_the_start():
    # Received under the old law, accepted under the new one: the old law still governs the case.
    deadline = compute(
        BOOK,
        kind="denunciation",
        step="resolve",
        received_on=d("2018-12-20"),
        start=d("2019-01-07"),
        calendar=CAL_2019,
    )
    assert deadline.rule.key == "denunciation.resolve.2011"
    assert deadline.base_days == 60


def test_no_rule_raises_lookup_error():
    with pytest.raises(LookupError):
        BOOK.find("denunciation", "transfer", d("2018-06-01"))
    with pytest.raises(LookupError):
        compute(
            BOOK,
            kind="complaint",
            step="resolve",
            received_on=d("2010-01-01"),
            start=d("2010-01-01"),
            calendar=CAL_2019,
        )


def test_a_kind_without_its_own_rule_uses_the_rule_for_any_kind():
    assert BOOK.find("complaint", "keep_filed", d("2024-01-01")).key == "any.keep_filed.2021"
    assert BOOK.find("recommendation", "process", d("2024-01-01")).key == "recommendation.process.default"
    assert BOOK.find("complaint", "process", d("2024-01-01")).key == "any.process.default"


# --- extensions and pauses ------------------------------------------------------------------------------


def test_extensions_are_limited_by_the_rule():
    rule = BOOK.get("denunciation.resolve.2018")
    assert [extensions_left(rule, n) for n in range(4)] == [2, 1, 0, 0]
    assert extensions_left(BOOK.get("complaint.resolve.2011"), 0) == 0
    three = [Extension(on=d("2024-03-10"))] * 3
    with pytest.raises(ValueError, match="allows 2"):
        compute(
            rule,
            kind="denunciation",
            step="resolve",
            received_on=d("2024-03-01"),
            start=d("2024-03-01"),
            calendar=CAL_2024,
            extensions=three,
        )
    with pytest.raises(ValueError):
        compute(
            BOOK.get("complaint.resolve.2011"),
            kind="complaint",
            step="resolve",
            received_on=d("2024-03-01"),
            start=d("2024-03-01"),
            calendar=CAL_2024,
            extensions=[Extension(on=d("2024-03-10"))],
        )
    with pytest.raises(ValueError, match="at most 30"):
        compute(
            rule,
            kind="denunciation",
            step="resolve",
            received_on=d("2024-03-01"),
            start=d("2024-03-01"),
            calendar=CAL_2024,
            extensions=[Extension(on=d("2024-03-10"), days=31)],
        )


def test_a_shorter_extension_counts_its_own_days():
    deadline = compute(
        BOOK,
        kind="denunciation",
        step="resolve",
        received_on=d("2024-03-01"),
        start=d("2024-03-01"),
        calendar=CAL_2024,
        extensions=[Extension(on=d("2024-03-25"), days=15)],
    )
    # 1/3 + 45 = Mon 15/4.
    assert (deadline.extension_days_total, deadline.due) == (15, d("2024-04-15"))
    assert deadline.extensions == (Extension(on=d("2024-03-25"), days=15),)


@pytest.mark.parametrize(
    ("step", "start", "pauses", "paused", "expected"),
    [
        # 1/3/2024 + 30 = Sun 31/3 → 1/4; suspended 10 → 20/3 adds 10 days: 1/3 + 40 = Wed 10/4.
        ("resolve", "2024-03-01", [], 0, "2024-04-01"),
        ("resolve", "2024-03-01", [("2024-03-10", "2024-03-20")], 10, "2024-04-10"),
        (
            "resolve",
            "2024-03-01",
            [("2024-03-10", "2024-03-12"), ("2024-03-20", "2024-03-21")],
            3,
            "2024-04-03",
        ),
        # 7 working days from Mon 4/3 = Wed 13/3; suspended Fri 8 → Tue 12 stops 2 working days (11, 12):
        # 9 working days = Fri 15/3.
        ("process", "2024-03-04", [], 0, "2024-03-13"),
        ("process", "2024-03-04", [("2024-03-08", "2024-03-12")], 2, "2024-03-15"),
    ],
)
def test_closed_pauses_move_the_due_date(step, start, pauses, paused, expected):
    deadline = compute(
        BOOK,
        kind="denunciation",
        step=step,
        received_on=d(start),
        start=d(start),
        calendar=CAL_2024,
        pauses=[(d(a), d(b)) for a, b in pauses],
    )
    assert deadline.paused_days == paused
    assert deadline.stopped_since is None
    assert deadline.due == d(expected)


def test_an_open_pause_stops_the_clock():
    deadline = compute(
        BOOK,
        kind="denunciation",
        step="resolve",
        received_on=d("2024-03-01"),
        start=d("2024-03-01"),
        calendar=CAL_2024,
        pauses=[(d("2024-03-05"), d("2024-03-06")), (d("2024-03-10"), None)],
    )
    assert deadline.due is None
    assert deadline.stopped_since == d("2024-03-10")
    assert deadline.paused_days == 1


def test_a_pause_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        compute(
            BOOK,
            kind="denunciation",
            step="resolve",
            received_on=d("2024-03-01"),
            start=d("2024-03-01"),
            calendar=CAL_2024,
            pauses=[(d("2024-03-10"), d("2024-03-09"))],
        )


# --- months ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed", "key", "expected"),
    [
        ("2024-02-29", "any.keep_filed.2021", "2025-02-28"),  # no 29/2/2025: the month's last day
        ("2023-02-10", "any.keep_filed.2021", "2024-02-15"),  # 10/2/2024 falls in Tết 2024
        ("2023-05-31", "any.keep_filed.2021", "2024-05-31"),
        ("2016-06-15", "any.keep_filed.2014", "2017-06-15"),
        ("2013-03-15", "any.keep_filed.default", "2014-03-17"),  # 15/3/2014 is a Saturday
    ],
)
def test_filed_petitions_are_kept_twelve_months(filed, key, expected):
    calendar = build_calendar([2013, 2014, 2016, 2017, 2023, 2024, 2025])
    deadline = compute(
        BOOK, kind="complaint", step="keep_filed", received_on=d(filed), start=d(filed), calendar=calendar
    )
    assert (deadline.rule.key, deadline.count, deadline.base_days) == (key, "months", 12)
    assert deadline.due == d(expected)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        ("2024-01-31", "2024-02-29"),  # leap year
        ("2023-01-31", "2023-02-28"),
        ("2024-03-31", "2024-05-02"),  # 30/4 and 1/5 are holidays
        ("2024-12-15", "2025-01-15"),
    ],
)
def test_one_month_ends_on_the_corresponding_day_or_the_months_last_day(start, expected):
    rule = Rule(
        key="test.month",
        kind="any",
        step="keep_filed",
        effective_from=d("2000-01-01"),
        effective_to=None,
        count="months",
        days=1,
        source="test",
    )
    deadline = compute(
        rule, kind="any", step="keep_filed", received_on=d(start), start=d(start), calendar=CAL_2024
    )
    assert deadline.due == d(expected)


# --- urgency --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "today", "expected"),
    [
        (None, "2024-03-11", "none"),
        # due Wed 13/3/2024; the next 3 working days from Fri 8/3 are 8, 11, 12.
        ("2024-03-13", "2024-03-08", "on_time"),
        ("2024-03-13", "2024-03-09", "due_soon"),  # Saturday: 11, 12, 13
        ("2024-03-13", "2024-03-11", "due_soon"),
        ("2024-03-13", "2024-03-13", "due_soon"),
        ("2024-03-13", "2024-03-14", "overdue"),
        ("2024-03-13", "2024-04-12", "overdue"),  # 30 days late
        ("2024-03-13", "2024-04-13", "very_late"),  # 31 days late
        # across Tết: from Wed 7/2/2024 the next 3 working days are 7, 15, 16.
        ("2024-02-16", "2024-02-07", "due_soon"),
        ("2024-02-19", "2024-02-07", "on_time"),
    ],
)
def test_urgency(due, today, expected):
    assert urgency(d(due) if due else None, d(today), CAL_2024) == expected


def test_urgency_uses_the_configured_thresholds():
    assert urgency(d("2024-03-11"), d("2024-03-08"), CAL_2024, due_soon_working_days=1) == "on_time"
    assert urgency(d("2024-03-08"), d("2024-03-08"), CAL_2024, due_soon_working_days=1) == "due_soon"
    assert urgency(d("2024-03-13"), d("2024-03-20"), CAL_2024, very_late_days=5) == "very_late"
    assert urgency(d("2024-03-13"), d("2024-03-18"), CAL_2024, very_late_days=5) == "overdue"


# --- time limit to complain -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "received", "expired"),
    [
        # known 31/1/2024 + 90 days = Tue 30/4 (holiday), 1/5 holiday → the limit ends Thu 2/5.
        ("complaint", "2024-05-02", False),
        ("complaint", "2024-05-03", True),
        ("complaint", "2024-03-01", False),
        ("denunciation", "2024-12-31", False),
    ],
)
def test_time_limit_to_complain(kind, received, expired):
    result = time_limit_expired(
        BOOK, kind=kind, known_on=d("2024-01-31"), received_on=d(received), calendar=CAL_2024
    )
    if expired:
        assert result is not None
        assert (result.rule.key, result.due) == ("complaint.time_limit.2011", d("2024-05-02"))
    else:
        assert result is None


# --- explanation ----------------------------------------------------------------------------------------


def test_explain_names_the_source_and_the_due_date():
    deadline = compute(
        BOOK,
        kind="denunciation",
        step="resolve",
        received_on=d("2019-01-02"),
        start=d("2019-01-07"),
        calendar=CAL_2019,
        extensions=[Extension(on=d("2019-02-01"))],
        pauses=[(d("2019-01-10"), d("2019-01-12"))],
    )
    with translation.override("en"):
        lines = explain(deadline)
    text = "\n".join(lines)
    assert "Luật Tố cáo 25/2018/QH14, Điều 30" in text
    assert "uncertain" not in text
    assert "07/01/2019" in text
    assert "Extension decided on 01/02/2019: 30 days" in text
    assert "Suspended from 10/01/2019 to 12/01/2019: 2 days not counted" in text
    # 7/1 + 30 + 30 + 2 = Mon 11/3/2019
    assert deadline.due == d("2019-03-11")
    assert lines[-1] == "Due date: 11/03/2019"


def test_explain_flags_uncertain_rules_and_a_stopped_clock():
    deadline = compute(
        BOOK,
        kind="complaint",
        step="accept",
        received_on=d("2026-07-01"),
        start=d("2026-07-01"),
        calendar=CAL_2026,
        complex=True,
        pauses=[(d("2026-07-03"), None)],
    )
    with translation.override("en"):
        lines = explain(deadline)
    assert "uncertain rule" in lines[0] and "Nghị định 155/2026/NĐ-CP" in lines[0]
    assert "Period: 7 working days (standard period)" in lines
    assert lines[-1].startswith("Clock stopped since 03/07/2026")


# --- the rules file and the override --------------------------------------------------------------------


def test_every_packaged_rule_loads_with_a_source_and_no_overlaps():
    raw = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))["rules"]
    keys = [entry["key"] for entry in raw]
    assert len(keys) == len(set(keys))
    rules = [rule_from_dict(entry) for entry in raw]
    for rule in rules:
        assert rule.source.strip(), rule.key
        assert rule.kind in KINDS and rule.step in STEPS, rule.key
        assert rule.key.startswith(f"{rule.kind}.{rule.step}."), rule.key
    check_no_overlap(rules)
    assert {rule.key for rule in BOOK.rules} == set(keys)


def test_rules_without_a_verified_figure_are_marked_uncertain():
    uncertain = {rule.key for rule in BOOK.rules if rule.uncertain}
    assert uncertain == {
        "complaint.accept.2026",
        "denunciation.process.2011",
        "recommendation.process.default",
        "recommendation.resolve.default",
        "feedback.process.default",
        "feedback.resolve.default",
        "any.process.default",
        "any.keep_filed.2021",
        "any.keep_filed.default",
    }


def test_overlapping_rules_are_rejected():
    a = rule_from_dict(
        {
            "key": "a",
            "kind": "complaint",
            "step": "accept",
            "effective_from": "2020-01-01",
            "count": "days",
            "days": 1,
            "source": "x",
        }
    )
    b = rule_from_dict(
        {
            "key": "b",
            "kind": "complaint",
            "step": "accept",
            "effective_from": "2021-01-01",
            "effective_to": "2021-12-31",
            "count": "days",
            "days": 1,
            "source": "x",
        }
    )
    with pytest.raises(ValueError, match="overlap"):
        check_no_overlap([a, b])


def _write(path, rules):
    path.write_text(json.dumps({"version": 1, "rules": rules}, ensure_ascii=False), encoding="utf-8")
    return path


ACCEPT_2026_AS_8 = {
    "key": "complaint.accept.2026",
    "kind": "complaint",
    "step": "accept",
    "effective_from": "2026-07-01",
    "effective_to": None,
    "count": "working_days",
    "days": 8,
    "source": "Văn bản sửa đổi (thử)",
    "uncertain": False,
}


def test_an_override_file_replaces_a_rule(tmp_path):
    path = _write(tmp_path / "rules.json", [ACCEPT_2026_AS_8])
    book = load_rules(path)
    rule = book.find("complaint", "accept", d("2026-07-01"))
    assert (rule.days, rule.source, rule.uncertain) == (8, "Văn bản sửa đổi (thử)", False)
    # the other rules are still the packaged ones
    assert book.get("complaint.accept.2011") == BOOK.get("complaint.accept.2011")
    assert BOOK.find("complaint", "accept", d("2026-07-01")).days == 7
    # 8 working days from Wed 1/7/2026 = Mon 13/7
    deadline = compute(
        book,
        kind="complaint",
        step="accept",
        received_on=d("2026-07-01"),
        start=d("2026-07-01"),
        calendar=CAL_2026,
    )
    assert deadline.due == d("2026-07-13")


def test_the_setting_names_the_override_file(tmp_path, settings):
    settings.DANVAN_DEADLINE_RULES = str(_write(tmp_path / "rules.json", [ACCEPT_2026_AS_8]))
    assert load_rules().find("complaint", "accept", d("2026-07-01")).days == 8
    settings.DANVAN_DEADLINE_RULES = ""
    assert load_rules().find("complaint", "accept", d("2026-07-01")).days == 7


def test_an_edited_override_file_is_read_again(tmp_path):
    path = _write(tmp_path / "rules.json", [ACCEPT_2026_AS_8])
    assert load_rules(path).get("complaint.accept.2026").days == 8
    _write(path, [{**ACCEPT_2026_AS_8, "days": 9}])
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_rules(path).get("complaint.accept.2026").days == 9


@pytest.mark.parametrize(
    "bad",
    [
        {**ACCEPT_2026_AS_8, "complex_day": 10},  # typo
        {**ACCEPT_2026_AS_8, "count": "weeks"},
        {**ACCEPT_2026_AS_8, "source": ""},
        {**ACCEPT_2026_AS_8, "effective_from": "2026-06-30"},  # overlaps the 2011 acceptance rule
        {**ACCEPT_2026_AS_8, "effective_from": "01/07/2026"},
    ],
)
def test_a_bad_override_file_is_refused(tmp_path, bad):
    path = _write(tmp_path / "rules.json", [bad])
    with pytest.raises(ValueError):
        load_rules(path)


def test_a_missing_override_file_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_rules(tmp_path / "missing.json")
