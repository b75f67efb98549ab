"""Pages of the "Dân vận khéo" models and exemplars: the list (by field, level, year, status, kind,
unit and name), registering one, its page with its whole history and the steps the user may take
(drawn from the lifecycle table), editing its details, each step's form (progress, putting up for
review, recognising or not, withdrawing), the board's scoring against the criteria in force,
evidence files, replicating a recognised model elsewhere, and the criteria sets.

Thin like every page: parse the form, call one service or selector, render. A DomainError lands on
the form (`form_domain_error`) or becomes the 403/404 page (`page`). "Today" is
`timezone.localdate()`.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from danvan.core.context_processors import current_unit, role_units
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.views import form_domain_error, page, raise_for_http
from danvan.units import access
from danvan.units import selectors as units_selectors
from danvan.units.forms import MAX_UNIT_OPTIONS
from danvan.units.models import Unit

from . import presenters, selectors, services
from .criteria import criteria_set_for
from .forms import (
    CriteriaSetForm,
    CriterionFormSet,
    EvaluateForm,
    EvidenceForm,
    NoteStepForm,
    PracticeEditForm,
    PracticeFilterForm,
    PracticeForm,
    RecogniseForm,
    ReportForm,
    SubmitForm,
    whole_number,
)
from .lifecycle import MANAGE, RECOGNISE, TRANSITIONS
from .models import PracticeModel, PracticeStatus

PAGE_SIZE = 25
DETAIL_FIELDS = (
    "kind",
    "name",
    "field",
    "registered_on",
    "address",
    "carried_out_by",
    "aims",
    "expected_results",
)


def _today() -> date:
    return timezone.localdate()


def _render(request, template: str, context: dict, status: int = 200):
    """Render a page of the app; the sub-navigation offers registering to those who may."""
    context.setdefault("can_register", MANAGE in access.allowed_actions(request.user))
    return render(request, template, context, status=status)


def _status(exc: DomainError) -> int:
    return 409 if exc.status == 409 else 400


def _files(uploads) -> list[services.EvidenceFile]:
    return [services.EvidenceFile(name=upload.name or "", data=upload.read()) for upload in uploads or []]


def _typed_unit(request, form, on: date | None) -> Unit | None:
    """The unit typed as a code (which wins over the select), or None; a problem lands on the
    code's field."""
    code = (form.cleaned_data.get("unit_code") or "").strip()
    if not code:
        return None
    try:
        return units_selectors.unit_resolve(request.user, code, on or _today())
    except DomainError as exc:
        form.add_error("unit_code", exc.message)
        return None


def _home_unit(request) -> int | None:
    """The current unit if the user manages models there, else the first role unit where they do."""
    units = [unit for unit in role_units(request.user) if access.can(request.user, MANAGE, unit)]
    here = current_unit(request)
    if here is not None and any(unit.pk == here.pk for unit in units):
        return here.pk
    return units[0].pk if units else None


# ---- the list -----------------------------------------------------------------------------------


@page("record.view")
@require_GET
def practice_list(request):
    """Models and exemplars the user may see, with filters, newest registration first."""
    units, cut = selectors.units_for(request.user, "record.view", limit=MAX_UNIT_OPTIONS)
    form = PracticeFilterForm(request.GET or None, units=units)
    if cut:
        form.fields["unit_code"].help_text = _(
            "The list shows only the first units; type the code of any other unit."
        )
    rows = PracticeModel.objects.none()
    if not form.is_bound:
        rows = selectors.practice_list_for(request.user)
    elif form.is_valid():
        data = form.cleaned_data
        unit = _typed_unit(request, form, None)
        if unit is None and data.get("unit"):
            unit = next((u for u in units if u.pk == data["unit"]), None)
        if not form.errors:
            rows = selectors.practice_list_for(
                request.user,
                q=data["q"],
                field=data["field"],
                level=data["level"],
                year=data["year"],
                status=data["status"],
                kind=data["kind"],
                unit=unit,
            )
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "status_classes": presenters.STATUS_CLASSES,
    }
    return _render(request, "practices/list.html", context, status=400 if form.errors else 200)


# ---- registering and editing --------------------------------------------------------------------


def _details(data) -> dict:
    return {name: data.get(name) or (None if name == "registered_on" else "") for name in DETAIL_FIELDS}


def _register_form(request, data=None, initial=None) -> PracticeForm:
    units, cut = selectors.units_for(request.user, MANAGE, limit=MAX_UNIT_OPTIONS)
    return PracticeForm(data, initial=initial, units=units, truncated=cut)


