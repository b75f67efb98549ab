"""Pages of petitions: the handler's worklist, intake with the duplicate check, the receipt, a
petition with its timeline, one generic page per lifecycle step, the denouncer's identity,
attachments, and the citizen's tracking page.

Thin like every page: parse the form, call one service or selector, render. A DomainError lands
on the form (`form_domain_error`), or becomes the 403/404 page (`page`). The buttons of a
petition come from `lifecycle.allowed_from`, filtered by what the user may do.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from danvan.core import crypto
from danvan.core.context_processors import current_unit, role_units
from danvan.core.errors import DomainError, NotFound, PermissionDenied
from danvan.core.text import normalize
from danvan.core.uploads import check_upload
from danvan.core.views import form_domain_error, page, raise_for_http
from danvan.units import access
from danvan.units import selectors as units_selectors
from danvan.units.forms import MAX_UNIT_OPTIONS, unit_choices
from danvan.units.models import Role, UnitLevel

from . import deadlines, identity, presenters, selectors, services, timing
from .forms import (
    HANDLER_MINE,
    MAX_FILES,
    MAX_PARTS,
    MAX_PETITIONERS,
    STATUS_DISPOSAL,
    AcceptForm,
    AssignForm,
    AttachForm,
    DecideForm,
    DialogueForm,
    ExtendForm,
    FileAwayForm,
    GrantForm,
    GroundForm,
    GuideForm,
    IntakeForm,
    PartFormSet,
    PetitionerFormSet,
    PlainActionForm,
    ReplyForm,
    RevealForm,
    TrackCodeForm,
    TrackSecretForm,
    TransferForm,
    UrgeForm,
    VerifyForm,
    WithdrawForm,
    WorklistFilterForm,
    parse_link,
)
from .lifecycle import TRANSITIONS, allowed_from
from .models import Outcome, Petition, outcomes_for
from .selectors import WorklistFilter

WORKLIST_PAGE_SIZE = 25
# The tracking secret of a new petition waits here until its receipt shows it.
SECRET_SESSION_KEY = "danvan.petition_secret.{id}"  # noqa: S105 - the name of a session key
BATCH_SESSION_KEY = "danvan.receipt_batch.{id}"  # petitions made by one intake form, for one receipt
STASH_SESSION_KEY = "danvan.intake_files"
STASH_MAX_AGE = 24 * 3600


def _today() -> date:
    return timezone.localdate()


def _units_where(user, action: str) -> list:
    """The user's role units in which they may do `action` (for the unit selects)."""
    return [unit for unit in role_units(user) if access.can(user, action, unit)]


def _staff_of(units, roles=(Role.HANDLER, Role.LEADER)) -> list[tuple[Any, str]]:
    """(user, label) of the people holding `roles` in `units`."""
    return [
        (user, user.get_full_name() or user.get_username()) for user in units_selectors.staff_of(units, roles)
    ]


# ---- the worklist ---------------------------------------------------------------------------------


@page("record.view")
@require_GET
def worklist(request):
    """The handler's list: open petitions of the user's units, the nearest legal deadline first."""
    today = _today()
    units = _units_where(request.user, "record.view")
    form = WorklistFilterForm(request.GET or None, units=units, handlers=_staff_of(units))
    wanted = WorklistFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        handler = data["handler"]
        wanted = WorklistFilter(
            kind=data["kind"],
            field=data["field"],
            channel=data["channel"],
            status="" if data["status"] == STATUS_DISPOSAL else data["status"],
            disposal=data["status"] == STATUS_DISPOSAL,
            handler_id=request.user.pk if handler == HANDLER_MINE else (int(handler) if handler else None),
            urgency=data["urgency"],
            unit_id=data["unit"],
            query=normalize(data["q"]),
        )
    counts = selectors.petition_counts_for(request.user, wanted, today=today)
    paginator = Paginator(selectors.petition_list_for(request.user, wanted, today=today), WORKLIST_PAGE_SIZE)
    paginator.count = counts["total"]  # the same filter, already counted: no second COUNT query
    page_obj = paginator.get_page(request.GET.get("page"))
    calendar = timing.calendar_around(today)
    rows = [
        (petition, presenters.urgency(petition.due_date, today, calendar))
        for petition in page_obj.object_list
    ]
    context = {
        "form": form,
        "counts": counts,
        "page_obj": page_obj,
        "rows": rows,
        "today": today,
        "can_intake": "petition.intake" in access.allowed_actions(request.user),
    }
    return render(request, "petitions/worklist.html", context)


# ---- intake: the files kept between the check and the save ------------------------------------


@dataclass
class KeptFile:
    index: int
    name: str
    size: int
    identifying: bool


