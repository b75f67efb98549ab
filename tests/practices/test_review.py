"""Review and recognition: the level must exist above the model's unit on the day (the district
level ended on 30/06/2025), a model already recognised at a level or higher is not put up for it,
the board scores every criterion of the set in force (errors name the criterion), recognition
needs the latest scoring at that level to have passed, and the reviewing unit's role decides who
may score and recognise."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from danvan.core.errors import DomainError, PermissionDenied, StaleEdit
from danvan.core.models import AuditEvent
from danvan.practices.models import (
    Evaluation,
    PracticeEvent,
    PracticeModel,
    PracticeStatus,
    Recognition,
    Score,
)

from .conftest import (
    bring_to,
    criteria_of,
    evaluate,
    not_recognise,
    recognise,
    register,
    scores_for,
    submit,
)


def written() -> tuple:
    return (
        list(PracticeModel.objects.values_list("status", "review_level", "level", "version")),
        PracticeEvent.objects.count(),
        Evaluation.objects.count(),
        Score.objects.count(),
        Recognition.objects.count(),
        AuditEvent.objects.count(),
    )


def english(exc: DomainError) -> tuple[str, dict]:
    with translation.override("en"):
        return exc.message, exc.field_messages()


# ---- the level must exist --------------------------------------------------------------------


def test_district_level_before_the_reform(org):
    model = register(org.c1_leader, org.tree.c1, registered_on=date(2024, 3, 1))
    submit(model, org.c1_leader, level="district", on=date(2025, 3, 1))
    evaluation = evaluate(model, org.d1_board, on=date(2025, 3, 10))
    assert (evaluation.level, evaluation.board_unit) == ("district", org.tree.d1)
    recognition = recognise(model, org.d1_board, on=date(2025, 3, 20))
    assert (recognition.level, recognition.board_unit, recognition.unit_path) == (
        "district",
        org.tree.d1,
        org.tree.c1.path,
    )


def test_no_district_level_after_the_reform(org):
    model = register(org.n_leader, org.tree.n, registered_on=date(2025, 8, 1))
    before = written()
    with pytest.raises(DomainError) as refused:
        submit(model, org.n_leader, level="district", on=date(2025, 9, 1))
    message, fields = english(refused.value)
    expected = (
        "There was no district-level unit above Xã Khánh Thiện on 01/09/2025 "
        "(the district level ended on 30/06/2025)."
    )
    assert message == expected and fields == {"level": [expected]}
    assert written() == before


def test_the_old_commune_after_it_ended(org):
    model = register(org.c1_leader, org.tree.c1, registered_on=date(2024, 3, 1))
    with pytest.raises(DomainError) as district:
        submit(model, org.c1_leader, level="district", on=date(2025, 7, 5))
    assert english(district.value)[0] == (
        "There was no district-level unit above Xã Khánh Thiện on 05/07/2025 "
        "(the district level ended on 30/06/2025)."
    )
    with pytest.raises(DomainError) as commune:
        submit(model, org.c1_leader, level="commune", on=date(2025, 8, 1))
    # Not the district: no word of the reform.
    assert english(commune.value)[0] == "There was no commune-level unit above Xã Khánh Thiện on 01/08/2025."
    # The province is still there.
    submit(model, org.c1_leader, level="province", on=date(2025, 8, 1))


def test_the_level_message_in_vietnamese_names_the_unit_and_day(org):
    model = register(org.n_leader, org.tree.n, registered_on=date(2025, 8, 1))
    with pytest.raises(DomainError) as refused:
        submit(model, org.n_leader, level="district", on=date(2025, 9, 1))
    with translation.override("vi"):
        text = refused.value.message
    assert "Xã Khánh Thiện" in text and "01/09/2025" in text and "30/06/2025" in text


def test_a_level_recognised_or_lower_is_not_put_up_again_a_higher_one_next_year(org):
    model = register(org.n_leader, org.tree.n, registered_on=date(2025, 8, 1))
    submit(model, org.n_leader, level="commune", on=date(2025, 9, 1))
    evaluate(model, org.n_leader, on=date(2025, 9, 10))
    recognise(model, org.n_leader, on=date(2025, 10, 1))
    before = written()
    with pytest.raises(DomainError) as again:
        submit(model, org.n_leader, level="commune", on=date(2026, 3, 1))
    assert english(again.value)[1] == {
        "level": ["It is already recognised at commune-level: it can be put up only for a higher level."]
    }
    assert written() == before
    submit(model, org.n_leader, level="province", on=date(2026, 3, 1))
    evaluate(model, org.province_board, on=date(2026, 4, 1), each=18)
    recognise(model, org.province_board, on=date(2026, 4, 15))
    model.refresh_from_db()
    assert (model.level, model.recognised_on) == ("province", date(2026, 4, 15))
    with pytest.raises(DomainError):
        submit(model, org.n_leader, level="commune", on=date(2026, 6, 1))


def test_submission_checks_the_level_and_date(org):
    model = register(org.n_leader, org.tree.n)
    with pytest.raises(DomainError) as refused:
        submit(model, org.n_leader, level="village", on=date(2026, 1, 1))
    assert set(refused.value.fields) == {"level", "on"}


# ---- scoring --------------------------------------------------------------------------------


def test_scoring_stores_every_criterion_the_total_and_the_pass(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    on = date(2026, 9, 10)
    criteria = list(criteria_of(model, on).criteria.all())
    points = dict(zip([c.pk for c in criteria], [20, 10, 15, 5, 12], strict=True))
    evaluation = evaluate(model, org.n_leader, on=on, scores=points)
    assert (evaluation.total, evaluation.passed, evaluation.board_unit) == (62, False, org.tree.n)
    assert dict(evaluation.scores.values_list("criterion_id", "points")) == points
    event = PracticeEvent.objects.get(model=model, action="evaluate")
    assert (event.note, event.level) == ("62/100", "commune")


def test_scoring_errors_name_the_criterion_and_write_nothing(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    on = date(2026, 9, 10)
    criteria = list(criteria_of(model, on).criteria.all())
    scores = {criteria[0].pk: 20, criteria[1].pk: 21, criteria[2].pk: -1, criteria[3].pk: None}
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        evaluate(model, org.n_leader, on=on, scores={**scores, 999999: 3})
    _message, fields = english(refused.value)
    assert fields[f"scores.{criteria[1].pk}"] == [f"Criterion 2 “{criteria[1].text}”: give 0 to 20 points."]
    assert fields[f"scores.{criteria[2].pk}"] == [f"Criterion 3 “{criteria[2].text}”: give 0 to 20 points."]
    assert fields[f"scores.{criteria[3].pk}"] == [f"Criterion 4 “{criteria[3].text}”: give it a score."]
    assert fields[f"scores.{criteria[4].pk}"] == [f"Criterion 5 “{criteria[4].text}”: give it a score."]
    assert "scores" in fields  # the unknown criterion
    assert f"scores.{criteria[0].pk}" not in fields
    assert written() == before


def test_scoring_date_and_the_set_the_scorer_saw(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    with translation.override("en"), pytest.raises(DomainError) as early:
        evaluate(model, org.n_leader, on=date(2026, 8, 31), scores={1: 1})
    assert english(early.value)[1] == {"reviewed_on": ["The date cannot be before 01/09/2026."]}
    individual = criteria_of(
        register(org.n_leader, org.tree.n, kind="exemplar_individual"), date(2026, 9, 10)
    )
    with translation.override("en"), pytest.raises(DomainError) as other_set:
        evaluate(model, org.n_leader, criteria_set_id=individual.pk)
    assert other_set.value.code == "practice_criteria_changed"
    with pytest.raises(StaleEdit):
        evaluate(model, org.n_leader, version=model.version - 1)


# ---- recognising ----------------------------------------------------------------------------


def test_recognise_needs_a_passed_scoring(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    before = written()
    with pytest.raises(DomainError) as unscored:
        recognise(model, org.n_leader)
    assert unscored.value.code == "practice_not_evaluated"
    assert written() == before
    on = date(2026, 9, 10)
    criteria = list(criteria_of(model, on).criteria.all())
    evaluate(
        model,
        org.n_leader,
        on=on,
        scores=dict(zip([c.pk for c in criteria], [12, 12, 12, 13, 13], strict=True)),
    )
    before = written()
    with pytest.raises(DomainError) as failed:
        recognise(model, org.n_leader)
    assert failed.value.code == "practice_not_passed"
    assert english(failed.value)[0] == "It scored 62 points; 70 are needed."
    assert written() == before
    # Scored again, it passes: the latest scoring counts.
    evaluate(model, org.n_leader, on=date(2026, 9, 12), each=15)
    recognition = recognise(model, org.n_leader)
    assert recognition.evaluation.total == 75
    model.refresh_from_db()
    assert (model.status, model.level, model.review_level, model.recognised_on) == (
        "recognised",
        "commune",
        "",
        date(2026, 9, 15),
    )
    assert (recognition.field, recognition.kind, recognition.unit_path) == (
        "economy",
        "model",
        org.tree.n.path,
    )


def test_recognise_checks_the_decision_and_its_date(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    evaluate(model, org.n_leader, on=date(2026, 9, 10))
    before = written()
    with translation.override("en"), pytest.raises(DomainError) as refused:
        recognise(model, org.n_leader, number=" ", on=date(2026, 9, 9))
    _message, fields = english(refused.value)
    assert fields == {
        "decision_number": ["Enter the number of the decision."],
        "decided_on": ["The date cannot be before 10/09/2026."],
    }
    with pytest.raises(DomainError):
        recognise(model, org.n_leader, on=date(2026, 11, 28))
    assert written() == before


def test_an_old_scoring_from_an_earlier_round_does_not_count(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    evaluate(model, org.n_leader, on=date(2026, 9, 10))
    not_recognise(model, org.n_leader, on=date(2026, 9, 12))
    submit(model, org.n_leader, level="commune", on=date(2026, 10, 1))
    with pytest.raises(DomainError) as refused:
        recognise(model, org.n_leader, on=date(2026, 10, 2))
    assert refused.value.code == "practice_not_evaluated"


def test_not_recognise_needs_a_reason(org):
    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    with pytest.raises(DomainError) as refused:
        not_recognise(model, org.n_leader, note="")
    assert english(refused.value)[1] == {"note": ["Say why it is not recognised."]}
    not_recognise(model, org.n_leader)
    event = PracticeEvent.objects.get(model=model, action="not_recognise")
    assert (event.note, event.level) == ("Chưa lan tỏa.", "commune")


def test_a_commune_officer_cannot_score_or_recognise_at_province_level(org):
    model = bring_to(PracticeStatus.RECOGNISED, org)
    submit(model, org.n_leader, level="province", on=date(2026, 10, 1))
    before = written()
    with pytest.raises(PermissionDenied):
        evaluate(model, org.n_leader, on=date(2026, 10, 2))
    with pytest.raises(PermissionDenied):
        not_recognise(model, org.n_leader, on=date(2026, 10, 2))
    assert written() == before
    evaluate(model, org.province_board, on=date(2026, 10, 2))
    with pytest.raises(PermissionDenied):
        recognise(model, org.n_leader, on=date(2026, 10, 3))
    recognise(model, org.province_board, on=date(2026, 10, 3))


def test_a_province_officer_with_the_unit_only_does_not_see_commune_models(org):
    from danvan.core.errors import NotFound

    model = bring_to(PracticeStatus.UNDER_REVIEW, org)
    with pytest.raises(NotFound):
        evaluate(model, org.province_leader, scores=scores_for(model, date(2026, 9, 10), 16))


def test_not_recognised_at_a_higher_level_it_stays_recognised_at_its_own(org):
    model = register(org.n_leader, org.tree.n, registered_on=date(2025, 8, 1))
    submit(model, org.n_leader, level="commune", on=date(2025, 9, 1))
    evaluate(model, org.n_leader, on=date(2025, 9, 10))
    recognise(model, org.n_leader, on=date(2025, 10, 1))
    submit(model, org.n_leader, level="province", on=date(2026, 3, 1))
    not_recognise(model, org.province_board, on=date(2026, 4, 15))
    model.refresh_from_db()
    assert (model.status, model.level, model.review_level) == (PracticeStatus.RECOGNISED, "commune", "")
    last = PracticeEvent.objects.filter(model=model).latest("pk")
    assert (last.action, last.from_status, last.to_status, last.level) == (
        "not_recognise",
        PracticeStatus.UNDER_REVIEW,
        PracticeStatus.RECOGNISED,
        "province",
    )
    # A model never recognised is "not recognised".
    other = register(org.n_leader, org.tree.n, registered_on=date(2026, 1, 5))
    submit(other, org.n_leader, level="commune", on=date(2026, 3, 1))
    not_recognise(other, org.n_leader, on=date(2026, 3, 20))
    other.refresh_from_db()
    assert other.status == PracticeStatus.NOT_RECOGNISED
