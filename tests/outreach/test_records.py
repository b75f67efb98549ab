"""The record types of outreach work (`outreach.records`), called directly: keys and matching,
checks across columns, writing a chunk, rolling a batch back, and exporting rows that import again
into the same records."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core import records as registry
from danvan.core.errors import DomainError
from danvan.core.models import ImportBatch
from danvan.core.records import ExportQuery
from danvan.outreach import records, services
from danvan.outreach.models import Activity, IssuedDocument, Participation

from .conftest import TODAY, activity_input, record_document, resolution

pytestmark = pytest.mark.django_db
FIRST, LAST = date(2000, 1, 1), date(2030, 12, 31)


def make_batch(user, code: str) -> ImportBatch:
    return ImportBatch.objects.create(
        record_type=code, created_by=user, stored_name="t.xlsx", sha256="0" * 64
    )


def document_row(unit, **overrides) -> dict:
    row = {
        "unit": unit,
        "number": "15-KH/ĐU",
        "issued_on": date(2026, 3, 2),
        "doc_type": "plan",
        "title": "Kế hoạch thực hiện Kết luận 43-KL/TW về công tác dân vận",
        "issuer": "Ban Thường vụ Đảng ủy xã",
        "implements": "43-KL/TW",
    }
    row.update(overrides)
    return row


def activity_row(unit, **overrides) -> dict:
    row = {
        "unit": unit,
        "kind": "conference",
        "title": "Hội nghị quán triệt Kết luận 43-KL/TW",
        "starts_on": date(2026, 10, 15),
        "ends_on": date(2026, 10, 16),
        "venue": "Hội trường Đảng ủy xã",
        "summary": "Quán triệt Kết luận và kế hoạch thực hiện.",
        "participants_total": 100,
        **{records.count_key(c): None for c in services.COUNTED},
        "participants_cadres": 30,
        "participants_party_members": 70,
        "co_organisers": "",
        "resolutions": "",
        "documents": "",
    }
    row.update(overrides)
    return row


def export(user, unit) -> list[dict]:
    return list(records.ACTIVITIES.export(ExportQuery(user, unit, FIRST, LAST)))


def test_both_types_are_registered_in_order():
    found = registry.registry()
    assert found["documents_issued"] is records.DOCUMENTS
    assert found["activities"] is records.ACTIVITIES
    codes = list(found)
    assert codes.index("documents_issued") < codes.index("activities")
    for record_type in (records.DOCUMENTS, records.ACTIVITIES):
        keys = [c.key for c in record_type.columns]
        assert len(keys) == len(set(keys))
        assert set(record_type.natural_key) <= set(keys)


# ---- documents issued -------------------------------------------------------------------------


def test_documents_write_key_existing_export_and_rollback(team):
    batch = make_batch(team.recorder, "documents_issued")
    rows = [document_row(team.unit), document_row(team.unit, number="16-CV/ĐU", implements="", issuer="")]
    assert records.DOCUMENTS.write(team.recorder, rows, batch) == 2
    first, second = IssuedDocument.objects.filter(import_batch=batch).order_by("number")
    assert (first.number, first.doc_type, first.implements, first.unit_path) == (
        "15-KH/ĐU",
        "plan",
        resolution("43-KL/TW"),
        team.unit.path,
    )
    assert first.title_folded == services.document_search_key(first.number, first.title)
    assert second.issuer == team.unit.name  # empty: the unit's name, as the service does
    # The same number typed without accents or in lower case is the same document.
    keys = [
        records.DOCUMENTS.key(document_row(team.unit, number="15-kh/du")),
        (team.unit.pk, "99", date(2026, 3, 2)),
    ]
    assert records.DOCUMENTS.existing(team.recorder, keys) == {keys[0]}

    exported = list(records.DOCUMENTS.export(ExportQuery(team.recorder, team.unit, FIRST, LAST)))
    assert sorted(exported, key=lambda r: r["number"]) == [
        {**rows[0]},
        {**rows[1], "issuer": team.unit.name},
    ]
    assert list(records.DOCUMENTS.export(ExportQuery(team.outsider, team.unit, FIRST, LAST))) == []

    assert records.DOCUMENTS.rollback(team.recorder, batch) == 2
    assert not IssuedDocument.objects.filter(pk__in=[first.pk, second.pk]).exists()


def test_document_check(team):
    with translation.override("en"):
        assert records.DOCUMENTS.check(document_row(team.unit)) == {}
        future = records.DOCUMENTS.check(document_row(team.unit, issued_on=date(2999, 1, 1)))
        assert future == {"issued_on": "01/01/2999 is after today."}
        early = records.DOCUMENTS.check(document_row(team.unit, issued_on=date(2018, 1, 2)))
        assert "before 43-KL/TW" in early["issued_on"]
        unknown = records.DOCUMENTS.check(document_row(team.unit, implements="99-NQ/TW"))
        assert unknown == {"implements": "No resolution is numbered “99-NQ/TW”."}


def test_document_rollback_refused_after_an_edit(team):
    batch = make_batch(team.recorder, "documents_issued")
    records.DOCUMENTS.write(team.recorder, [document_row(team.unit)], batch)
    document = IssuedDocument.objects.get(import_batch=batch)
    services.document_update(
        actor=team.recorder,
        document_id=document.pk,
        version=0,
        data=services.DocumentInput(
            unit_id=team.unit.pk,
            number=document.number,
            issued_on=document.issued_on,
            doc_type="programme",
            title=document.title,
        ),
        today=TODAY,
    )
    with pytest.raises(DomainError) as refused:
        records.DOCUMENTS.rollback(team.recorder, batch)
    assert refused.value.code == "import.rollback_changed"
    assert IssuedDocument.objects.filter(pk=document.pk).exists()


# ---- activities -------------------------------------------------------------------------------


def test_activity_write_makes_the_rows_the_service_makes(team, tree):
    typed = services.activity_record(actor=team.recorder, data=activity_input(team.unit), today=TODAY)
    batch = make_batch(team.recorder, "activities")
    row = activity_row(team.unit, title="Hội nghị quán triệt (nhập từ sổ)")
    assert records.ACTIVITIES.check(row) == {}
    assert records.ACTIVITIES.write(team.recorder, [row], batch) == 1
    imported = Activity.objects.get(import_batch=batch)
    assert imported.created_by == team.recorder
    assert (imported.unit_path, imported.participants_total, imported.from_attendance) == (
        team.unit.path,
        100,
        False,
    )

    def participations(activity):
        return sorted(
            Participation.objects.filter(activity=activity).values_list(
                "category", "count", "unit_path", "kind", "held_on"
            )
        )

    assert participations(imported) == participations(typed)


def test_a_lone_total_is_not_broken_down(team):
    batch = make_batch(team.recorder, "activities")
    row = activity_row(
        team.unit, participants_cadres=None, participants_party_members=None, participants_total=80
    )
    records.ACTIVITIES.write(team.recorder, [row], batch)
    activity = Activity.objects.get(import_batch=batch)
    assert list(Participation.objects.filter(activity=activity).values_list("category", "count")) == [
        ("unspecified", 80)
    ]
    (exported,) = export(team.recorder, team.unit)
    assert exported["participants_total"] == 80
    assert all(exported[records.count_key(c)] is None for c in services.COUNTED)


def test_activity_check(team, tree):
    with translation.override("en"):
        wrong = records.ACTIVITIES.check(activity_row(team.unit, participants_total=90))
        assert wrong == {
            "participants_total": "The participants by category add up to 100, not the 90 stated."
        }
        late = records.ACTIVITIES.check(activity_row(team.unit, ends_on=date(2026, 10, 1)))
        assert late == {"ends_on": "The last day (01/10/2026) is before the first day (15/10/2026)."}
        future = records.ACTIVITIES.check(activity_row(team.unit, starts_on=date(2999, 1, 1), ends_on=None))
        assert "after today" in future["starts_on"]
        itself = records.ACTIVITIES.check(
            activity_row(team.unit, co_organisers=records.unit_label(team.unit))
        )
        assert itself == {
            "co_organisers": f"{team.unit.name} leads the activity: it cannot also be a co-organiser."
        }
        unknown = records.ACTIVITIES.check(activity_row(team.unit, co_organisers="Hội Nông dân xã Không Có"))
        assert "Hội Nông dân xã Không Có" in unknown["co_organisers"]
        no_document = records.ACTIVITIES.check(activity_row(team.unit, documents="77-KH/ĐU"))
        assert "77-KH/ĐU" in no_document["documents"]
        no_resolution = records.ACTIVITIES.check(activity_row(team.unit, resolutions="99-NQ/TW"))
        assert no_resolution == {"resolutions": "No resolution is numbered “99-NQ/TW”."}


def test_activities_key_existing_and_round_trip(team, tree):
    document = record_document(team.recorder, team.unit)
    province_document = record_document(
        team.supervisor, tree.province, number="20-KH/TU", issuer="Tỉnh ủy", issued_on=date(2026, 4, 1)
    )
    batch = make_batch(team.recorder, "activities")
    rows = [
        activity_row(
            team.unit,
            co_organisers=f"{records.unit_label(tree.agency)}; {tree.n2.code}",
            resolutions="25-NQ/TW; 43-kl/tw",
            documents=f"{document.number}; 20-kh/tu",
        ),
        activity_row(
            team.unit, kind="dialogue", title="Hội nghị đối thoại với nhân dân", ends_on=date(2026, 10, 15)
        ),
    ]
    assert [records.ACTIVITIES.check(row) for row in rows] == [{}, {}]
    keys = [records.ACTIVITIES.key(row) for row in rows]
    assert keys[0] == (
        team.unit.pk,
        "conference",
        date(2026, 10, 15),
        "hoi nghi quan triet ket luan 43-kl/tw",
    )
    assert records.ACTIVITIES.existing(team.recorder, keys) == set()
    assert records.ACTIVITIES.write(team.recorder, rows, batch) == 2
    assert records.ACTIVITIES.existing(team.recorder, keys) == set(keys)
    linked = Activity.objects.get(import_batch=batch, kind="conference")
    assert set(linked.co_organisers.all()) == {tree.agency, tree.n2}
    assert set(linked.documents.all()) == {document, province_document}
    assert sorted(r.number for r in linked.resolutions.all()) == ["25-NQ/TW", "43-KL/TW"]

    exported = export(team.recorder, team.unit)
    assert len(exported) == 2
    # Exported rows import again into the same records: the same keys, the same links.
    assert {records.ACTIVITIES.key(row) for row in exported} == set(keys)
    again = next(row for row in exported if row["kind"] == "conference")
    assert records.ACTIVITIES.check(again) == {}
    assert again["participants_cadres"] == 30 and again["participants_party_members"] == 70
    assert again["resolutions"] == "25-NQ/TW; 43-KL/TW"
    prepared = records._activity_import(again)
    assert set(prepared.co_organisers) == {tree.agency, tree.n2}
    assert set(prepared.documents) == {document, province_document}
    for name in ("title", "venue", "summary", "starts_on", "ends_on", "unit", "participants_total"):
        assert again[name] == rows[0][name]

    assert export(team.outsider, team.unit) == []
    assert len(export(team.supervisor, tree.province)) == 2


def test_activity_rollback_removes_everything_it_made_or_refuses(team, tree):
    batch = make_batch(team.recorder, "activities")
    records.ACTIVITIES.write(
        team.recorder, [activity_row(team.unit, co_organisers=records.unit_label(tree.agency))], batch
    )
    activity = Activity.objects.get(import_batch=batch)
    assert records.ACTIVITIES.rollback(team.recorder, batch) == 1
    assert not Activity.objects.filter(pk=activity.pk).exists()
    assert not Participation.objects.filter(activity_id=activity.pk).exists()
    assert not Activity.co_organisers.through.objects.filter(activity_id=activity.pk).exists()

    batch = make_batch(team.recorder, "activities")
    records.ACTIVITIES.write(team.recorder, [activity_row(team.unit)], batch)
    activity = Activity.objects.get(import_batch=batch)
    services.activity_update(
        actor=team.recorder,
        activity_id=activity.pk,
        version=0,
        data=activity_input(team.unit, title="Đã sửa"),
        today=TODAY,
    )
    with translation.override("en"), pytest.raises(DomainError) as refused:
        records.ACTIVITIES.rollback(team.recorder, batch)
    assert refused.value.code == "import.rollback_changed"
    assert "Đã sửa" in refused.value.message and "edited" in refused.value.message
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_a_document_disseminated_by_another_activity_is_not_rolled_back(team):
    batch = make_batch(team.recorder, "documents_issued")
    records.DOCUMENTS.write(team.recorder, [document_row(team.unit)], batch)
    document = IssuedDocument.objects.get(import_batch=batch)
    services.activity_record(
        actor=team.recorder, data=activity_input(team.unit, document_ids=[document.pk]), today=TODAY
    )
    with pytest.raises(DomainError):
        records.DOCUMENTS.rollback(team.recorder, batch)
    assert IssuedDocument.objects.filter(pk=document.pk).exists()
