"""Pages of emulation and commendation: the list of commendations (with one decision for several
proposals), a commendation with its lifecycle steps, its edit while proposed, the decision's scan
and the certificate of merit (PDF); the ceremony list (printable); movements.

Thin like every page: parse the form, call one service or selector, render. A DomainError lands on
the form (`_place`), or becomes the 403/404 page (`page`). "Today" is `timezone.localdate()`.
"""

from __future__ import annotations

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
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core.context_processors import current_unit
from danvan.core.errors import DomainError
from danvan.core.files import record_files_of
from danvan.core.views import page, raise_for_http
from danvan.units import access
from danvan.units.forms import MAX_UNIT_OPTIONS
from danvan.units.models import Unit

from . import lifecycle, presenters, selectors, services
from .forms import (
    STEP_FORMS,
    BatchDecideForm,
    CeremonyForm,
    CommendationFilterForm,
    FileForm,
    MovementFilterForm,
    MovementForm,
    ProposalForm,
)
from .models import Commendation, CommendationStatus, Movement, Recipient

VIEW = "record.view"
MANAGE = lifecycle.MANAGE
DECIDE = lifecycle.DECIDE
PAGE_SIZE = 25
MOVEMENT_COMMENDATIONS = 200  # shown on a movement's page; the list page has them all
DECISION_FIELDS = {"issuer_unit": "issuer_unit_code", "files": "file"}


def _today() -> date:
    return timezone.localdate()


# ---- helpers ------------------------------------------------------------------------------------


def _units(user, action: str) -> tuple[list[Unit], bool]:
    """Units where the user may do `action`, in tree order, for a select; and whether the list was
    cut (then the unit's code is typed)."""
    units = list(access.visible(user, Unit, action).order_by("path")[: MAX_UNIT_OPTIONS + 1])
    return units[:MAX_UNIT_OPTIONS], len(units) > MAX_UNIT_OPTIONS


def _unit_by_code(user, code: str, on: date, action: str) -> Unit | None:
    """The unit with this official code among those the user may act on: the one valid on `on`,
    else the latest (codes are re-used over time)."""
    rows = list(access.visible(user, Unit, action).filter(code=code.strip()).order_by("-valid_from"))
    return next((unit for unit in rows if unit.valid_on(on)), rows[0] if rows else None)


def _chosen_unit(request, form, action: str, on: date | None = None) -> int | None:
    """The unit of a form: typed as a code (which wins) or chosen in the select."""
    code = (form.cleaned_data.get("unit_code") or "").strip()
    if code:
        unit = _unit_by_code(request.user, code, on or _today(), action)
        if unit is None:
            form.add_error("unit_code", _("None of your units has this code."))
            return None
        return unit.pk
    return form.cleaned_data.get("unit")


def _place(form, exc: DomainError, field_map: dict[str, str] | None = None) -> int:
    """A service's refusal onto the form: each message beside its field (or at the top for a row
    or a rule that names no field of the form). NotFound and PermissionDenied naming no field
    become the 404 or 403 page. Returns the status to answer with."""
    field_map = field_map or {}
    if not exc.fields:
        raise_for_http(exc)
        form.add_error(None, exc.message)
        return 409 if exc.status == 409 else 400
    placed: set[str] = set()
    for name, texts in exc.field_messages().items():
        target = field_map.get(name, name)
        for text in texts:
            if target in form.fields and not form[target].is_hidden:
                form.add_error(target, text)
            else:
                form.add_error(None, text)
            placed.add(text)
    if exc.message not in placed:
        form.add_error(None, exc.message)
    return 400


def _home_unit_id(request, action: str, units: list[Unit]) -> int | None:
    here = current_unit(request)
    if here is not None and any(unit.pk == here.pk for unit in units):
        return here.pk
    return units[0].pk if units else None


# ---- commendations ------------------------------------------------------------------------------


def _filters(request, form: CommendationFilterForm) -> selectors.CommendationFilter | None:
    if not form.is_bound:
        return selectors.CommendationFilter()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    unit_id = _chosen_unit(request, form, VIEW)
    if form.errors:
        return None
    return selectors.CommendationFilter(
        status=data["status"],
        level=data["level"],
        form=data["form"],
        recipient=data["recipient"],
        year=data["year"],
        movement_id=data["movement"],
        decision_number=data["decision_number"] or "",
        unit_id=unit_id,
        q=data["q"] or "",
    )


