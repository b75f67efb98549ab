"""Pages of outreach work: activities (with their co-organisers, the resolutions and documents they
disseminated, participants by category, files), an activity's attendance list (typed, or imported
from XLSX or CSV, with the template to fill in), the registry of documents issued, and the
communes that have held no dialogue conference in a year.

Thin like every page: parse the form, call one service or selector, render. A DomainError lands
on the form (`form_domain_error`, or the rows of the attendance list), or becomes the 403/404 page
(`page`). "Today" is `timezone.localdate()`. The pickers of co-organisers and documents work
without JavaScript (a "Find" button redraws the form with the matches to tick) and, with htmx,
as you type (the same page answers with the matches only).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core.context_processors import current_unit
from danvan.core.errors import DomainError
from danvan.core.forms import DATE_INPUT_FORMATS
from danvan.core.views import form_domain_error, page, raise_for_http
from danvan.units import access
from danvan.units import selectors as units_selectors
from danvan.units.forms import MAX_UNIT_OPTIONS
from danvan.units.models import Unit

from . import attendance, selectors, services
from .forms import (
    COUNT_FIELDS,
    MAX_TYPED_ROWS,
    ActivityFileForm,
    ActivityFilterForm,
    ActivityForm,
    AttendanceFileForm,
    AttendeeFormSet,
    DialogueYearForm,
    DocumentFileForm,
    DocumentFilterForm,
    DocumentForm,
    VersionForm,
    count_field_map,
)
from .models import Activity, IssuedDocument

RECORD = services.RECORD
VIEW = "record.view"
PAGE_SIZE = 25
DIALOGUE_PAGE_SIZE = 50
PICKER_LIMIT = 20
FIRST_DIALOGUE_YEAR = (
    2013  # Resolution 25-NQ/TW; communes held dialogues under Ordinance 34/2007 before the 2022 law
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> date:
    return timezone.localdate()


def _cut(units) -> tuple[list[Unit], bool]:
    units = list(units[: MAX_UNIT_OPTIONS + 1])
    return units[:MAX_UNIT_OPTIONS], len(units) > MAX_UNIT_OPTIONS


def _visible_units(user) -> list[Unit]:
    """Units whose records the user sees, in tree order, for the filters (the first ones)."""
    return _cut(selectors.units_to_view(user))[0]


def _home_unit(request) -> Unit | None:
    """The current unit if the user records outreach work there, else the first where they do."""
    here = current_unit(request)
    if here is not None and access.can(request.user, RECORD, here):
        return here
    return next(
        (a.unit for a in access.roles_of(request.user) if access.can(request.user, RECORD, a.unit)), None
    )


def _error_items(form, *formsets, anchors: dict[str, str] | None = None) -> list[dict]:
    """Every problem for the error summary, each linked to its field (`anchors` for fields drawn
    by hand, such as the pickers)."""
    anchors = anchors or {}
    items: list[dict] = []

    def add(one) -> None:
        for error in one.non_field_errors():
            items.append({"text": error, "href": ""})
        for field in one:
            for error in field.errors:
                href = anchors.get(field.name) or (
                    "" if field.is_hidden else f"#{field.id_for_label or field.auto_id}"
                )
                items.append({"text": error, "href": href})

    if form is not None:
        add(form)
    for formset in formsets:
        for error in formset.non_form_errors():
            items.append({"text": error, "href": ""})
        for one in formset.forms:
            add(one)
    return items


def _parse_day(text: Any) -> date | None:
    for pattern in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(str(text or "").strip(), pattern).date()  # noqa: DTZ007 - a day
        except ValueError:
            continue
    return None


def _raw(form) -> dict:
    """A bound form's submitted values without validating them (to draw the form again)."""
    return {name: form[name].value() for name in form.fields}


def _int_list(values) -> list[int]:
    out: list[int] = []
    for value in values or []:
        text = str(value).strip()
        if text.isdigit() and int(text) not in out:
            out.append(int(text))
    return out


# ---- the pickers (co-organisers, documents) -----------------------------------------------------


