"""Registering a model or an exemplar, editing its details at a version, its progress and
evidence, and replicating a recognised model elsewhere: the rules, the messages that name the
field, NFC on the way in and search without diacritics, and nothing written on bad input."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from danvan.core.files import record_files_of
from danvan.core.models import AuditEvent, RecordFile
from danvan.practices import selectors, services
from danvan.practices.models import PracticeEvent, PracticeModel, PracticeStatus

from .conftest import PDF, TODAY, bring_to, details, register, report, submit

FIELD_MESSAGE = "A model must belong to one of the four fields of the movement."


def written() -> tuple:
    return (
        PracticeModel.objects.count(),
        PracticeEvent.objects.count(),
        RecordFile.objects.count(),
        AuditEvent.objects.count(),
    )


def test_register_keeps_the_details_normalised_and_starts_the_history(org):
    nfd = unicodedata.normalize("NFD", "  Mô hình   “Dân vận khéo” xây dựng nông thôn mới  ")
    model = register(org.n_leader, org.tree.n, name=nfd, kind="exemplar_collective")
    assert model.name == "Mô hình “Dân vận khéo” xây dựng nông thôn mới"
    assert unicodedata.is_normalized("NFC", model.name)
    assert model.name_folded == "mo hinh “dan van kheo” xay dung nong thon moi"
    assert (model.year, model.unit_path, model.status, model.version) == (
        2026,
        org.tree.n.path,
        "registered",
        0,
    )
    event = PracticeEvent.objects.get(model=model)
    assert (event.action, event.from_status, event.to_status, event.on) == (
        "register",
        "",
        "registered",
        date(2026, 1, 15),
    )
    assert AuditEvent.objects.filter(action="practices.register", record_id=str(model.pk)).exists()


@pytest.mark.parametrize("field", ["", "sports"])
def test_a_model_without_one_of_the_four_fields_is_refused(org, field):
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        register(org.n_leader, org.tree.n, field=field)
    with translation.override("en"):
        assert refused.value.field_messages() == {"field": [FIELD_MESSAGE]}
    assert written() == before


def test_every_problem_of_the_registration_is_named_at_once(org):
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        register(
            org.n_leader,
            org.tree.n,
            kind="hero",
            name="  ",
            field="",
            registered_on=None,
            carried_out_by="",
            aims="",
        )
    with translation.override("en"):
        fields = refused.value.field_messages()
    assert set(fields) == {"kind", "name", "field", "registered_on", "carried_out_by", "aims"}
    assert fields["registered_on"] == ["Enter the date of registration."]
    assert written() == before


def test_registration_date_not_after_today_and_while_the_unit_existed(org):
    with translation.override("en"), pytest.raises(DomainError) as future:
        register(org.n_leader, org.tree.n, registered_on=date(2026, 11, 28))
    assert "registered_on" in future.value.fields
    with translation.override("en"), pytest.raises(DomainError) as before_unit:
        register(org.n_leader, org.tree.n, registered_on=date(2025, 6, 30))
    with translation.override("en"):
        assert before_unit.value.field_messages()["registered_on"] == [
            "Xã Khánh Thiện did not exist on 30/06/2025."
        ]
    # C1 (ended 30/06/2025) takes registrations dated while it existed, by its successor's leader too.
    old = register(org.n_leader, org.tree.c1, registered_on=date(2024, 3, 1))
    assert (old.unit_id, old.year) == (org.tree.c1.pk, 2024)


def test_search_ignores_diacritics_and_case(org):
    register(org.n_leader, org.tree.n, name="Dân vận khéo trong xây dựng nông thôn mới")
    register(org.n_leader, org.tree.n, name="Tổ tự quản an ninh trật tự", field="defence_security")
    for query in ("nong thon", "NÔNG THÔN", unicodedata.normalize("NFD", "nông thôn mới"), "dan van kheo"):
        names = [m.name for m in selectors.practice_list_for(org.n_leader, q=query)]
        assert names == ["Dân vận khéo trong xây dựng nông thôn mới"], query
    assert selectors.practice_list_for(org.n_leader, q="an ninh", field="defence_security").count() == 1
    assert selectors.practice_list_for(org.n_leader, q="an ninh", field="economy").count() == 0


def test_list_filters(org):
    a = register(org.n_leader, org.tree.n, kind="exemplar_individual", field="culture_society")
    b = register(org.n2_leader, org.tree.n2, registered_on=date(2025, 8, 1))
    c = bring_to(PracticeStatus.RECOGNISED, org)
    board = org.province_board

    def ids(**f):
        return {m.pk for m in selectors.practice_list_for(board, **f)}

    assert ids() == {a.pk, b.pk, c.pk}
    assert ids(kind="exemplar_individual") == {a.pk}
    assert ids(field="culture_society") == {a.pk}
    assert ids(year=2025) == {b.pk}
    assert ids(status="recognised") == {c.pk}
    assert ids(level="commune") == {c.pk}
    assert ids(level="none") == {a.pk, b.pk}
    assert ids(unit=org.tree.n2) == {b.pk}
    assert ids(unit=org.tree.province) == {a.pk, b.pk, c.pk}
    # The commune's own leader sees only the commune's models.
    assert {m.pk for m in selectors.practice_list_for(org.n2_leader)} == {b.pk}


def test_edit_details_at_the_version_read(org):
    model = register(org.n_leader, org.tree.n)
    data = services.PracticeDetails(
        kind="model",
        name="Tên đã sửa",
        field="culture_society",
        registered_on=date(2026, 1, 20),
        carried_out_by="Hội Nông dân",
        aims="Mục tiêu mới",
    )
    changed = services.practice_update(
        actor=org.n_leader, practice_id=model.pk, version=0, data=data, today=TODAY
    )
    assert (changed.name, changed.field, changed.version, changed.registered_on) == (
        "Tên đã sửa",
        "culture_society",
        1,
        date(2026, 1, 20),
    )
    assert PracticeEvent.objects.get(model=model, action="register").on == date(2026, 1, 20)
    with pytest.raises(StaleEdit):
        services.practice_update(actor=org.n_leader, practice_id=model.pk, version=0, data=data, today=TODAY)
    model.refresh_from_db()
    assert model.version == 1


def test_details_are_fixed_once_under_review_and_the_date_once_carried_out(org):
    model = register(org.n_leader, org.tree.n)
    report(model, org.n_leader)
    model.refresh_from_db()
    moved = services.PracticeDetails(
        kind="model", name="X", field="economy", registered_on=date(2026, 1, 2), carried_out_by="Y", aims="Z"
    )
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.practice_update(
            actor=org.n_leader, practice_id=model.pk, version=model.version, data=moved, today=TODAY
        )
    assert set(refused.value.fields) == {"registered_on"}
    submit(model, org.n_leader)
    model.refresh_from_db()
    with pytest.raises(DomainError) as locked:
        services.practice_update(
            actor=org.n_leader, practice_id=model.pk, version=model.version, data=moved, today=TODAY
        )
    assert locked.value.code == "practice_not_editable"


def test_progress_needs_a_note_and_a_date_within_registration_and_today(org):
    model = register(org.n_leader, org.tree.n)
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        report(model, org.n_leader, on=date(2026, 1, 14), note=" ")
    with translation.override("en"):
        fields = refused.value.field_messages()
    assert fields["on"] == ["The date cannot be before 15/01/2026."]
    assert fields["note"] == ["Say what was done and what came of it."]
    with pytest.raises(DomainError):
        report(model, org.n_leader, on=date(2026, 11, 28))
    assert written() == before


def test_progress_keeps_evidence_files_and_a_bad_file_writes_nothing(org):
    model = register(org.n_leader, org.tree.n)
    before = written()
    bad = [services.EvidenceFile("bien-ban.pdf", PDF), services.EvidenceFile("anh.jpg", b"not a jpeg")]
    with translation.override("en"), pytest.raises(DomainError) as refused:
        report(model, org.n_leader, files=bad)
    assert "anh.jpg" in refused.value.field_messages()["files"][0]
    assert written() == before
    report(model, org.n_leader, files=[services.EvidenceFile("bien-ban.pdf", PDF)])
    files = list(record_files_of(model))
    assert [(f.original_name, f.role, f.unit_path) for f in files] == [
        ("bien-ban.pdf", "evidence", org.tree.n.path)
    ]


def test_evidence_alone_is_recorded_in_the_history_until_withdrawn(org):
    model = register(org.n_leader, org.tree.n)
    services.practice_evidence_add(
        actor=org.n_leader,
        practice_id=model.pk,
        files=[services.EvidenceFile("anh-cong-trinh.pdf", PDF)],
        on=date(2026, 2, 1),
        today=TODAY,
    )
    event = PracticeEvent.objects.get(model=model, action="evidence")
    assert (event.note, event.from_status, event.to_status) == (
        "anh-cong-trinh.pdf",
        "registered",
        "registered",
    )
    with pytest.raises(DomainError) as empty:
        services.practice_evidence_add(
            actor=org.n_leader, practice_id=model.pk, files=[], on=TODAY, today=TODAY
        )
    assert "files" in empty.value.fields
    withdrawn = bring_to(PracticeStatus.WITHDRAWN, org)
    with pytest.raises(DomainError) as refused:
        services.practice_evidence_add(
            actor=org.n_leader,
            practice_id=withdrawn.pk,
            files=[services.EvidenceFile("a.pdf", PDF)],
            on=TODAY,
            today=TODAY,
        )
    assert refused.value.code == "practice_withdrawn"


# ---- replication --------------------------------------------------------------------------------


def test_replicate_a_recognised_model_far_from_its_source(org):
    source = bring_to(PracticeStatus.RECOGNISED, org)
    replica = services.practice_replicate(
        actor=org.province_board,
        source_id=source.pk,
        data=details(org.tree.n2, name="Nhân rộng: làm đường nông thôn", registered_on=date(2026, 10, 1)),
        today=TODAY,
    )
    assert (replica.replicated_from_id, replica.unit_id, replica.status) == (
        source.pk,
        org.tree.n2.pk,
        "registered",
    )
    event = PracticeEvent.objects.get(model=source, action="replicate")
    assert (event.from_status, event.to_status, event.on) == ("recognised", "recognised", date(2026, 10, 1))
    assert "Nhân rộng: làm đường nông thôn" in event.note
    history = selectors.practice_history_for(org.province_board, source)
    assert [r.pk for r in history.replicas] == [replica.pk]
    assert selectors.practice_history_for(org.province_board, replica).source == source
    # The commune N2's leader sees the replica, not the source: the link is kept without showing it.
    seen = selectors.practice_history_for(org.n2_leader, replica)
    assert seen.source is None and seen.source_hidden


def test_replication_rules(org):
    source = bring_to(PracticeStatus.RECOGNISED, org)
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as early:
        services.practice_replicate(
            actor=org.province_board,
            source_id=source.pk,
            data=details(org.tree.n2, registered_on=date(2026, 9, 1)),
            today=TODAY,
        )
    with translation.override("en"):
        assert early.value.field_messages()["registered_on"] == [
            "A model can be replicated only after it was recognised (on 15/09/2026)."
        ]
    # A unit the actor does not manage: refused on the unit field.
    with pytest.raises(PermissionDenied) as elsewhere:
        services.practice_replicate(
            actor=org.n_leader,
            source_id=source.pk,
            data=details(org.tree.n2, registered_on=TODAY),
            today=TODAY,
        )
    assert "unit" in elsewhere.value.fields
    # A source out of the actor's sight is not found.
    with pytest.raises(NotFound):
        services.practice_replicate(
            actor=org.outsider,
            source_id=source.pk,
            data=details(org.tree.other_commune, registered_on=TODAY),
            today=TODAY,
        )
    assert written() == before