def _row_errors(exc: DomainError, ids: list[int]) -> dict[int, list[str]]:
    """The messages of "commendations.<row>" by the id of the commendation on that row."""
    out: dict[int, list[str]] = {}
    for name, texts in exc.field_messages().items():
        head, _dot, index = name.partition(".")
        if head == "commendations" and index.isdigit() and int(index) < len(ids):
            out.setdefault(ids[int(index)], []).extend(texts)
    return out


@page(VIEW)
@require_http_methods(["GET", "POST"])
def commendations(request):
    """Commendations by status, level, form, recipient, year of decision, movement, decision
    number and unit, searched by name; a leader ticks proposals and records one decision for them."""
    user = request.user
    units, cut = _units(user, VIEW)
    movements = selectors.movement_choices_for(user)
    form = CommendationFilterForm(request.GET or None, units=units, movements=movements)
    if cut:
        form.fields["unit_code"].help_text = _(
            "The list shows only the first units; type the code of any other unit."
        )
    filters = _filters(request, form)
    rows = selectors.commendation_list_for(user, filters) if filters else Commendation.objects.none()
    can_decide = DECIDE in access.allowed_actions(user)
    status = 200
    batch = BatchDecideForm(initial={"decided_on": _today()}, prefix="batch")
    row_errors: dict[int, list[str]] = {}
    ticked: list[int] = []
    if request.method == "POST":
        batch = BatchDecideForm(request.POST, prefix="batch")
        status = 400
        if batch.is_valid():
            data = batch.cleaned_data
            ticked = data["ids"]
            issuer_unit_id = _issuer_unit(request, batch, data)
            if not batch.errors:
                try:
                    decided = services.commendations_decide(
                        actor=user,
                        commendation_ids=ticked,
                        decision=services.Decision(
                            number=data["decision_number"],
                            decided_on=data["decided_on"],
                            issuer=data["issuer"],
                            issuer_unit_id=issuer_unit_id,
                        ),
                        today=_today(),
                    )
                except DomainError as exc:
                    row_errors = _row_errors(exc, list(dict.fromkeys(ticked)))
                    status = _place(batch, exc, DECISION_FIELDS)
                else:
                    messages.success(
                        request,
                        ngettext(
                            "Decision %(number)s is recorded for %(count)s commendation.",
                            "Decision %(number)s is recorded for %(count)s commendations.",
                            len(decided),
                        )
                        % {"number": data["decision_number"], "count": len(decided)},
                    )
                    query = urlencode(
                        {
                            "decision_number": data["decision_number"],
                            "decided_on": f"{data['decided_on']:%d/%m/%Y}",
                        }
                    )
                    return redirect(f"{reverse('emulation:ceremony')}?{query}")
        else:
            ticked = [int(v) for v in request.POST.getlist("batch-ids") if v.isdigit()]
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    items = [
        {
            "c": c,
            "decidable": can_decide
            and c.status == CommendationStatus.PROPOSED
            and access.can(user, DECIDE, c.unit),
            "errors": row_errors.get(c.pk, []),
            "ticked": c.pk in ticked,
        }
        for c in page_obj.object_list
    ]
    context = {
        "form": form,
        "page_obj": page_obj,
        "items": items,
        "batch": batch,
        "can_decide": can_decide and any(item["decidable"] for item in items),
        "can_propose": MANAGE in access.allowed_actions(user),
        "error_form": batch if batch.is_bound and batch.errors else form,
    }
    return render(request, "emulation/commendations.html", context, status=status)


def _issuer_unit(request, form, data) -> int | None:
    code = (data.get("issuer_unit_code") or "").strip()
    if not code:
        return None
    rows = list(access.visible(request.user, Unit, "unit.view").filter(code=code).order_by("-valid_from"))
    day = data.get("decided_on") or _today()
    unit = next((u for u in rows if u.valid_on(day)), rows[0] if rows else None)
    if unit is None:
        form.add_error("issuer_unit_code", _("No unit has this code."))
        return None
    return unit.pk


def _proposal_form(request, data=None, initial=None) -> ProposalForm:
    user = request.user
    units, cut = _units(user, MANAGE)
    form = ProposalForm(
        data,
        initial=initial,
        units=units,
        movements=selectors.movement_choices_for(user),
        practices=selectors.practice_choices_for(user),
        activities=selectors.activity_choices_for(user),
    )
    if cut:
        form.fields["unit_code"].help_text = _(
            "The list shows only the first units; type the code of any other unit."
        )
    return form