def _picked(request, values: dict, *, search: bool) -> dict:
    """What the pickers show: the units and documents chosen, and (when searching) the matches
    to tick, on the activity's first day (today if none is typed yet)."""
    user = request.user
    day = _parse_day(values.get("starts_on")) or _today()
    lead = values.get("unit")
    co_ids = _int_list(values.get("co_organisers"))
    doc_ids = _int_list(values.get("documents"))
    units = selectors.units_by_id(user, co_ids)
    documents = selectors.document_list_for(user).in_bulk(doc_ids)
    out: dict[str, Any] = {
        "co_chosen": [units[pk] for pk in co_ids if pk in units],
        "doc_chosen": [documents[pk] for pk in doc_ids if pk in documents],
        "co_results": None,
        "doc_results": None,
        "picker_day": day,
    }
    if search:
        co_q = str(values.get("co_q") or "").strip()
        doc_q = str(values.get("doc_q") or "").strip()
        if co_q:
            skip = set(co_ids) | ({int(lead)} if str(lead or "").isdigit() else set())
            out["co_results"] = [
                u
                for u in selectors.units_matching(user, co_q, on=day, limit=PICKER_LIMIT + 1)
                if u.pk not in skip
            ][:PICKER_LIMIT]
        if doc_q:
            out["doc_results"] = [
                d
                for d in selectors.document_list_for(user, q=doc_q, issued_by=day)[
                    : PICKER_LIMIT + len(doc_ids)
                ]
                if d.pk not in doc_ids
            ][:PICKER_LIMIT]
    return out


def _picker_partial(request) -> HttpResponse:
    """The matches of one picker as the user types (htmx)."""
    which = request.GET.get("picker")
    values = {
        "starts_on": request.GET.get("starts_on"),
        "unit": request.GET.get("unit"),
        "co_organisers": request.GET.getlist("co_organisers"),
        "documents": request.GET.getlist("documents"),
        "co_q": request.GET.get("co_q", "") if which == "co" else "",
        "doc_q": request.GET.get("doc_q", "") if which == "doc" else "",
    }
    context = _picked(request, values, search=True)
    template = "outreach/_co_results.html" if which == "co" else "outreach/_doc_results.html"
    return render(request, template, context)


# ---- activities ---------------------------------------------------------------------------------


@page(VIEW)
@require_GET
def activities(request):
    """Activities the user sees, the latest first, with filters; the communes still owing this
    year's dialogue conference are counted above the list."""
    user, today = request.user, _today()
    units = _visible_units(user)
    resolutions = list(selectors.resolution_list_for(user))
    form = ActivityFilterForm(request.GET or None, units=units, resolutions=resolutions)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "unit": next((u for u in units if u.pk == data["unit"]), None),
            "kind": data["kind"],
            "first": data["first"],
            "last": data["last"],
            "q": data["q"],
            "resolution_id": data["resolution"],
        }
    rows = (
        selectors.with_details(selectors.activity_list_for(user, **filters))
        if not form.errors
        else Activity.objects.none()
    )
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "can_create": RECORD in access.allowed_actions(user),
        "year": today.year,
        "missing": selectors.communes_without_dialogue(user, year=today.year, today=today).count(),
    }
    return render(request, "outreach/activities.html", context)


def _activity_initial(activity: Activity) -> dict:
    counts = {p.category: p.count for p in activity.participations.all()}
    typed_total = not any(c in counts for c in COUNT_FIELDS)
    initial: dict[str, Any] = {
        "unit": activity.unit_id,
        "kind": activity.kind,
        "title": activity.title,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on if activity.ends_on != activity.starts_on else None,
        "venue": activity.venue,
        "summary": activity.summary,
        "co_organisers": [u.pk for u in activity.co_organisers.all()],
        "resolutions": [r.pk for r in activity.resolutions.all()],
        "documents": [d.pk for d in activity.documents.all()],
        # A total is shown when it is all there is (or follows the list); beside categories it
        # would only have to be kept equal to their sum.
        "participants_total": activity.participants_total
        if (activity.from_attendance or typed_total)
        else None,
        "version": activity.version,
    }
    for category, name in COUNT_FIELDS.items():
        initial[name] = counts.get(category)
    return initial


