"""Pages of the "Dân vận khéo" models: the list with its filters (in Vietnamese and English, with a
number of queries that does not grow with the rows), registering, a model's page with its whole
history and the steps drawn from the lifecycle table for the user, each step's form, the board's
scoring, evidence files, editing at a version, replicating, and the criteria sets.

Data is made through the services; assertions hold on status codes, ids, data attributes and
values, not on translated labels (except where the language is the point)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from danvan.core.models import RecordFile
from danvan.practices import services
from danvan.practices.criteria import criteria_set_for
from danvan.practices.models import CriteriaSet, Evaluation, PracticeEvent, PracticeModel, Recognition
from danvan.units.models import Role, RoleScope, Unit
from tests.web.conftest import WebTree, create_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def frozen():
    """The server's clock on TODAY: pages pass timezone.localdate() to the services."""
    moment = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@dataclass
class Team:
    tree: WebTree
    commune: Unit
    leader: object  # manages and recognises at the commune
    clerk: object  # sees the commune's models, changes nothing
    board: object  # the province's committee (whole subtree)
    outsider: object  # a leader of another province


@pytest.fixture
def team(web_tree) -> Team:
    other = Unit.objects.create(
        code="01",
        name="Thành phố Hà Nội",
        name_folded="thanh pho ha noi",
        kind="central_city",
        level="province",
        parent=web_tree.country,
        valid_from=date(2000, 1, 1),
        path="",
        depth=0,
    )
    from danvan.units.services import assign_path

    assign_path(other)
    other.save()
    return Team(
        tree=web_tree,
        commune=web_tree.commune,
        leader=create_user("leader", Role.LEADER, web_tree.commune, first_name="Lan", last_name="Trần"),
        clerk=create_user("clerk", Role.CLERK, web_tree.commune),
        board=create_user("board", Role.COMMITTEE_MEMBER, web_tree.province, RoleScope.SUBTREE),
        outsider=create_user("outsider", Role.LEADER, other, RoleScope.SUBTREE),
    )


def register(team: Team, **overrides) -> PracticeModel:
    values = {
        "unit_id": team.commune.pk,
        "kind": "model",
        "name": "Dân vận khéo trong xây dựng nông thôn mới",
        "field": "economy",
        "registered_on": date(2026, 1, 15),
        "carried_out_by": "Chi hội Phụ nữ thôn Đông",
        "aims": "Vận động hiến đất làm đường.",
    }
    values.update(overrides)
    return services.practice_register(actor=team.leader, data=services.PracticeInput(**values), today=TODAY)


def under_review(team: Team, level: str = "commune") -> PracticeModel:
    model = register(team)
    services.practice_submit(
        actor=team.leader, practice_id=model.pk, level=level, on=date(2026, 9, 1), today=TODAY
    )
    model.refresh_from_db()
    return model


def score(team: Team, model: PracticeModel, actor, each: int, on=date(2026, 9, 10)):
    criteria = criteria_set_for(model, on).criteria.all()
    return services.practice_evaluate(
        actor=actor, practice_id=model.pk, reviewed_on=on, scores={c.pk: each for c in criteria}, today=TODAY
    )


def recognised(team: Team) -> PracticeModel:
    model = under_review(team)
    score(team, model, team.leader, 16)
    services.practice_recognise(
        actor=team.leader,
        practice_id=model.pk,
        decision_number="12/QĐ-BCĐ",
        decided_on=date(2026, 9, 15),
        today=TODAY,
    )
    model.refresh_from_db()
    return model


def body(response) -> str:
    return response.content.decode()


def in_page(message: str, response, language: str = "vi") -> bool:
    with translation.override(language):
        return escape(translation.gettext(message)) in body(response)


def steps(response) -> set[str]:
    return set(re.findall(r'data-step="([a-z_]+)"', body(response)))


# ---- the list -----------------------------------------------------------------------------------


def test_the_list_in_vietnamese_and_in_english(team, signed_in):
    register(team)
    client = signed_in(team.leader)
    vi = client.get(reverse("practices:list"))
    assert vi.status_code == 200
    assert '<html lang="vi">' in body(vi)
    assert in_page("Skillful mass mobilization models", vi, "vi")
    assert "Mô hình “Dân vận khéo”" in body(vi)
    assert "15/01/2026" in body(vi)
    team.leader.language = "en"
    team.leader.save()
    en = client.get(reverse("practices:list"))
    assert '<html lang="en">' in body(en)
    assert "Skillful mass mobilization models" in body(en)
    assert "15/01/2026" in body(en)
    assert "data-register" in body(en)


