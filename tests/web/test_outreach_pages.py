"""Outreach pages: activities (list with the dialogue warning, form with the pickers, detail with
files), the attendance list (import, typed rows, clear, the template), the documents issued, and
the communes without a dialogue conference; both languages, errors in the summary with nothing
saved, versions, scoping, and list pages whose number of queries does not grow with the rows.

Data is made through the services; assertions hold on status codes, ids, data attributes and
values, not on translated labels (except where the language is the point)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from danvan.core.models import RecordFile
from danvan.outreach import services
from danvan.outreach.models import Activity, Attendee, IssuedDocument, Resolution
from danvan.units import services as unit_services
from danvan.units.models import Role, RoleScope, Unit
from tests.web.conftest import REFORM, START, WebTree, create_user

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)
DAY = date(2026, 10, 15)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def clock():
    """The server's clock on TODAY: pages pass timezone.localdate() to the services."""
    moment = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(moment, tick=False):
        yield


@dataclass
class Outreach:
    tree: WebTree
    unit: Unit
    recorder: object
    leader: object
    clerk: object
    supervisor: object
    outsider: object
    ward: Unit
    activity: Activity
    document: IssuedDocument


def activity_input(unit: Unit, **overrides) -> services.ActivityInput:
    values = {
        "unit_id": unit.pk,
        "kind": "conference",
        "title": "Hội nghị quán triệt Kết luận 43-KL/TW",
        "starts_on": DAY,
        "counts": {"cadres": 30, "party_members": 70},
        "participants_total": 100,
    }
    values.update(overrides)
    return services.ActivityInput(**values)


@pytest.fixture
def out(web_tree) -> Outreach:
    admin = web_tree.admin
    other = unit_services.unit_create(
        actor=admin,
        code="01",
        name="Thành phố Hà Nội",
        kind="central_city",
        parent_id=web_tree.country.pk,
        valid_from=START,
    )
    ward = unit_services.unit_create(
        actor=admin, code="00004", name="Phường Ba Đình", kind="ward", parent_id=other.pk, valid_from=REFORM
    )
    unit = web_tree.commune
    recorder = create_user("recorder", Role.COMMITTEE_MEMBER, unit, first_name="Lan", last_name="Trần")
    document = services.document_record(
        actor=recorder,
        data=services.DocumentInput(
            unit_id=unit.pk,
            number="15-KH/ĐU",
            issued_on=date(2026, 3, 2),
            doc_type="plan",
            title="Kế hoạch thực hiện Kết luận 43-KL/TW",
            implements_id=Resolution.objects.get(number="43-KL/TW").pk,
        ),
        today=TODAY,
    )
    activity = services.activity_record(
        actor=recorder,
        data=activity_input(
            unit,
            co_organiser_ids=[web_tree.agency.pk],
            resolution_ids=[Resolution.objects.get(number="25-NQ/TW").pk],
            document_ids=[document.pk],
        ),
        today=TODAY,
    )
    return Outreach(
        tree=web_tree,
        unit=unit,
        recorder=recorder,
        leader=create_user("leader", Role.LEADER, unit),
        clerk=create_user("clerk", Role.CLERK, unit),
        supervisor=create_user("supervisor", Role.LEADER, web_tree.province, RoleScope.SUBTREE),
        outsider=create_user("outsider", Role.COMMITTEE_MEMBER, ward),
        ward=ward,
        activity=activity,
        document=document,
    )


def body_of(response) -> str:
    return html.unescape(response.content.decode())


def summary_of(response) -> str:
    found = re.search(r"data-error-summary>(.*?)</div>", response.content.decode(), re.S)
    assert found, "no error summary"
    return html.unescape(found[1])


