"""The API root: mounts each app's router under /api/v1/ and renders every error alike.

Errors are {"code", "message", "fields"} with a 4xx status, in the language of the request.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from danvan.core.errors import DomainError
from danvan.emulation.api import router as emulation_router
from danvan.imports.api import router as imports_router
from danvan.outreach.api import router as outreach_router
from danvan.petitions.api import router as petitions_router
from danvan.practices.api import router as practices_router
from danvan.reception.api import router as reception_router
from danvan.reports.api import router as reports_router
from danvan.units.api import me_router
from danvan.units.api import router as units_router

from .auth import SessionAuth, TokenAuth

api = NinjaAPI(
    title="danvan API",
    version="1",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
    description="Units, roles and records of danvan. Authenticate with a personal token: "
    "`Authorization: Bearer dv_…` (create one on your profile page).",
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"code": code, "message": message, "fields": fields or {}}, status=status
    )


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.field_messages())


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(part) for part in error.get("loc", []) if part not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(loc) or "request", []).append(error.get("msg", ""))
    return _error(request, 422, "invalid_input", _("Some values are not valid."), fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request, exc):
    return _error(request, 401, "not_authenticated", _("Sign in or send a valid API token."))


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "http_error", str(exc))


api.add_router("/", me_router)
api.add_router("/units", units_router)
api.add_router("/petitions", petitions_router)
api.add_router("/reception/", reception_router)
api.add_router("/outreach/", outreach_router)
api.add_router("/practices/", practices_router)
api.add_router("/emulation/", emulation_router)
api.add_router("/reports/", reports_router)
api.add_router("/imports/", imports_router)
