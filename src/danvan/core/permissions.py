"""The permission map: every named URL and what it takes to open it.

Values are an action of `danvan.units.access.ROLE_ACTIONS`, or one of the markers below.
A project-wide test checks that every URL name resolves to an entry here (`permission_for`),
so a new page cannot ship without saying who may use it.
"""

from __future__ import annotations

PUBLIC = "public"  # anyone, signed in or not
SIGNED_IN = "signed-in"  # any signed-in user, whatever their roles
API_CLIENT = "token-or-session"  # an API token, or the browser session with CSRF

URL_PERMISSIONS: dict[str, str] = {
    # Shell, sign-in and the user's own settings
    "core:login": PUBLIC,
    "core:logout": PUBLIC,
    "core:set_language": PUBLIC,
    "core:home": SIGNED_IN,
    "core:set_current_unit": SIGNED_IN,
    "core:profile": SIGNED_IN,
    "core:token_create": SIGNED_IN,
    "core:token_revoke": SIGNED_IN,
    # Two-factor sign-in: the code after the password, enrolment, turning it off (the user, with a
    # code; an administrator for a user of their units). Until a signed-in user who needs the
    # second step has passed it, TwoFactorMiddleware lets them reach only these, sign-out, the
    # language switch and public pages.
    "core:two_factor": SIGNED_IN,
    "core:two_factor_setup": SIGNED_IN,
    "core:two_factor_disable": SIGNED_IN,
    "core:recovery_codes_regenerate": SIGNED_IN,
    "core:two_factor_reset": "user.manage",
    "core:audit": "audit.view",
    # Files kept with records (activities, models, commendations): scoped like their record
    "core:record_file": "record.view",
    # Units
    "units:tree": "unit.view",
    "units:children": "unit.view",
    "units:detail": "unit.view",
    "units:create": "unit.manage",
    "units:edit": "unit.manage",
    "units:succession_create": "unit.manage",
    # The working-day calendar: everyone with a role reads it, national administrators edit it
    # (the view checks "calendar.manage" before writing)
    "units:calendar": "unit.view",
    "units:calendar_remove": "calendar.manage",
    # Users and roles
    "units:user_list": "user.manage",
    "units:user_create": "user.manage",
    "units:role_assign": "user.manage",
    "units:role_revoke": "user.manage",
    # Petitions (each lifecycle step is checked again by its service against the lifecycle table)
    "petitions:worklist": "record.view",
    "petitions:intake": "petition.intake",
    "petitions:duplicates": "petition.intake",
    "petitions:receipt": "petition.intake",
    "petitions:detail": "record.view",
    "petitions:action": "record.view",
    "petitions:identity": "record.view",
    "petitions:identity_grant": "petition.decide",
    "petitions:identity_revoke": "petition.decide",
    "petitions:attachment": "record.view",
    # A citizen follows a petition with its tracking code and secret
    "petitions:track": PUBLIC,
    # Citizen reception (each service checks the unit of the record again)
    "reception:desk": "reception.record",
    "reception:open_regular": "reception.record",
    "reception:lookup": "reception.record",
    "reception:visit_new": "reception.record",
    "reception:receipt": "reception.record",
    "reception:visit": "record.view",
    "reception:visit_answer": "reception.record",
    "reception:visitor_identity": "record.view",
    "reception:sessions": "record.view",
    "reception:session_new": "reception.record",
    "reception:session": "record.view",
    "reception:session_publish": "reception.record",
    "reception:session_hold": "reception.record",
    "reception:session_cancel": "reception.record",
    "reception:conclusion_new": "reception.manage",
    "reception:directive_done": "reception.record",
    "reception:places": "reception.manage",
    "reception:place_new": "reception.manage",
    "reception:place_edit": "reception.manage",
    "reception:duties": "reception.manage",
    "reception:duty_new": "reception.manage",
    "reception:duty_edit": "reception.manage",
    "reception:book": "record.view",
    "reception:book_export": "record.view",
    "reception:compliance": "record.view",
    "reception:answers_due": "record.view",
    # A unit's reception schedule, posted for the public (Luật Tiếp công dân Art 24)
    "reception:public_schedule": PUBLIC,
    # Outreach: activities, attendance, documents issued (each service checks the unit again)
    "outreach:activities": "record.view",
    "outreach:activity_new": "outreach.record",
    "outreach:activity": "record.view",
    "outreach:activity_edit": "outreach.record",
    "outreach:attendance": "outreach.record",
    "outreach:attendance_template": "outreach.record",
    "outreach:activity_file": "outreach.record",
    "outreach:documents": "record.view",
    "outreach:document_new": "outreach.record",
    "outreach:document": "record.view",
    "outreach:document_edit": "outreach.record",
    "outreach:document_file": "outreach.record",
    "outreach:dialogue_missing": "record.view",
    # Skillful mass mobilization models (each lifecycle step is checked by its service)
    "practices:list": "record.view",
    "practices:new": "practice.manage",
    "practices:detail": "record.view",
    "practices:edit": "practice.manage",
    "practices:action": "record.view",
    "practices:evaluate": "practice.recognise",
    "practices:file": "practice.manage",
    "practices:replicate": "practice.manage",
    "practices:criteria": "record.view",
    # Emulation and commendation
    "emulation:movements": "record.view",
    "emulation:movement_new": "emulation.manage",
    "emulation:movement": "record.view",
    "emulation:movement_edit": "emulation.manage",
    "emulation:commendations": "record.view",
    "emulation:commendation_new": "emulation.manage",
    "emulation:commendation": "record.view",
    "emulation:commendation_action": "record.view",
    "emulation:commendation_file": "emulation.manage",
    "emulation:ceremony": "record.view",
    "emulation:certificate": "record.view",
    # Reports: every figure is computed from records scoped to the user (engine.scope_check)
    "reports:chooser": "report.view",
    "reports:form": "report.view",
    "reports:records": "report.view",
    "reports:compare": "report.view",
    "reports:dashboard": "report.view",
    "reports:review": "report.view",
    "reports:totals": "report.view",
    "reports:total_keep": "report.totals",
    "reports:total_withdraw": "report.totals",
    "reports:total_records": "report.view",
    "reports:export_start": "report.view",
    "reports:export_status": "report.view",
    "reports:export_download": "report.view",
    # Spreadsheet import and export: the list, templates and export read records in the user's
    # scope; the upload, mapping, commit and roll-back check the record type's own action (and
    # each row's unit) in `imports.services`
    "imports:index": "record.view",
    "imports:new": "record.view",
    "imports:template": "record.view",
    "imports:export": "record.view",
    "imports:batch": "record.view",
    "imports:rollback": "record.view",
    "imports:batch_file": "record.view",
    # Infrastructure
    "healthz": PUBLIC,
    "static": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
}

# Whole namespaces ruled at once (a URL name starting with the key). Exact entries win.
URL_PERMISSION_PREFIXES: dict[str, str] = {
    "api:": API_CLIENT,
}

PUBLIC_URLS: frozenset[str] = frozenset(name for name, rule in URL_PERMISSIONS.items() if rule == PUBLIC)


def permission_for(url_name: str) -> str | None:
    """The rule for a namespaced URL name ("units:detail"), or None if the map lacks it."""
    if url_name in URL_PERMISSIONS:
        return URL_PERMISSIONS[url_name]
    for prefix, rule in URL_PERMISSION_PREFIXES.items():
        if url_name.startswith(prefix):
            return rule
    return None
