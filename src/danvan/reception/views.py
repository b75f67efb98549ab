"""Pages of citizen reception: the clerk's desk (today's sessions, the person look-up, the visit
form), the printable visit receipt, a visit with its answer and the protected identity, sessions
with their steps and the head's conclusions, places and duties, the reception book (form 03,
TT 04/2021) with its downloads, the heads' compliance, the answers and tasks still owed, and each
unit's public schedule.

Thin like every page: parse the form, call one service or selector, render. A DomainError lands
on the form (`form_domain_error`, or `_VisitEntry.place` for the visit's rows), or becomes the
403/404 page (`page`). "Today" is `timezone.localdate()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core.context_processors import current_unit, role_units
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.views import form_domain_error, page, raise_for_http
from danvan.petitions import identity
from danvan.petitions import selectors as petition_selectors
from danvan.units import access
from danvan.units import selectors as units_selectors
from danvan.units.forms import MAX_UNIT_OPTIONS, unit_choices
from danvan.units.models import Role, Unit

from . import presenters, selectors, services
from .forms import (
    MAX_PARTS,
    MAX_VISITORS,
    AnswerForm,
    CancelForm,
    ComplianceForm,
    ConclusionForm,
    DirectiveDoneForm,
    DirectiveFormSet,
    DutyForm,
    HoldForm,
    LookupForm,
    OpenRegularForm,
    PeriodForm,
    PlaceForm,
    PublishForm,
    RevealForm,
    SessionFilterForm,
    SessionForm,
    UnitChoiceForm,
    VisitForm,
    VisitorFormSet,
    VisitPartFormSet,
)
from .models import Session, SessionKind, SessionStatus, Visit

RECORD = presenters.RECORD
MANAGE = presenters.MANAGE
PAGE_SIZE = 25
# The tracking secrets of the petitions a visit made wait here until its receipt shows them.
VISIT_SECRETS_KEY = "danvan.visit_secrets.{id}"  # noqa: S105 - the name of a session key
EXPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def _today() -> date:
    return timezone.localdate()


def _units_where(user, action: str) -> list[Unit]:
    """The user's role units in which they may do `action` (for the unit selects)."""
    return [unit for unit in role_units(user) if access.can(user, action, unit)]


def _home_unit(request, action: str) -> Unit | None:
    """The current unit if the user may do `action` there, else the first unit where they may."""
    units = _units_where(request.user, action)
    here = current_unit(request)
    if here is not None and any(unit.pk == here.pk for unit in units):
        return here
    return units[0] if units else None


def _visible_units(user) -> tuple[list[Unit], bool]:
    """Units whose records the user may see, in tree order, for a unit select; and whether the
    list was cut (then the unit's code is typed)."""
    units = list(access.visible(user, Unit, "record.view").order_by("path")[: MAX_UNIT_OPTIONS + 1])
    return units[:MAX_UNIT_OPTIONS], len(units) > MAX_UNIT_OPTIONS


def _period_unit(request, form: PeriodForm, default: Unit | None) -> Unit | None:
    """The unit of a period form: typed as a code (which wins), chosen, or the default."""
    data = form.cleaned_data
    code = (data.get("unit_code") or "").strip()
    if code:
        try:
            return units_selectors.unit_resolve(request.user, code, data.get("last") or _today())
        except DomainError as exc:
            form.add_error("unit_code", exc.message)
            return None
    if data.get("unit"):
        return Unit.objects.filter(pk=data["unit"]).first()
    return default


def _error_items(form, *formsets, sections: dict[str, list[str]] | None = None) -> list[dict]:
    """Every problem for the error summary, each linked to its field."""
    items: list[dict] = []

    def add_form(one):
        for error in one.non_field_errors():
            items.append({"text": error, "href": ""})
        for field in one:
            for error in field.errors:
                href = "" if field.is_hidden else f"#{field.id_for_label or field.auto_id}"
                items.append({"text": error, "href": href})

    add_form(form)
    for prefix, formset in formsets:
        for error in formset.non_form_errors():
            items.append({"text": error, "href": f"#{prefix}"})
        for error in (sections or {}).get(prefix, []):
            items.append({"text": error, "href": f"#{prefix}"})
        for one in formset.forms:
            add_form(one)
    return items


def _raw(form) -> dict:
    """A bound form's submitted values without validating them (to draw the form again)."""
    return {name: form[name].value() for name in form.fields}


# ---- the desk -----------------------------------------------------------------------------------


def _lookup(user, text: str) -> tuple[selectors.PersonMatches, str]:
    """The earlier visits and petitions of a person: by ID number when the text is one, else by
    the start of the name. Returns the matches and what was searched ("id", "name" or "")."""
    text = (text or "").strip()
    cleaned = identity.clean_id_number(text)
    if cleaned and identity.id_number_valid(cleaned):
        return selectors.person_lookup(user, id_number=cleaned), "id"
    if any(ch.isdigit() for ch in text):
        return selectors.PersonMatches(), "partial_id"
    if len(text) >= 2:
        return selectors.person_lookup(user, name=text), "name"
    return selectors.PersonMatches(), ""


