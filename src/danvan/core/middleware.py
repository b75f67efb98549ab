from __future__ import annotations

from django.conf import settings
from django.utils import translation

from .request_context import client_ip


def client_address(request) -> str | None:
    """The client's address: from CLIENT_IP_HEADER behind a trusted proxy, else REMOTE_ADDR."""
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Keeps the client's address where the audit trail can read it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)


class UserLanguageMiddleware:
    """Which language a page speaks.

    A signed-in user sees the language they chose, on any device; anyone else sees the one
    they picked with the switch (the language cookie), else Vietnamese, whatever the browser
    asks for: many officers' browsers are set to English. API clients may still ask with
    Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            language = user.language
        elif request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.path.startswith("/api/"):
            language = request.LANGUAGE_CODE
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        return self.get_response(request)
