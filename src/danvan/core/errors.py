"""Domain errors: a stable code, a translatable message with named placeholders, and the fields.

Services raise these; the API renders them as {"code", "message", "fields"} and pages show them
on the form. Services never import HTTP classes.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class DomainError(Exception):
    """A rule said no. `status` is the HTTP status the API answers with."""

    status = 400
    default_code = "invalid"
    default_message = gettext_lazy("The request is not valid.")

    def __init__(
        self,
        code: str | None = None,
        message: Any = None,
        /,
        *,
        fields: dict[str, Any] | None = None,
        **params: Any,
    ) -> None:
        self.code = code or self.default_code
        self.template = message if message is not None else self.default_message
        self.params = params
        self.fields = fields or {}
        super().__init__(self.code)

    @property
    def message(self) -> str:
        """The message in the active language, placeholders filled in."""
        text = str(self.template)
        return text % self.params if self.params else text

    def field_messages(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.fields.items():
            values = value if isinstance(value, list | tuple) else [value]
            out[name] = [self._fill(str(v)) for v in values]
        return out

    def _fill(self, text: str) -> str:
        # Field messages may share the error's named placeholders.
        if not self.params or "%(" not in text:
            return text
        try:
            return text % self.params
        except (KeyError, ValueError):
            return text

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """Missing, or outside the user's scope: the two are never told apart."""

    status = 404
    default_code = "not_found"
    default_message = gettext_lazy("Not found.")


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"
    default_message = gettext_lazy("You do not have permission to do this.")


class StaleEdit(DomainError):
    status = 409
    default_code = "stale_edit"
    default_message = gettext_lazy(
        "Someone else changed this record while you were editing it. Reload it and make your change again."
    )


def check_version(record, version: int | None, *, required: bool = False) -> None:
    """Raise StaleEdit when the officer edited `record` at another version than it has now (with
    `required`, an edit that names no version is refused too)."""
    if version is None:
        if required:
            raise StaleEdit()
        return
    if record.version != version:
        raise StaleEdit()


def not_found(what: str = "") -> NotFound:
    if what:
        return NotFound(None, _("%(what)s not found."), what=what)
    return NotFound()


def field_error(code: str, name: str, message: Any, **params: Any) -> DomainError:
    """A rule that failed on one field: the message is shown on that field and at the top."""
    return DomainError(code, message, fields={name: message}, **params)


class FieldErrors:
    """Collects every problem of one input, so the user sees them all at once; `raise_if_any`
    raises one DomainError with the `code` of the input when there is any."""

    def __init__(self, code: str = "invalid") -> None:
        self.code = code
        self.fields: dict[str, Any] = {}

    def add(self, name: str, message: Any) -> None:
        self.fields.setdefault(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise DomainError(self.code, gettext_lazy("Check the fields marked below."), fields=self.fields)
