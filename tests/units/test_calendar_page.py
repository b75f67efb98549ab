from datetime import date

import pytest

from danvan.core.models import AuditEvent, CalendarOverride
from danvan.units.models import Role, RoleScope


@pytest.fixture
def national_admin(tree, make_user):
    return make_user(Role.ADMINISTRATOR, tree.country, RoleScope.SUBTREE)


def test_everyone_with_a_role_reads_the_calendar(tree, make_user, client):
    client.force_login(make_user(Role.CLERK, tree.n))
    response = client.get("/units/calendar/?year=2026")
    assert response.status_code == 200
    assert "17/02/2026" in response.content.decode()  # Tết 2026
    assert b'name="kind"' not in response.content  # no form for a clerk


def test_national_admin_records_and_removes_a_swapped_day(national_admin, client):
    client.force_login(national_admin)
    response = client.post(
        "/units/calendar/?year=2024", {"day": "04/05/2024", "kind": "working_day", "note": "bù"}
    )
    assert response.status_code == 302
    assert CalendarOverride.objects.get().day == date(2024, 5, 4)
    assert "04/05/2024" in client.get("/units/calendar/?year=2024").content.decode()
    assert client.post("/units/calendar/2024-05-04/remove/").status_code == 302
    assert not CalendarOverride.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="calendar.").count() == 2


def test_bad_date_is_a_field_error_and_saves_nothing(national_admin, client):
    client.force_login(national_admin)
    response = client.post("/units/calendar/", {"day": "31/02/2024", "kind": "working_day"})
    assert response.status_code == 400
    assert not CalendarOverride.objects.exists()


def test_provincial_admin_cannot_change_the_calendar(tree, make_user, client):
    client.force_login(make_user(Role.ADMINISTRATOR, tree.province, RoleScope.SUBTREE))
    response = client.post("/units/calendar/", {"day": "04/05/2024", "kind": "working_day"})
    assert response.status_code in (400, 403)
    assert not CalendarOverride.objects.exists()
    assert client.post("/units/calendar/2024-05-04/remove/").status_code == 403