def _lookup_context(user, text: str, session: Session | None, inline: bool) -> dict:
    matches, searched = _lookup(user, text)
    return {"matches": matches, "searched": searched, "q": text, "session": session, "inline": inline}


@page(RECORD)
@require_GET
def desk(request):
    """The clerk's page: today's open sessions of the unit, opening the regular reception, the
    look-up of a person, and today's visits."""
    today = _today()
    unit = _home_unit(request, RECORD)
    if unit is None:
        raise PermissionDenied()
    sessions = selectors.sessions_open_today(request.user, unit_id=unit.pk, today=today)
    places = list(selectors.place_list_for(request.user, unit.pk).filter(active=True).order_by("name"))
    target = next((s for s in sessions if s.kind == SessionKind.REGULAR), sessions[0] if sessions else None)
    text = request.GET.get("q", "")
    context = {
        "unit": unit,
        "today": today,
        "sessions": sessions,
        "open_form": OpenRegularForm(places=places),
        "lookup_form": LookupForm(initial={"q": text, "session": target.pk if target else None}),
        "lookup": _lookup_context(request.user, text, target, inline=False) if text else None,
        "visits": list(
            selectors.visit_list_for(request.user, unit_id=unit.pk, first=today, last=today)[:100]
        ),
        "answers_due": selectors.answers_due_for(request.user, today=today, unit_id=unit.pk).count(),
    }
    return render(request, "reception/desk.html", context)


@page(RECORD)
@require_POST
def open_regular(request):
    """Open (or find again) today's regular reception of the current unit, then record visits."""
    today = _today()
    unit = _home_unit(request, RECORD)
    if unit is None:
        raise PermissionDenied()
    places = list(selectors.place_list_for(request.user, unit.pk).filter(active=True))
    form = OpenRegularForm(request.POST, places=places)
    place_id = form.cleaned_data["place"] if form.is_valid() else None
    session = services.session_open_regular(
        actor=request.user, unit_id=unit.pk, day=today, place_id=place_id, today=today
    )
    return redirect("reception:visit_new", session.pk)


@page(RECORD)
@require_GET
def lookup(request):
    """The look-up's results (htmx): earlier visits and petitions of the person typed."""
    form = LookupForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    if not request.htmx:
        return redirect(f"{reverse('reception:desk')}?{request.GET.urlencode()}")
    session = None
    if data.get("session"):
        try:
            session = selectors.session_get_for(request.user, data["session"])
        except NotFound:
            session = None
    context = _lookup_context(request.user, data.get("q") or "", session, bool(data.get("inline")))
    return render(request, "reception/_lookup.html", context)


# ---- the visit form -----------------------------------------------------------------------------


class _VisitEntry:
    """The visit form with its two lists of rows (contents, people)."""

    def __init__(self, data=None, initial=None, parts_initial=None, visitors_initial=None):
        self.form = VisitForm(data, initial=initial)
        self.parts = VisitPartFormSet(data, prefix="parts", initial=parts_initial)
        self.visitors = VisitorFormSet(data, prefix="visitors", initial=visitors_initial)
        self.sections: dict[str, list[str]] = {"parts": [], "visitors": []}

    def is_valid(self) -> bool:
        return all([self.form.is_valid(), self.parts.is_valid(), self.visitors.is_valid()])

    def used_parts(self) -> list[tuple[int, Any]]:
        # A row left empty is skipped; a row partly typed was validated as a whole.
        return [(n, f) for n, f in enumerate(self.parts.forms) if n < self.parts.min_num or f.has_changed()]

    def used_visitors(self) -> list[tuple[int, Any]]:
        return [(n, f) for n, f in enumerate(self.visitors.forms) if not f.is_blank()]

    def value(self, session: Session) -> tuple[services.VisitInput, list[int], list[int]]:
        data = self.form.cleaned_data
        part_rows = [n for n, _f in self.used_parts()]
        visitor_rows = [n for n, _f in self.used_visitors()]
        value = services.VisitInput(
            session_id=session.pk,
            parts=[
                services.VisitPart(
                    kind=f.cleaned_data["kind"],
                    field=f.cleaned_data["field"],
                    content=f.cleaned_data["content"],
                    subject=f.cleaned_data.get("subject") or "",
                )
                for _n, f in self.used_parts()
            ],
            visitors=[
                services.VisitorInput(
                    name=f.cleaned_data.get("name") or "",
                    id_number=f.cleaned_data.get("id_number") or "",
                    address=f.cleaned_data.get("address") or "",
                    phone=f.cleaned_data.get("phone") or "",
                    representative=bool(f.cleaned_data.get("representative")),
                )
                for _n, f in self.used_visitors()
            ],
            outcome=data["outcome"],
            people_count=data["people_count"],
            crowd=data["crowd"],
            summary=data["summary"],
            requests=data["requests"],
            earlier_handling=data["earlier_handling"],
            outcome_note=data["outcome_note"],
            target_name=data["target_name"],
            target_document=data["target_document"],
            refusal_ground=data["refusal_ground"],
            refusal_notice=data["refusal_notice"],
            repeat_of_visit_id=data["repeat_of_visit"],
            repeat_of_petition_id=None if data["repeat_of_visit"] else data["repeat_of_petition"],
            make_petitions=data["make_petitions"],
            has_original_documents=data["has_original_documents"],
            note=data["note"],
        )
        return value, part_rows, visitor_rows

    def place(self, exc: DomainError, part_rows: list[int], visitor_rows: list[int]) -> None:
        """A refusal of the service onto the form, the content rows and the people rows."""
        placed: set[str] = set()
        for name, texts in exc.field_messages().items():
            head, _dot, rest = name.partition(".")
            index, _dot, field = rest.partition(".")
            target = None
            if head == "parts" and index.isdigit() and int(index) < len(part_rows):
                target = self.parts.forms[part_rows[int(index)]]
            elif head == "visitors" and index.isdigit() and int(index) < len(visitor_rows):
                target = self.visitors.forms[visitor_rows[int(index)]]
            if target is not None:
                for text in texts:
                    target.add_error(field if field in target.fields else None, text)
                    placed.add(text)
            elif name in self.sections:
                self.sections[name].extend(texts)
                placed.update(texts)
            elif name in self.form.fields and not self.form[name].is_hidden:
                for text in texts:
                    self.form.add_error(name, text)
                    placed.add(text)
            elif name in ("session", "repeat_of_visit", "repeat_of_petition"):
                for text in texts:
                    self.form.add_error(None, text)
                    placed.add(text)
        if not placed:
            raise_for_http(exc)
        if exc.message not in placed:
            self.form.add_error(None, exc.message)

    def with_row(self, section: str) -> _VisitEntry:
        """The submitted values, unvalidated, with one more empty row in `section`."""
        parts = [_raw(f) for f in self.parts.forms]
        people = [_raw(f) for f in self.visitors.forms]
        if section == "parts" and len(parts) < MAX_PARTS:
            parts.append({})
        if section == "visitors" and len(people) < MAX_VISITORS:
            people.append({})
        return _VisitEntry(initial=_raw(self.form), parts_initial=parts, visitors_initial=people)

    def with_repeat(self, visit_id: int | None, petition_id: int | None) -> _VisitEntry:
        initial = {**_raw(self.form), "repeat_of_visit": visit_id, "repeat_of_petition": petition_id}
        return _VisitEntry(
            initial=initial,
            parts_initial=[_raw(f) for f in self.parts.forms],
            visitors_initial=[_raw(f) for f in self.visitors.forms],
        )


