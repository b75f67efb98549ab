"""Citizen reception (tiếp công dân): places, the heads' duties, sessions, visits, crowds, and the
notices of the head's conclusions (Luật Tiếp công dân 42/2013/QH13; Nghị định 64/2014/NĐ-CP and
154/2026/NĐ-CP; Thông tư 04/2021/TT-TTCP).

A visit belongs to a session of a unit; its unit's path is copied (`unit_path`) so books and counts
filter one table by scope. A visitor whose matter includes a denunciation is protected exactly like
a denouncer in petitions: identity sealed, matched through keyed digests only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from danvan.petitions.models import Case, Kind, Petition
from danvan.units.models import Unit


class Position(models.TextChoices):
    """Whose periodic reception days a duty is: the minimum frequency is in `rules`."""

    PC_CHAIRMAN = "pc_chairman", _("Chairman of the People's Committee")
    AGENCY_HEAD = "agency_head", _("Head of the agency")
    PARTY_SECRETARY = "party_secretary", _("Secretary of the Party committee")
    COUNCIL_CHAIR = "council_chair", _("Chairman of the People's Council")
    DEPUTY = "deputy", _("National Assembly or People's Council deputy")


class Place(models.Model):
    """A reception place (Art 2(5)): an office, a location, or another announced workplace."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300)
    regular_hours = models.CharField(_("regular reception hours"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    def __str__(self) -> str:
        return self.name


class Duty(models.Model):
    """A head's duty of periodic reception: the position, who holds it, and from when to when."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    position = models.CharField(_("position"), max_length=30, choices=Position)
    holder_name = models.CharField(_("holder"), max_length=200)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    class Meta:
        indexes = [models.Index(fields=["unit_path", "valid_from"], name="reception_duty_scope")]

    def __str__(self) -> str:
        return f"{self.holder_name} ({self.get_position_display()})"


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Regular reception")
    PERIODIC = "periodic", _("Periodic reception by the head")
    AD_HOC = "ad_hoc", _("Ad hoc reception by the head")


class Mode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class Presider(models.TextChoices):
    STAFF = "staff", _("Reception staff")
    HEAD = "head", _("The head in person")
    AUTHORISED = "authorised", _("An authorised person")


class Trigger(models.TextChoices):
    """Why an ad hoc reception was held (Art 18(3))."""

    COMPLEX = "complex", _("Acute or complex case, several agencies, or disagreement")
    MANY_PEOPLE = "many_people", _("Many people involved")
    SERIOUS = "serious", _("Risk of serious consequences to life, property, security or order")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Session(models.Model):
    """A reception session: one day of regular reception at a place, or a head's periodic or ad hoc
    reception. For the head's sessions, who actually presided is recorded (Art 12–18)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind)
    mode = models.CharField(_("form"), max_length=20, choices=Mode, default=Mode.IN_PERSON)
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"), null=True, blank=True)
    ends_at = models.TimeField(_("to"), null=True, blank=True)
    duty = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    presider = models.CharField(_("presided by"), max_length=20, choices=Presider, blank=True)
    presider_name = models.CharField(_("name of the person presiding"), max_length=200, blank=True)
    authorisation = models.CharField(_("authorisation document"), max_length=120, blank=True)
    trigger = models.CharField(
        _("reason for the ad hoc reception"), max_length=20, choices=Trigger, blank=True
    )
    attendees = models.CharField(_("also attending"), max_length=500, blank=True)
    expected_content = models.TextField(_("expected content"), blank=True)
    recording = models.CharField(_("where the recording is kept"), max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=SessionStatus, default=SessionStatus.SCHEDULED)
    published_on = models.DateField(_("schedule published on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [
            models.Index(fields=["unit_path", "day"], name="reception_session_scope_day"),
            models.Index(fields=["unit", "day"], name="reception_session_unit_day"),
            models.Index(fields=["duty", "day"], name="reception_session_duty_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d/%m/%Y}"

    @property
    def in_person_by_head(self) -> bool:
        return self.presider == Presider.HEAD


class Outcome(models.TextChoices):
    """How the matter was received and handled (Art 26; reception book columns 8–10)."""

    ANSWERED = "answered", _("Answered on the spot")
    ACCEPTED = "accepted", _("Accepted for resolution")
    GUIDED = "guided", _("Guided to the competent body")
    TRANSFERRED = "transferred", _("Transferred to the competent body")
    URGED = "urged", _("Lower level required to act")
    REFUSED = "refused", _("Reception refused")


# What each kind of content allows (Art 26; Luật Khiếu nại: a complaint outside the authority is
# guided; Luật Tố cáo Art 24: a denunciation outside it is transferred, never answered on the spot).
OUTCOMES_OF_KIND: dict[str, frozenset[str]] = {
    Kind.COMPLAINT: frozenset(
        {Outcome.ANSWERED, Outcome.ACCEPTED, Outcome.GUIDED, Outcome.URGED, Outcome.REFUSED}
    ),
    Kind.DENUNCIATION: frozenset({Outcome.ACCEPTED, Outcome.TRANSFERRED, Outcome.URGED, Outcome.REFUSED}),
    Kind.RECOMMENDATION: frozenset(
        {Outcome.ANSWERED, Outcome.ACCEPTED, Outcome.GUIDED, Outcome.TRANSFERRED, Outcome.REFUSED}
    ),
    Kind.FEEDBACK: frozenset(
        {Outcome.ANSWERED, Outcome.ACCEPTED, Outcome.GUIDED, Outcome.TRANSFERRED, Outcome.REFUSED}
    ),
}
# Outcomes after which the citizen is owed an answer within the legal time (Art 28(1)).
ANSWER_OWED = frozenset({Outcome.ACCEPTED, Outcome.TRANSFERRED, Outcome.URGED})


class RefusalGround(models.TextChoices):
    """Grounds to refuse reception (Art 9); the third uses the refusal notice (form 01)."""

    INCAPACITATED = "incapacitated", _("Drunk, under the influence, or unable to control their acts")
    THREATENING = "threatening", _("Threatening or insulting behaviour, or breach of the reception rules")
    RESOLVED = "resolved", _("Persists in a matter already resolved correctly and answered in writing")
    OTHER_LAW = "other_law", _("Another ground provided by law")


class AnswerKind(models.TextChoices):
    """What the citizen was told within 10 working days (Art 28(1))."""

    ACCEPTED = "accepted", _("Accepted for resolution")
    MORE_TIME = "more_time", _("More time needed to verify before accepting")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    TRANSFERRED = "transferred", _("Transferred to the competent body")


class Visit(models.Model):
    """One reception of one person or group (a line of the reception book)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="visits")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    day = models.DateField(_("day"))
    # Copied from the session: books and form 01/TCD split by them without a join.
    session_kind = models.CharField(max_length=20, choices=SessionKind, editable=False)
    presider = models.CharField(max_length=20, choices=Presider, editable=False)

    kinds = models.CharField(_("kind"), max_length=100)  # comma-separated Kind values, in order
    content = models.TextField(_("content"))
    content_folded = models.TextField(editable=False)
    requests = models.TextField(_("the person's requests"), blank=True)
    earlier_handling = models.CharField(_("body that already handled it"), max_length=300, blank=True)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    crowd = models.BooleanField(_("crowd"), default=False)
    protected = models.BooleanField(default=False, editable=False)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    is_repeat = models.BooleanField(_("repeated case"), default=False)
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome)
    outcome_note = models.TextField(_("what was answered or explained"), blank=True)
    target_name = models.CharField(_("body guided or transferred to"), max_length=300, blank=True)
    target_document = models.CharField(
        _("number of the guidance letter or transfer slip"), max_length=60, blank=True
    )
    refusal_ground = models.CharField(
        _("ground for refusal"), max_length=20, choices=RefusalGround, blank=True
    )
    refusal_notice = models.CharField(_("number of the refusal notice"), max_length=60, blank=True)

    answer_due = models.DateField(null=True, blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answer_kind = models.CharField(max_length=20, choices=AnswerKind, blank=True)
    follow_up = models.TextField(_("follow-up of the result"), blank=True)
    note = models.CharField(_("notes"), max_length=500, blank=True)

    petitions = models.ManyToManyField(Petition, blank=True, related_name="visits")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="visit_number_unique"),
            models.CheckConstraint(condition=models.Q(people_count__gte=1), name="visit_people_positive"),
            models.CheckConstraint(
                condition=models.Q(crowd=False) | models.Q(people_count__gte=5), name="visit_crowd_five"
            ),
        ]
        indexes = [
            models.Index(fields=["unit_path", "day"], name="reception_visit_scope_day"),
            models.Index(fields=["unit", "day"], name="reception_visit_unit_day"),
            models.Index(
                fields=["unit_path", "answer_due"],
                condition=models.Q(answered_on__isnull=True, answer_due__isnull=False),
                name="reception_visit_answer_due",
            ),
            models.Index(fields=["case"], name="reception_visit_case"),
            # The lists' orders, read in index order until a page is full, whatever the scope.
            models.Index(fields=["day", "number"], name="reception_visit_order"),
            models.Index(
                fields=["answer_due", "id"],
                condition=models.Q(answered_on__isnull=True, answer_due__isnull=False),
                name="reception_visit_answer_order",
            ),
        ]

    def __str__(self) -> str:
        return self.book_number

    @property
    def book_number(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def kind_list(self) -> list[str]:
        return [k for k in self.kinds.split(",") if k]


class Visitor(models.Model):
    """A person received in a visit (the representatives of a crowd are marked)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="visitors")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200, blank=True)
    name_folded = models.CharField(max_length=200, blank=True, editable=False)
    id_number = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    representative = models.BooleanField(default=False)
    sealed = models.TextField(blank=True)
    id_digest = models.CharField(max_length=64, blank=True)
    name_address_digest = models.CharField(max_length=64, blank=True)
    # Copied from the visit, so a look-up by name or ID filters the scope in the index.
    unit_id_copy = models.IntegerField(editable=False)
    unit_path = models.CharField(max_length=255, editable=False)

    SCOPE_UNIT_FIELD = "visit__unit"
    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "unit_id_copy"
    SEALED_FIELDS = ("sealed",)

    class Meta:
        ordering = ["position", "pk"]
        # Covering the desk's look-up: the matches in the user's scope, newest visit first, are read
        # from the index alone; only the visits finally shown are fetched.
        indexes = [
            models.Index(
                fields=["name_folded", "unit_path", "unit_id_copy", "visit"], name="reception_visitor_name"
            ),
            models.Index(
                fields=["id_digest", "unit_path", "unit_id_copy", "visit"], name="reception_visitor_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}#{self.position}"


class Conclusion(models.Model):
    """The notice of the head's conclusions after a session (Nghị định 154/2026 Art 25)."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="conclusions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, editable=False)
    number = models.CharField(_("notice number"), max_length=60)
    issued_on = models.DateField(_("issued on"))
    signer = models.CharField(_("signed by"), max_length=200)
    summary = models.TextField(_("conclusions"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH_FIELD = "unit_path"

    def __str__(self) -> str:
        return self.number


class Directive(models.Model):
    """One task of a conclusions notice: which unit does what by when, and when it was done."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="directives")
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="directives"
    )
    responsible_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    responsible_name = models.CharField(_("responsible body"), max_length=300, blank=True)
    task = models.TextField(_("task"))
    due_date = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    unit_path = models.CharField(max_length=255, editable=False)  # the concluding unit's
    version = models.PositiveIntegerField(default=0)

    SCOPE_UNIT_FIELD = "conclusion__unit"
    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "conclusion__unit_id"

    class Meta:
        indexes = [
            models.Index(
                fields=["unit_path", "due_date"],
                condition=models.Q(done_on__isnull=True),
                name="reception_directive_open",
            )
        ]

    def __str__(self) -> str:
        return self.task[:60]


class Counter(models.Model):
    """The last book number a unit gave in a year: numbers are per unit and year, no gaps."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="visit_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"
