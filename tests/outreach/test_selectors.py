"""Reads of outreach work: the communes without a dialogue conference in a year (Luật 10/2022/QH15
Art 32), the registry of documents (unique number, search by number or title ignoring case and
diacritics, filters, the activities that disseminated a document) and the search of activities."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from danvan.core.errors import DomainError, StaleEdit
from danvan.core.models import AuditEvent
from danvan.outreach import selectors, services
from danvan.units.models import Role, RoleScope, UnitKind

from ..conftest import make_unit
from .conftest import TODAY, document_input, record_activity, record_document, resolution, state


@pytest.fixture
def boss(tree, make_user):
    return make_user(Role.LEADER, tree.province, RoleScope.SUBTREE, username="boss")


# ---- dialogue conferences missing -----------------------------------------------------------------


def test_communes_without_a_dialogue_in_a_past_year(tree, boss):
    village = make_unit("14801-T1", "Thôn Đông", UnitKind.OTHER_AGENCY, tree.c1)
    # 2024: C1 through a unit below it, C2 through an inspection (not a dialogue) and a dialogue
    # of 2023; C3 none. Communes are those of 31/12/2024: C1, C2, C3 (N and N2 came in 2025).
    record_activity(boss, village, kind="dialogue", starts_on=date(2024, 11, 2))
    record_activity(boss, tree.c2, kind="inspection", starts_on=date(2024, 5, 2))
    record_activity(boss, tree.c2, kind="dialogue", starts_on=date(2023, 12, 30))
    missing = selectors.communes_without_dialogue(boss, year=2024, today=TODAY)
    assert list(missing) == [tree.c2, tree.c3]  # in name order
    assert set(selectors.communes_without_dialogue(boss, year=2023, today=TODAY)) == {tree.c1, tree.c3}


def test_the_running_year_takes_the_communes_of_today(tree, boss, make_user):
    record_activity(boss, tree.n, kind="dialogue", starts_on=date(2026, 3, 1))
    assert list(selectors.communes_without_dialogue(boss, year=2026, today=TODAY)) == [tree.n2]
    assert selectors.dialogue_year_day(2026, TODAY) == TODAY
    assert selectors.dialogue_year_day(2025, TODAY) == date(2025, 12, 31)
    # Only the communes of the user's scope: a ward of another province is never listed; a
    # commune's own staff see their commune only.
    n2_clerk = make_user(Role.CLERK, tree.n2, username="n2clerk")
    assert list(selectors.communes_without_dialogue(n2_clerk, year=2026, today=TODAY)) == [tree.n2]
    outsider = make_user(Role.CLERK, tree.other_commune, username="outsider")
    assert list(selectors.communes_without_dialogue(outsider, year=2026, today=TODAY)) == [tree.other_commune]


def test_a_district_dialogue_does_not_cover_its_communes(tree, boss):
    record_activity(boss, tree.d1, kind="dialogue", starts_on=date(2024, 6, 1))
    assert set(selectors.communes_without_dialogue(boss, year=2024, today=TODAY)) == {
        tree.c1,
        tree.c2,
        tree.c3,
    }


# ---- documents issued -----------------------------------------------------------------------------


def test_a_document_is_recorded_with_its_search_key_and_audit(tree, boss):
    document = record_document(boss, tree.n, title=unicodedata.normalize("NFD", "Kế hoạch  tuyên truyền "))
    assert document.title == "Kế hoạch tuyên truyền" and unicodedata.is_normalized("NFC", document.title)
    assert document.title_folded == "15-kh/du ke hoach tuyen truyen"
    assert document.unit_path == tree.n.path
    assert AuditEvent.objects.filter(action="outreach.document_record", record_id=str(document.pk)).exists()
    assert record_document(boss, tree.n, number="16-KH/ĐU", issuer="").issuer == tree.n.name


def test_the_number_is_unique_for_the_unit_and_day(tree, boss):
    record_document(boss, tree.n)
    before = state()
    with pytest.raises(DomainError) as caught:
        record_document(boss, tree.n)
    assert (
        list(caught.value.fields) == ["number"] and "15-KH/ĐU" in caught.value.field_messages()["number"][0]
    )
    assert state() == before
    record_document(boss, tree.n, issued_on=date(2026, 3, 3))  # another day
    record_document(boss, tree.n2)  # another unit


def test_bad_documents_are_refused_with_their_fields(tree, boss):
    before = state()
    with pytest.raises(DomainError) as caught:
        record_document(boss, tree.n, number=" ", issued_on=date(2026, 11, 28), doc_type="memo", title="")
    assert set(caught.value.fields) == {"number", "issued_on", "doc_type", "title"}
    with pytest.raises(DomainError) as caught:
        record_document(boss, tree.n, issued_on=date(2018, 1, 1), implements_id=resolution("43-KL/TW").pk)
    assert set(caught.value.fields) == {"unit", "issued_on"}  # N did not exist; before the conclusion
    assert state() == before


def test_a_document_cannot_be_dated_after_an_activity_that_disseminated_it(tree, boss):
    document = record_document(boss, tree.n, issued_on=date(2026, 3, 2))
    record_activity(boss, tree.n2, starts_on=date(2026, 4, 1), document_ids=[document.pk])
    before = state()
    with pytest.raises(DomainError) as caught:
        services.document_update(
            actor=boss,
            document_id=document.pk,
            version=document.version,
            data=document_input(tree.n, issued_on=date(2026, 4, 2)),
            today=TODAY,
        )
    assert "01/04/2026" in caught.value.field_messages()["issued_on"][0]
    assert state() == before
    changed = services.document_update(
        actor=boss,
        document_id=document.pk,
        version=document.version,
        data=document_input(tree.n, issued_on=date(2026, 4, 1), number="15b-KH/ĐU"),
        today=TODAY,
    )
    assert (changed.version, changed.number, changed.title_folded[:9]) == (1, "15b-KH/ĐU", "15b-kh/du")
    with pytest.raises(StaleEdit):
        services.document_update(
            actor=boss, document_id=document.pk, version=0, data=document_input(tree.n), today=TODAY
        )


def test_the_registry_is_searched_by_number_or_title_without_diacritics(tree, boss):
    plan = record_document(boss, tree.n, number="15-KH/ĐU", title="Kế hoạch tuyên truyền Nghị quyết 25")
    directive = record_document(
        boss,
        tree.n2,
        number="07-CT/ĐU",
        doc_type="directive",
        title="Chỉ thị về đối thoại với Nhân dân",
        issued_on=date(2025, 9, 9),
        implements_id=resolution("25-NQ/TW").pk,
    )

    def found(**kw):
        return list(selectors.document_list_for(boss, **kw))

    assert found(q="ke hoach") == [plan]
    assert found(q="KẾ HOẠCH tuyên") == [plan]
    assert found(q="15-kh") == [plan]
    assert found(q="ct/du") == [directive]
    assert found(q="doi thoai nhan dan") == [directive]
    assert found(q="du") == [plan, directive]
    assert found(year=2025) == [directive]
    assert found(doc_type="directive") == [directive]
    assert found(resolution_id=resolution("25-NQ/TW").pk) == [directive]
    assert found(unit=tree.n) == [plan]
    assert found(unit=tree.province) == [plan, directive]


def test_a_documents_activities_are_those_that_disseminated_it(tree, boss, make_user):
    document = record_document(boss, tree.n)
    first = record_activity(boss, tree.n, document_ids=[document.pk])
    second = record_activity(boss, tree.n2, starts_on=date(2026, 5, 5), document_ids=[document.pk])
    record_activity(boss, tree.n, title="Không liên quan")
    assert list(selectors.activities_of_document(boss, document)) == [first, second]
    n_only = make_user(Role.CLERK, tree.n, username="n-clerk")
    assert list(selectors.activities_of_document(n_only, document)) == [first]


def test_activities_are_searched_and_filtered(tree, boss):
    conference = record_activity(boss, tree.n, title="Hội nghị quán triệt Nghị quyết 25-NQ/TW")
    training = record_activity(
        boss,
        tree.n2,
        kind="training",
        title="Lớp bồi dưỡng nghiệp vụ dân vận",
        starts_on=date(2026, 6, 1),
        resolution_ids=[resolution("25-NQ/TW").pk],
    )

    def found(**kw):
        return list(selectors.activity_list_for(boss, **kw))

    assert found(q="quan triet") == [conference]
    assert found(q="BỒI DƯỠNG") == [training]
    assert found(kind="training") == [training]
    assert found(first=date(2026, 7, 1)) == [conference]
    assert found(last=date(2026, 7, 1)) == [training]
    assert found(unit=tree.n2) == [training]
    assert found(resolution_id=resolution("25-NQ/TW").pk) == [training]
    assert found() == [conference, training]


def test_resolutions_are_reference_data_for_every_role_holder(tree, make_user):
    clerk = make_user(Role.CLERK, tree.other_commune, username="far")
    nobody = make_user(username="nobody")
    assert selectors.resolution_list_for(clerk).filter(number="25-NQ/TW").exists()
    assert not selectors.resolution_list_for(nobody).exists()