def test_the_list_filters_and_searches_without_diacritics(team, signed_in):
    a = register(team)
    b = register(
        team, name="Tổ tự quản an ninh trật tự", field="defence_security", kind="exemplar_collective"
    )
    client = signed_in(team.leader)

    def rows(response):
        return set(map(int, re.findall(r'data-practice="(\d+)"', body(response))))

    assert rows(client.get(reverse("practices:list"))) == {a.pk, b.pk}
    assert rows(client.get(reverse("practices:list"), {"q": "NONG THON"})) == {a.pk}
    assert rows(client.get(reverse("practices:list"), {"field": "defence_security"})) == {b.pk}
    assert rows(client.get(reverse("practices:list"), {"kind": "model", "year": "2026"})) == {a.pk}
    assert rows(client.get(reverse("practices:list"), {"unit_code": team.commune.code})) == {a.pk, b.pk}
    assert rows(client.get(reverse("practices:list"), {"level": "commune"})) == set()
    bad = client.get(reverse("practices:list"), {"unit_code": "NOPE"})
    assert bad.status_code == 400 and "data-error-summary" in body(bad)


def test_the_list_reads_a_bounded_number_of_queries(team, signed_in):
    client = signed_in(team.board)
    register(team)
    client.get(reverse("practices:list"))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("practices:list")).status_code == 200
    for n in range(12):
        register(team, name=f"Mô hình số {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("practices:list"))
    assert body(response).count("data-practice=") == 13
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 15


def test_a_user_with_no_role_is_refused_and_a_clerk_may_not_register(team, signed_in, web_user):
    assert signed_in(web_user(None)).get(reverse("practices:list")).status_code == 403
    client = signed_in(team.clerk)
    assert client.get(reverse("practices:list")).status_code == 200
    assert client.get(reverse("practices:new")).status_code == 403


# ---- registering --------------------------------------------------------------------------------


def _form(team: Team, **overrides) -> dict:
    data = {
        "unit": str(team.commune.pk),
        "unit_code": "",
        "kind": "model",
        "name": "Dân vận khéo trong chuyển đổi số",
        "field": "culture_society",
        "registered_on": "01/02/2026",
        "address": "Thôn Bắc",
        "carried_out_by": "Đoàn Thanh niên xã",
        "aims": "Hướng dẫn người dân dùng dịch vụ công trực tuyến.",
        "expected_results": "",
    }
    data.update(overrides)
    return data


def test_register_a_model(team, signed_in):
    client = signed_in(team.leader)
    page = client.get(reverse("practices:new"))
    assert page.status_code == 200
    assert 'name="field"' in body(page) and 'type="radio"' in body(page)
    response = client.post(reverse("practices:new"), _form(team))
    model = PracticeModel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "practices:detail", args=[model.pk]
    )
    assert (model.field, model.registered_on, model.unit) == (
        "culture_society",
        date(2026, 2, 1),
        team.commune,
    )


def test_register_without_a_field_shows_the_rule_and_writes_nothing(team, signed_in):
    client = signed_in(team.leader)
    response = client.post(reverse("practices:new"), _form(team, field="", aims=""))
    assert response.status_code == 400
    assert in_page("A model must belong to one of the four fields of the movement.", response)
    assert 'href="#id_field"' in body(response)  # the summary links to the group of choices
    assert 'value="Dân vận khéo trong chuyển đổi số"' in body(response)  # what was typed stays
    assert not PracticeModel.objects.exists()


def test_register_in_a_unit_the_user_does_not_manage_is_refused_on_the_form(team, signed_in):
    client = signed_in(team.leader)
    response = client.post(reverse("practices:new"), _form(team, unit="", unit_code=team.tree.province.code))
    assert response.status_code == 400
    assert "data-error-summary" in body(response)
    assert not PracticeModel.objects.exists()


# ---- a model's page -------------------------------------------------------------------------------