def _activity_form(request, activity: Activity | None, data=None, initial=None) -> ActivityForm:
    user = request.user
    units, cut = _cut(selectors.units_to_lead(user))
    resolutions = list(selectors.resolution_list_for(user, active_only=True))
    if activity is not None:
        known = {r.pk for r in resolutions}
        resolutions += [r for r in activity.resolutions.all() if r.pk not in known]
        if activity.unit_id not in {u.pk for u in units}:
            units.append(activity.unit)
    return ActivityForm(
        data,
        initial=initial,
        units=units,
        resolutions=resolutions,
        from_attendance=bool(activity and activity.from_attendance),
        units_cut=cut,
    )


def _render_activity_form(
    request, form: ActivityForm, activity: Activity | None, *, search=False, status=200
):
    values = _raw(form) if form.is_bound else {**form.initial}
    context = {
        "form": form,
        "activity": activity,
        "error_items": _error_items(
            form,
            anchors={
                "co_organisers": "#co-picker",
                "documents": "#doc-picker",
                "resolutions": "#resolutions",
            },
        )
        if form.is_bound and status != 200
        else [],
        **_picked(request, values, search=search),
    }
    return render(request, "outreach/activity_form.html", context, status=status)


def _activity_input(request, form: ActivityForm) -> services.ActivityInput | None:
    data = form.cleaned_data
    unit_id = data["unit"]
    code = (data.get("unit_code") or "").strip()
    if code:
        try:
            unit_id = units_selectors.unit_resolve(request.user, code, data["starts_on"] or _today()).pk
        except DomainError as exc:
            form.add_error("unit_code", exc.message)
            return None
    return services.ActivityInput(
        unit_id=unit_id,
        kind=data["kind"],
        title=data["title"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        venue=data["venue"],
        summary=data["summary"],
        co_organiser_ids=data["co_organisers"],
        resolution_ids=list(data["resolutions"]),
        document_ids=data["documents"],
        counts=form.count_values(),
        participants_total=None if form.from_attendance else data["participants_total"],
    )


def _activity_page(request, activity: Activity | None):
    if request.method == "GET":
        if request.htmx and request.GET.get("picker"):
            return _picker_partial(request)
        if activity is not None:
            initial = _activity_initial(activity)
        else:
            home = _home_unit(request)
            initial = {"unit": home.pk if home else None, "starts_on": _today()}
        return _render_activity_form(request, _activity_form(request, activity, initial=initial), activity)

    step = request.POST.get("step", "save")
    if step == "enter":
        # Enter pressed in a field: in a picker's search box it searches; elsewhere it saves.
        searching = any(request.POST.get(name, "").strip() for name in ("co_q", "doc_q"))
        step = "find" if searching else "save"
    form = _activity_form(request, activity, data=request.POST)
    if step == "find":
        redraw = _activity_form(request, activity, initial=_raw(form))
        return _render_activity_form(request, redraw, activity, search=True)
    status = 400
    if form.is_valid():
        value = _activity_input(request, form)
        if value is not None:
            try:
                if activity is None:
                    saved = services.activity_record(actor=request.user, data=value, today=_today())
                else:
                    version = form.cleaned_data["version"]
                    saved = services.activity_update(
                        actor=request.user,
                        activity_id=activity.pk,
                        version=version if version is not None else -1,
                        data=value,
                        today=_today(),
                    )
            except DomainError as exc:
                form_domain_error(form, exc, field_map=count_field_map())
                status = 409 if exc.status == 409 else 400
            else:
                messages.success(request, _("The activity is saved."))
                return redirect("outreach:activity", saved.pk)
    return _render_activity_form(request, form, activity, status=status)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def activity_new(request):
    """Record an activity: its kind, days, lead organiser and co-organisers, what it
    disseminated, and its participants by category (or, afterwards, its attendance list)."""
    return _activity_page(request, None)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id: int):
    activity = selectors.activity_get_for(request.user, activity_id)
    access.require(request.user, RECORD, activity)
    return _activity_page(request, activity)


def _render_activity(request, activity: Activity, file_form=None, status: int = 200):
    user = request.user
    can_record = access.can(user, RECORD, activity)
    context = {
        "activity": activity,
        "participation": selectors.participation_of(activity),
        "attendee_count": selectors.attendees_of(activity).count() if activity.from_attendance else 0,
        "files": selectors.files_of(activity),
        "can_record": can_record,
        "file_form": (file_form or ActivityFileForm()) if can_record else None,
        "form": file_form,
        "error_items": _error_items(file_form) if file_form is not None else [],
    }
    return render(request, "outreach/activity.html", context, status=status)