class _FileStash:
    """Files received by the intake form before the petition is saved: the duplicate check and
    an added row re-render the form, and a browser never sends a file twice. Kept sealed on disk
    under MEDIA_ROOT for one session (the token is in the session), removed on save or after a day."""

    def __init__(self, request):
        self.request = request
        self.root = Path(settings.MEDIA_ROOT) / "intake-stash"
        self.tokens: dict[str, list[dict]] = request.session.get(STASH_SESSION_KEY, {})

    def entries(self, token: str) -> list[dict]:
        return self.tokens.get(token, []) if token else []

    def _save(self) -> None:
        self.request.session[STASH_SESSION_KEY] = self.tokens
        self.request.session.modified = True

    def _new_token(self) -> str:
        self._sweep()
        token = secrets.token_hex(16)
        self.tokens[token] = []
        return token

    def _sweep(self) -> None:
        if not self.root.is_dir():
            return
        limit = time.time() - STASH_MAX_AGE
        for folder in self.root.iterdir():
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    def update(self, token: str, post, uploads, identifying: bool) -> tuple[str, list[str]]:
        """Apply the form's per-file choices (identifying, remove) and add the new uploads.
        Returns the token and the problems of refused files."""
        entries = self.entries(token)
        if token and token not in self.tokens:
            token = ""
        kept = []
        for n, entry in enumerate(entries):
            if post.get(f"kept-{n}-remove"):
                Path(entry["path"]).unlink(missing_ok=True)
                continue
            entry["identifying"] = bool(post.get(f"kept-{n}-identifying"))
            kept.append(entry)
        problems: list[str] = []
        for upload in uploads:
            if len(kept) >= MAX_FILES:
                problems.append(_("At most %(count)s files can be attached.") % {"count": MAX_FILES})
                break
            data = upload.read()
            try:
                checked = check_upload(upload.name, data, field="files")
            except DomainError as exc:
                problems.append(exc.message)
                continue
            if not token:
                token = self._new_token()
            folder = self.root / token
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / secrets.token_hex(8)
            path.write_bytes(crypto.seal_bytes(checked.data))
            kept.append(
                {"path": str(path), "name": checked.name, "size": len(data), "identifying": identifying}
            )
        if token:
            self.tokens[token] = kept
            self._save()
        return token, problems

    def files(self, token: str) -> list[services.FileInput]:
        out = []
        for entry in self.entries(token):
            try:
                data = crypto.unseal_bytes(Path(entry["path"]).read_bytes())
            except (OSError, crypto.SealError):
                continue
            out.append(services.FileInput(name=entry["name"], data=data, identifying=entry["identifying"]))
        return out

    def kept(self, token: str) -> list[KeptFile]:
        return [
            KeptFile(n, entry["name"], entry["size"], entry["identifying"])
            for n, entry in enumerate(self.entries(token))
        ]

    def discard(self, token: str) -> None:
        if token in self.tokens:
            shutil.rmtree(self.root / token, ignore_errors=True)
            del self.tokens[token]
            self._save()


# ---- intake -----------------------------------------------------------------------------------


@dataclass
class PartCheck:
    """One content after the duplicate check: the earlier petitions it may repeat, each with the
    two ways to link to it, and the clerk's current choice."""

    number: int
    form: Any
    options: list[dict]
    selected: str


def _options(candidates) -> list[dict]:
    return [
        {"candidate": c, "duplicate": f"duplicate-{c.petition.pk}", "case": f"case-{c.petition.pk}"}
        for c in candidates
    ]


def _raw(form) -> dict:
    """A bound form's submitted values without validating them (to re-render with a new row)."""
    return {name: form[name].value() for name in form.fields if name != "files"}


def _identities(people_forms) -> list[identity.Identity]:
    """The petitioners as the duplicate check sees them (cleaned like the service cleans them)."""
    out = []
    for data in people_forms:
        name = normalize(data.get("name"))
        id_number = identity.clean_id_number(data.get("id_number") or "")
        if name or id_number:
            out.append(
                identity.Identity(name=name, id_number=id_number, address=normalize(data.get("address")))
            )
    return out


def _find_previous(user, text: str, unit_id: int | None) -> int | None:
    return selectors.petition_find_for(user, text, unit_id=unit_id)