def _repeat_label(user, visit_id, petition_id) -> dict | None:
    """What the form says it is linked to (the same matter as an earlier visit or petition)."""
    try:
        if visit_id:
            visit = selectors.visit_get_for(user, int(visit_id))
            return {"kind": "visit", "id": visit.pk, "number": visit.book_number, "day": visit.day}
        if petition_id:
            petition = petition_selectors.petition_get_for(user, int(petition_id))
            return {
                "kind": "petition",
                "id": petition.pk,
                "number": petition.receipt_number,
                "day": petition.received_on,
            }
    except (NotFound, ValueError, TypeError):
        return None
    return None


def _render_visit_form(request, session: Session, entry: _VisitEntry, status: int = 200, lookup=None):
    form = entry.form
    repeat = _repeat_label(request.user, form["repeat_of_visit"].value(), form["repeat_of_petition"].value())
    context = {
        "session": session,
        "entry": entry,
        "form": form,
        "parts": entry.parts,
        "visitors": entry.visitors,
        "sections": entry.sections,
        "error_items": _error_items(
            form, ("parts", entry.parts), ("visitors", entry.visitors), sections=entry.sections
        )
        if form.is_bound
        else [],
        "repeat": repeat,
        "lookup_form": LookupForm(
            initial={"session": session.pk, "inline": True, "q": lookup["q"] if lookup else ""}
        ),
        "lookup": lookup,
        "max_parts": MAX_PARTS,
        "outcome_groups": {
            "target": " ".join(presenters.TARGET_OUTCOMES),
            "refusal": " ".join(presenters.REFUSAL_OUTCOMES),
            "no_petition": " ".join(presenters.NO_PETITION_OUTCOMES),
        },
    }
    return render(request, "reception/visit_form.html", context, status=status)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def visit_new(request, session_id: int):
    """One form for the whole visit: the people, the contents (one petition per kind), the
    outcome. The look-up above it links the visit to an earlier matter ("same matter")."""
    session = selectors.session_get_for(request.user, session_id)
    access.require(request.user, RECORD, session)
    if request.method == "GET":
        initial: dict[str, Any] = {"people_count": 1, "make_petitions": True}
        for name in ("repeat_of_visit", "repeat_of_petition"):
            if request.GET.get(name, "").isdigit():
                initial[name] = int(request.GET[name])
        text = request.GET.get("q", "")
        lookup_ctx = _lookup_context(request.user, text, session, inline=True) if text else None
        return _render_visit_form(request, session, _VisitEntry(initial=initial), lookup=lookup_ctx)

    step = request.POST.get("step", "save")
    bound = _VisitEntry(request.POST)
    if step in ("add_part", "add_visitor"):
        return _render_visit_form(
            request, session, bound.with_row("parts" if step == "add_part" else "visitors")
        )
    if step == "unlink":
        return _render_visit_form(request, session, bound.with_repeat(None, None))
    if not bound.is_valid():
        return _render_visit_form(request, session, bound, status=400)
    value, part_rows, visitor_rows = bound.value(session)
    try:
        result = services.visit_record(actor=request.user, data=value, today=_today())
    except DomainError as exc:
        bound.place(exc, part_rows, visitor_rows)
        return _render_visit_form(request, session, bound, status=400)
    visit = result.visit
    request.session[VISIT_SECRETS_KEY.format(id=visit.pk)] = {
        str(pk): secret for pk, secret in result.secrets.items()
    }
    for warning in result.warnings:
        messages.warning(request, warning)
    messages.success(
        request, _("The visit is recorded in the book as number %(number)s.") % {"number": visit.book_number}
    )
    return redirect("reception:receipt", visit.pk)


