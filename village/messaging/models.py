"""Messages, their language versions, the delivery outbox, replies, templates and suppressions.

A `Message` holds a subject and body per language (the one multilingual pattern,
`MultilingualTextField`), with each version's origin in `version_origins`. Sending writes one
`Delivery` per guardian and channel in the same transaction (the outbox); workers deliver them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from village.languages.content import MultilingualTextField
from village.orgs.models import Organisation


class Category(models.TextChoices):
    GENERAL = "general", _("General")
    URGENT = "urgent", _("Urgent")
    EMERGENCY = "emergency", _("Emergency")


# Lower number is claimed first by workers: an emergency overtakes a newsletter.
PRIORITY = {Category.EMERGENCY: 0, Category.URGENT: 1, Category.GENERAL: 2}


class Origin(models.TextChoices):
    HUMAN = "human", _("Written by a person")
    TEMPLATE = "template", _("From a template")
    MACHINE = "machine", _("Machine translated, needs review")


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Message(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent for")
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.GENERAL
    )
    source_language = models.CharField(_("written in"), max_length=35, default="en")
    subject = MultilingualTextField(_("subject"))
    body = MultilingualTextField(_("message"))
    # language -> Origin value, for every language in `body`.
    version_origins = models.JSONField(default=dict, blank=True)
    # {"kind": "organisations"|"event"|"list"|"guardians", ...}; see `audience`.
    audience = models.JSONField(default=dict, blank=True)
    channels = models.JSONField(default=list, blank=True)
    one_per_household = models.BooleanField(_("one message per household"), default=True)
    # General messages only: guardians who prefer a digest get it in their next daily digest.
    digest_ok = models.BooleanField(_("may go in the daily digest"), default=False)
    # The version sent to guardians whose language has none; empty until the sender chooses.
    fallback_language = models.CharField(_("for other languages, send"), max_length=35, blank=True)
    scheduled_for = models.DateTimeField(_("send at"), null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    recipients = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # A staff answer in a conversation is itself a message (see `conversations`): these say
    # which conversation, and which delivery of the original message it answers (whose reply
    # address and channel the answer uses). Empty for ordinary messages.
    # Set by the answer form: one answer per submission, however often it is posted.
    submission = models.CharField(max_length=36, blank=True)
    conversation = models.ForeignKey(
        "Conversation", null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    thread_delivery = models.ForeignKey(
        "Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return self.subject.get(self.source_language, "") or f"#{self.pk}"


class RecipientKind(models.TextChoices):
    """Who a delivery is for: a guardian in the family directory, a registrant of an event (by
    the contact given at registration), a person with an account (staff), or a contact: someone
    who gave an address in a form (a family asking to join a group) and is in none of those."""

    GUARDIAN = "guardian", _("Guardian")
    REGISTRANT = "registrant", _("Registrant")
    PERSON = "person", _("Staff member")
    CONTACT = "contact", _("Contact given in a form")


class Delivery(models.Model):
    """One message or notice to one recipient on one channel: a row of the outbox.

    Every row carries an idempotency key (`source`, `key`), unique in the table: enqueuing the
    same notice twice makes one row. A staff message's rows have source "message"; a daily
    digest's "digest"; an app's notice its own source ("events.confirmation", "orgs.invitation").
    What a notice says is either stored on the row (`subject`, `body`) or rendered when it is
    sent by the function its app registered for its source (`notices.notice_content_register`).

    A daily digest is one row too: no `message`, `organisation` set, and the rows of the
    messages it carries wait as `held` with `carried_by` pointing at it; they take its outcome
    once it has one (`outbox.digests_settle`).

    Status moves queued -> sending -> sent -> delivered | failed | bounced, each step once (every
    change is a conditional UPDATE on the expected previous status). The recipient's id (one of
    `guardian_id`, `registration_id`, `person_id`) and the address are a snapshot, not a foreign
    key: the outbox is the record of what was sent and outlives edits and merges.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        SUPPRESSED = "suppressed", _("Not sent: opted out")
        HELD = "held", _("Waiting for the daily digest")
        WITHDRAWN = "withdrawn", _("Not sent: no longer needed")

    source = models.CharField(max_length=40)
    key = models.CharField(max_length=120)
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    # Rows without a message (digests, notices): the organisation that sends it.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A held row: the digest that carries it (set once, when the digest is assembled).
    carried_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carries"
    )
    recipient_kind = models.CharField(
        max_length=12, choices=RecipientKind.choices, default=RecipientKind.GUARDIAN
    )
    guardian_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    registration_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True)
    household_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254)
    language = models.CharField(max_length=35)
    # Values for the placeholders ({guardian_name}, {student_name}, ...), or what a notice's
    # renderer needs to find its subject (e.g. the registration).
    context = models.JSONField(default=dict)
    # A notice's own text, when its sender wrote it at enqueue time.
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    priority = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    # The point of no return of the current attempt: set (and committed) just before the last
    # byte goes to the provider. See `outbox` for why this gives exactly-once.
    handed_over_at = models.DateTimeField(null=True, blank=True)
    segments = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="delivery_idempotency_key"),
            models.CheckConstraint(
                condition=(
                    models.Q(recipient_kind="guardian", guardian_id__isnull=False)
                    | models.Q(recipient_kind="registrant", registration_id__isnull=False)
                    | models.Q(recipient_kind="person", person_id__isnull=False)
                    | models.Q(recipient_kind="contact")
                ),
                name="delivery_recipient_id_of_its_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "priority", "next_attempt_at", "id"]),
            models.Index(fields=["channel", "address"]),
            models.Index(fields=["message", "status"]),
            models.Index(fields=["household_id", "id"], name="delivery_household_timeline"),
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.address} ({self.status})"

    def error_display(self) -> str:
        """Why it failed, in the reader's language where Village wrote the reason."""
        from village.messaging.channels import failure_reason_display

        return failure_reason_display(self.error)


