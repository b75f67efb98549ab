"""Petitions (đơn): complaints, denunciations, recommendations and feedback, their petitioners,
cases, attachments and the events of their lifecycle.

A petition belongs to the unit that received it and handles it (`unit`); its scope path is copied
into `unit_path` (a unit's path never changes) so the worklist filters and orders on one table.
A denouncer's identity is never stored in clear: it lives sealed in `Petitioner.sealed`
(core.crypto) and is matched through keyed digests only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danvan.units.models import Unit


class Kind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    DENUNCIATION = "denunciation", _("Denunciation")
    RECOMMENDATION = "recommendation", _("Recommendation")
    FEEDBACK = "feedback", _("Feedback")


class Channel(models.TextChoices):
    """Where the petition came from (TT 07/2014 Art 5; TT 05/2021)."""

    IN_PERSON = "in_person", _("In person at reception")
    POST = "post", _("Post")
    HAND_DELIVERY = "hand_delivery", _("Hand delivery")
    SUGGESTION_BOX = "suggestion_box", _("Suggestion box")
    ONLINE = "online", _("Online")
    HOTLINE = "hotline", _("Hotline")
    DEPUTY = "deputy", _("Transferred by a National Assembly or People's Council deputy")
    FRONT = "front", _("Transferred by the Fatherland Front or a member organisation")
    PRESS = "press", _("Transferred by the press")
    AGENCY = "agency", _("Transferred by another agency")
    LEADER = "leader", _("Passed on by a leader")


# Channels through which another body sends the petition: the sender and its document are asked.
TRANSFER_CHANNELS = frozenset({Channel.DEPUTY, Channel.FRONT, Channel.PRESS, Channel.AGENCY})


class Field(models.TextChoices):
    """Fields (lĩnh vực) of the processing forms 02/XLD–04/XLD (TT 02/2021, TT 01/2024)."""

    POLICY = "policy", _("Administrative: policy and entitlements")
    LAND = "land", _("Administrative: land and housing")
    CIVIL_SERVICE = "civil_service", _("Administrative: conduct of civil servants")
    ADMINISTRATIVE_OTHER = "administrative_other", _("Administrative: other")
    CORRUPTION = "corruption", _("Corruption")
    JUDICIAL = "judicial", _("Judicial")
    PARTY = "party", _("Party and mass organisations")
    OTHER = "other", pgettext_lazy("petition field", "Other")


# Which fields each kind's form lists.
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    Kind.COMPLAINT: (
        Field.POLICY,
        Field.LAND,
        Field.ADMINISTRATIVE_OTHER,
        Field.JUDICIAL,
        Field.PARTY,
        Field.OTHER,
    ),
    Kind.DENUNCIATION: (
        Field.POLICY,
        Field.LAND,
        Field.CIVIL_SERVICE,
        Field.ADMINISTRATIVE_OTHER,
        Field.CORRUPTION,
        Field.JUDICIAL,
        Field.PARTY,
        Field.OTHER,
    ),
    Kind.RECOMMENDATION: (Field.POLICY, Field.LAND, Field.JUDICIAL, Field.OTHER),
    Kind.FEEDBACK: (Field.POLICY, Field.LAND, Field.JUDICIAL, Field.OTHER),
}


class Status(models.TextChoices):
    RECEIVED = "received", _("Received, to classify")
    ACCEPTED = "accepted", _("Accepted, being resolved")
    SUSPENDED = "suspended", _("Suspended")
    GUIDED = "guided", _("Guided to the competent body")
    TRANSFERRED = "transferred", _("Transferred, awaiting reply")
    URGED = "urged", _("Lower level urged, awaiting reply")
    ANSWERED = "answered", _("Reply received")
    FILED = "filed", _("Filed away")
    DISPOSED = "disposed", _("Disposed of after keeping")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    RESOLVED = "resolved", _("Resolved")


class Handling(models.TextChoices):
    """How the petition was processed (TT 05/2021 Art 6–16): the step that ended its processing.
    Kept after later steps (a reply to a transfer, a decision), for the processing forms 01–04/XLD."""

    ACCEPTED = "accepted", _("Accepted for resolution")
    GUIDED = "guided", _("Guided to the competent body")
    TRANSFERRED = "transferred", _("Transferred to the competent body")
    URGED = "urged", _("Lower level urged")
    FILED = "filed", _("Filed away")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = frozenset(
    {Status.RECEIVED, Status.ACCEPTED, Status.SUSPENDED, Status.TRANSFERRED, Status.URGED}
)


class IneligibleReason(models.TextChoices):
    """Why a petition is not eligible for processing (TT 05/2021 Art 6–7; Luật KN Art 11)."""

    NO_SIGNATURE = "no_signature", _("Not signed or fingerprinted")
    NO_NAME_ADDRESS = "no_name_address", _("No name or address of the sender")
    UNCLEAR = "unclear", _("Content unclear or illegible")
    FOREIGN_LANGUAGE = "foreign_language", _("Not in Vietnamese and no certified translation")
    SENT_TO_COMPETENT = "sent_to_competent", _("Also sent to the competent body")
    ALREADY_GUIDED = "already_guided", _("Already guided once on the same content")
    TIME_LIMIT = "time_limit", _("Time limit to complain expired without good reason")
    ALREADY_DECIDED = "already_decided", _("Already resolved or decided, no new facts")
    COURT = "court", _("Accepted or decided by a court")
    NOT_AFFECTED = "not_affected", _("The act does not affect the complainant directly")
    INTERNAL_ACT = "internal_act", _("Internal, directive or normative act")
    NO_CAPACITY = "no_capacity", _("No civil capacity and no lawful representative")
    ANONYMOUS = "anonymous", _("Anonymous without verifiable evidence")
    OTHER = "other", pgettext_lazy("ineligible reason", "Other")


class Outcome(models.TextChoices):
    """The result of a resolution (KQGQ01, KQGQ03 forms)."""

    COMPLAINT_CORRECT = "complaint_correct", _("Complaint correct")
    COMPLAINT_PARTLY = "complaint_partly", _("Complaint partly correct")
    COMPLAINT_INCORRECT = "complaint_incorrect", _("Complaint incorrect")
    UPHELD = "upheld", _("First decision upheld")
    AMENDED = "amended", _("First decision annulled or amended")
    DENUNCIATION_TRUE = "denunciation_true", _("Denunciation true")
    DENUNCIATION_PARTLY = "denunciation_partly", _("Denunciation partly true")
    DENUNCIATION_FALSE = "denunciation_false", _("Denunciation false")
    ACCEPTED = "recommendation_accepted", _("Recommendation accepted")
    EXPLAINED = "recommendation_explained", _("Explained to the petitioner")


def outcomes_for(kind: str, round_: int) -> tuple[str, ...]:
    """The outcomes a decision may have for this kind and round (first or second complaint)."""
    if kind == Kind.COMPLAINT:
        if round_ >= 2:
            return (Outcome.UPHELD, Outcome.AMENDED)
        return (Outcome.COMPLAINT_CORRECT, Outcome.COMPLAINT_PARTLY, Outcome.COMPLAINT_INCORRECT)
    if kind == Kind.DENUNCIATION:
        return (Outcome.DENUNCIATION_TRUE, Outcome.DENUNCIATION_PARTLY, Outcome.DENUNCIATION_FALSE)
    return (Outcome.ACCEPTED, Outcome.EXPLAINED)


class Case(models.Model):
    """A matter (vụ việc): one or more petitions about the same thing. Reports count both."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=255, db_index=True, editable=False)
    opened_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    SCOPE_PATH_FIELD = "unit_path"

    def __str__(self) -> str:
        return f"#{self.pk}"