def _registration(request, form: PracticeForm, source: PracticeModel | None):
    """Register (or replicate) from a bound form; the new model, or None with errors on the form."""
    if not form.is_valid():
        return None
    data = form.cleaned_data
    typed = _typed_unit(request, form, data.get("registered_on"))
    if form.errors:
        return None
    value = services.PracticeInput(unit_id=typed.pk if typed else data.get("unit"), **_details(data))
    try:
        if source is None:
            return services.practice_register(actor=request.user, data=value, today=_today())
        return services.practice_replicate(
            actor=request.user, source_id=source.pk, data=value, today=_today()
        )
    except DomainError as exc:
        form_domain_error(form, exc, {"unit": "unit_code"} if typed else None)
        return None


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def practice_new(request):
    """Register a model or an exemplar in a unit the user manages."""
    if request.method == "POST":
        form = _register_form(request, request.POST)
        model = _registration(request, form, None)
        if model is not None:
            messages.success(request, _("The model is registered."))
            return redirect("practices:detail", model.pk)
        return _render(request, "practices/form.html", {"form": form}, status=400)
    initial = {"registered_on": _today(), "unit": _home_unit(request)}
    return _render(request, "practices/form.html", {"form": _register_form(request, initial=initial)})


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def replicate(request, practice_id: int):
    """Replicate a recognised model in a unit the user manages: a new model linked to it."""
    source = selectors.practice_get_for(request.user, practice_id)
    if source.status != PracticeStatus.RECOGNISED:
        services.step_allowed(source, "replicate")  # the same refusal as the service's, on its own page
    if request.method == "POST":
        form = _register_form(request, request.POST)
        model = _registration(request, form, source)
        if model is not None:
            messages.success(request, _("The replica is registered."))
            return redirect("practices:detail", model.pk)
        return _render(request, "practices/form.html", {"form": form, "source": source}, status=400)
    initial = {
        "registered_on": _today(),
        "kind": source.kind,
        "name": source.name,
        "field": source.field,
        "aims": source.aims,
        "expected_results": source.expected_results,
    }
    return _render(
        request, "practices/form.html", {"form": _register_form(request, initial=initial), "source": source}
    )


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def edit(request, practice_id: int):
    """Correct the details while the model is registered or being carried out."""
    model = selectors.practice_get_for(request.user, practice_id)
    access.require(request.user, MANAGE, model)
    status = 200
    if request.method == "POST":
        form = PracticeEditForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.practice_update(
                    actor=request.user,
                    practice_id=model.pk,
                    version=data["version"] if data["version"] is not None else -1,
                    data=services.PracticeDetails(**_details(data)),
                    today=_today(),
                )
            except DomainError as exc:
                form_domain_error(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("The details are saved."))
                return redirect("practices:detail", model.pk)
    else:
        if not presenters.can_edit(request.user, model):
            raise DomainError(
                "practice_not_editable",
                _("The details can be changed only while the model is registered or being carried out."),
            )
        form = PracticeEditForm(
            initial={**{n: getattr(model, n) for n in DETAIL_FIELDS}, "version": model.version}
        )
    return _render(request, "practices/form.html", {"form": form, "model": model}, status=status)


# ---- a model ------------------------------------------------------------------------------------


@page("record.view")
@require_GET
def detail(request, practice_id: int):
    """A model with its whole history and the steps the user may take now."""
    user, today = request.user, _today()
    model = selectors.practice_get_for(user, practice_id)
    history = selectors.practice_history_for(user, model)
    presenters.label_events(history.events)
    reviewing = presenters.reviewing_units(model, today)
    context = {
        "model": model,
        "history": history,
        "steps": presenters.steps_for(user, model, today),
        "can_edit": presenters.can_edit(user, model),
        "can_add_evidence": presenters.can_add_evidence(user, model),
        "reviewing": reviewing[0] if reviewing else None,
        "status_classes": presenters.STATUS_CLASSES,
        "replicas_elsewhere": selectors.replicas_elsewhere(user, model),
    }
    return _render(request, "practices/detail.html", context)


STEP_FORMS = {
    "report": ReportForm,
    "submit": SubmitForm,
    "recognise": RecogniseForm,
    "not_recognise": NoteStepForm,
    "withdraw": NoteStepForm,
}