@page(VIEW)
@require_GET
def activity_detail(request, activity_id: int):
    return _render_activity(request, selectors.activity_get_for(request.user, activity_id))


@page(RECORD)
@require_POST
def activity_file(request, activity_id: int):
    """Keep the plan, the minutes or a photo with the activity."""
    activity = selectors.activity_get_for(request.user, activity_id)
    access.require(request.user, RECORD, activity)
    form = ActivityFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.activity_file_add(
                actor=request.user,
                activity_id=activity.pk,
                role=form.cleaned_data["role"],
                name=upload.name or "",
                data=upload.read(),
                today=_today(),
            )
        except DomainError as exc:
            form_domain_error(form, exc, field_map={"files": "file"})
        else:
            messages.success(request, _("The file is kept with the activity."))
            return redirect("outreach:activity", activity.pk)
    return _render_activity(request, activity, file_form=form, status=400)


# ---- attendance ---------------------------------------------------------------------------------


def _rows_initial(activity: Activity) -> list[dict]:
    return [
        {
            "full_name": a.full_name,
            "category": a.category,
            "organisation": a.organisation,
            "job_title": a.job_title,
        }
        for a in selectors.attendees_of(activity)[: MAX_TYPED_ROWS + 1]
    ]


def _render_attendance(
    request,
    activity: Activity,
    *,
    rows=None,
    file_form=None,
    problems: list[str] | None = None,
    status: int = 200,
):
    count = selectors.attendees_of(activity).count() if activity.from_attendance else 0
    too_long = count > MAX_TYPED_ROWS
    if rows is None and not too_long:
        initial = _rows_initial(activity) if activity.from_attendance else []
        rows = AttendeeFormSet(prefix="attendees", initial=initial or [{}, {}, {}])
    file_form = file_form or AttendanceFileForm(initial={"version": activity.version})
    items = _error_items(file_form, *([rows] if rows is not None else []))
    items += [{"text": text, "href": "#attendees"} for text in problems or []]
    context = {
        "activity": activity,
        "rows": rows,
        "file_form": file_form,
        "version_form": VersionForm(initial={"version": activity.version}),
        "count": count,
        "too_long": too_long,
        "listed": list(selectors.attendees_of(activity)[:500]) if too_long else [],
        "participation": selectors.participation_of(activity),
        "error_items": items if status != 200 else [],
        "problems": problems or [],
        "max_rows": MAX_TYPED_ROWS,
        "limit_rows": attendance.MAX_ROWS,
        "limit_mb": attendance.MAX_FILE_MB,
    }
    return render(request, "outreach/attendance.html", context, status=status)


def _place_row_errors(exc: DomainError, rows, used: list[int]) -> list[str]:
    """A refusal onto the typed rows ("attendees.3.category" onto the fourth row kept); what
    cannot be placed is returned for the summary."""
    leftover: list[str] = []
    for name, texts in exc.field_messages().items():
        head, _dot, rest = name.partition(".")
        index, _dot, field = rest.partition(".")
        if head == "attendees" and index.isdigit() and int(index) < len(used):
            target = rows.forms[used[int(index)]]
            for text in texts:
                target.add_error(field if field in target.fields else None, text)
        else:
            leftover.extend(texts)
    if not exc.fields:
        raise_for_http(exc)
        leftover.append(exc.message)
    return leftover


