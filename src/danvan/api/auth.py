"""How API clients prove who they are: a personal token, or the browser's session with CSRF."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer

from danvan.core.errors import DomainError
from danvan.core.services import api_token_authenticate, two_factor_pending


class TwoFactorPending(DomainError):
    """A session signed in with the password only, where the second step is due (ADR 0009)."""

    status = 401
    default_code = "two_factor_required"
    default_message = _("Finish signing in: type the code from your authenticator app on the sign-in page.")


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
    """The signed-in browser session; CSRF is checked on unsafe methods. A session that still
    owes the second step of signing in (or the set-up of an app, where it is required) is
    refused with 401 "two_factor_required"."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            if two_factor_pending(user) is not None:
                raise TwoFactorPending()
            return user
        return None
