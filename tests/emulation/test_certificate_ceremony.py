"""The certificate of merit (PDF read back with pypdf: the national heading, the issuer, the title by
form, the recipient with position and unit, the reason, the decision, place and date, the signer's
title; Vietnamese diacritics intact; A4 landscape), the ceremony list's grouping and order, and the
data migration that folds the recipients' names."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from django.utils import translation
from pypdf import PdfReader

from danvan.emulation import certificate, presenters, selectors, services
from danvan.emulation.models import Recipient
from danvan.units.models import UnitLevel

from ..migrating import historical_commune, migrate_latest, migrate_to
from .conftest import TODAY, F, decide, propose


def pdf_text(data: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def person(tree, staff):
    commendation = propose(
        staff.board,
        tree.c1,
        recipient=Recipient.INDIVIDUAL,
        person_name="Nguyễn Thị Hoà",
        person_position="Chủ tịch Hội Nông dân xã",
        reason="Đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” giai đoạn 2021–2023",
    )
    return decide(staff.chairman, commendation, date(2024, 3, 5), number="215/QĐ-UBND")


def test_the_certificate_in_vietnamese(person, tree):
    with translation.override("vi"):
        text, reader = pdf_text(certificate.certificate_pdf(person))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) > round(float(box.height))  # landscape
    assert round(float(box.width) / 72 * 25.4) == 297
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "CHỦ TỊCH UBND TỈNH NINH BÌNH",
        "Nguyễn Thị Hoà",
        "Chủ tịch Hội Nông dân xã",
        tree.c1.name,
        "thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”",
        "215/QĐ-UBND",
        "05/03/2024",
        "ngày 05 tháng 3 năm 2024",
        tree.province.name,  # the place: the province that decided
    ):
        assert expected in text, expected
    assert unicodedata.is_normalized("NFC", text)


def test_the_certificate_in_english_with_its_title_and_signer_by_form(person, tree, staff):
    with translation.override("en"):
        text, _reader = pdf_text(certificate.certificate_pdf(person))
        assert "SOCIALIST REPUBLIC OF VIET NAM" in text
        assert "Independence - Freedom - Happiness" in text
        assert str(presenters.TITLE_MERIT) in text
        assert "Awarded to" in text
        assert "5 March 2024" in text
        assert "CHAIRMAN" in text

        commune = decide(
            staff.chairman,
            propose(
                staff.board,
                tree.c2,
                group_name="Chi hội Phụ nữ thôn Đông",
                level=UnitLevel.COMMUNE,
                form=F.COMMUNE_PARTY_CERTIFICATE,
            ),
            date(2024, 4, 1),
            issuer="Đảng ủy xã Khánh Cường",
        )
        text, _reader = pdf_text(certificate.certificate_pdf(commune))
        assert "CERTIFICATE OF COMMENDATION" in text
        assert "CERTIFICATE OF MERIT" not in text
        assert "Chi hội Phụ nữ thôn Đông" in text and tree.c2.name in text
        assert "SECRETARY" in text
        assert f"{tree.c2.name}, 1 April 2024" in text  # the place: the commune that decided


def test_a_long_reason_stays_on_one_page(tree, staff):
    commendation = decide(staff.chairman, propose(staff.board, tree.c1, reason="Thành tích nổi bật. " * 40))
    _text, reader = pdf_text(certificate.certificate_pdf(commendation))
    assert len(reader.pages) == 1


def test_no_certificate_for_a_proposal(tree, staff):
    with pytest.raises(ValueError):
        certificate.certificate_pdf(propose(staff.board, tree.c1))


# ---- the ceremony list --------------------------------------------------------------------------


def test_the_ceremony_list_of_a_decision(tree, staff):
    day = date(2024, 3, 5)
    rows = [
        propose(staff.board, tree.c2, recipient=Recipient.INDIVIDUAL, person_name="Vũ Văn Bảo"),
        propose(staff.board, tree.c1),
        propose(staff.board, tree.c1, recipient=Recipient.INDIVIDUAL, person_name="Đỗ Thị An"),
        propose(staff.board, tree.c3, level=UnitLevel.COUNTRY, form=F.PRIME_MINISTER_CERTIFICATE),
        propose(staff.board, tree.c2),
    ]
    services.commendations_decide(
        actor=staff.chairman,
        commendation_ids=[r.pk for r in rows],
        decision=services.Decision(number="45/QĐ-UBND", decided_on=day, issuer="Chủ tịch UBND tỉnh"),
        today=TODAY,
    )
    other = decide(staff.chairman, propose(staff.board, tree.c3), day, number="46/QĐ-UBND")
    revoked = decide(staff.chairman, propose(staff.board, tree.c2), day, number="45/QĐ-UBND")
    services.commendation_revoke(
        actor=staff.chairman, commendation_id=revoked.pk, version=revoked.version, reason="Sai", today=TODAY
    )

    result = selectors.ceremony_for(staff.clerk, decision_number="45/QĐ-UBND", decided_on=day)
    # Collectives first, the highest level first, then by name; then individuals by name.
    assert [c.pk for c in result.collectives.rows] == [rows[3].pk, rows[4].pk, rows[1].pk]
    assert [c.pk for c in result.individuals.rows] == [rows[2].pk, rows[0].pk]
    assert result.count == 5
    assert other.pk not in [c.pk for c in result.collectives.rows]

    by_unit = selectors.ceremony_for(
        staff.clerk, unit_id=tree.d1.pk, first=day, last=day, level=UnitLevel.PROVINCE
    )
    assert {c.pk for c in by_unit.collectives.rows + by_unit.individuals.rows} == {
        rows[0].pk,
        rows[1].pk,
        rows[2].pk,
        rows[4].pk,
    }
    assert selectors.ceremony_for(staff.outsider, decision_number="45/QĐ-UBND", decided_on=day).count == 0


# ---- the data migration -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_0002_folds_the_names_of_existing_commendations():
    old = migrate_to([("emulation", "0001_emulation")])
    try:
        User = old.get_model("core", "User")
        Unit = old.get_model("units", "Unit")
        Commendation = old.get_model("emulation", "Commendation")
        user = User.objects.create(username="migration")
        unit = historical_commune(
            Unit, code="14801", name="Xã Khánh Thiện", folded="xa khanh thien", valid_from=date(2025, 7, 1)
        )
        common = {"unit": unit, "unit_path": unit.path, "level": "commune", "form": "commune_pc_certificate"}
        rows = {
            "person": Commendation.objects.create(
                recipient="individual",
                person_name=unicodedata.normalize("NFD", "Đặng Thị Ánh"),
                reason="Thành tích",
                created_by=user,
                **common,
            ),
            "group": Commendation.objects.create(
                recipient="collective",
                group_name="Tổ Đoàn Kết",
                reason="Thành tích",
                created_by=user,
                **common,
            ),
            "unit": Commendation.objects.create(
                recipient="collective", reason="Thành tích", created_by=user, **common
            ),
        }
        new = migrate_to([("emulation", "0002_commendation_recipient_folded")])
        folded = dict(
            new.get_model("emulation", "Commendation").objects.values_list("pk", "recipient_folded")
        )
        assert {key: folded[row.pk] for key, row in rows.items()} == {
            "person": "dang thi anh",
            "group": "to doan ket",
            "unit": "xa khanh thien",
        }
    finally:
        migrate_latest()


def test_the_frozen_fold_is_the_fold_of_today():
    from importlib import import_module

    from danvan.core.text import fold

    frozen = import_module("danvan.emulation.migrations.0002_commendation_recipient_folded")._fold
    for name in (
        "Nguyễn Văn Ân",
        unicodedata.normalize("NFD", "Đặng Thị Ánh"),
        "  ĐỖ  đức  ",
        "Ngô Thị Ðào",
        "",
    ):
        assert frozen(name) == fold(name)
