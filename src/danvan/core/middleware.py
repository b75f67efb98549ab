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
    """A signed-in user sees the language they chose, on any device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