class Reply(models.Model):
    """An inbound text or email. Without a message it waits in the unmatched inbox."""

    class Keyword(models.TextChoices):
        NONE = "", _("Reply")
        STOP = "stop", _("STOP")
        START = "start", _("START")
        HELP = "help", _("HELP")

    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    guardian_id = models.BigIntegerField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    from_address = models.CharField(max_length=254)
    to_address = models.CharField(max_length=254, blank=True)
    body = models.TextField()
    keyword = models.CharField(max_length=8, choices=Keyword.choices, blank=True)
    # The provider's id (Twilio MessageSid): a webhook retried by the provider is kept once.
    provider_id = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    conversation = models.ForeignKey(
        "Conversation", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    # A machine translation for staff, kept once made; marked as such wherever shown.
    translated_body = models.TextField(blank=True)
    translated_into = models.CharField(max_length=35, blank=True)
    # The app that understood the reply and acted on it (reply_handlers): not for the inbox.
    handled_by = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_id"],
                condition=~models.Q(provider_id=""),
                name="reply_unique_provider_id",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.body[:40]}"


class Conversation(models.Model):
    """One guardian's replies to one message and the staff's answers: what staff read and answer.

    Kept as a row (not worked out from replies each time) so the staff list is one indexed query
    at the size of a state, and so it can hold what a thread alone cannot: whether it is waiting
    for an answer and how many replies nobody on the staff has read yet. Read state is shared by
    the staff who may message for the organisation: one team inbox, as a front office works.
    `guardian_name` and `language` are a snapshot taken at the first reply, like the outbox's.
    """

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="conversations")
    guardian_id = models.BigIntegerField()
    household_id = models.BigIntegerField(null=True, blank=True)
    guardian_name = models.CharField(max_length=401, blank=True)
    # The guardian's written language: the language their replies are assumed to be in.
    language = models.CharField(max_length=35, default="en")
    last_activity_at = models.DateTimeField(default=timezone.now)
    last_excerpt = models.CharField(max_length=200, blank=True)
    awaiting_answer = models.BooleanField(default=False)
    unread = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-last_activity_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "guardian_id"], name="conversation_one_per_guardian"
            )
        ]
        indexes = [
            models.Index(fields=["last_activity_at", "id"]),
            models.Index(fields=["awaiting_answer", "last_activity_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.guardian_name or self.guardian_id} · {self.message}"


class Suppression(models.Model):
    """An address or number no message may go to: STOP, a hard bounce, an unsubscribe.

    Checked by the worker right before each text is sent, so a STOP takes effect for the very
    next text, whatever was queued before it. The family directory is told as well.
    """

    class Reason(models.TextChoices):
        STOP = "stop", _("Replied STOP")
        BOUNCE = "bounce", _("Bounced")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribed")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    address = models.CharField(max_length=254)
    reason = models.CharField(max_length=12, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="suppression_unique")
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.address} ({self.reason})"


class MessageTemplate(models.Model):
    """Reusable text with per-language versions and placeholders such as {guardian_name}."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    subject = MultilingualTextField(_("subject"))
    body = MultilingualTextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GuardianList(models.Model):
    """A saved list of guardians ("custom list"): PTO volunteers, the newcomers' group, ...
    Sending to it still obeys opt-outs and court orders (see `audience`)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField("families.Guardian", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("saved list")
        verbose_name_plural = _("saved lists")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="guardian_list_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class DigestTime(models.Model):
    """When an organisation's daily digest goes out (its time zone); schools inherit their
    district's. Without one: `DEFAULT_DIGEST_TIME`."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    at = models.TimeField(_("daily digest at"))

    def __str__(self) -> str:
        return f"{self.organisation}: {self.at}"


class QuietHours(models.Model):
    """No general message is delivered between `starts` and `ends` (organisation's time zone);
    deliveries wait until the end. Schools inherit their district's unless they set their own."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    starts = models.TimeField(_("quiet from"))
    ends = models.TimeField(_("quiet until"))

    def __str__(self) -> str:
        return f"{self.organisation}: {self.starts}-{self.ends}"


class SendingRate(models.Model):
    """A token bucket per sender (e.g. an SMS number): tokens are segments."""

    sender = models.CharField(max_length=64, unique=True)
    tokens = models.FloatField()
    refilled_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.sender
