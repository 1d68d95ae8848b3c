"""What the groups app tells people, through messaging's outbox (the one way out):

- the group's contact, when a family asks to join (in the contact's language);
- the family, when their request is approved (in the language they gave), by email: a guardian
  of the family directory as such, anyone else as the contact they gave (a family new to the
  district is welcomed too).

Texts are plain text: names are written as they were given, never as markup. Each notice has
an idempotency key, so asking twice or approving twice never sends twice.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from village.groups.models import GroupMember, JoinRequest
from village.languages.content import text_in_language
from village.messaging.models import Category, RecipientKind
from village.messaging.selectors import Recipient
from village.messaging.services import delivery_enqueue


def join_request_texts(*, request: JoinRequest, language: str) -> tuple[str, str]:
    group = request.group
    with translation.override(language):
        name = text_in_language(group.name, language, source_language=group.source_language)
        url = settings.SITE_URL.rstrip("/") + reverse("groups:staff_detail", args=[group.pk])
        subject = _("New request to join %(group)s") % {"group": name}
        body = _("%(name)s asked to join %(group)s. Answer the request here: %(url)s") % {
            "name": request.full_name,
            "group": name,
            "url": url,
        }
    return subject, body


def join_request_notify(*, request: JoinRequest) -> None:
    """Tell the group's contact (a staff person with an account) about a new request."""
    contact = request.group.contact_person
    if contact is None or not contact.email:
        return  # the organisation's group managers see it on the staff page
    language = contact.preferred_language or settings.LANGUAGE_CODE
    subject, body = join_request_texts(request=request, language=language)
    delivery_enqueue(
        source="groups",
        key=f"join-request-{request.pk}",
        recipient=Recipient(
            kind=RecipientKind.PERSON,
            id=contact.pk,
            household_id=None,
            channel="email",
            address=contact.email,
            language=language,
            name=contact.full_name,
        ),
        organisation=request.group.organisation,
        subject=subject,
        body=body,
        category=Category.GENERAL,
    )


def welcome_texts(*, member: GroupMember) -> tuple[str, str]:
    group = member.group
    with translation.override(member.language):
        name = text_in_language(group.name, member.language, source_language=group.source_language)
        subject = _("Welcome to %(group)s") % {"group": name}
        body = _(
            "Your request to join %(group)s was approved. The group's contact, %(contact)s, "
            "will tell you about the next meeting."
        ) % {"group": name, "contact": group.contact_name or group.organisation.name}
    return subject, body


def welcome_notify(*, request: JoinRequest, member: GroupMember) -> None:
    """Welcome a family whose request was approved, in their language, by email."""
    if not member.email:
        return  # the group's contact tells them; there is no address to write to
    subject, body = welcome_texts(member=member)
    in_directory = member.guardian_id is not None
    delivery_enqueue(
        source="groups",
        key=f"join-approved-{request.pk}",
        recipient=Recipient(
            kind=RecipientKind.GUARDIAN if in_directory else RecipientKind.CONTACT,
            id=member.guardian_id if in_directory else None,
            household_id=member.guardian.household_id if in_directory else None,
            channel="email",
            address=member.email,
            language=member.language,
            name=member.full_name,
        ),
        organisation=request.group.organisation,
        subject=subject,
        body=body,
        category=Category.GENERAL,
    )
