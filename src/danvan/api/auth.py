"""How API clients prove who they are: a personal token, or the browser's session with CSRF."""

from __future__ import annotations

from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer

from danvan.core.services import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
            # The language middleware ran before the token was read: a client that does not ask
            # for a language with Accept-Language gets its user's.
            if user.language and "HTTP_ACCEPT_LANGUAGE" not in request.META:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; CSRF is checked on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