def _call_step(request, action: str, model: PracticeModel, data: dict, files) -> None:
    common = {
        "actor": request.user,
        "practice_id": model.pk,
        "version": data.get("version"),
        "today": _today(),
    }
    if action == "report":
        services.practice_report(**common, on=data["on"], note=data["note"], files=_files(files))
    elif action == "submit":
        services.practice_submit(**common, level=data["level"], on=data["on"], note=data["note"])
    elif action == "recognise":
        services.practice_recognise(
            **common, decision_number=data["decision_number"], decided_on=data["decided_on"]
        )
    elif action == "not_recognise":
        services.practice_not_recognise(**common, on=data["on"], note=data["note"])
    elif action == "withdraw":
        services.practice_withdraw(**common, on=data["on"], note=data["note"])
    else:  # pragma: no cover - STEP_FORMS lists every action
        raise NotFound()


@page("record.view")
@require_http_methods(["GET", "POST"])
def action(request, practice_id: int, action: str):
    """One page per lifecycle step (report, submit, recognise, not_recognise, withdraw): its form,
    then its service, which checks the table, the role and the input again."""
    user, today = request.user, _today()
    model = selectors.practice_get_for(user, practice_id)
    transition = presenters.transition_for_page(model, action)
    if transition is None:
        raise NotFound()
    services.step_allowed(model, transition.action)
    if not presenters.may(user, transition, model, today):
        raise PermissionDenied()
    form_class = STEP_FORMS[action]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                _call_step(request, action, model, form.cleaned_data, form.cleaned_data.get("files"))
            except DomainError as exc:
                form_domain_error(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("Recorded: %(action)s.") % {"action": transition.label})
                return redirect("practices:detail", model.pk)
    else:
        form = form_class(initial={"version": model.version, "on": today, "decided_on": today})
    context = {"model": model, "transition": transition, "action": action, "form": form}
    return _render(request, "practices/action.html", context, status=status)


@page(RECOGNISE)
@require_http_methods(["GET", "POST"])
def evaluate(request, practice_id: int):
    """The board scores the model against the criteria set in force on the review date."""
    user, today = request.user, _today()
    model = selectors.practice_get_for(user, practice_id)
    transition = TRANSITIONS["evaluate"]
    services.step_allowed(model, "evaluate")
    if not presenters.may(user, transition, model, today):
        raise PermissionDenied()
    status = 200
    if request.method == "POST":
        posted_set = request.POST.get("criteria_set", "")
        criteria_set = selectors.criteria_set_get(int(posted_set)) if posted_set.isdigit() else None
        criteria = list(criteria_set.criteria.all()) if criteria_set else []
        form = EvaluateForm(request.POST, criteria=criteria)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                evaluation = services.practice_evaluate(
                    actor=user,
                    practice_id=model.pk,
                    reviewed_on=data["reviewed_on"],
                    scores=form.scores(criteria),
                    note=data["note"],
                    criteria_set_id=criteria_set.pk if criteria_set else None,
                    version=data["version"],
                    today=today,
                )
            except DomainError as exc:
                if exc.code == "practice_criteria_changed" and data["reviewed_on"]:
                    # Drawn again with the set in force on the date typed.
                    criteria_set = criteria_set_for(model, data["reviewed_on"])
                    criteria = list(criteria_set.criteria.all()) if criteria_set else []
                    form = EvaluateForm(
                        initial={
                            "reviewed_on": data["reviewed_on"],
                            "note": data["note"],
                            "version": data["version"],
                            "criteria_set": criteria_set.pk if criteria_set else None,
                        },
                        criteria=criteria,
                    )
                    messages.warning(request, exc.message)
                else:
                    field_map = {f"scores.{c.pk}": f"criterion_{c.pk}" for c in criteria}
                    form_domain_error(form, exc, field_map)
                status = _status(exc)
            else:
                if evaluation.passed:
                    messages.success(
                        request,
                        _("Scored %(total)s points: it meets the pass mark.") % {"total": evaluation.total},
                    )
                else:
                    messages.warning(
                        request,
                        _("Scored %(total)s points: below the %(needed)s needed.")
                        % {"total": evaluation.total, "needed": evaluation.criteria_set.pass_mark},
                    )
                return redirect("practices:detail", model.pk)
    else:
        criteria_set = criteria_set_for(model, today)
        criteria = list(criteria_set.criteria.all()) if criteria_set else []
        form = EvaluateForm(
            initial={
                "reviewed_on": today,
                "version": model.version,
                "criteria_set": criteria_set.pk if criteria_set else None,
            },
            criteria=criteria,
        )
    context = {
        "model": model,
        "form": form,
        "criteria_set": criteria_set,
        "reviewing": next(iter(presenters.reviewing_units(model, today)), None),
    }
    return _render(request, "practices/evaluate.html", context, status=status)