def _proposal_input(request, form: ProposalForm) -> services.CommendationInput | None:
    data = form.cleaned_data
    unit_id = _chosen_unit(request, form, MANAGE, data.get("work_to"))
    if form.errors:
        return None
    if unit_id is None:
        form.add_error("unit", _("Choose the unit."))
        return None
    return services.CommendationInput(
        recipient=data["recipient"],
        unit_id=unit_id,
        level=data["level"],
        form=data["form"],
        reason=data["reason"],
        group_name=data["group_name"],
        person_name=data["person_name"],
        person_position=data["person_position"],
        movement_id=data["movement"],
        practice_id=data["practice"],
        activity_id=data["activity"],
        work_from=data["work_from"],
        work_to=data["work_to"],
    )


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def commendation_new(request):
    """Propose a collective or an individual for a commendation."""
    if request.method == "GET":
        units, _cut = _units(request.user, MANAGE)
        initial: dict[str, Any] = {
            "recipient": Recipient.COLLECTIVE,
            "unit": _home_unit_id(request, MANAGE, units),
        }
        if request.GET.get("movement", "").isdigit():
            initial["movement"] = int(request.GET["movement"])
        form = _proposal_form(request, initial=initial)
        return render(request, "emulation/commendation_form.html", {"form": form})
    form = _proposal_form(request, request.POST)
    status = 400
    if form.is_valid():
        value = _proposal_input(request, form)
        if value is not None:
            try:
                commendation = services.commendation_propose(actor=request.user, data=value, today=_today())
            except DomainError as exc:
                status = _place(form, exc)
            else:
                messages.success(request, _("The proposal is recorded."))
                return redirect("emulation:commendation", commendation.pk)
    return render(request, "emulation/commendation_form.html", {"form": form}, status=status)


def _render_commendation(request, commendation: Commendation, bound: dict | None = None, status: int = 200):
    user = request.user
    steps = presenters.steps_for(commendation, lambda permission: access.can(user, permission, commendation))
    initial = {"version": commendation.version, "decided_on": _today()}
    step_forms = [
        (step, (bound or {}).get(step.action) or STEP_FORMS[step.action](initial=initial, prefix=step.action))
        for step in steps
    ]
    can_manage = access.can(user, MANAGE, commendation)
    decided = commendation.status in (CommendationStatus.DECIDED, CommendationStatus.REVOKED)
    file_form = (bound or {}).get("file") or FileForm()
    failed = next(iter((bound or {}).values()), None)
    context = {
        "c": commendation,
        "recipient": presenters.recipient_line(commendation),
        "events": list(selectors.commendation_events(commendation)),
        "files": list(record_files_of(commendation)),
        "step_forms": step_forms,
        "form": failed,
        "can_edit": can_manage and commendation.status == CommendationStatus.PROPOSED,
        "file_form": file_form if can_manage and decided else None,
        "certificate": commendation.status == CommendationStatus.DECIDED,
    }
    return render(request, "emulation/commendation.html", context, status=status)


@page(VIEW)
@require_http_methods(["GET", "POST"])
def commendation_detail(request, commendation_id: int):
    """A commendation, its history, the steps open to the user; with ?edit=1 (and a POST), the
    proposal's edit."""
    commendation = selectors.commendation_get_for(request.user, commendation_id)
    editing = request.method == "POST" or request.GET.get("edit") == "1"
    if not editing:
        return _render_commendation(request, commendation)
    access.require(request.user, MANAGE, commendation)
    if request.method == "GET" and commendation.status != CommendationStatus.PROPOSED:
        return redirect("emulation:commendation", commendation.pk)  # only a proposal is edited
    if request.method == "GET":
        c = commendation
        initial = {
            "recipient": c.recipient,
            "unit": c.unit_id,
            "group_name": c.group_name,
            "person_name": c.person_name,
            "person_position": c.person_position,
            "level": c.level,
            "form": c.form,
            "reason": c.reason,
            "movement": c.movement_id,
            "practice": c.practice_id,
            "activity": c.activity_id,
            "work_from": c.work_from,
            "work_to": c.work_to,
            "version": c.version,
        }
        form = _proposal_form(request, initial=initial)
        _keep_unit_option(form, commendation)
        return render(request, "emulation/commendation_form.html", {"form": form, "c": commendation})
    form = _proposal_form(request, request.POST)
    _keep_unit_option(form, commendation)
    status = 400
    if form.is_valid():
        value = _proposal_input(request, form)
        if value is not None:
            try:
                services.commendation_update(
                    actor=request.user,
                    commendation_id=commendation.pk,
                    version=form.cleaned_data["version"],
                    data=value,
                    today=_today(),
                )
            except DomainError as exc:
                status = _place(form, exc)
            else:
                messages.success(request, _("The proposal is saved."))
                return redirect("emulation:commendation", commendation.pk)
    return render(
        request, "emulation/commendation_form.html", {"form": form, "c": commendation}, status=status
    )