def _fingerprint(form_data: dict, parts: list[dict], people: list[dict]) -> str:
    """What the duplicate check and the warnings depend on: a change asks for a new check."""
    basis = {
        "unit": form_data.get("unit"),
        "received_on": str(form_data.get("received_on")),
        "known": str(form_data.get("decision_known_on")),
        "remote": bool(form_data.get("remote")),
        "parts": [[p.get("kind"), normalize(p.get("content"))] for p in parts],
        "people": [
            [
                normalize(p.get("name")),
                identity.clean_id_number(p.get("id_number") or ""),
                normalize(p.get("address")),
            ]
            for p in people
        ],
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()[:32]


class _Intake:
    """The intake form with its two lists of rows (contents, petitioners) and its kept files."""

    def __init__(
        self, request, units, data=None, files=None, initial=None, parts_initial=None, people_initial=None
    ):
        self.request = request
        self.form = IntakeForm(data, files, units=units, initial=initial)
        self.parts = PartFormSet(data, prefix="parts", initial=parts_initial)
        self.people = PetitionerFormSet(data, prefix="people", initial=people_initial)
        self.section_errors: dict[str, list[str]] = {"parts": [], "people": []}
        self.checks: list[PartCheck] = []
        self.warnings: list[str] = []
        self.kept: list[KeptFile] = []
        self.checked_ok = False

    def is_valid(self) -> bool:
        results = [self.form.is_valid(), self.parts.is_valid(), self.people.is_valid()]
        return all(results)

    def used_parts(self) -> list[tuple[int, Any]]:
        # A row left empty is skipped; a row partly typed was validated as a whole.
        return [(n, f) for n, f in enumerate(self.parts.forms) if n < self.parts.min_num or f.has_changed()]

    def used_people(self) -> list[tuple[int, Any]]:
        return [(n, f) for n, f in enumerate(self.people.forms) if not f.is_blank()]

    def error_items(self) -> list[dict]:
        """Every problem for the error summary, each linked to its field."""
        items: list[dict] = []

        def add_form(form):
            for error in form.non_field_errors():
                items.append({"text": error, "href": ""})
            for field in form:
                for error in field.errors:
                    items.append({"text": error, "href": "" if field.is_hidden else f"#{field.id_for_label}"})

        add_form(self.form)
        for section, formset in (("parts", self.parts), ("people", self.people)):
            for error in formset.non_form_errors():
                items.append({"text": error, "href": f"#{section}"})
            for error in self.section_errors[section]:
                items.append({"text": error, "href": f"#{section}"})
            for form in formset.forms:
                for name, errors in form.errors.items():
                    anchor = f"#{form[name].id_for_label}" if name in form.fields and name != "link" else ""
                    if name == "link":
                        anchor = f"#{form.prefix}-candidates"
                    for error in errors:
                        items.append({"text": error, "href": anchor})
        return items

    def place(self, exc: DomainError, part_rows: list[int], person_rows: list[int]) -> None:
        """A refusal of the service onto the form, the content rows and the petitioner rows."""
        placed: set[str] = set()
        for name, texts in exc.field_messages().items():
            head, _dot, rest = name.partition(".")
            index, _dot, field = rest.partition(".")
            target = None
            if head == "parts" and index.isdigit() and int(index) < len(part_rows):
                target = self.parts.forms[part_rows[int(index)]]
            elif head == "petitioners" and index.isdigit() and int(index) < len(person_rows):
                target = self.people.forms[person_rows[int(index)]]
                field = "address_unit_code" if field == "address_unit" else field
            if target is not None:
                for text in texts:
                    target.add_error(field if field in target.fields else None, text)
                    placed.add(text)
            elif name in ("parts", "petitioners"):
                self.section_errors["parts" if name == "parts" else "people"].extend(texts)
                placed.update(texts)
            elif head == "files":
                for text in texts:
                    self.form.add_error("files", text)
                    placed.add(text)
            elif name in self.form.fields:
                for text in texts:
                    self.form.add_error(name, text)
                    placed.add(text)
        if not placed:
            raise_for_http(exc)
        if exc.message not in placed:
            self.form.add_error(None, exc.message)

    def context(self) -> dict:
        return {
            "form": self.form,
            "parts": self.parts,
            "people": self.people,
            "section_errors": self.section_errors,
            "error_items": self.error_items() if self.form.is_bound else [],
            "checks": self.checks,
            "warnings": self.warnings,
            "kept": self.kept,
            "checked_ok": self.checked_ok,
            "max_parts": MAX_PARTS,
            "max_people": MAX_PETITIONERS,
        }


def _with_row(intake: _Intake, section: str) -> tuple[dict, list[dict], list[dict]]:
    """The submitted values, unvalidated, with one more empty row in `section`."""
    initial = _raw(intake.form)
    parts = [_raw(f) for f in intake.parts.forms]
    people = [_raw(f) for f in intake.people.forms]
    if section == "parts" and len(parts) < MAX_PARTS:
        parts.append({})
    if section == "people" and len(people) < MAX_PETITIONERS:
        people.append({})
    return initial, parts, people


def _intake_input(
    request, intake: _Intake, files: list[services.FileInput]
) -> tuple[services.IntakeInput, list, list]:
    """The service's input from the valid forms; address codes and the earlier petition are
    looked up here (a DomainError names the field)."""
    data = intake.form.cleaned_data
    parts, part_rows = [], []
    for n, form in intake.used_parts():
        d = form.cleaned_data
        how, link_id = parse_link(d.get("link") or "") or ("new", None)
        parts.append(
            services.PartInput(
                kind=d["kind"],
                field=d["field"],
                content=d["content"],
                subject=d.get("subject") or "",
                link=how,
                link_petition_id=link_id,
            )
        )
        part_rows.append(n)
    people, person_rows = [], []
    for n, form in intake.used_people():
        d = form.cleaned_data
        unit_id = None
        code = (d.get("address_unit_code") or "").strip()
        if code:
            try:
                unit_id = units_selectors.unit_resolve(request.user, code, data["received_on"]).pk
            except DomainError as exc:
                form.add_error("address_unit_code", exc.message)
        people.append(
            services.PersonInput(
                name=d.get("name") or "",
                id_number=d.get("id_number") or "",
                address=d.get("address") or "",
                address_unit_id=unit_id,
                phone=d.get("phone") or "",
                representative=bool(d.get("representative")),
            )
        )
        person_rows.append(n)
    previous_id = None
    if data.get("previous"):
        try:
            previous_id = _find_previous(request.user, data["previous"], data["unit"])
        except DomainError as exc:
            intake.form.add_error("previous", exc.message)
    value = services.IntakeInput(
        unit_id=data["unit"],
        received_on=data["received_on"],
        channel=data["channel"],
        parts=parts,
        petitioners=people,
        signer_count=data["signer_count"],
        anonymous=data["anonymous"],
        has_original_documents=data["has_original_documents"],
        sender_body=data["sender_body"],
        sender_document_number=data["sender_document_number"],
        decision_known_on=data["decision_known_on"],
        complex=data["complex"],
        remote=data["remote"],
        previous_id=previous_id,
        files=files,
    )
    return value, part_rows, person_rows


def _check(request, intake: _Intake, value: services.IntakeInput, part_rows: list[int]) -> None:
    """The duplicate check of each content, and the warnings the service would give."""
    people = _identities(
        [{"name": p.name, "id_number": p.id_number, "address": p.address} for p in value.petitioners]
    )
    for number, (row, part) in enumerate(zip(part_rows, value.parts, strict=True), start=1):
        candidates = selectors.duplicate_candidates_for(request.user, people=people, content=part.content)
        form = intake.parts.forms[row]
        options = _options(candidates)
        selected = form["link"].value() or "new"
        if selected not in {"new", *(o["duplicate"] for o in options), *(o["case"] for o in options)}:
            selected = "new"
        intake.checks.append(PartCheck(number, form, options, selected))
    intake.warnings = _intake_warnings(request, value)


def _intake_warnings(request, value: services.IntakeInput) -> list[str]:
    try:
        return services.petition_intake_check(actor=request.user, data=value, today=timezone.localdate())
    except DomainError:
        return []  # the errors are on the form already


def _render_intake(request, intake: _Intake, status: int = 200):
    return render(request, "petitions/intake.html", intake.context(), status=status)


@page("petition.intake")
@require_http_methods(["GET", "POST"])
def intake(request):
    """One form for the whole petition. The first submit checks for earlier petitions of the same
    petitioner or content and shows the warnings; the clerk chooses, per content, to link it as a
    duplicate, as a new petition of that case, or as new; the second submit saves."""
    today = _today()
    units = _units_where(request.user, "petition.intake")
    if not units:
        raise PermissionDenied()
    if request.method == "GET":
        here = current_unit(request)
        default = here.pk if here is not None and any(u.pk == here.pk for u in units) else units[0].pk
        initial = {"unit": default, "received_on": today, "signer_count": 1}
        return _render_intake(request, _Intake(request, units, initial=initial))

    step = request.POST.get("step", "check")
    stash = _FileStash(request)
    token, problems = stash.update(
        request.POST.get("kept", ""),
        request.POST,
        request.FILES.getlist("files"),
        identifying=bool(request.POST.get("files_identifying")),
    )
    if step in ("add_part", "add_person"):
        bound = _Intake(request, units, request.POST, request.FILES)
        initial, parts, people = _with_row(bound, "parts" if step == "add_part" else "people")
        initial.update(kept=token, checked="", files_identifying=False)
        fresh = _Intake(request, units, initial=initial, parts_initial=parts, people_initial=people)
        fresh.kept = stash.kept(token)
        return _render_intake(request, fresh)

    post = request.POST.copy()
    post["kept"] = token
    intake_ = _Intake(request, units, post, request.FILES)
    intake_.kept = stash.kept(token)
    valid = intake_.is_valid()
    for problem in problems:
        intake_.form.add_error("files", problem)
    if not valid or problems:
        return _render_intake(request, intake_, status=400)
    value, part_rows, person_rows = _intake_input(request, intake_, [])
    if intake_.form.errors or any(f.errors for f in intake_.people.forms):
        return _render_intake(request, intake_, status=400)
    fingerprint = _fingerprint(
        intake_.form.cleaned_data,
        [f.cleaned_data for _n, f in intake_.used_parts()],
        [f.cleaned_data for _n, f in intake_.used_people()],
    )
    if step == "save" and intake_.form.cleaned_data["checked"] == fingerprint:
        value = replace(value, files=stash.files(token))
        try:
            result = services.petition_intake(actor=request.user, data=value, today=today)
        except DomainError as exc:
            intake_.place(exc, part_rows, person_rows)
            _check(request, intake_, value, part_rows)
            intake_.checked_ok = True
            return _render_intake(request, intake_, status=400)
        stash.discard(token)
        first = result.petitions[0]
        for petition in result.petitions:
            request.session[SECRET_SESSION_KEY.format(id=petition.pk)] = result.secrets[petition.pk]
        request.session[BATCH_SESSION_KEY.format(id=first.pk)] = [p.pk for p in result.petitions]
        messages.success(
            request,
            _("The petition is received with number %(number)s.")
            % {"number": ", ".join(p.receipt_number for p in result.petitions)},
        )
        return redirect("petitions:receipt", first.pk)
    if step == "save":
        messages.warning(
            request, _("The petition changed after the check: look at the earlier petitions again.")
        )
    try:
        services.petition_intake_check(actor=request.user, data=value, today=today)
    except DomainError as exc:
        intake_.place(exc, part_rows, person_rows)
        return _render_intake(request, intake_, status=400)
    _check(request, intake_, value, part_rows)
    # The check is done for exactly these values: the next submit saves.
    intake_.form.data = intake_.form.data.copy()
    intake_.form.data["checked"] = fingerprint
    intake_.checked_ok = True
    return _render_intake(request, intake_)


@page("petition.intake")
@require_POST
def duplicates(request):
    """The earlier petitions that look like the one being typed (htmx, as the clerk types)."""
    if not request.htmx:
        return redirect("petitions:intake")
    contents: dict[str, str] = {}
    people: dict[str, dict] = {}
    for key, value in request.POST.items():
        match = re.match(r"^(parts|people)-(\d+)-(content|name|id_number|address)$", key)
        if not match:
            continue
        if match[1] == "parts":
            contents[match[2]] = value
        else:
            people.setdefault(match[2], {})[match[3]] = value
    content = " ".join(normalize(text) for _k, text in sorted(contents.items()) if normalize(text))
    identities = _identities(list(people.values()))
    candidates = []
    if content or identities:
        candidates = selectors.duplicate_candidates_for(request.user, people=identities, content=content)
    return render(request, "petitions/intake.html#preview", {"candidates": _options(candidates)})


# ---- the receipt --------------------------------------------------------------------------------


def _petitioner_line(user, petition: Petition) -> str:
    """Who the receipt names: never a denouncer (the receipt may be seen by others), nobody for an
    anonymous petition."""
    if petition.protected:
        return _("Denouncer (identity protected)")
    if petition.anonymous:
        return _("Anonymous")
    people = [p for p in selectors.petitioners_for(user, petition) if p.name]
    if not people:
        return "—"
    if len(people) == 1:
        return people[0].name
    return _("%(name)s and %(count)s others") % {"name": people[0].name, "count": len(people) - 1}


@never_cache
@page("petition.intake")
@require_GET
def receipt(request, petition_id: int):
    """The printable receipt. The tracking secret exists only right after intake: it is shown on
    the first view of the receipt and then forgotten."""
    petition = selectors.petition_get_for(request.user, petition_id)
    access.require(request.user, "petition.intake", petition)
    batch = request.session.pop(BATCH_SESSION_KEY.format(id=petition.pk), None) or [petition.pk]
    petitions = [petition]
    for other in batch:
        if other != petition.pk:
            try:
                petitions.append(selectors.petition_get_for(request.user, other))
            except NotFound:
                continue
    receipts = []
    for item in petitions:
        receipts.append(
            {
                "petition": item,
                "petitioner": _petitioner_line(request.user, item),
                "secret": request.session.pop(SECRET_SESSION_KEY.format(id=item.pk), None),
            }
        )
    context = {
        "receipts": receipts,
        "petition": petition,
        "track_url": request.build_absolute_uri(reverse("petitions:track")),
    }
    response = render(request, "petitions/receipt.html", context)
    response["Cache-Control"] = "no-store"
    return response


# ---- a petition ---------------------------------------------------------------------------------


def _deadline(petition: Petition):
    try:
        return timing.deadline_of(petition)
    except (LookupError, ValueError):
        return None


def _actions_for(user, petition: Petition):
    return [t for t in allowed_from(petition.status) if access.can(user, t.permission, petition)]


@page("record.view")
@require_GET
def detail(request, petition_id: int):
    user = request.user
    petition = selectors.petition_get_for(user, petition_id)
    today = _today()
    deadline = _deadline(petition)
    entitled = petition.protected and selectors.identity_entitled(user, petition)
    attachments = selectors.attachments_for(user, petition)
    context = {
        "petition": petition,
        "petitioners": selectors.petitioners_for(user, petition),
        "attachments": attachments,
        "timeline": selectors.timeline_for(user, petition.pk),
        "related": selectors.followups_for(user, petition),
        "deadline": deadline,
        "explanation": deadlines.explain(deadline) if deadline else [],
        "urgency": presenters.urgency(petition.due_date, today, timing.calendar_around(today)),
        "actions": _actions_for(user, petition),
        "entitled": entitled,
        "can_grant": entitled and access.can(user, "petition.decide", petition),
        "reveal_form": RevealForm() if entitled else None,
        "resolved": bool(petition.decision_number),
    }
    return render(request, "petitions/detail.html", context)


# ---- lifecycle steps ----------------------------------------------------------------------------


def _results(data) -> services.Results:
    return services.Results(
        money_recovered=data["money_recovered"] or 0,
        land_recovered=data["land_recovered"] or 0,
        money_returned=data["money_returned"] or 0,
        land_returned=data["land_returned"] or 0,
        people_restored=data["people_restored"] or 0,
        people_sanctioned=data["people_sanctioned"] or 0,
        cases_to_investigation=data["cases_to_investigation"] or 0,
    )


def _file_input(upload, identifying: bool = False) -> services.FileInput | None:
    if not upload:
        return None
    return services.FileInput(name=upload.name, data=upload.read(), identifying=identifying)


def _call(actor, action: str, petition: Petition, data: dict, target_unit_id: int | None) -> Petition:
    """Call the service of `action` with the form's values."""
    common = {"actor": actor, "petition_id": petition.pk, "version": data["version"]}
    today = _today()
    on = data.get("on")
    if action == "assign":
        return services.petition_assign(**common, handler_id=data["handler"], today=today)
    if action == "accept":
        return services.petition_accept(
            **common, on=on, today=today, complex=data["complex"], remote=data["remote"]
        )
    if action == "guide":
        return services.petition_guide(
            **common,
            on=on,
            today=today,
            guided_to=data["guided_to"],
            eligible=data["eligible"],
            ineligible_reason=data["ineligible_reason"],
            note=data["note"],
        )
    if action == "transfer":
        return services.petition_transfer(
            **common,
            on=on,
            today=today,
            target_unit_id=target_unit_id,
            target_name=data["target_name"],
            document_number=data["document_number"],
            eligible=data["eligible"],
            ineligible_reason=data["ineligible_reason"],
        )
    if action == "urge":
        if target_unit_id is None:
            message = _("Choose the lower-level unit.")
            raise DomainError("target_required", message, fields={"target_unit": message})
        return services.petition_urge(
            **common,
            on=on,
            today=today,
            target_unit_id=target_unit_id,
            document_number=data["document_number"],
        )
    if action == "file":
        return services.petition_file(
            **common, on=on, today=today, ineligible_reason=data["ineligible_reason"], note=data["note"]
        )
    if action == "record_reply":
        return services.petition_record_reply(**common, on=on, today=today, summary=data["summary"])
    if action == "attach":
        upload = data["file"]  # required by the form
        document = services.FileInput(name=upload.name, data=upload.read(), identifying=data["identifying"])
        return services.petition_attach(**common, on=on, today=today, file=document)
    if action == "verify":
        return services.petition_verify(
            **common, on=on, today=today, summary=data["summary"], file=_file_input(data.get("file"))
        )
    if action == "dialogue":
        return services.petition_dialogue(
            **common,
            on=on,
            today=today,
            participants=data["participants"],
            summary=data["summary"],
            minutes=_file_input(data.get("minutes")),
        )
    if action == "extend":
        return services.petition_extend(
            **common,
            on=on,
            today=today,
            ground=data["ground"],
            days=data["days"],
            especially_complex=data["especially_complex"],
        )
    if action == "suspend":
        return services.petition_suspend(**common, on=on, today=today, ground=data["ground"])
    if action == "resume":
        return services.petition_resume(**common, on=on, today=today)
    if action == "withdraw":
        return services.petition_withdraw(
            **common,
            on=on,
            today=today,
            petitioner_ids=data["petitioners"] or None,
            note=data["note"],
            continue_anyway=data["continue_anyway"],
        )
    if action == "decide":
        return services.petition_decide(
            **common,
            today=today,
            number=data["number"],
            decided_on=data["decided_on"],
            signer=data["signer"],
            outcome=data["outcome"],
            results=_results(data),
        )
    if action == "dispose":
        return services.petition_dispose(**common, on=on, today=today)
    raise NotFound()


ACTION_FORMS: dict[str, type[forms.Form]] = {
    "assign": AssignForm,
    "accept": AcceptForm,
    "guide": GuideForm,
    "transfer": TransferForm,
    "urge": UrgeForm,
    "file": FileAwayForm,
    "record_reply": ReplyForm,
    "attach": AttachForm,
    "verify": VerifyForm,
    "dialogue": DialogueForm,
    "extend": ExtendForm,
    "suspend": GroundForm,
    "resume": PlainActionForm,
    "withdraw": WithdrawForm,
    "decide": DecideForm,
    "dispose": PlainActionForm,
}
# Where a service's field names land on a step's form when they differ.
ACTION_FIELD_MAP: dict[str, dict[str, str]] = {"decide": {"on": "decided_on"}}


def _prepare(request, action: str, form, petition: Petition) -> None:
    """The choices that depend on the petition or the user."""
    today = _today()
    if action == "assign":
        form.fields["handler"].choices = [("", _("Choose the handler"))] + [
            (user.pk, label) for user, label in _staff_of([petition.unit])
        ]
    elif action in ("transfer", "urge"):
        if action == "transfer":
            units = units_selectors.unit_list_for(request.user, on=today, level="agency").exclude(
                pk=petition.unit_id
            )
        else:
            # Lower level: units whose area lies below the petition's own area.
            area = petition.unit
            while not area.is_area and area.parent_id is not None:
                area = area.parent
            units = units_selectors.unit_descendants(area, on=today).exclude(
                parent_id=area.pk, level=UnitLevel.AGENCY
            )
        units = list(units.order_by("path")[: MAX_UNIT_OPTIONS + 1])
        form.fields["target_unit"].widget.choices = unit_choices(units[:MAX_UNIT_OPTIONS])
        if len(units) > MAX_UNIT_OPTIONS:
            form.fields["target_unit_code"].help_text = _(
                "The list shows only the first units; type the code of any other unit."
            )
    elif action == "withdraw":
        people = [p for p in selectors.petitioners_for(request.user, petition) if p.withdrawn_on is None]
        form.fields["petitioners"].choices = [
            (
                person.pk,
                person.name
                if person.name and not petition.protected
                else _("Petitioner %(number)s") % {"number": n},
            )
            for n, person in enumerate(people, start=1)
        ]
    elif action == "decide":
        form.fields["outcome"].choices = [("", _("Choose the outcome"))] + [
            (value, Outcome(value).label) for value in outcomes_for(petition.kind, petition.round)
        ]


def _target_unit(request, form) -> int | None:
    """The receiving unit of a transfer or an urging: typed as a code (which wins) or chosen."""
    code = (form.cleaned_data.get("target_unit_code") or "").strip()
    if not code:
        return form.cleaned_data.get("target_unit")
    on = form.cleaned_data.get("on") or _today()
    try:
        return units_selectors.unit_resolve(request.user, code, on).pk
    except DomainError as exc:
        form.add_error("target_unit_code", exc.message)
        return None


@page("record.view")
@require_http_methods(["GET", "POST"])
def action(request, petition_id: int, action: str):
    """One page for every lifecycle step: the step's form, then its service."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise NotFound()
    petition = selectors.petition_get_for(request.user, petition_id)
    access.require(request.user, transition.permission, petition)
    form_class = ACTION_FORMS[action]
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, petition=petition)
        _prepare(request, action, form, petition)
        target = _target_unit(request, form) if form.is_valid() and "target_unit" in form.fields else None
        if form.is_valid():
            try:
                _call(request.user, action, petition, form.cleaned_data, target)
            except DomainError as exc:
                field_map = dict(ACTION_FIELD_MAP.get(action, {}))
                if (form.cleaned_data.get("target_unit_code") or "").strip():
                    field_map["target_unit"] = "target_unit_code"
                form_domain_error(form, exc, field_map)
                status = exc.status if exc.status == 409 else 400
            else:
                messages.success(request, _("Recorded: %(action)s.") % {"action": transition.label})
                return redirect("petitions:detail", petition.pk)
        else:
            status = 400
    else:
        if transition not in allowed_from(petition.status):
            raise DomainError(
                "transition_not_allowed",
                _("“%(action)s” is not possible for a petition that is “%(status)s”."),
                action=transition.label,
                status=petition.get_status_display(),
            )
        today = _today()
        initial: dict[str, Any] = {"version": petition.version, "on": today, "decided_on": today}
        if action == "accept":
            initial.update(complex=petition.complex, remote=petition.remote)
        if action == "assign" and petition.handler_id:
            initial["handler"] = petition.handler_id
        form = form_class(initial=initial, petition=petition)
        _prepare(request, action, form, petition)
    context = {"petition": petition, "transition": transition, "action": action, "form": form}
    return render(request, "petitions/action.html", context, status=status)


# ---- the denouncer's identity -------------------------------------------------------------------


@never_cache
@page("record.view")
@require_http_methods(["GET", "POST"])
def identity_view(request, petition_id: int):
    """The petitioners' identities in clear, for an entitled user, after giving a reason (logged)."""
    petition = selectors.petition_get_for(request.user, petition_id)
    if not selectors.identity_entitled(request.user, petition):
        raise PermissionDenied()
    form = RevealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            people = services.identity_reveal(
                actor=request.user, petition_id=petition.pk, reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            unit_ids = {ident.address_unit_id for _p, ident in people if ident.address_unit_id}
            units = units_selectors.unit_list_for(request.user).in_bulk(unit_ids) if unit_ids else {}
            rows = [(row, ident, units.get(ident.address_unit_id)) for row, ident in people]
            response = render(
                request, "petitions/identity.html", {"petition": petition, "rows": rows, "revealed": True}
            )
            response["Cache-Control"] = "no-store"
            return response
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "petitions/identity.html", {"petition": petition, "form": form}, status=status)


@page("petition.decide")
@require_http_methods(["GET", "POST"])
def identity_grant(request, petition_id: int):
    """The head of the handling unit lets one more user see the protected identity."""
    petition = selectors.petition_get_for(request.user, petition_id)
    if not (
        selectors.identity_entitled(request.user, petition)
        and access.can(request.user, "petition.decide", petition)
    ):
        raise PermissionDenied()
    staff = [
        (user, label)
        for user, label in _staff_of(
            [petition.unit],
            roles=(Role.CLERK, Role.HANDLER, Role.LEADER, Role.COMMITTEE_MEMBER, Role.AUDITOR),
        )
        if user.pk != request.user.pk
    ]
    form = GrantForm(request.POST or None)
    form.fields["user"].choices = [("", _("Choose a user"))] + [(user.pk, label) for user, label in staff]
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.identity_grant(
                actor=request.user,
                petition_id=petition.pk,
                user_id=form.cleaned_data["user"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            form_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s may now see the identity.")
                % {"user": grant.user.get_full_name() or grant.user.get_username()},
            )
            return redirect("petitions:detail", petition.pk)
    status = 400 if form.is_bound and form.errors else 200
    grants = selectors.identity_grants_for(request.user, petition)
    return render(
        request,
        "petitions/identity_grant.html",
        {"petition": petition, "form": form, "grants": grants},
        status=status,
    )


@page("petition.decide")
@require_POST
def identity_revoke(request, grant_id: int):
    """Take back a user's access to the identity."""
    petition_id = request.POST.get("petition", "")
    services.identity_revoke(actor=request.user, grant_id=grant_id)
    messages.success(request, _("The access is taken back."))
    if petition_id.isdigit():
        return redirect("petitions:identity_grant", int(petition_id))
    return redirect("petitions:worklist")


# ---- attachments --------------------------------------------------------------------------------


@never_cache
@page("record.view")
@require_GET
def attachment(request, attachment_id: int):
    """The file, as a download. A document that identifies a denouncer only for those entitled."""
    item, data = services.attachment_open(actor=request.user, attachment_id=attachment_id)
    disposition = content_disposition_header(True, item.original_name)
    response = HttpResponse(data, content_type=item.content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---- following a petition (public) --------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """A citizen follows their petition: first the tracking code, then the secret, then the
    status, the dates, the handling unit and the outcome or reply. Nothing else (no content, no
    names), and the same answer whether the code or the secret is wrong."""
    if request.method == "POST":
        form = TrackSecretForm(request.POST)
        if form.is_valid():
            petition = selectors.petition_by_tracking(form.cleaned_data["code"], form.cleaned_data["secret"])
            if petition is None:
                return render(request, "petitions/track.html", {"step": "not_found"}, status=404)
            context = {"step": "result", "petition": petition, "onward": selectors.petition_onward(petition)}
            return render(request, "petitions/track.html", context)
        if "code" in form.errors:
            return render(
                request, "petitions/track.html", {"step": "code", "form": TrackCodeForm()}, status=400
            )
        return render(request, "petitions/track.html", {"step": "secret", "form": form}, status=400)
    if "code" in request.GET:
        code_form = TrackCodeForm(request.GET)
        if code_form.is_valid():
            form = TrackSecretForm(initial={"code": code_form.cleaned_data["code"]})
            return render(
                request,
                "petitions/track.html",
                {"step": "secret", "form": form, "code": code_form.cleaned_data["code"]},
            )
        return render(request, "petitions/track.html", {"step": "code", "form": code_form}, status=400)
    return render(request, "petitions/track.html", {"step": "code", "form": TrackCodeForm()})