@page(RECORD)
@require_http_methods(["GET", "POST"])
def attendance_page(request, activity_id: int):
    """The attendance list of an activity: imported from a spreadsheet, or typed row by row;
    cleared to go back to typed counts."""
    activity = selectors.activity_get_for(request.user, activity_id)
    access.require(request.user, RECORD, activity)
    if request.method == "GET":
        return _render_attendance(request, activity)
    step = request.POST.get("step", "save")
    today = _today()
    if step == "import":
        form = AttendanceFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size and upload.size > attendance.MAX_FILE_BYTES:
                form.add_error(
                    "file",
                    _("%(name)s is larger than %(limit)s MB, the most an attendance list may be.")
                    % {"name": upload.name, "limit": attendance.MAX_FILE_MB},
                )
            else:
                try:
                    services.attendance_import(
                        actor=request.user,
                        activity_id=activity.pk,
                        version=form.cleaned_data["version"],
                        name=upload.name or "",
                        data=upload.read(),
                        today=today,
                    )
                except DomainError as exc:
                    form_domain_error(form, exc)
                    return _render_attendance(
                        request, activity, file_form=form, status=409 if exc.status == 409 else 400
                    )
                messages.success(
                    request, _("The attendance list is imported; the participants are counted from it.")
                )
                return redirect("outreach:activity", activity.pk)
        return _render_attendance(request, activity, file_form=form, status=400)

    if step == "clear":
        form = VersionForm(request.POST)
        if form.is_valid():
            try:
                services.attendance_clear(
                    actor=request.user,
                    activity_id=activity.pk,
                    version=form.cleaned_data["version"],
                    today=today,
                )
            except DomainError as exc:
                return _render_attendance(request, activity, problems=[exc.message], status=exc.status)
            messages.success(
                request, _("The attendance list is cleared; the counts it made are kept as typed counts.")
            )
            return redirect("outreach:activity", activity.pk)
        return _render_attendance(request, activity, status=400)

    rows = AttendeeFormSet(request.POST, prefix="attendees")
    if step == "add_row":
        initial = ([_raw(f) for f in rows.forms] + [{}])[:MAX_TYPED_ROWS]
        return _render_attendance(
            request, activity, rows=AttendeeFormSet(prefix="attendees", initial=initial)
        )
    version = VersionForm(request.POST)
    if not (rows.is_valid() and version.is_valid()):
        return _render_attendance(request, activity, rows=rows, status=400)
    used = [n for n, f in enumerate(rows.forms) if not f.is_blank()]
    people = [
        services.AttendeeInput(
            full_name=rows.forms[n].cleaned_data["full_name"],
            category=rows.forms[n].cleaned_data["category"],
            organisation=rows.forms[n].cleaned_data["organisation"],
            job_title=rows.forms[n].cleaned_data["job_title"],
        )
        for n in used
    ]
    try:
        services.attendance_save(
            actor=request.user,
            activity_id=activity.pk,
            version=version.cleaned_data["version"],
            rows=people,
            today=today,
        )
    except DomainError as exc:
        leftover = _place_row_errors(exc, rows, used)
        return _render_attendance(
            request, activity, rows=rows, problems=leftover, status=409 if exc.status == 409 else 400
        )
    messages.success(request, _("The attendance list is saved; the participants are counted from it."))
    return redirect("outreach:activity", activity.pk)


@page(RECORD)
@require_GET
def attendance_template(request):
    """The attendance list to fill in, as XLSX, headed in the user's language."""
    language = translation.get_language() or "vi"
    data = attendance.template_xlsx(language)
    name = "attendance-list.xlsx" if language.startswith("en") else "danh-sach-tham-du.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- documents issued ---------------------------------------------------------------------------


@page(VIEW)
@require_GET
def documents(request):
    """The registry of documents issued, searchable by number or title, by unit, year, type and
    resolution."""
    user = request.user
    units = _visible_units(user)
    resolutions = list(selectors.resolution_list_for(user))
    form = DocumentFilterForm(request.GET or None, units=units, resolutions=resolutions)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "unit": next((u for u in units if u.pk == data["unit"]), None),
            "year": data["year"],
            "doc_type": data["doc_type"],
            "resolution_id": data["resolution"],
            "q": data["q"],
        }
    rows = selectors.document_list_for(user, **filters) if not form.errors else IssuedDocument.objects.none()
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "can_create": RECORD in access.allowed_actions(user)}
    return render(request, "outreach/documents.html", context)


def _document_form(request, document: IssuedDocument | None, data=None, initial=None) -> DocumentForm:
    user = request.user
    units, cut = _cut(selectors.units_to_lead(user))
    if document is not None and document.unit_id not in {u.pk for u in units}:
        units.append(document.unit)
    return DocumentForm(
        data,
        initial=initial,
        units=units,
        resolutions=list(selectors.resolution_list_for(user)),
        units_cut=cut,
    )


