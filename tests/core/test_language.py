import pytest
from django.conf import settings


@pytest.mark.django_db
def test_pages_default_to_vietnamese_whatever_the_browser_asks(client):
    response = client.get("/sign-in/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert b'lang="vi"' in response.content


@pytest.mark.django_db
def test_the_language_cookie_chooses_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/sign-in/")
    assert response.headers["Content-Language"] == "en"
    assert b'lang="en"' in response.content


@pytest.mark.django_db
def test_api_clients_may_ask_with_accept_language(client):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response.headers["Content-Language"] == "en"