def _keep_unit_option(form: ProposalForm, commendation: Commendation) -> None:
    """The proposal's own unit stays a choice even when the select was cut."""
    field = form.fields["unit"]
    if not any(str(value) == str(commendation.unit_id) for value, _label in field.choices):
        field.choices = [*field.choices, (commendation.unit_id, commendation.unit.name)]


@page(VIEW)
@require_POST
def commendation_action(request, commendation_id: int):
    """One step of the lifecycle (decide, decline, revoke) from its form on the commendation's page."""
    commendation = selectors.commendation_get_for(request.user, commendation_id)
    action = request.POST.get("action", "")
    transition = lifecycle.TRANSITIONS.get(action)
    if transition is None:
        raise Http404()
    access.require(request.user, transition.permission, commendation)
    form = STEP_FORMS[action](request.POST, prefix=action)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        extra: dict[str, Any] = {}
        if action == "decide":
            extra["decision"] = services.Decision(
                number=data["decision_number"],
                decided_on=data["decided_on"],
                issuer=data["issuer"],
                issuer_unit_id=_issuer_unit(request, form, data),
            )
        else:
            extra["note" if action == "decline" else "reason"] = data[
                "note" if action == "decline" else "reason"
            ]
        if not form.errors:
            try:
                services.commendation_transition(
                    actor=request.user,
                    commendation_id=commendation.pk,
                    action=action,
                    version=data["version"],
                    today=_today(),
                    **extra,
                )
            except DomainError as exc:
                status = _place(form, exc, DECISION_FIELDS)
            else:
                messages.success(request, _("Recorded: %(action)s.") % {"action": transition.label})
                return redirect("emulation:commendation", commendation.pk)
    commendation = selectors.commendation_get_for(request.user, commendation_id)
    return _render_commendation(request, commendation, bound={action: form}, status=status)


@page(MANAGE)
@require_POST
def commendation_file(request, commendation_id: int):
    """Keep the scan of the decision with the commendation."""
    commendation = selectors.commendation_get_for(request.user, commendation_id)
    access.require(request.user, MANAGE, commendation)
    form = FileForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.commendation_file_add(
                actor=request.user, commendation_id=commendation.pk, name=upload.name, data=upload.read()
            )
        except DomainError as exc:
            status = _place(form, exc, DECISION_FIELDS)
        else:
            messages.success(request, _("The scan of the decision is kept with the commendation."))
            return redirect("emulation:commendation", commendation.pk)
    return _render_commendation(request, commendation, bound={"file": form}, status=status)


@page(VIEW)
@require_GET
def certificate(request, commendation_id: int):
    """The certificate of merit of a decided commendation, as a PDF in the user's language."""
    from .certificate import certificate_pdf

    commendation = selectors.commendation_get_for(request.user, commendation_id)
    if commendation.status != CommendationStatus.DECIDED:
        raise Http404(_("A certificate exists only for a decided commendation."))
    data = certificate_pdf(commendation)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, f"certificate-{commendation.pk}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- the ceremony list --------------------------------------------------------------------------


@page(VIEW)
@require_GET
def ceremony(request):
    """The commendations of one decision, or of a unit, a period and a level, to be read out and
    handed over: collectives, then individuals, numbered, with the form and the reason. Printable."""
    units, _cut = _units(request.user, VIEW)
    form = CeremonyForm(request.GET or None, units=units)
    result = None
    chosen = False
    unit = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        unit_id = _chosen_unit(request, form, VIEW)
        chosen = (
            any(data.get(name) for name in ("decision_number", "decided_on", "first", "last", "level"))
            or unit_id is not None
        )
        if chosen and not form.errors:
            result = selectors.ceremony_for(
                request.user,
                decision_number=data["decision_number"] or "",
                decided_on=data["decided_on"],
                unit_id=unit_id,
                first=data["first"],
                last=data["last"],
                level=data["level"],
            )
            if unit_id is not None:
                unit = access.visible(request.user, Unit, "unit.view").filter(pk=unit_id).first()
    issuer = ""
    if result is not None and result.count and form.cleaned_data.get("decision_number"):
        issuer = (result.collectives.rows or result.individuals.rows)[0].issuer
    context = {"form": form, "result": result, "chosen": chosen, "unit": unit, "issuer": issuer}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "emulation/ceremony.html", context, status=status)


