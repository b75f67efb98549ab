from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django_htmx.http import HttpResponseClientRedirect

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


class TwoFactorMiddleware:
    """Holds a signed-in user at the second step of signing in until it is done (ADR 0009).

    A user with an authenticator app who has not typed its code in this session is sent to
    `core:two_factor`; a staff member who must set one up ("required" mode) to
    `core:two_factor_setup`. Sign-out, the language switch and public pages stay open. The API
    is left to its own authentication: tokens are a separate factor, and the session
    authentication refuses such a session with 401 (danvan.api.auth).
    """

    STEP_PAGES = {"verify": "core:two_factor", "enrol": "core:two_factor_setup"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .permissions import PUBLIC_URLS
        from .services import two_factor_pending

        match = getattr(request, "resolver_match", None)
        name = match.view_name if match is not None else ""
        if name in PUBLIC_URLS or name.startswith("api:"):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        step = two_factor_pending(user)
        if step is None or name == self.STEP_PAGES[step]:
            return None
        url = reverse(self.STEP_PAGES[step])
        if request.method == "GET" and not getattr(request, "htmx", False):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)
        return redirect(url)