def test_the_page_shows_the_whole_history(team, signed_in):
    source = recognised(team)
    services.practice_report(
        actor=team.leader,
        practice_id=source.pk,
        on=date(2026, 10, 1),
        note="Đã hoàn thành 2 km đường.",
        files=[services.EvidenceFile("bien-ban.pdf", PDF)],
        today=TODAY,
    )
    replica = services.practice_replicate(
        actor=team.board,
        source_id=source.pk,
        data=services.PracticeInput(
            unit_id=team.tree.agency.pk,
            kind="model",
            name="Nhân rộng làm đường",
            field="economy",
            registered_on=date(2026, 10, 5),
            carried_out_by="Văn phòng UBND tỉnh",
            aims="Nhân rộng.",
        ),
        today=TODAY,
    )
    response = signed_in(team.board).get(reverse("practices:detail", args=[source.pk]))
    html = body(response)
    assert response.status_code == 200
    events = re.findall(r'data-event="([a-z_]+)"', html)
    assert events == ["register", "submit", "evaluate", "recognise", "report_recognised", "replicate"]
    assert "Đã hoàn thành 2 km đường." in html and "15/09/2026" in html
    evaluation = Evaluation.objects.get(model=source)
    assert f'data-evaluation="{evaluation.pk}"' in html
    assert html.count("data-score=") == 5
    assert "12/QĐ-BCĐ" in html and 'data-recognition="commune"' in html
    file = RecordFile.objects.get()
    assert reverse("core:record_file", args=[file.pk]) in html
    assert f'data-replica="{replica.pk}"' in html
    # The commune's leader does not see the agency of the province: the replica is counted, not shown.
    mine = body(signed_in(team.leader).get(reverse("practices:detail", args=[source.pk])))
    assert 'data-replicas-elsewhere="1"' in mine and f'data-replica="{replica.pk}"' not in mine
    replica_page = body(signed_in(team.board).get(reverse("practices:detail", args=[replica.pk])))
    assert f'data-replicates="{source.pk}"' in replica_page
    # The evidence downloads for those who see the model.
    download = signed_in(team.clerk).get(reverse("core:record_file", args=[file.pk]))
    assert download.status_code == 200 and download.content == PDF


def test_the_steps_are_drawn_from_the_lifecycle_table_for_the_user(team, signed_in):
    model = register(team)
    assert steps(signed_in(team.leader).get(reverse("practices:detail", args=[model.pk]))) == {
        "report",
        "submit",
        "withdraw",
    }
    assert steps(signed_in(team.clerk).get(reverse("practices:detail", args=[model.pk]))) == set()
    province_review = recognised(team)
    services.practice_submit(
        actor=team.leader, practice_id=province_review.pk, level="province", on=date(2026, 10, 1), today=TODAY
    )
    url = reverse("practices:detail", args=[province_review.pk])
    # The commune's leader put it up; only the province's board scores and decides.
    assert steps(signed_in(team.leader).get(url)) == set()
    assert steps(signed_in(team.board).get(url)) == {"evaluate", "recognise", "not_recognise"}


