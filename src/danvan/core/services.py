"""Writes of the shared kernel: the user's own settings and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit
from .errors import DomainError, NotFound
from .models import ApiToken, User
from .text import normalize

CREDENTIAL_MARK = "dv_"  # lets logs and secret scanners recognise a danvan token


def token_digest(secret: str) -> str:
    # A token is 32 random bytes: a fast hash is enough and keeps hashing off the request path.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def user_set_language(*, actor: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(
            "language_unknown", _("Unknown language."), fields={"language": _("Unknown language.")}
        )
    if actor.language != language:
        before = {"language": actor.language}
        User.objects.filter(pk=actor.pk).update(language=language)
        actor.language = language
        audit.record(
            actor=actor, action="user.set_language", obj=actor, before=before, after={"language": language}
        )
    return actor


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new personal token. Returns the row and the secret, which is never shown again."""
    name = normalize(name)
    if not name:
        raise DomainError(
            "token_name_required",
            _("Give the token a name, such as the program that will use it."),
            fields={"name": _("Give the token a name, such as the program that will use it.")},
        )
    if len(name) > 100:
        raise DomainError(
            "token_name_too_long",
            _("The name is too long (at most 100 characters)."),
            fields={"name": _("The name is too long (at most 100 characters).")},
        )
    secret = CREDENTIAL_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name, prefix=secret[:10], digest=token_digest(secret))
    audit.record(
        actor=actor, action="api_token.create", obj=token, after={"name": token.name, "prefix": token.prefix}
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor, action="api_token.revoke", obj=token, after={"revoked_at": token.revoked_at}
        )
    return token


def api_token_authenticate(secret: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not secret or not secret.startswith(CREDENTIAL_MARK):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