@page(MANAGE)
@require_http_methods(["GET", "POST"])
def evidence(request, practice_id: int):
    """Keep evidence files with the model."""
    model = selectors.practice_get_for(request.user, practice_id)
    access.require(request.user, MANAGE, model)
    status = 200
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                services.practice_evidence_add(
                    actor=request.user,
                    practice_id=model.pk,
                    files=_files(form.cleaned_data["files"]),
                    on=form.cleaned_data["on"],
                    today=_today(),
                )
            except DomainError as exc:
                form_domain_error(form, exc)
                status = _status(exc)
            else:
                messages.success(request, _("The evidence is kept with the model."))
                return redirect("practices:detail", model.pk)
    else:
        if model.status == PracticeStatus.WITHDRAWN:
            raise DomainError("practice_withdrawn", _("A withdrawn model takes no more evidence."))
        form = EvidenceForm(initial={"on": _today()})
    return _render(request, "practices/evidence.html", {"model": model, "form": form}, status=status)


# ---- criteria sets ------------------------------------------------------------------------------


def _criteria_rows(formset) -> list[services.CriterionInput]:
    return [
        services.CriterionInput(
            text=row.cleaned_data.get("text") or "",
            max_points=whole_number(row.cleaned_data.get("max_points")),
        )
        for row in formset.forms
    ]


def _place_rows(exc: DomainError, form, formset) -> None:
    """A refusal onto the form and its rows ("criteria.1.text" onto the second row)."""
    placed: set[str] = set()
    for name, texts in exc.field_messages().items():
        head, _dot, rest = name.partition(".")
        index, _dot, field = rest.partition(".")
        if head == "criteria" and index.isdigit() and int(index) < len(formset.forms):
            target, key = formset.forms[int(index)], field
        else:
            target, key = form, name
        for text in texts:
            target.add_error(key if key in target.fields else None, text)
            placed.add(text)
    if not placed:
        raise_for_http(exc)
    if exc.message not in placed:
        form.add_error(None, exc.message)


def _row_errors(formset) -> list[tuple[int, str, str]]:
    """(row number, field id, message) of every error of the criteria rows, for the summary."""
    if formset is None or not formset.is_bound:
        return []
    out = []
    for n, row in enumerate(formset.forms, start=1):
        for name, errors in row.errors.items():
            target = row[name].id_for_label if name in row.fields else ""
            out.extend((n, target, str(error)) for error in errors)
    return out


@page("record.view")
@require_http_methods(["GET", "POST"])
def criteria_sets(request):
    """The criteria sets (the national default and each province's), and for a user who
    recognises models for a province, a form to add one for it."""
    provinces = selectors.provinces_for(request.user, RECOGNISE)
    form = formset = None
    status = 200
    if request.method == "POST":
        if not provinces:
            raise PermissionDenied()
        form = CriteriaSetForm(request.POST, provinces=provinces)
        formset = CriterionFormSet(request.POST, prefix="criteria")
        status = 400
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            try:
                created = services.criteria_set_save(
                    actor=request.user,
                    data=services.CriteriaSetInput(
                        unit_id=data["unit"],
                        name=data["name"],
                        applies=data["applies"],
                        first_year=data["first_year"],
                        last_year=data["last_year"],
                        pass_mark=data["pass_mark"],
                        criteria=_criteria_rows(formset),
                        source=data["source"],
                    ),
                    today=_today(),
                )
            except DomainError as exc:
                _place_rows(exc, form, formset)
                status = _status(exc)
            else:
                messages.success(request, _("The criteria set “%(name)s” is added.") % {"name": created.name})
                return redirect("practices:criteria")
    elif provinces:
        form = CriteriaSetForm(
            initial={"unit": provinces[0].pk if len(provinces) == 1 else None, "first_year": _today().year},
            provinces=provinces,
        )
        formset = CriterionFormSet(prefix="criteria")
    context = {
        "sets": selectors.criteria_set_list_for(request.user),
        "form": form,
        "formset": formset,
        "row_errors": _row_errors(formset),
    }
    return _render(request, "practices/criteria.html", context, status=status)