# ---- the receipt --------------------------------------------------------------------------------


@never_cache
@page(RECORD)
@require_GET
def receipt(request, visit_id: int):
    """The printable receipt of a visit. The tracking secrets of its petitions exist only right
    after the visit is recorded: they are shown on the first view and then forgotten."""
    visit = selectors.visit_get_for(request.user, visit_id)
    access.require(request.user, RECORD, visit)
    secrets = request.session.pop(VISIT_SECRETS_KEY.format(id=visit.pk), None) or {}
    visitors = list(visit.visitors.all())
    petitions = sorted(visit.petitions.all(), key=lambda p: p.pk)
    context = {
        "visit": visit,
        "people": presenters.people_line(visit, visitors),
        "items": [{"petition": p, "secret": secrets.get(str(p.pk))} for p in petitions],
        "track_url": request.build_absolute_uri(reverse("petitions:track")),
    }
    response = render(request, "reception/receipt.html", context)
    response["Cache-Control"] = "no-store"
    return response


# ---- a visit ------------------------------------------------------------------------------------


def _chain(user, visit: Visit, limit: int = 20) -> list[Visit]:
    """The earlier visits this one repeats, newest first, as far as the user can see them."""
    out: list[Visit] = []
    current = visit
    while current.repeat_of_id and len(out) < limit:
        try:
            current = selectors.visit_get_for(user, current.repeat_of_id)
        except NotFound:
            break
        out.append(current)
    return out


def _render_visit(request, visit: Visit, answer_form=None, status: int = 200):
    user = request.user
    today = _today()
    can_record = access.can(user, RECORD, visit)
    entitled = visit.protected and selectors.visit_entitled(user, visit)
    if answer_form is None and can_record and not visit.answered_on:
        answer_form = AnswerForm(initial={"version": visit.version, "answered_on": today})
    context = {
        "visit": visit,
        "visitors": list(visit.visitors.all()),
        "petitions": sorted(visit.petitions.all(), key=lambda p: p.pk),
        "chain": _chain(user, visit),
        "answer": presenters.answer_state(visit, today),
        "answer_form": answer_form if can_record else None,
        "form": answer_form if can_record else None,
        "entitled": entitled,
        "reveal_form": RevealForm() if entitled else None,
        "can_record": can_record,
        "today": today,
    }
    return render(request, "reception/visit.html", context, status=status)


@page("record.view")
@require_GET
def visit_detail(request, visit_id: int):
    return _render_visit(request, selectors.visit_get_for(request.user, visit_id))


@page(RECORD)
@require_POST
def visit_answer(request, visit_id: int):
    """Record what the citizen was told within 10 working days (Art 28(1))."""
    visit = selectors.visit_get_for(request.user, visit_id)
    access.require(request.user, RECORD, visit)
    form = AnswerForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_answer(
                actor=request.user,
                visit_id=visit.pk,
                version=data["version"],
                answered_on=data["answered_on"],
                answer_kind=data["answer_kind"],
                follow_up=data["follow_up"],
                today=_today(),
            )
        except DomainError as exc:
            form_domain_error(form, exc)
            status = 409 if exc.status == 409 else 400
        else:
            messages.success(request, _("The answer to the citizen is recorded."))
            return redirect("reception:visit", visit.pk)
    return _render_visit(request, visit, answer_form=form, status=status)