def test_a_model_out_of_scope_is_not_found(team, signed_in):
    model = register(team)
    client = signed_in(team.outsider)
    for url in (
        reverse("practices:detail", args=[model.pk]),
        reverse("practices:edit", args=[model.pk]),
        reverse("practices:action", args=[model.pk, "report"]),
        reverse("practices:evaluate", args=[model.pk]),
        reverse("practices:file", args=[model.pk]),
        reverse("practices:replicate", args=[model.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("practices:action", args=[model.pk, "dance"])).status_code == 404


# ---- steps ----------------------------------------------------------------------------------------


def test_report_progress_with_evidence(team, signed_in):
    model = register(team)
    client = signed_in(team.leader)
    url = reverse("practices:action", args=[model.pk, "report"])
    page = client.get(url)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in body(page)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        url,
        {
            "version": model.version,
            "on": "01/03/2026",
            "note": "Đã làm 1 km đường.",
            "files": [SimpleUploadedFile("anh.pdf", PDF, "application/pdf")],
        },
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.status == "carrying_out"
    assert RecordFile.objects.get().original_name == "anh.pdf"
    refused = client.post(url, {"version": model.version, "on": "01/01/2026", "note": ""})
    assert refused.status_code == 400
    assert PracticeEvent.objects.filter(model=model, action="report").count() == 1


def test_put_up_for_a_level_that_no_longer_exists(team, signed_in):
    model = register(team, registered_on=date(2025, 8, 1))
    client = signed_in(team.leader)
    url = reverse("practices:action", args=[model.pk, "submit"])
    response = client.post(url, {"version": model.version, "level": "district", "on": "01/09/2025"})
    assert response.status_code == 400
    with translation.override("vi"):
        expected = translation.gettext(
            "There was no district-level unit above %(unit)s on %(day)s "
            "(the district level ended on 30/06/2025)."
        ) % {"unit": "Xã Khánh Thiện", "day": "01/09/2025"}
    assert escape(expected) in body(response)
    model.refresh_from_db()
    assert model.status == "registered"
    ok = client.post(url, {"version": model.version, "level": "commune", "on": "01/09/2025"})
    assert ok.status_code == 302
    model.refresh_from_db()
    assert (model.status, model.review_level) == ("under_review", "commune")


def test_a_stale_step_is_refused_with_409(team, signed_in):
    model = register(team)
    client = signed_in(team.leader)
    response = client.post(
        reverse("practices:action", args=[model.pk, "withdraw"]),
        {"version": model.version + 1, "on": "01/06/2026", "note": "Không làm nữa."},
    )
    assert response.status_code == 409
    model.refresh_from_db()
    assert model.status == "registered"


def test_a_step_the_status_does_not_allow_is_refused(team, signed_in):
    model = register(team)
    client = signed_in(team.leader)
    assert client.get(reverse("practices:action", args=[model.pk, "recognise"])).status_code == 400
    assert client.get(reverse("practices:evaluate", args=[model.pk])).status_code == 400


def test_score_and_recognise_on_the_pages(team, signed_in):
    model = under_review(team)
    client = signed_in(team.leader)
    url = reverse("practices:evaluate", args=[model.pk])
    page = client.get(url)
    criteria = list(criteria_set_for(model, TODAY).criteria.all())
    assert page.status_code == 200
    assert all(f'name="criterion_{c.pk}"' in body(page) for c in criteria)
    post = {
        "version": model.version,
        "reviewed_on": "10/09/2026",
        "criteria_set": criteria[0].criteria_set_id,
        "note": "",
    }
    scores = {f"criterion_{c.pk}": "12" for c in criteria}
    bad = client.post(url, {**post, **scores, f"criterion_{criteria[1].pk}": "25"})
    assert bad.status_code == 400
    with translation.override("vi"):
        named = translation.gettext("Criterion %(number)s “%(text)s”: give 0 to %(max)s points.") % {
            "number": 2,
            "text": criteria[1].text,
            "max": 20,
        }
    assert escape(named) in body(bad)
    assert not Evaluation.objects.exists()
    assert client.post(url, {**post, **scores}).status_code == 302  # 60 points: below the 70 needed
    recognise_url = reverse("practices:action", args=[model.pk, "recognise"])
    failed = client.post(
        recognise_url, {"version": model.version + 1, "decision_number": "5/QĐ", "decided_on": "15/09/2026"}
    )
    assert failed.status_code == 400
    with translation.override("vi"):
        assert escape(
            translation.gettext("It scored %(total)s points; %(needed)s are needed.")
            % {"total": 60, "needed": 70}
        ) in body(failed)
    assert not Recognition.objects.exists()


def test_a_commune_leader_cannot_score_at_province_level(team, signed_in):
    model = recognised(team)
    services.practice_submit(
        actor=team.leader, practice_id=model.pk, level="province", on=date(2026, 10, 1), today=TODAY
    )
    assert signed_in(team.leader).get(reverse("practices:evaluate", args=[model.pk])).status_code == 403
    client = signed_in(team.board)
    assert client.get(reverse("practices:evaluate", args=[model.pk])).status_code == 200


def test_evidence_page(team, signed_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    model = register(team)
    client = signed_in(team.leader)
    url = reverse("practices:file", args=[model.pk])
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"on": "01/02/2026", "files": [SimpleUploadedFile("anh.png", PDF, "image/png")]})
    assert wrong.status_code == 400 and "anh.png" in body(wrong)
    ok = client.post(
        url, {"on": "01/02/2026", "files": [SimpleUploadedFile("anh.pdf", PDF, "application/pdf")]}
    )
    assert ok.status_code == 302
    assert RecordFile.objects.count() == 1
    assert signed_in(team.clerk).get(url).status_code == 403


def test_edit_the_details_at_the_version_read(team, signed_in):
    model = register(team)
    client = signed_in(team.leader)
    url = reverse("practices:edit", args=[model.pk])
    page = client.get(url)
    assert page.status_code == 200 and f'name="version" value="{model.version}"' in body(page)
    data = _form(team, version=str(model.version), name="Tên mới")
    data.pop("unit")
    data.pop("unit_code")
    assert client.post(url, data).status_code == 302
    model.refresh_from_db()
    assert (model.name, model.version) == ("Tên mới", 1)
    assert client.post(url, {**data, "name": "Tên khác"}).status_code == 409  # version 0 again
    model.refresh_from_db()
    assert model.name == "Tên mới"


def test_replicate_a_recognised_model(team, signed_in):
    source = recognised(team)
    client = signed_in(team.board)
    url = reverse("practices:replicate", args=[source.pk])
    page = client.get(url)
    assert page.status_code == 200 and f'data-source="{source.pk}"' in body(page)
    response = client.post(url, _form(team, unit=str(team.tree.agency.pk), registered_on="01/10/2026"))
    replica = PracticeModel.objects.get(replicated_from=source)
    assert response.status_code == 302 and replica.unit == team.tree.agency
    assert PracticeEvent.objects.filter(model=source, action="replicate").exists()
    # A model that is not recognised cannot be replicated.
    assert client.get(reverse("practices:replicate", args=[replica.pk])).status_code == 400


# ---- criteria sets --------------------------------------------------------------------------------


def _criteria_post(team: Team, **overrides) -> dict:
    data = {
        "unit": str(team.tree.province.pk),
        "name": "Tiêu chí của tỉnh 2026–2030",
        "applies": "collective",
        "first_year": "2026",
        "last_year": "2030",
        "pass_mark": "75",
        "source": "Hướng dẫn số 10-HD/BDVTU",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "criteria-0-text": "Sáng tạo, hiệu quả",
        "criteria-0-max_points": "50",
        "criteria-1-text": "Được nhân dân đồng tình",
        "criteria-1-max_points": "50",
        "criteria-2-text": "",
        "criteria-2-max_points": "",
    }
    data.update(overrides)
    return data


def test_the_criteria_page_lists_the_sets_and_lets_a_province_officer_add_one(team, signed_in):
    leader_page = signed_in(team.leader).get(reverse("practices:criteria"))
    assert leader_page.status_code == 200
    assert body(leader_page).count("data-criteria-set=") == 2  # the national defaults
    assert "data-criteria-form" not in body(leader_page)
    assert signed_in(team.leader).post(reverse("practices:criteria"), _criteria_post(team)).status_code == 403
    client = signed_in(team.board)
    assert "data-criteria-form" in body(client.get(reverse("practices:criteria")))
    assert client.post(reverse("practices:criteria"), _criteria_post(team)).status_code == 302
    created = CriteriaSet.objects.get(unit=team.tree.province)
    assert list(created.criteria.values_list("text", "max_points")) == [
        ("Sáng tạo, hiệu quả", 50),
        ("Được nhân dân đồng tình", 50),
    ]
    overlap = client.post(
        reverse("practices:criteria"), _criteria_post(team, first_year="2028", last_year="")
    )
    assert overlap.status_code == 400 and "Tiêu chí của tỉnh 2026–2030" in body(overlap)
    rows = client.post(
        reverse("practices:criteria"),
        _criteria_post(team, applies="individual", **{"criteria-1-max_points": "nhiều"}),
    )
    assert rows.status_code == 400
    with translation.override("vi"):
        named = translation.gettext("Criterion %(number)s: give its maximum points, 1 to %(max)s.") % {
            "number": 2,
            "max": 1000,
        }
    assert escape(named) in body(rows)
    assert CriteriaSet.objects.filter(unit=team.tree.province).count() == 1


def test_the_pages_have_no_inline_script_or_style(team, signed_in):
    model = under_review(team)
    client = signed_in(team.leader)
    for url in (
        reverse("practices:list"),
        reverse("practices:new"),
        reverse("practices:criteria"),
        reverse("practices:detail", args=[model.pk]),
        reverse("practices:evaluate", args=[model.pk]),
        reverse("practices:action", args=[model.pk, "not_recognise"]),
        reverse("practices:file", args=[model.pk]),
    ):
        html = body(client.get(url))
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
