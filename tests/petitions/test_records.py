"""The `petitions` record type: keys, checks, the bulk write, its rollback and the export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from danvan.core.audit import AuditEvent
from danvan.core.errors import DomainError
from danvan.core.models import ImportBatch
from danvan.core.records import ExportQuery, get
from danvan.petitions import services
from danvan.petitions.models import Case, Counter, Handling, Petition, Petitioner, Status

from .conftest import PLANTED_ID, PLANTED_NAME, TODAY

TYPE = get("petitions")


@pytest.fixture
def batch(office):
    return ImportBatch.objects.create(
        record_type="petitions", original_name="so-don-2016.xlsx", sha256="0" * 64, created_by=office.clerk
    )


def register_row(unit, **overrides) -> dict:
    """A register row as the pipeline parses it: a complaint accepted and resolved."""
    row = {
        "unit": unit,
        "receipt_number": "125/2016",
        "received_on": date(2016, 3, 5),
        "channel": "post",
        "kind": "complaint",
        "field": "land",
        "content": "Khiếu nại quyết định thu hồi đất nông nghiệp tại thôn Đông, mức bồi thường thấp.",
        "subject": "UBND xã Ninh Nhất",
        "petitioner_name": "Nguyễn Văn An",
        "petitioner_address": "Thôn Đông, xã Ninh Nhất",
        "petitioner_id_number": "037090001234",
        "petitioner_phone": "0912345678",
        "signer_count": 1,
        "anonymous": False,
        "has_original_documents": True,
        "sender_body": None,
        "sender_document_number": None,
        "decision_known_on": date(2016, 2, 20),
        "round": 1,
        "repeat": False,
        "complex": False,
        "remote": False,
        "handling": "accepted",
        "processed_on": date(2016, 3, 14),
        "eligible": True,
        "ineligible_reason": None,
        "target_name": None,
        "target_document_number": None,
        "reply_on": None,
        "reply_summary": None,
        "decision_number": "25/QĐ-UBND",
        "decision_on": date(2016, 4, 20),
        "decision_signer": "Phạm Văn Bình",
        "outcome": "complaint_partly",
        "on_time": True,
        "withdrawn_on": None,
        "money_recovered": Decimal("0.000"),
        "land_recovered": Decimal("120.50"),
        "money_returned": Decimal("12.500"),
        "land_returned": Decimal("0.00"),
        "people_restored": 1,
        "people_sanctioned": 0,
        "cases_to_investigation": 0,
    }
    row.update(overrides)
    return row


def denunciation_row(unit, **overrides) -> dict:
    values = {
        "receipt_number": "126/2016",
        "kind": "denunciation",
        "field": "corruption",
        "content": "Tố cáo cán bộ địa chính nhận tiền khi làm thủ tục cấp giấy chứng nhận.",
        "subject": "Cán bộ địa chính xã",
        "petitioner_name": PLANTED_NAME,
        "petitioner_id_number": PLANTED_ID,
        "decision_known_on": None,
        "outcome": "denunciation_partly",
    }
    values.update(overrides)
    return register_row(unit, **values)


def test_every_column_key_is_declared_once():
    keys = [c.key for c in TYPE.columns]
    assert len(keys) == len(set(keys))
    assert {c.key for c in TYPE.columns if c.sensitive} == {
        "petitioner_name",
        "petitioner_address",
        "petitioner_id_number",
        "petitioner_phone",
    }
    assert TYPE.order == 20 and TYPE.date_column == "received_on"


def test_key_reads_the_receipt_number(office):
    unit = office.agency
    assert TYPE.key(register_row(unit)) == (unit.pk, 2016, 125)
    assert TYPE.key(register_row(unit, receipt_number="125")) == (unit.pk, 2016, 125)
    assert TYPE.key(register_row(unit, receipt_number="125.0")) == (unit.pk, 2016, 125)
    assert TYPE.key(register_row(unit, receipt_number="abc"))[1] is None


def test_write_creates_each_petition_with_every_field(office, batch):
    unit = office.agency
    assert TYPE.write(office.clerk, [register_row(unit)], batch) == 1
    petition = Petition.objects.get(import_batch=batch)
    assert (petition.number, petition.year, petition.unit_path) == (125, 2016, unit.path)
    assert petition.status == Status.RESOLVED and petition.closed_on == date(2016, 4, 20)
    assert petition.handling == Handling.ACCEPTED and petition.accepted_on == date(2016, 3, 14)
    assert petition.eligible is True and petition.own_authority is True
    assert petition.land_recovered == Decimal("120.50") and petition.money_returned == Decimal("12.500")
    assert petition.outcome == "complaint_partly" and petition.on_time is True
    assert petition.secret_digest == "" and petition.tracking_code.startswith("DV")
    assert petition.content_folded.startswith("khieu nai")
    person = Petitioner.objects.get(petition=petition)
    assert (person.name, person.id_number, person.name_folded) == (
        "Nguyễn Văn An",
        "037090001234",
        "nguyen van an",
    )
    assert person.id_digest and not person.sealed
    assert Case.objects.filter(pk=petition.case_id).exists()
    assert Counter.objects.get(unit=unit, year=2016).last == 125


def test_counter_is_raised_so_new_numbers_follow(office, batch, make_petition):
    unit = office.agency
    rows = [register_row(unit, receipt_number=f"{n}/2026", received_on=date(2026, 1, 5)) for n in (7, 40)]
    for row in rows:
        row.update(
            decision_on=None,
            outcome=None,
            on_time=None,
            **dict.fromkeys(("land_recovered", "money_returned", "people_restored")),
        )
    TYPE.write(office.clerk, rows, batch)
    assert make_petition().number == 41


def test_status_follows_the_row(office, batch):
    unit = office.agency
    plain = {
        "decision_on": None,
        "outcome": None,
        "on_time": None,
        "land_recovered": None,
        "money_returned": None,
        "people_restored": None,
    }
    rows = [
        register_row(unit, receipt_number="1/2016", handling=None, processed_on=None, eligible=None, **plain),
        register_row(unit, receipt_number="2/2016", **plain),
        register_row(
            unit,
            receipt_number="3/2016",
            handling="filed",
            eligible=None,
            ineligible_reason="anonymous",
            **plain,
        ),
        register_row(
            unit,
            receipt_number="4/2016",
            handling="transferred",
            target_name="Thanh tra tỉnh",
            reply_on=date(2016, 5, 2),
            **plain,
        ),
        register_row(
            unit,
            receipt_number="5/2016",
            handling=None,
            processed_on=None,
            eligible=None,
            withdrawn_on=date(2016, 3, 9),
            **plain,
        ),
        register_row(
            unit, receipt_number="6/2016", handling="guided", target_name="Tòa án nhân dân thành phố", **plain
        ),
    ]
    assert all(TYPE.check(row) == {} for row in rows)
    TYPE.write(office.clerk, rows, batch)
    got = {p.number: p for p in Petition.objects.filter(import_batch=batch)}
    assert got[1].status == Status.RECEIVED and got[1].due_date is not None
    assert got[2].status == Status.ACCEPTED and got[2].closed_on is None and got[2].due_date is not None
    assert got[3].status == Status.FILED and got[3].eligible is False and got[3].disposal_due is not None
    assert (
        got[4].status == Status.ANSWERED
        and got[4].closed_on == date(2016, 5, 2)
        and got[4].own_authority is False
    )
    assert got[5].status == Status.WITHDRAWN and got[5].handling == Handling.WITHDRAWN
    assert got[5].processed_on == date(2016, 3, 9) and got[5].closed_on == date(2016, 3, 9)
    assert got[6].status == Status.GUIDED and got[6].closed_on == date(2016, 3, 14)


def test_on_time_is_computed_when_the_register_does_not_say(office, batch):
    rows = [
        register_row(office.agency, receipt_number="1/2016", on_time=None, decision_on=date(2016, 4, 5)),
        register_row(office.agency, receipt_number="2/2016", on_time=None, decision_on=date(2016, 12, 1)),
    ]
    TYPE.write(office.clerk, rows, batch)
    got = dict(Petition.objects.filter(import_batch=batch).values_list("number", "on_time"))
    assert got == {1: True, 2: False}


def test_existing_finds_the_keys_already_written(office, batch):
    unit = office.agency
    TYPE.write(office.clerk, [register_row(unit)], batch)
    keys = [TYPE.key(register_row(unit)), TYPE.key(register_row(unit, receipt_number="126/2016"))]
    assert TYPE.existing(office.clerk, keys) == {(unit.pk, 2016, 125)}


def test_checks_name_the_columns_in_english(office):
    unit = office.agency
    with translation.override("en"):
        errors = TYPE.check(
            register_row(
                unit,
                receipt_number="12/2015",
                field="corruption",
                petitioner_id_number="12345",
                processed_on=date(2016, 3, 1),
                decision_on=date(2016, 2, 1),
            )
        )
        assert errors["receipt_number"] == "The receipt number's year (2015) is not the year received (2016)."
        assert "field" in errors and "petitioner_id_number" in errors
        assert errors["processed_on"] == "The date processed is before the date received (05/03/2016)."
        assert errors["decision_on"] == "The decision is dated before the petition was accepted (01/03/2016)."
        errors = TYPE.check(
            register_row(unit, handling="filed", eligible=None, decision_on=None, outcome=None)
        )
        assert errors["ineligible_reason"] == "Choose why the petition is not eligible."
        assert "people_restored" in errors or "land_recovered" in errors


def test_denouncer_is_sealed_and_masked_on_export(office, batch, make_user):
    TYPE.write(office.clerk, [denunciation_row(office.agency)], batch)
    petition = Petition.objects.get(import_batch=batch)
    person = Petitioner.objects.get(petition=petition)
    assert petition.protected and person.sealed and not person.name and not person.id_number
    assert PLANTED_NAME not in person.sealed
    query = ExportQuery(office.clerk, office.agency, date(2016, 1, 1), date(2016, 12, 31))
    (row,) = list(TYPE.export(query))
    assert row["petitioner_name"] is None and row["petitioner_id_number"] is None
    assert not AuditEvent.objects.filter(action="petition.identity_view").exists()
    (row,) = list(
        TYPE.export(ExportQuery(office.leader, office.agency, date(2016, 1, 1), date(2016, 12, 31)))
    )
    assert row["petitioner_name"] == PLANTED_NAME and row["petitioner_id_number"] == PLANTED_ID
    logged = AuditEvent.objects.get(action="petition.identity_view")
    assert logged.actor == office.leader and logged.record_id == str(petition.pk)


def test_export_gives_back_the_rows_written(office, batch, tree):
    unit = office.agency
    rows = [
        register_row(unit),
        denunciation_row(unit),
        register_row(
            unit,
            receipt_number="127/2016",
            handling="transferred",
            target_name="Thanh tra tỉnh Ninh Bình",
            target_document_number="15/PC",
            reply_on=date(2016, 5, 2),
            reply_summary="Đã giải quyết.",
            decision_number=None,
            decision_on=None,
            decision_signer=None,
            outcome=None,
            on_time=None,
            eligible=True,
            **dict.fromkeys(
                (
                    "money_recovered",
                    "land_recovered",
                    "money_returned",
                    "land_returned",
                    "people_restored",
                    "people_sanctioned",
                    "cases_to_investigation",
                )
            ),
        ),
    ]
    TYPE.write(office.clerk, rows, batch)
    exported = list(
        TYPE.export(ExportQuery(office.leader, tree.province, date(2016, 1, 1), date(2016, 12, 31)))
    )
    assert len(exported) == 3
    by_number = {row["receipt_number"]: row for row in exported}
    for written in rows:
        back = by_number[written["receipt_number"]]
        assert set(back) == {c.key for c in TYPE.columns}
        for key, value in written.items():
            assert back[key] == value, key


def test_export_is_scoped_to_the_user_and_the_unit(office, batch, tree):
    TYPE.write(office.clerk, [register_row(office.agency)], batch)
    period = (date(2016, 1, 1), date(2016, 12, 31))
    assert list(TYPE.export(ExportQuery(office.outsider, office.agency, *period))) == []
    assert list(TYPE.export(ExportQuery(office.supervisor, office.commune_agency, *period))) == []
    assert len(list(TYPE.export(ExportQuery(office.supervisor, tree.province, *period)))) == 1
    assert (
        list(TYPE.export(ExportQuery(office.supervisor, tree.province, date(2017, 1, 1), date(2017, 12, 31))))
        == []
    )


def test_rollback_removes_what_the_batch_made(office, batch):
    TYPE.write(office.clerk, [register_row(office.agency), denunciation_row(office.agency)], batch)
    cases = list(Petition.objects.filter(import_batch=batch).values_list("case_id", flat=True))
    assert TYPE.rollback(office.clerk, batch) == 2
    assert not Petition.objects.exists() and not Petitioner.objects.exists()
    assert not Case.objects.filter(pk__in=cases).exists()
    assert Counter.objects.get(unit=office.agency, year=2016).last == 126  # counters stay


def test_rollback_refuses_after_a_change(office, batch):
    plain = {
        "decision_on": None,
        "outcome": None,
        "on_time": None,
        "land_recovered": None,
        "money_returned": None,
        "people_restored": None,
    }
    TYPE.write(office.clerk, [register_row(office.agency, **plain)], batch)
    petition = Petition.objects.get(import_batch=batch)
    services.petition_suspend(
        actor=office.leader,
        petition_id=petition.pk,
        version=0,
        on=date(2016, 4, 1),
        today=TODAY,
        ground="Chờ kết quả giám định",
    )
    with translation.override("en"), pytest.raises(DomainError) as refused:
        TYPE.rollback(office.clerk, batch)
    assert refused.value.code == "import.rollback_changed"
    assert "125/2016" in refused.value.message
    assert Petition.objects.filter(import_batch=batch).exists()


def test_similarity_keys_are_written_after_the_import(office, batch):
    from danvan.petitions.models import ContentKey

    TYPE.write(office.clerk, [register_row(office.agency)], batch)
    assert not ContentKey.objects.exists()
    assert services.petitions_import_index(batch) == 1
    assert ContentKey.objects.count() > 0
    assert services.petitions_import_index(batch) == 0


def test_a_committed_import_queues_the_similarity_keys_and_the_task_writes_them(office, batch):
    from django_tasks_db.models import DBTaskResult

    from danvan.petitions import tasks
    from danvan.petitions.models import ContentKey

    TYPE.write(office.clerk, [register_row(office.agency)], batch)
    TYPE.committed(batch)  # as the import's commit calls it, in its transaction
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("index_imported") and queued.args_kwargs["args"] == [batch.pk]
    assert tasks.index_imported.call(batch.pk) == 1
    assert ContentKey.objects.filter(petition__import_batch=batch).exists()
