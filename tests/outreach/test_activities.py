"""Recording and changing activities: participants typed as counts (categories and a total must
add up; a lone total is "not broken down"; lone categories make the total), Participation rows
rewritten with the activity's unit path, kind and first day, co-organisers, resolutions and
documents disseminated, every bad input refused with its field and nothing written, versions,
files, the audit trail and atomicity."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent, RecordFile
from danvan.outreach import services
from danvan.outreach.models import Activity, Participation

from .conftest import (
    DAY,
    TODAY,
    activity_input,
    counts_of,
    record_activity,
    record_document,
    resolution,
    state,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def refused(actor, data, today=TODAY) -> DomainError:
    before = state()
    with pytest.raises(DomainError) as caught:
        services.activity_record(actor=actor, data=data, today=today)
    assert state() == before, "a refused activity wrote something"
    return caught.value


# ---- participants -----------------------------------------------------------------------------


def test_categories_and_total_that_add_up_make_one_row_per_category(team, tree):
    activity = record_activity(team.recorder, tree.n)
    assert activity.participants_total == 100 and not activity.from_attendance
    rows = list(Participation.objects.filter(activity=activity).order_by("category"))
    assert [(r.category, r.count) for r in rows] == [("cadres", 30), ("party_members", 70)]
    for row in rows:
        assert (row.unit_path, row.kind, row.held_on) == (tree.n.path, "conference", DAY)
    assert activity.unit_path == tree.n.path


def test_a_lone_total_is_one_row_not_broken_down(team, tree):
    activity = record_activity(team.recorder, tree.n, counts={}, participants_total=250)
    assert counts_of(activity) == {"unspecified": 250}
    assert activity.participants_total == 250


def test_lone_categories_make_the_total_and_zeros_are_left_out(team, tree):
    activity = record_activity(
        team.recorder, tree.n, counts={"citizens": 120, "mm_cadres": 5, "other": 0}, participants_total=None
    )
    assert activity.participants_total == 125
    assert counts_of(activity) == {"citizens": 120, "mm_cadres": 5}


def test_nothing_given_is_no_participant(team, tree):
    activity = record_activity(team.recorder, tree.n, kind="inspection", counts={}, participants_total=None)
    assert activity.participants_total == 0 and counts_of(activity) == {}


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("vi", "Tổng số người tham dự theo từng đối tượng là 1.234, không khớp với tổng số 1.250 đã nhập."),
        ("en", "The participants by category add up to 1,234, not the 1,250 stated."),
    ],
)
def test_categories_not_adding_up_are_refused_on_the_total(team, tree, language, expected):
    data = activity_input(tree.n, counts={"cadres": 1000, "citizens": 234}, participants_total=1250)
    with translation.override(language):
        error = refused(team.recorder, data)
        message = error.field_messages()["participants_total"][0]
    assert message == expected


def test_bad_counts_are_refused_by_category(team, tree):
    error = refused(
        team.recorder,
        activity_input(tree.n, counts={"cadres": -3, "unspecified": 5}, participants_total=None),
    )
    assert set(error.fields) >= {"counts.cadres", "counts.unspecified"}


# ---- bad inputs of the issue --------------------------------------------------------------------


def test_dates_reversed_are_refused_on_the_last_day(team, tree):
    error = refused(
        team.recorder, activity_input(tree.n, starts_on=date(2026, 10, 15), ends_on=date(2026, 10, 14))
    )
    assert list(error.fields) == ["ends_on"]
    assert "14/10/2026" in error.field_messages()["ends_on"][0]


def test_a_first_day_after_today_is_refused(team, tree):
    error = refused(team.recorder, activity_input(tree.n, starts_on=date(2026, 11, 28)))
    assert list(error.fields) == ["starts_on"]


def test_a_lead_unit_that_did_not_exist_on_the_day_is_refused(team, tree):
    # Commune C1 was merged into N on 01/07/2025; N holds its archive, so N's recorder may record
    # for C1, but only on days it existed.
    error = refused(team.recorder, activity_input(tree.c1, starts_on=date(2025, 9, 1)))
    assert list(error.fields) == ["unit"]
    assert "01/09/2025" in error.field_messages()["unit"][0]
    assert record_activity(team.recorder, tree.c1, starts_on=date(2025, 3, 1)).unit == tree.c1


def test_a_co_organiser_that_did_not_exist_on_the_day_is_refused(team, tree):
    error = refused(team.recorder, activity_input(tree.n, co_organiser_ids=[tree.d1.pk]))
    assert list(error.fields) == ["co_organisers"]
    assert tree.d1.name in error.field_messages()["co_organisers"][0]


def test_the_lead_cannot_be_a_co_organiser(team, tree):
    error = refused(team.recorder, activity_input(tree.n, co_organiser_ids=[tree.agency.pk, tree.n.pk]))
    assert list(error.fields) == ["co_organisers"]


def test_a_co_organiser_listed_twice_is_refused(team, tree):
    data = activity_input(tree.n, co_organiser_ids=[tree.agency.pk, tree.agency.pk])
    with translation.override("en"):
        assert "twice" in refused(team.recorder, data).field_messages()["co_organisers"][0]
    with translation.override("vi"):
        assert "hai lần" in refused(team.recorder, data).field_messages()["co_organisers"][0]


def test_a_missing_co_organiser_is_refused(team, tree):
    error = refused(team.recorder, activity_input(tree.n, co_organiser_ids=[987654]))
    assert list(error.fields) == ["co_organisers"]


def test_any_unit_of_the_tree_may_co_organise(team, tree):
    # The unit tree is reference data: a unit outside the recorder's scope may co-organise.
    activity = record_activity(
        team.recorder, tree.n, co_organiser_ids=[tree.agency.pk, tree.other_province.pk]
    )
    assert set(activity.co_organisers.all()) == {tree.agency, tree.other_province}


def test_a_document_issued_after_the_activity_is_refused(team, tree):
    document = record_document(team.recorder, tree.n, issued_on=date(2026, 10, 20))
    error = refused(team.recorder, activity_input(tree.n, document_ids=[document.pk]))
    assert list(error.fields) == ["documents"]
    assert "20/10/2026" in error.field_messages()["documents"][0]
    same_day = record_document(team.recorder, tree.n, number="16-KH/ĐU", issued_on=DAY)
    activity = record_activity(team.recorder, tree.n, document_ids=[same_day.pk])
    assert list(activity.documents.all()) == [same_day]


def test_a_document_the_actor_cannot_see_is_refused(team, tree, make_user):
    hanoi = make_user("committee_member", tree.other_commune, username="hanoi")
    theirs = record_document(hanoi, tree.other_commune)
    error = refused(team.recorder, activity_input(tree.n, document_ids=[theirs.pk]))
    assert list(error.fields) == ["documents"]


def test_a_resolution_issued_after_the_activity_is_refused(team, tree):
    later = resolution("23-QĐ/TW")  # 30/07/2021
    error = refused(
        team.recorder, activity_input(tree.c1, starts_on=date(2021, 5, 1), resolution_ids=[later.pk])
    )
    assert list(error.fields) == ["resolutions"]


def test_every_problem_is_reported_at_once(team, tree):
    data = activity_input(
        tree.n,
        kind="picnic",
        title="  ",
        ends_on=date(2026, 10, 1),
        co_organiser_ids=[tree.n.pk],
        counts={"cadres": 5},
        participants_total=6,
    )
    error = refused(team.recorder, data)
    assert set(error.fields) == {"kind", "title", "ends_on", "co_organisers", "participants_total"}


def test_a_unit_where_the_actor_does_not_record_is_refused(team, tree):
    with pytest.raises(PermissionDenied) as caught:
        record_activity(team.recorder, tree.n2)
    assert "unit" in caught.value.fields
    with pytest.raises(PermissionDenied):
        record_activity(team.clerk, tree.n)
    assert Activity.objects.count() == 0


def test_text_is_stored_in_nfc(team, tree):
    title = unicodedata.normalize("NFD", "Hội nghị đối thoại  với Nhân dân ")
    activity = record_activity(team.recorder, tree.n, kind="dialogue", title=title, venue="Nhà văn hóa thôn")
    assert activity.title == "Hội nghị đối thoại với Nhân dân"
    assert unicodedata.is_normalized("NFC", activity.title)
    assert activity.title_folded == "hoi nghi doi thoai voi nhan dan"


# ---- changes ------------------------------------------------------------------------------------


def test_an_update_rewrites_the_rows_with_the_new_kind_day_and_unit(team, tree):
    activity = record_activity(team.supervisor, tree.n)
    changed = services.activity_update(
        actor=team.supervisor,
        activity_id=activity.pk,
        version=activity.version,
        data=activity_input(
            tree.n2,
            kind="training",
            starts_on=date(2026, 9, 1),
            ends_on=date(2026, 9, 3),
            counts={"mm_cadres": 40},
            participants_total=40,
            co_organiser_ids=[tree.n.pk],
        ),
        today=TODAY,
    )
    assert changed.version == activity.version + 1
    rows = list(Participation.objects.filter(activity=activity))
    assert [(r.category, r.count, r.kind, r.held_on, r.unit_path) for r in rows] == [
        ("mm_cadres", 40, "training", date(2026, 9, 1), tree.n2.path)
    ]
    event = AuditEvent.objects.filter(action="outreach.activity_update").get()
    assert event.before["kind"] == "conference" and event.after["kind"] == "training"
    assert event.after["participants"] == {"mm_cadres": 40}


def test_a_stale_version_changes_nothing(team, tree):
    activity = record_activity(team.recorder, tree.n)
    services.activity_update(
        actor=team.leader,
        activity_id=activity.pk,
        version=0,
        data=activity_input(tree.n, title="Đổi tên"),
        today=TODAY,
    )
    before = state()
    with pytest.raises(StaleEdit):
        services.activity_update(
            actor=team.recorder, activity_id=activity.pk, version=0, data=activity_input(tree.n), today=TODAY
        )
    assert state() == before


def test_an_activity_out_of_reach_is_not_found(team, tree):
    activity = record_activity(team.recorder, tree.n)
    with pytest.raises(NotFound):
        services.activity_update(
            actor=team.outsider, activity_id=activity.pk, version=0, data=activity_input(tree.n), today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=team.clerk, activity_id=activity.pk, version=0, data=activity_input(tree.n), today=TODAY
        )


def test_the_audit_trail_keeps_the_links_and_counts(team, tree):
    activity = record_activity(team.recorder, tree.n, co_organiser_ids=[tree.agency.pk])
    event = AuditEvent.objects.get(action="outreach.activity_record")
    assert event.record_id == str(activity.pk) and event.unit_path == tree.n.path
    assert event.after["co_organisers"] == [tree.agency.pk]
    assert event.after["participants"] == {"cadres": 30, "party_members": 70}


# ---- files --------------------------------------------------------------------------------------


def test_files_are_kept_with_their_role_and_checked(team, tree):
    activity = record_activity(team.recorder, tree.n)
    item = services.activity_file_add(
        actor=team.recorder, activity_id=activity.pk, role="photo", name="anh.png", data=PNG, today=TODAY
    )
    assert (item.role, item.unit_path, item.record_type) == ("photo", tree.n.path, "outreach.activity")
    with pytest.raises(DomainError) as caught:
        services.activity_file_add(
            actor=team.recorder, activity_id=activity.pk, role="selfie", name="anh.png", data=PNG, today=TODAY
        )
    assert "role" in caught.value.fields
    with pytest.raises(DomainError) as caught:
        services.activity_file_add(
            actor=team.recorder,
            activity_id=activity.pk,
            role="minutes",
            name="bien-ban.pdf",
            data=PNG,
            today=TODAY,
        )
    assert "files" in caught.value.fields
    with pytest.raises(PermissionDenied):
        services.activity_file_add(
            actor=team.clerk, activity_id=activity.pk, role="plan", name="kh.png", data=PNG, today=TODAY
        )
    assert RecordFile.objects.count() == 1


# ---- atomicity ----------------------------------------------------------------------------------


class Boom(Exception):
    pass


def test_a_failure_after_the_rows_leaves_nothing(team, tree, monkeypatch):
    record_activity(team.recorder, tree.n)
    before = state()

    def fail(**kwargs):
        assert Participation.objects.filter(activity__title="Lần hai").exists()
        raise Boom()

    monkeypatch.setattr(services.audit, "record", fail)
    with pytest.raises(Boom):
        record_activity(team.recorder, tree.n, title="Lần hai", co_organiser_ids=[tree.agency.pk])
    activity = Activity.objects.get()
    with pytest.raises(Boom):
        services.activity_update(
            actor=team.recorder,
            activity_id=activity.pk,
            version=activity.version,
            data=activity_input(tree.n, title="Lần hai", counts={"citizens": 9}, participants_total=9),
            today=TODAY,
        )
    assert state() == before