class Petition(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=255, editable=False)
    tracking_code = models.CharField(max_length=20, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)

    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    field = models.CharField(_("field"), max_length=30, choices=Field)
    content = models.TextField(_("content"))
    content_folded = models.TextField(editable=False)
    subject = models.CharField(_("person or body complained about or denounced"), max_length=300, blank=True)
    signer_count = models.PositiveIntegerField(_("number of signers"), default=1)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    has_original_documents = models.BooleanField(_("original documents attached"), default=False)
    # The petitioners' identity is confidential (Luật Tố cáo 25/2018 Art 9(1)(b), 47): set for a
    # denunciation and for every other part of the same multi-content petition, whose petitioners
    # are the same people.
    protected = models.BooleanField(default=False, editable=False)
    sender_body = models.CharField(_("sending body"), max_length=300, blank=True)
    sender_document_number = models.CharField(_("sending body's document number"), max_length=60, blank=True)
    decision_known_on = models.DateField(_("date the decision or act became known"), null=True, blank=True)
    complex = models.BooleanField(_("complex case"), default=False)
    remote = models.BooleanField(_("remote or hard-to-reach area"), default=False)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="petitions")
    is_repeat = models.BooleanField(default=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="followups"
    )
    round = models.PositiveSmallIntegerField(default=1)
    transferred_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="transfers_in"
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.RECEIVED)
    eligible = models.BooleanField(null=True)
    ineligible_reason = models.CharField(max_length=30, choices=IneligibleReason, blank=True)
    own_authority = models.BooleanField(null=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The day processing ended (accepted, guided, transferred, urged, filed, or withdrawn before any
    # of these) and how: the processing forms count the petitions processed and carried over by them.
    processed_on = models.DateField(null=True, blank=True)
    handling = models.CharField(max_length=20, choices=Handling, blank=True)

    due_date = models.DateField(null=True, blank=True)
    deadline_step = models.CharField(max_length=30, blank=True)
    deadline_start = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    # Outside danvan, or an agency inside it (then the new petition is in `transfers_in` of it).
    target_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_name = models.CharField(max_length=300, blank=True)
    target_document_number = models.CharField(max_length=60, blank=True)
    reply_on = models.DateField(null=True, blank=True)
    reply_summary = models.TextField(blank=True)

    decision_number = models.CharField(max_length=60, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decision_signer = models.CharField(max_length=200, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome, blank=True)
    on_time = models.BooleanField(null=True)
    money_recovered = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    land_recovered = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    money_returned = models.DecimalField(max_digits=16, decimal_places=3, default=0)
    land_returned = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    people_restored = models.PositiveIntegerField(default=0)
    people_sanctioned = models.PositiveIntegerField(default=0)
    cases_to_investigation = models.PositiveIntegerField(default=0)
    disposal_due = models.DateField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    SCOPE_PATH_FIELD = "unit_path"

    # The import that brought the record in (None: entered here); its rollback removes the record.
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"], name="petition_number_unique"),
            models.CheckConstraint(condition=models.Q(signer_count__gte=1), name="petition_signers_positive"),
        ]
        indexes = [
            models.Index(fields=["unit_path", "due_date"], name="petition_scope_due"),
            # The default worklist (open petitions) and its counts, for any scope.
            models.Index(
                fields=["unit_path", "due_date"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="petition_open_scope_due",
            ),
            models.Index(
                fields=["unit", "due_date"],
                condition=models.Q(status__in=sorted(OPEN_STATUSES)),
                name="petition_open_unit_due",
            ),
            # The worklist's order: read in index order until a page is full, whatever the scope.
            models.Index(fields=["due_date", "received_on", "id"], name="petition_due_order"),
            models.Index(fields=["handler", "due_date"], name="petition_handler_due"),
            models.Index(fields=["unit", "received_on"], name="petition_unit_received"),
            # Reports: a scope's petitions by the date that places them in a period, read from the
            # index (01/XLD's processing columns), its replies, and its cases.
            models.Index(
                fields=["unit_path", "processed_on", "received_on"],
                include=["eligible", "handling", "kind", "id"],
                name="petition_scope_processed",
            ),
            models.Index(fields=["unit_path", "received_on"], name="petition_scope_received"),
            models.Index(
                fields=["unit_path", "reply_on"],
                condition=models.Q(reply_on__isnull=False),
                name="petition_scope_reply",
            ),
            models.Index(fields=["case", "unit_path"], name="petition_case_scope"),
        ]

    def __str__(self) -> str:
        return self.receipt_number

    @property
    def receipt_number(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def multi_signer(self) -> bool:
        """Five or more people signed (TT 07/2014 Art 6(4))."""
        return self.signer_count >= 5


class Petitioner(models.Model):
    """A person who signed the petition. For a denunciation every identifying field is sealed."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200, blank=True)
    # For the look-up by name at the reception desk; empty when the identity is sealed.
    name_folded = models.CharField(max_length=200, blank=True, editable=False)
    id_number = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=300, blank=True)
    address_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    phone = models.CharField(max_length=30, blank=True)
    representative = models.BooleanField(default=False)
    sealed = models.TextField(blank=True)
    id_digest = models.CharField(max_length=64, blank=True, db_index=True)
    name_address_digest = models.CharField(max_length=64, blank=True, db_index=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    SCOPE_UNIT_FIELD = "petition__unit"
    SCOPE_PATH_FIELD = "petition__unit_path"
    SCOPE_UNIT_ID_FIELD = "petition__unit_id"
    SEALED_FIELDS = ("sealed",)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["name_folded"], name="petitioner_name_folded")]

    def __str__(self) -> str:
        return f"{self.petition_id}#{self.position}"


class ContentKey(models.Model):
    """One locality-sensitive key of a petition's content (petitions.similarity): petitions that
    share keys are the candidates for the duplicate check."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField()
    # The petition's unit, copied (a petition never changes unit): the scope is checked in the index.
    unit_id = models.IntegerField()
    unit_path = models.CharField(max_length=255)

    SCOPE_PATH_FIELD = "unit_path"
    SCOPE_UNIT_ID_FIELD = "unit_id"

    class Meta:
        # Covering: the candidates in a user's scope are counted from the index alone (the key, then
        # the scope's path range), without reading the table or the petitions.
        indexes = [
            models.Index(fields=["key", "unit_path", "unit_id", "petition"], name="petition_content_key")
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}:{self.key}"


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"petitions/{instance.petition.year}/{instance.petition_id}/{instance.stored_name}"


class Attachment(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    stored_name = models.CharField(max_length=64, editable=False)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    identifying = models.BooleanField(default=False)
    encrypted = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    SCOPE_UNIT_FIELD = "petition__unit"
    SCOPE_PATH_FIELD = "petition__unit_path"
    SCOPE_UNIT_ID_FIELD = "petition__unit_id"
    SEALED_FILE_FIELDS = ("file",)
    SEALED_ROWS = {"encrypted": True}  # only protected petitions' files are sealed

    def __str__(self) -> str:
        return self.original_name


class Event(models.Model):
    """One step of a petition's lifecycle: the rows are its timeline."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    on = models.DateField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    SCOPE_UNIT_FIELD = "petition__unit"
    SCOPE_PATH_FIELD = "petition__unit_path"
    SCOPE_UNIT_ID_FIELD = "petition__unit_id"

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["petition", "action"], name="petition_event_action")]

    def __str__(self) -> str:
        return f"{self.action} {self.on:%d/%m/%Y}"


class IdentityGrant(models.Model):
    """Explicit access to a denouncer's identity, given by the head of the handling unit."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="identity_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=300)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "user"], name="identity_grant_unique")]

    def __str__(self) -> str:
        return f"{self.petition_id}→{self.user_id}"


class Counter(models.Model):
    """The last receipt number a unit gave in a year: numbers are per unit and year, no gaps."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="petition_counter_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"