def activity_post(unit: Unit, **fields) -> dict:
    data = {
        "step": "save",
        "kind": "training",
        "title": "Lớp bồi dưỡng nghiệp vụ dân vận",
        "starts_on": "20/11/2026",
        "ends_on": "21/11/2026",
        "unit": str(unit.pk),
        "unit_code": "",
        "venue": "Hội trường UBND xã",
        "count_cadres": "20",
        "count_mm_cadres": "15",
        "participants_total": "35",
        "summary": "",
        "co_q": "",
        "doc_q": "",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def pages(o: Outreach) -> list[tuple[str, list]]:
    return [
        ("outreach:activities", []),
        ("outreach:activity_new", []),
        ("outreach:activity", [o.activity.pk]),
        ("outreach:activity_edit", [o.activity.pk]),
        ("outreach:attendance", [o.activity.pk]),
        ("outreach:documents", []),
        ("outreach:document_new", []),
        ("outreach:document", [o.document.pk]),
        ("outreach:document_edit", [o.document.pk]),
        ("outreach:dialogue_missing", []),
    ]


# ---- every page, both languages, scope --------------------------------------------------------------


@pytest.mark.parametrize(("language", "sign_out"), [("vi", "Đăng xuất"), ("en", "Sign out")])
def test_every_page_renders_in_both_languages(client, out, language, sign_out):
    out.leader.language = language
    out.leader.save(update_fields=["language"])
    client.force_login(out.leader)
    for name, args in pages(out):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        body = body_of(response)
        assert f'<html lang="{language}">' in body and sign_out in body, name
        assert 'data-subnav="activities"' in body and 'data-subnav="dialogue"' in body, name
    response = client.get(reverse("outreach:attendance_template"))
    assert response.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header[0] == ("Họ và tên" if language == "vi" else "Full name")


def test_the_main_navigation_opens_the_activities(client, out):
    client.force_login(out.clerk)
    body = body_of(client.get(reverse("core:home")))
    assert f'href="{reverse("outreach:activities")}" data-nav="outreach"' in body


def test_who_may_open_what(client, out):
    client.force_login(out.clerk)  # views, does not record
    for name, args in pages(out):
        expected = (
            403
            if name
            in (
                "outreach:activity_new",
                "outreach:activity_edit",
                "outreach:attendance",
                "outreach:document_new",
                "outreach:document_edit",
            )
            else 200
        )
        assert client.get(reverse(name, args=args)).status_code == expected, name
    assert client.get(reverse("outreach:attendance_template")).status_code == 403
    body = body_of(client.get(reverse("outreach:activity", args=[out.activity.pk])))
    assert "data-edit" not in body and "data-file-form" not in body

    client.force_login(out.outsider)  # another province
    for name, args in pages(out):
        if args:
            assert client.get(reverse(name, args=args)).status_code == 404, name
    body = body_of(client.get(reverse("outreach:activities")))
    assert f'data-activity="{out.activity.pk}"' not in body
    assert f'data-document="{out.document.pk}"' not in body_of(client.get(reverse("outreach:documents")))

    client.force_login(out.supervisor)  # the province's leader, whole subtree
    assert client.get(reverse("outreach:activity_edit", args=[out.activity.pk])).status_code == 200


def test_anonymous_users_are_sent_to_sign_in(client, out):
    response = client.get(reverse("outreach:activities"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# ---- activities -------------------------------------------------------------------------------------


def test_the_list_shows_the_lead_the_co_organisers_and_the_dialogue_warning(client, out):
    client.force_login(out.recorder)
    body = body_of(client.get(reverse("outreach:activities")))
    row = re.search(rf'<tr data-activity="{out.activity.pk}">(.*?)</tr>', body, re.S)[1]
    assert out.unit.name in row and out.tree.agency.name in row and ">100<" in row.replace(" ", "")
    assert 'data-dialogue-missing="1"' in body and f"{reverse('outreach:dialogue_missing')}?year=2026" in body
    services.activity_record(
        actor=out.recorder, data=activity_input(out.unit, kind="dialogue", title="Đối thoại"), today=TODAY
    )
    assert "data-dialogue-missing" not in body_of(client.get(reverse("outreach:activities")))


def test_the_list_filters(client, out):
    services.activity_record(
        actor=out.recorder,
        data=activity_input(out.unit, kind="training", title="Lớp bồi dưỡng", starts_on=date(2026, 5, 5)),
        today=TODAY,
    )
    client.force_login(out.recorder)
    url = reverse("outreach:activities")
    assert body_of(client.get(url, {"q": "boi duong"})).count("data-activity=") == 1
    assert body_of(client.get(url, {"kind": "conference"})).count("data-activity=") == 1
    assert body_of(client.get(url, {"first": "01/06/2026"})).count("data-activity=") == 1
    response = client.get(url, {"first": "01/06/2026", "last": "01/01/2026"})
    assert "data-error-summary" in body_of(response) and "data-activity=" not in body_of(response)


def test_an_activity_is_recorded_through_the_form(client, out):
    client.force_login(out.recorder)
    response = client.post(
        reverse("outreach:activity_new"),
        activity_post(out.unit, co_organisers=[str(out.tree.agency.pk)], documents=[str(out.document.pk)]),
    )
    activity = Activity.objects.exclude(pk=out.activity.pk).get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "outreach:activity", args=[activity.pk]
    )
    assert (activity.kind, activity.starts_on, activity.ends_on, activity.participants_total) == (
        "training",
        date(2026, 11, 20),
        date(2026, 11, 21),
        35,
    )
    assert list(activity.co_organisers.all()) == [out.tree.agency]
    assert list(activity.documents.all()) == [out.document]
    body = body_of(client.get(response["Location"]))
    assert 'data-category="mm_cadres"' in body and "data-total>35<" in body


@pytest.mark.parametrize("language", ["vi", "en"])
def test_form_errors_are_in_the_summary_and_nothing_is_saved(client, out, language):
    out.recorder.language = language
    out.recorder.save(update_fields=["language"])
    client.force_login(out.recorder)
    count = Activity.objects.count()
    response = client.post(
        reverse("outreach:activity_new"),
        activity_post(
            out.unit,
            count_cadres="1000",
            count_mm_cadres="234",
            participants_total="1250",
            co_organisers=[str(out.unit.pk)],
        ),
    )
    assert response.status_code == 400 and Activity.objects.count() == count
    summary = summary_of(response)
    if language == "vi":
        assert "là 1.234, không khớp với tổng số 1.250 đã nhập" in summary
    else:
        assert "add up to 1,234, not the 1,250 stated" in summary
    assert 'href="#id_participants_total"' in summary and 'href="#co-picker"' in summary
    assert out.unit.name in summary
    # The form keeps what was typed.
    assert 'value="1000"' in body_of(response)


def test_format_errors_are_in_the_summary_too(client, out):
    client.force_login(out.recorder)
    response = client.post(
        reverse("outreach:activity_new"), activity_post(out.unit, starts_on="31/02/2026", kind="")
    )
    assert response.status_code == 400
    summary = summary_of(response)
    assert 'href="#id_starts_on"' in summary and 'href="#id_kind"' in summary


def test_the_pickers_find_units_and_documents_without_javascript(client, out):
    client.force_login(out.recorder)
    response = client.post(
        reverse("outreach:activity_new"),
        activity_post(out.unit, step="find", co_q="uy ban nhan dan", doc_q="ke hoach 43", title="Giữ lại"),
    )
    body = body_of(response)
    assert response.status_code == 200 and "data-error-summary" not in body
    assert f'data-co-match="{out.tree.agency.pk}"' in body
    assert f'data-doc-match="{out.document.pk}"' in body
    assert 'value="Giữ lại"' in body
    # A unit already chosen (or the lead) is not offered again; a chosen one stays ticked.
    response = client.post(
        reverse("outreach:activity_new"),
        activity_post(out.unit, step="find", co_q="xa khanh thien", co_organisers=[str(out.tree.agency.pk)]),
    )
    body = body_of(response)
    assert f'data-co-chosen="{out.tree.agency.pk}"' in body and "data-co-none" in body


def test_enter_searches_in_a_pickers_box_and_saves_elsewhere(client, out):
    client.force_login(out.recorder)
    url = reverse("outreach:activity_new")
    count = Activity.objects.count()
    response = client.post(url, activity_post(out.unit, step="enter", co_q="uy ban"))
    assert response.status_code == 200 and f'data-co-match="{out.tree.agency.pk}"' in body_of(response)
    assert Activity.objects.count() == count
    response = client.post(
        url, activity_post(out.unit, step="enter", co_organisers=[str(out.tree.agency.pk)])
    )
    assert response.status_code == 302 and Activity.objects.count() == count + 1


def test_with_javascript_enter_saves_outside_the_pickers_boxes(client, out):
    """Without JavaScript the server cannot tell where Enter was pressed, so words left in a box
    make it search; outreach.js tells them apart (Enter in a box searches there, elsewhere it
    saves). The browser test tests/e2e/test_outreach_flows.py presses the keys; here, the form
    loads the script and marks the boxes it watches."""
    client.force_login(out.recorder)
    for url in (reverse("outreach:activity_new"), reverse("outreach:activity_edit", args=[out.activity.pk])):
        body = body_of(client.get(url))
        assert re.search(r'<script src="[^"]*/outreach/outreach[.\w]*\.js" defer></script>', body), url
        assert re.findall(r'name="(co_q|doc_q)"[^>]*data-picker-box', body) == ["co_q", "doc_q"], url
        assert re.search(r'<button type="submit" name="step" value="enter"', body), url


def test_the_pickers_answer_as_you_type(client, out):
    client.force_login(out.recorder)
    url = reverse("outreach:activity_new")
    response = client.get(
        url,
        {"picker": "co", "co_q": "ninh binh", "starts_on": "15/10/2026", "unit": out.unit.pk},
        HTTP_HX_REQUEST="true",
    )
    body = body_of(response)
    assert "<html" not in body and f'data-co-match="{out.tree.province.pk}"' in body
    assert f'data-co-match="{out.tree.district.pk}"' not in body  # ended 30/06/2025
    response = client.get(
        url, {"picker": "doc", "doc_q": "15-kh", "starts_on": "01/03/2026"}, HTTP_HX_REQUEST="true"
    )
    assert "data-doc-none" in body_of(response)  # issued 02/03/2026, after the day typed


def test_an_edit_with_a_stale_version_is_refused(client, out):
    client.force_login(out.recorder)
    url = reverse("outreach:activity_edit", args=[out.activity.pk])
    body = body_of(client.get(url))
    assert 'name="version" value="0"' in body and f'data-co-chosen="{out.tree.agency.pk}"' in body
    response = client.post(url, activity_post(out.unit, version="0", title="Đã đổi"))
    assert response.status_code == 302
    response = client.post(url, activity_post(out.unit, version="0", title="Lần nữa"))
    assert response.status_code == 409 and "data-error-summary" in body_of(response)
    out.activity.refresh_from_db()
    assert (out.activity.title, out.activity.version) == ("Đã đổi", 1)


def test_files_are_added_to_an_activity(client, out):
    client.force_login(out.recorder)
    url = reverse("outreach:activity_file", args=[out.activity.pk])
    response = client.post(url, {"role": "photo", "file": io_file("anh.png", PNG)})
    assert response.status_code == 302
    item = RecordFile.objects.get()
    body = body_of(client.get(reverse("outreach:activity", args=[out.activity.pk])))
    assert reverse("core:record_file", args=[item.pk]) in body
    response = client.post(url, {"role": "minutes", "file": io_file("bien-ban.pdf", PNG)})
    assert response.status_code == 400 and "bien-ban.pdf" in summary_of(response)
    assert RecordFile.objects.count() == 1


def io_file(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


# ---- attendance ---------------------------------------------------------------------------------------


def test_an_imported_list_drives_the_counts_and_its_problems_are_listed(client, out):
    out.recorder.language = "en"
    out.recorder.save(update_fields=["language"])
    client.force_login(out.recorder)
    url = reverse("outreach:attendance", args=[out.activity.pk])
    bad = (
        "Họ và tên,Đối tượng,Đơn vị\nNguyễn Văn A,Cán bộ,UBND xã X\n,Cán bộ,\nnguyen van a,Khách,ubnd xa x\n"
    )
    response = client.post(url, {"step": "import", "version": "0", "file": io_file("ds.csv", bad.encode())})
    assert response.status_code == 400 and Attendee.objects.count() == 0
    summary = summary_of(response)
    assert "Row 3" in summary and "Row 4 repeats row 2: nguyen van a (ubnd xa x)." in summary
    assert "Khách" in summary
    good = (
        "\ufeffFull name;Category;Unit or organisation\n"
        "Nguyễn Văn A;Cán bộ;UBND xã X\nTrần Thị B;Nhân dân;Thôn Đông\n"
    )
    response = client.post(url, {"step": "import", "version": "0", "file": io_file("ds.csv", good.encode())})
    assert response.status_code == 302
    out.activity.refresh_from_db()
    assert out.activity.from_attendance and out.activity.participants_total == 2
    body = body_of(client.get(url))
    assert 'data-list-state="list"' in body and 'value="Nguyễn Văn A"' in body
    # While the list is kept, the activity's form shows the counts locked.
    body = body_of(client.get(reverse("outreach:activity_edit", args=[out.activity.pk])))
    assert "data-from-attendance" in body and re.search(r'name="count_cadres"[^>]*disabled', body)


def test_a_typed_list_is_saved_with_errors_on_their_rows(client, out):
    client.force_login(out.recorder)
    url = reverse("outreach:attendance", args=[out.activity.pk])
    data = {
        "step": "save",
        "version": "0",
        "attendees-TOTAL_FORMS": "4",
        "attendees-INITIAL_FORMS": "0",
        "attendees-MIN_NUM_FORMS": "0",
        "attendees-MAX_NUM_FORMS": "300",
        "attendees-0-full_name": "Nguyễn Văn An",
        "attendees-0-category": "cadres",
        "attendees-0-organisation": "UBND xã",
        "attendees-1-full_name": "",
        "attendees-1-category": "",
        "attendees-2-full_name": "Trần Thị Bình",
        "attendees-2-category": "",
        "attendees-3-full_name": "Lê Văn Cường",
        "attendees-3-category": "citizens",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and Attendee.objects.count() == 0
    assert 'href="#id_attendees-2-category"' in summary_of(response)
    data["attendees-2-category"] = "party_members"
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(Attendee.objects.values_list("position", "full_name")) == [
        (1, "Nguyễn Văn An"),
        (2, "Trần Thị Bình"),
        (3, "Lê Văn Cường"),
    ]
    # Adding a row without JavaScript keeps what was typed.
    response = client.post(url, {**data, "step": "add_row"})
    assert body_of(response).count("data-attendee-row") == 6  # four rows, one more, the template


def test_clearing_the_list_returns_to_typed_counts(client, out):
    activity = services.attendance_save(
        actor=out.recorder,
        activity_id=out.activity.pk,
        version=0,
        rows=[services.AttendeeInput("Nguyễn Văn An", "cadres")],
        today=TODAY,
    )
    client.force_login(out.recorder)
    url = reverse("outreach:attendance", args=[activity.pk])
    assert client.post(url, {"step": "clear", "version": "0"}).status_code == 409
    assert client.post(url, {"step": "clear", "version": str(activity.version)}).status_code == 302
    activity.refresh_from_db()
    assert not activity.from_attendance and activity.participants_total == 1 and Attendee.objects.count() == 0


# ---- documents ----------------------------------------------------------------------------------------


def test_a_document_is_added_and_a_duplicate_number_is_refused_on_its_field(client, out):
    client.force_login(out.recorder)
    post = {
        "unit": str(out.unit.pk),
        "unit_code": "",
        "number": "20-CT/ĐU",
        "issued_on": "05/05/2026",
        "doc_type": "directive",
        "title": "Chỉ thị về tăng cường đối thoại",
        "issuer": "",
        "implements": "",
    }
    response = client.post(reverse("outreach:document_new"), post)
    document = IssuedDocument.objects.get(number="20-CT/ĐU")
    assert response.status_code == 302 and document.issuer == out.unit.name
    response = client.post(reverse("outreach:document_new"), post)
    assert response.status_code == 400 and IssuedDocument.objects.count() == 2
    assert 'href="#id_number"' in summary_of(response) and "20-CT/ĐU" in summary_of(response)


def test_the_registry_is_searched_and_a_document_lists_its_activities(client, out):
    client.force_login(out.clerk)
    url = reverse("outreach:documents")
    assert f'data-document="{out.document.pk}"' in body_of(client.get(url, {"q": "KE HOACH ket luan"}))
    assert f'data-document="{out.document.pk}"' in body_of(client.get(url, {"q": "15-kh/du"}))
    assert "data-empty" in body_of(client.get(url, {"q": "chi thi"}))
    assert "data-empty" in body_of(client.get(url, {"year": "2025"}))
    body = body_of(client.get(reverse("outreach:document", args=[out.document.pk])))
    assert f'data-activity="{out.activity.pk}"' in body


def test_a_document_edit_checks_the_version(client, out):
    client.force_login(out.recorder)
    url = reverse("outreach:document_edit", args=[out.document.pk])
    post = {
        "unit": str(out.unit.pk),
        "number": "15-KH/ĐU",
        "issued_on": "02/03/2026",
        "doc_type": "plan",
        "title": "Kế hoạch đã sửa",
        "version": "1",
    }
    assert client.post(url, post).status_code == 409
    assert client.post(url, {**post, "version": "0"}).status_code == 302
    out.document.refresh_from_db()
    assert out.document.title == "Kế hoạch đã sửa"


# ---- dialogue conferences missing ---------------------------------------------------------------------


def test_the_communes_without_a_dialogue_are_listed_by_year(client, out):
    client.force_login(out.supervisor)
    url = reverse("outreach:dialogue_missing")
    body = body_of(client.get(url))
    assert f'data-commune="{out.unit.pk}"' in body and 'data-missing-total="1"' in body
    assert f'data-commune="{out.ward.pk}"' not in body
    body = body_of(client.get(url, {"year": "2024"}))
    assert 'data-missing-total="0"' in body  # the commune came into being on 01/07/2025


# ---- bounded queries ----------------------------------------------------------------------------------


def _add_activities(out: Outreach, n: int) -> None:
    for i in range(n):
        services.activity_record(
            actor=out.recorder,
            data=activity_input(
                out.unit,
                title=f"Hội nghị số {i}",
                co_organiser_ids=[out.tree.agency.pk, out.tree.province.pk],
            ),
            today=TODAY,
        )


def _queries(client, url, django_assert_max_num_queries, bound: int) -> None:
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


def test_list_pages_have_a_bounded_number_of_queries(client, out, django_assert_max_num_queries):
    client.force_login(out.recorder)
    for name in ("outreach:activities", "outreach:documents", "outreach:dialogue_missing"):
        client.get(reverse(name))  # warm the session
    _add_activities(out, 2)
    counts = {}
    for name in ("outreach:activities", "outreach:documents", "outreach:dialogue_missing"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name))
        counts[name] = len(few)
    _add_activities(out, 12)
    for n in range(10):
        services.document_record(
            actor=out.recorder,
            data=services.DocumentInput(
                unit_id=out.unit.pk,
                number=f"{n}-KH",
                issued_on=date(2026, 4, 1),
                doc_type="plan",
                title="Kế hoạch",
            ),
            today=TODAY,
        )
    for name, bound in counts.items():
        _queries(client, reverse(name), django_assert_max_num_queries, bound)
    _queries(client, reverse("outreach:document", args=[out.document.pk]), django_assert_max_num_queries, 20)