@never_cache
@page("record.view")
@require_http_methods(["GET", "POST"])
def visitor_identity(request, visit_id: int):
    """The people of a protected visit in clear, for an entitled user, after giving a reason
    (each view is logged by the service)."""
    visit = selectors.visit_get_for(request.user, visit_id)
    if visit.protected and not selectors.visit_entitled(request.user, visit):
        raise PermissionDenied()
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people = services.visitor_identities(
                actor=request.user, visit_id=visit.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            response = render(
                request, "reception/identity.html", {"visit": visit, "rows": people, "revealed": True}
            )
            response["Cache-Control"] = "no-store"
            return response
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reception/identity.html", {"visit": visit, "form": form}, status=status)


# ---- sessions -----------------------------------------------------------------------------------


@page("record.view")
@require_GET
def session_list(request):
    units, cut = _visible_units(request.user)
    form = SessionFilterForm(
        request.GET or None, unit_options=unit_choices(units, blank_label=_("All my units"))
    )
    if cut:
        form.fields["unit_code"].help_text = _(
            "The list shows only the first units; type the code of any other unit."
        )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        unit = _period_unit(request, form, None)
        data = form.cleaned_data
        filters = {
            "unit_id": unit.pk if unit else None,
            "first": data["first"],
            "last": data["last"],
            "kind": data["kind"],
            "status": data["status"],
        }
    sessions = (
        selectors.session_list_for(request.user, **filters) if not form.errors else Session.objects.none()
    )
    page_obj = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    page_obj.object_list = selectors.with_visit_counts(page_obj.object_list)
    context = {
        "form": form,
        "page_obj": page_obj,
        "can_create": RECORD in access.allowed_actions(request.user),
    }
    return render(request, "reception/sessions.html", context)


def _session_form(request, data=None, initial=None) -> SessionForm:
    units = _units_where(request.user, RECORD)
    unit_ids = {u.pk for u in units}
    places = [
        p
        for p in selectors.place_list_for(request.user).filter(active=True).order_by("name")
        if p.unit_id in unit_ids
    ]
    duties = [d for d in selectors.duty_list_for(request.user) if d.unit_id in unit_ids]
    return SessionForm(data, initial=initial, units=units, places=places, duties=duties)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def session_new(request):
    """Schedule a reception session, or record one that was held."""
    today = _today()
    if request.method == "GET":
        unit = _home_unit(request, RECORD)
        form = _session_form(request, initial={"unit": unit.pk if unit else None, "day": today})
        return render(request, "reception/session_form.html", {"form": form})
    form = _session_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.session_create(
                actor=request.user,
                data=services.SessionInput(
                    unit_id=data["unit"],
                    kind=data["kind"],
                    day=data["day"],
                    mode=data["mode"],
                    place_id=data["place"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    duty_id=data["duty"],
                    trigger=data["trigger"],
                    attendees=data["attendees"],
                    expected_content=data["expected_content"],
                    held=data["held"],
                    presider=data["presider"],
                    presider_name=data["presider_name"],
                    authorisation=data["authorisation"],
                    recording=data["recording"],
                ),
                today=today,
            )
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            messages.success(request, _("The session is saved."))
            return redirect("reception:session", result.session.pk)
    return render(request, "reception/session_form.html", {"form": form}, status=400)


STEP_FORMS = {"publish": PublishForm, "hold": HoldForm, "cancel": CancelForm}


def _render_session(request, session: Session, bound: dict | None = None, status: int = 200):
    user = request.user
    today = _today()
    steps = presenters.session_steps(session, lambda permission: access.can(user, permission, session))
    initial = {"version": session.version, "on": today}
    step_forms = []
    for step in steps:
        form = (bound or {}).get(step.action) or STEP_FORMS[step.action](initial=initial, prefix=step.action)
        step_forms.append((step, form))
    failed = next((form for form in (bound or {}).values()), None)
    conclusions = list(selectors.conclusion_list_for(user, session.pk))
    context = {
        "session": session,
        "warnings": selectors.schedule_warnings(session, today),
        "visits": list(selectors.visit_list_for(user, session_id=session.pk).order_by("number")),
        "step_forms": step_forms,
        "form": failed,
        "conclusions": conclusions,
        "can_conclude": access.can(user, MANAGE, session)
        and session.status == SessionStatus.HELD
        and session.kind != SessionKind.REGULAR,
        "can_record": access.can(user, RECORD, session),
        "can_visit": access.can(user, RECORD, session)
        and session.status == SessionStatus.HELD
        and session.day <= today,
        "today": today,
    }
    return render(request, "reception/session.html", context, status=status)


@page("record.view")
@require_GET
def session_detail(request, session_id: int):
    return _render_session(request, selectors.session_get_for(request.user, session_id))


def _session_step(request, session_id: int, action: str):
    """One step of a session (publish, hold, cancel): its form, then its service."""
    session = selectors.session_get_for(request.user, session_id)
    step = presenters.SESSION_STEPS[action]
    access.require(request.user, step.permission, session)
    form = STEP_FORMS[action](request.POST, prefix=action)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        common = {
            "actor": request.user,
            "session_id": session.pk,
            "version": data["version"],
            "today": _today(),
        }
        try:
            if action == "publish":
                result = services.session_publish(**common, on=data["on"])
                warnings = result.warnings
            elif action == "hold":
                result = services.session_hold(
                    **common,
                    presider=data["presider"],
                    presider_name=data["presider_name"],
                    authorisation=data["authorisation"],
                    recording=data["recording"],
                )
                warnings = result.warnings
            else:
                services.session_cancel(**common, reason=data["reason"])
                warnings = []
        except DomainError as exc:
            form_domain_error(form, exc)
            status = 409 if exc.status == 409 else 400
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("Recorded: %(action)s.") % {"action": step.label})
            return redirect("reception:session", session.pk)
    return _render_session(request, session, bound={action: form}, status=status)


@page(RECORD)
@require_POST
def session_publish(request, session_id: int):
    return _session_step(request, session_id, "publish")


@page(RECORD)
@require_POST
def session_hold(request, session_id: int):
    return _session_step(request, session_id, "hold")


@page(RECORD)
@require_POST
def session_cancel(request, session_id: int):
    return _session_step(request, session_id, "cancel")


# ---- conclusions and their tasks ----------------------------------------------------------------


def _directive_inputs(request, form, directives) -> list[services.DirectiveInput] | None:
    """The tasks typed, with the responsible unit's code looked up (None if a code is unknown)."""
    out = []
    ok = True
    issued_on = form.cleaned_data.get("issued_on") or _today()
    for _n, row in _used_rows(directives):
        data = row.cleaned_data
        unit_id = None
        code = (data.get("responsible_code") or "").strip()
        if code:
            try:
                unit_id = units_selectors.unit_resolve(request.user, code, issued_on).pk
            except DomainError as exc:
                row.add_error("responsible_code", exc.message)
                ok = False
        out.append(
            services.DirectiveInput(
                task=data["task"],
                due_date=data["due_date"],
                responsible_unit_id=unit_id,
                responsible_name=data.get("responsible_name") or "",
                visit_id=data.get("visit"),
            )
        )
    return out if ok else None


def _used_rows(formset) -> list[tuple[int, Any]]:
    return [(n, f) for n, f in enumerate(formset.forms) if n < formset.min_num or f.has_changed()]


def _place_rows(
    exc: DomainError, form, formset, prefix: str, rows: list[int], field_map: dict[str, str]
) -> None:
    """A refusal onto the form and its rows ("directives.1.task" onto the second used row)."""
    placed: set[str] = set()
    for name, texts in exc.field_messages().items():
        head, _dot, rest = name.partition(".")
        index, _dot, field = rest.partition(".")
        if head == prefix and index.isdigit() and int(index) < len(rows):
            target = formset.forms[rows[int(index)]]
            field = field_map.get(field, field)
            for text in texts:
                target.add_error(field if field in target.fields else None, text)
                placed.add(text)
        elif name in form.fields:
            for text in texts:
                form.add_error(name, text)
                placed.add(text)
        elif name in (prefix, "session"):
            for text in texts:
                form.add_error(None, text)
                placed.add(text)
    if not placed:
        raise_for_http(exc)
    if exc.message not in placed:
        form.add_error(None, exc.message)


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def conclusion_new(request, session_id: int):
    """The notice of the head's conclusions after a session, with its tasks."""
    session = selectors.session_get_for(request.user, session_id)
    access.require(request.user, MANAGE, session)
    visits = list(selectors.visit_list_for(request.user, session_id=session.pk).order_by("number"))
    status = 200
    if request.method == "POST":
        step = request.POST.get("step", "save")
        form = ConclusionForm(request.POST)
        directives = DirectiveFormSet(request.POST, prefix="directives", form_kwargs={"visits": visits})
        if step == "add_directive":
            rows = [_raw(f) for f in directives.forms] + [{}]
            form = ConclusionForm(initial=_raw(form))
            directives = DirectiveFormSet(prefix="directives", initial=rows, form_kwargs={"visits": visits})
        else:
            valid = all([form.is_valid(), directives.is_valid()])
            items = _directive_inputs(request, form, directives) if valid else None
            if items is not None:
                data = form.cleaned_data
                try:
                    services.conclusion_issue(
                        actor=request.user,
                        session_id=session.pk,
                        number=data["number"],
                        issued_on=data["issued_on"],
                        signer=data["signer"],
                        summary=data["summary"],
                        directives=items,
                        today=_today(),
                    )
                except DomainError as exc:
                    rows = [n for n, _f in _used_rows(directives)]
                    _place_rows(
                        exc, form, directives, "directives", rows, {"responsible": "responsible_name"}
                    )
                else:
                    messages.success(request, _("The notice of conclusions is recorded."))
                    return redirect("reception:session", session.pk)
            status = 400
    else:
        signer = session.duty.holder_name if session.duty_id else ""
        form = ConclusionForm(initial={"issued_on": _today(), "signer": signer})
        directives = DirectiveFormSet(prefix="directives", form_kwargs={"visits": visits})
    context = {
        "session": session,
        "form": form,
        "directives": directives,
        "error_items": _error_items(form, ("directives", directives)) if form.is_bound else [],
    }
    return render(request, "reception/conclusion_form.html", context, status=status)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def directive_done(request, directive_id: int):
    """Record that a task of a conclusions notice was carried out, and its result."""
    directive = selectors.directives_open_for(request.user).filter(pk=directive_id).first()
    if directive is None:
        raise NotFound()
    access.require(request.user, RECORD, directive.conclusion)
    status = 200
    if request.method == "POST":
        form = DirectiveDoneForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.directive_done(
                    actor=request.user,
                    directive_id=directive.pk,
                    version=data["version"],
                    done_on=data["done_on"],
                    result=data["result"],
                    today=_today(),
                )
            except DomainError as exc:
                form_domain_error(form, exc)
                status = 409 if exc.status == 409 else 400
            else:
                messages.success(request, _("The task is marked as done."))
                return redirect("reception:session", directive.conclusion.session_id)
    else:
        form = DirectiveDoneForm(initial={"version": directive.version, "done_on": _today()})
    return render(
        request, "reception/directive_done.html", {"directive": directive, "form": form}, status=status
    )


# ---- places and duties --------------------------------------------------------------------------


def _manage_unit(request) -> tuple[UnitChoiceForm, Unit, list[Unit]]:
    units = _units_where(request.user, MANAGE)
    if not units:
        raise PermissionDenied()
    form = UnitChoiceForm(request.GET or None, units=units)
    chosen = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None
    unit = next((u for u in units if u.pk == chosen), None) or _home_unit(request, MANAGE) or units[0]
    if not form.is_bound:
        form = UnitChoiceForm(initial={"unit": unit.pk}, units=units)
    return form, unit, units


@page(MANAGE)
@require_GET
def place_list(request):
    form, unit, _units = _manage_unit(request)
    places = selectors.place_list_for(request.user, unit.pk).order_by("-active", "name")
    return render(request, "reception/places.html", {"form": form, "unit": unit, "places": places})


def _place_page(request, place=None):
    units = _units_where(request.user, MANAGE)
    if place is not None:
        access.require(request.user, MANAGE, place)
        units = [place.unit]
    if not units:
        raise PermissionDenied()
    if request.method == "POST":
        form = PlaceForm(request.POST, units=units)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.place_save(
                    actor=request.user,
                    unit_id=place.unit_id if place else data["unit"],
                    name=data["name"],
                    address=data["address"],
                    regular_hours=data["regular_hours"],
                    active=data["active"],
                    place_id=place.pk if place else None,
                    version=data["version"] if place else None,
                )
            except DomainError as exc:
                form_domain_error(form, exc)
                status = 409 if exc.status == 409 else 400
            else:
                messages.success(request, _("The place is saved."))
                return redirect(f"{reverse('reception:places')}?unit={saved.unit_id}")
        return render(request, "reception/place_form.html", {"form": form, "place": place}, status=status)
    if place is not None:
        initial = {
            "unit": place.unit_id,
            "name": place.name,
            "address": place.address,
            "regular_hours": place.regular_hours,
            "active": place.active,
            "version": place.version,
        }
    else:
        home = _home_unit(request, MANAGE)
        initial = {"unit": home.pk if home else None, "active": True}
    return render(
        request,
        "reception/place_form.html",
        {"form": PlaceForm(initial=initial, units=units), "place": place},
    )


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def place_new(request):
    return _place_page(request)


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def place_edit(request, place_id: int):
    place = selectors.place_list_for(request.user).filter(pk=place_id).first()
    if place is None:
        raise NotFound()
    return _place_page(request, place)


@page(MANAGE)
@require_GET
def duty_list(request):
    form, unit, _units = _manage_unit(request)
    duties = selectors.duty_list_for(request.user, unit.pk)
    return render(
        request, "reception/duties.html", {"form": form, "unit": unit, "duties": duties, "today": _today()}
    )


def _holders(units) -> list[tuple[Any, str]]:
    return [
        (user, user.get_full_name() or user.get_username())
        for user in units_selectors.staff_of(units, (Role.LEADER, Role.HANDLER, Role.CLERK))
    ]


def _duty_page(request, duty=None):
    units = _units_where(request.user, MANAGE)
    if duty is not None:
        access.require(request.user, MANAGE, duty)
        units = [duty.unit]
    if not units:
        raise PermissionDenied()
    holders = _holders(units)
    if request.method == "POST":
        form = DutyForm(request.POST, units=units, holders=holders)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.duty_save(
                    actor=request.user,
                    unit_id=duty.unit_id if duty else data["unit"],
                    position=data["position"],
                    holder_name=data["holder_name"],
                    holder_id=data["holder"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    duty_id=duty.pk if duty else None,
                    version=data["version"] if duty else None,
                )
            except DomainError as exc:
                form_domain_error(form, exc)
                status = 409 if exc.status == 409 else 400
            else:
                messages.success(request, _("The duty is saved."))
                return redirect(f"{reverse('reception:duties')}?unit={saved.unit_id}")
        return render(request, "reception/duty_form.html", {"form": form, "duty": duty}, status=status)
    if duty is not None:
        initial = {
            "unit": duty.unit_id,
            "position": duty.position,
            "holder_name": duty.holder_name,
            "holder": duty.holder_id,
            "valid_from": duty.valid_from,
            "valid_to": duty.valid_to,
            "version": duty.version,
        }
    else:
        home = _home_unit(request, MANAGE)
        initial = {"unit": home.pk if home else None}
    form = DutyForm(initial=initial, units=units, holders=holders)
    return render(request, "reception/duty_form.html", {"form": form, "duty": duty})


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def duty_new(request):
    return _duty_page(request)


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def duty_edit(request, duty_id: int):
    duty = selectors.duty_list_for(request.user).filter(pk=duty_id).first()
    if duty is None:
        raise NotFound()
    return _duty_page(request, duty)


# ---- the reception book -------------------------------------------------------------------------


@dataclass
class _Period:
    form: PeriodForm
    unit: Unit | None
    first: date | None
    last: date | None

    @property
    def ok(self) -> bool:
        return (
            self.unit is not None
            and self.first is not None
            and self.last is not None
            and not self.form.errors
        )


def _period(request, form_class=PeriodForm) -> _Period:
    """The unit and period asked for: by default the current unit and the current month."""
    default = _home_unit(request, "record.view")
    units, cut = _visible_units(request.user)
    first, last = presenters.month_of(_today())
    initial = {"unit": default.pk if default else None, "first": first, "last": last}
    form = form_class(request.GET or None, unit_options=unit_choices(units), initial=initial)
    if cut:
        form.fields["unit_code"].help_text = _(
            "The list shows only the first units; type the code of any other unit."
        )
    if not form.is_bound:
        return _Period(form, default, first, last)
    if not form.is_valid():
        return _Period(form, None, None, None)
    unit = _period_unit(request, form, default)
    data = form.cleaned_data
    return _Period(form, unit, data.get("first") or first, data.get("last") or last)


@page("record.view")
@require_GET
def book(request):
    """The reception book of a unit for a period: the twelve columns of form 03 (TT 04/2021)."""
    period = _period(request)
    unit, rows = None, []
    if period.ok:
        unit, rows = selectors.book_rows(
            request.user, unit_id=period.unit.pk, first=period.first, last=period.last
        )
    context = {"form": period.form, "unit": unit, "rows": rows, "first": period.first, "last": period.last}
    if unit is not None:
        query = {"unit": unit.pk, "first": f"{period.first:%d/%m/%Y}", "last": f"{period.last:%d/%m/%Y}"}
        context["export_query"] = urlencode(query)
    return render(
        request, "reception/book.html", context, status=200 if period.ok or not request.GET else 400
    )


@never_cache
@page("record.view")
@require_GET
def book_export(request):
    """The book as a spreadsheet (?format=xlsx) or a PDF (?format=pdf), masked like the page."""
    from . import exports  # written alongside; imported here so the pages never depend on it

    kind = request.GET.get("format", "xlsx")
    if kind not in EXPORT_TYPES:
        raise Http404()
    period = _period(request)
    if not period.ok:
        raise Http404()
    unit, rows = selectors.book_rows(
        request.user, unit_id=period.unit.pk, first=period.first, last=period.last
    )
    make = exports.book_xlsx if kind == "xlsx" else exports.book_pdf
    data = make(unit=unit, rows=rows, first=period.first, last=period.last)
    name = f"so-tiep-cong-dan-{unit.code}-{period.first:%Y%m%d}-{period.last:%Y%m%d}.{kind}"
    response = HttpResponse(data, content_type=EXPORT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- compliance and what is owed ----------------------------------------------------------------


@page("record.view")
@require_GET
def compliance(request):
    """For each head's duty: required periodic days, held in person, delegated, missed, the rate."""
    period = _period(request, ComplianceForm)
    rows: list[dict] = []
    if period.ok:
        below = bool(getattr(period.form, "cleaned_data", {}).get("below"))
        for row in selectors.compliance_for(
            request.user,
            unit_id=period.unit.pk,
            first=period.first,
            last=period.last,
            below=below,
            today=timezone.localdate(),
        ):
            rows.append({"row": row, "percent": presenters.percent(row.rate)})
    context = {
        "form": period.form,
        "unit": period.unit,
        "rows": rows,
        "any_uncertain": any(item["row"].uncertain for item in rows),
        "first": period.first,
        "last": period.last,
    }
    return render(
        request, "reception/compliance.html", context, status=200 if period.ok or not request.GET else 400
    )


@page("record.view")
@require_GET
def answers_due(request):
    """Visits whose answer to the citizen is still owed (10 working days, Art 28(1)), the overdue
    first, and the open tasks of the heads' conclusions."""
    today = _today()
    units = _units_where(request.user, "record.view")
    form = UnitChoiceForm(request.GET or None, units=units)
    form.fields["unit"].choices = [("", _("All my units"))] + form.fields["unit"].choices
    unit_id = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else None
    visits = list(selectors.answers_due_for(request.user, today=today, unit_id=unit_id)[:500])
    directives = list(selectors.directives_open_for(request.user, unit_id=unit_id)[:500])
    context = {
        "form": form,
        "today": today,
        "visits": [(v, presenters.answer_state(v, today)) for v in visits],
        "directives": directives,
    }
    return render(request, "reception/answers_due.html", context)


# ---- the public schedule ------------------------------------------------------------------------


@require_GET
def public_schedule(request, unit_id: int):
    """A unit's reception places with their regular hours, and the heads' published sessions from
    today on (Art 24). For anyone, signed in or not: nothing personal is shown."""
    unit = Unit.objects.filter(pk=unit_id).first()  # reference data, public like the schedule
    if unit is None:
        raise Http404()
    places, sessions = selectors.public_schedule(unit, today=_today())
    return render(
        request, "reception/public_schedule.html", {"unit": unit, "places": places, "sessions": sessions}
    )