# ---- movements ----------------------------------------------------------------------------------


@page(VIEW)
@require_GET
def movements(request):
    user = request.user
    units, _cut = _units(user, VIEW)
    form = MovementFilterForm(request.GET or None, units=units)
    rows = Movement.objects.none()
    if not form.is_bound:
        rows = selectors.movement_list_for(user)
    elif form.is_valid():
        data = form.cleaned_data
        rows = selectors.movement_list_for(user, unit_id=data["unit"], q=data["q"] or "", year=data["year"])
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "can_create": MANAGE in access.allowed_actions(user)}
    return render(request, "emulation/movements.html", context, status=400 if form.errors else 200)


def _movement_input(form: MovementForm, unit_id: int | None) -> services.MovementInput:
    data = form.cleaned_data
    return services.MovementInput(
        unit_id=unit_id,
        name=data["name"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        resolution_id=data["resolution"],
        description=data["description"],
    )


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def movement_new(request):
    units, _cut = _units(request.user, MANAGE)
    if request.method == "GET":
        form = MovementForm(
            initial={"unit": _home_unit_id(request, MANAGE, units)},
            units=units,
            resolutions=selectors.resolution_choices(),
        )
        return render(request, "emulation/movement_form.html", {"form": form})
    form = MovementForm(request.POST, units=units, resolutions=selectors.resolution_choices())
    status = 400
    if form.is_valid():
        unit_id = _chosen_unit(request, form, MANAGE, form.cleaned_data.get("starts_on"))
        if unit_id is None and not form.errors:
            form.add_error("unit", _("Choose the unit."))
        if not form.errors:
            try:
                movement = services.movement_create(
                    actor=request.user, data=_movement_input(form, unit_id), today=_today()
                )
            except DomainError as exc:
                status = _place(form, exc)
            else:
                messages.success(request, _("The movement is saved."))
                return redirect("emulation:movement", movement.pk)
    return render(request, "emulation/movement_form.html", {"form": form}, status=status)


@page(VIEW)
@require_GET
def movement_detail(request, movement_id: int):
    user = request.user
    movement = selectors.movement_get_for(user, movement_id)
    rows = list(selectors.commendations_of_movement(user, movement)[: MOVEMENT_COMMENDATIONS + 1])
    context = {
        "movement": movement,
        "commendations": rows[:MOVEMENT_COMMENDATIONS],
        "more": len(rows) > MOVEMENT_COMMENDATIONS,
        "can_edit": access.can(user, MANAGE, movement),
        "can_propose": MANAGE in access.allowed_actions(user),
    }
    return render(request, "emulation/movement.html", context)


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def movement_edit(request, movement_id: int):
    movement = selectors.movement_get_for(request.user, movement_id)
    access.require(request.user, MANAGE, movement)
    if request.method == "GET":
        initial = {
            "name": movement.name,
            "starts_on": movement.starts_on,
            "ends_on": movement.ends_on,
            "resolution": movement.resolution_id,
            "description": movement.description,
            "version": movement.version,
        }
        form = MovementForm(initial=initial, resolutions=selectors.resolution_choices(), editing=True)
        return render(request, "emulation/movement_form.html", {"form": form, "movement": movement})
    form = MovementForm(request.POST, resolutions=selectors.resolution_choices(), editing=True)
    status = 400
    if form.is_valid():
        try:
            services.movement_update(
                actor=request.user,
                movement_id=movement.pk,
                version=form.cleaned_data["version"],
                data=_movement_input(form, movement.unit_id),
                today=_today(),
            )
        except DomainError as exc:
            status = _place(form, exc)
        else:
            messages.success(request, _("The movement is saved."))
            return redirect("emulation:movement", movement.pk)
    return render(
        request, "emulation/movement_form.html", {"form": form, "movement": movement}, status=status
    )