def _document_page(request, document: IssuedDocument | None):
    if request.method == "GET":
        if document is not None:
            initial = {
                "unit": document.unit_id,
                "number": document.number,
                "issued_on": document.issued_on,
                "doc_type": document.doc_type,
                "title": document.title,
                "issuer": document.issuer,
                "implements": document.implements_id,
                "version": document.version,
            }
        else:
            home = _home_unit(request)
            initial = {"unit": home.pk if home else None}
        form = _document_form(request, document, initial=initial)
        return render(request, "outreach/document_form.html", {"form": form, "document": document})
    form = _document_form(request, document, data=request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        unit_id = data["unit"]
        code = (data.get("unit_code") or "").strip()
        if code:
            try:
                unit_id = units_selectors.unit_resolve(request.user, code, data["issued_on"]).pk
            except DomainError as exc:
                form.add_error("unit_code", exc.message)
                unit_id = None
        if not form.errors:
            value = services.DocumentInput(
                unit_id=unit_id,
                number=data["number"],
                issued_on=data["issued_on"],
                doc_type=data["doc_type"],
                title=data["title"],
                issuer=data["issuer"],
                implements_id=data["implements"],
            )
            try:
                if document is None:
                    saved = services.document_record(actor=request.user, data=value, today=_today())
                else:
                    version = data["version"]
                    saved = services.document_update(
                        actor=request.user,
                        document_id=document.pk,
                        version=version if version is not None else -1,
                        data=value,
                        today=_today(),
                    )
            except DomainError as exc:
                form_domain_error(form, exc)
                status = 409 if exc.status == 409 else 400
            else:
                messages.success(request, _("The document is saved in the registry."))
                return redirect("outreach:document", saved.pk)
    context = {"form": form, "document": document, "error_items": _error_items(form)}
    return render(request, "outreach/document_form.html", context, status=status)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def document_new(request):
    return _document_page(request, None)


@page(RECORD)
@require_http_methods(["GET", "POST"])
def document_edit(request, document_id: int):
    document = selectors.document_get_for(request.user, document_id)
    access.require(request.user, RECORD, document)
    return _document_page(request, document)


def _render_document(request, document: IssuedDocument, file_form=None, status: int = 200):
    user = request.user
    can_record = access.can(user, RECORD, document)
    activities = selectors.activities_of_document(user, document)
    context = {
        "document": document,
        "activities": list(activities[:100]),
        "activity_count": activities.count(),
        "files": selectors.files_of(document),
        "can_record": can_record,
        "file_form": (file_form or DocumentFileForm()) if can_record else None,
        "form": file_form,
    }
    return render(request, "outreach/document.html", context, status=status)


@page(VIEW)
@require_GET
def document_detail(request, document_id: int):
    return _render_document(request, selectors.document_get_for(request.user, document_id))


@page(RECORD)
@require_POST
def document_file(request, document_id: int):
    """Keep the text of the document (a scan or the signed file) with its entry."""
    document = selectors.document_get_for(request.user, document_id)
    access.require(request.user, RECORD, document)
    form = DocumentFileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_file_add(
                actor=request.user,
                document_id=document.pk,
                name=upload.name or "",
                data=upload.read(),
                today=_today(),
            )
        except DomainError as exc:
            form_domain_error(form, exc, field_map={"files": "file"})
        else:
            messages.success(request, _("The file is kept with the document."))
            return redirect("outreach:document", document.pk)
    return _render_document(request, document, file_form=form, status=400)


# ---- dialogue conferences missing ---------------------------------------------------------------


@page(VIEW)
@require_GET
def dialogue_missing(request):
    """Communes in the user's scope that held no dialogue conference with the people in a year
    (Luật Thực hiện dân chủ ở cơ sở 10/2022/QH15 Art 32: at least one a year)."""
    today = _today()
    years = list(range(today.year, FIRST_DIALOGUE_YEAR - 1, -1))
    form = DialogueYearForm(request.GET or None, years=years)
    year = today.year
    if form.is_bound and form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    elif not form.is_bound:
        form = DialogueYearForm(initial={"year": year}, years=years)
    communes = selectors.communes_without_dialogue(request.user, year=year, today=today)
    page_obj = Paginator(communes, DIALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "year": year,
        "day": selectors.dialogue_year_day(year, today),
        "running": year == today.year,
        "page_obj": page_obj,
        "total": page_obj.paginator.count,
    }
    return render(request, "outreach/dialogue_missing.html", context)
