"""Staff writing events: the event itself, its texts in other languages, its sessions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from village.events.models import Event, Session, TimeSlot
from village.orgs.models import AuditEvent, Person
from village.orgs.services import audit_record


@transaction.atomic
def event_save(*, form, by: Person) -> Event:
    """Create or change an event from a valid EventForm. A single event gets its one session,
    kept at the event's times, so there is something to check people in to."""
    from village.orgs.permissions import person_may
    from village.orgs.roles import Permission

    event = form.save(commit=False)
    if not person_may(by, Permission.MANAGE_EVENTS, event.organisation):
        raise ValidationError(_("You cannot run events for this organisation."), code="permission")
    created = event.pk is None
    event.save()
    if event.kind == Event.Kind.SINGLE:
        session = event.sessions.filter(time_slot__isnull=True).first() or Session(event=event)
        session.title, session.starts_at, session.ends_at = (
            event.title,
            event.starts_at,
            event.ends_at,
        )
        session.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=event,
        organisation=event.organisation,
    )
    return event


@transaction.atomic
def event_texts_save(
    *, event: Event, title: dict[str, str], description: dict[str, str], by: Person
) -> Event:
    event.title, event.description = title, description
    event.full_clean(validate_unique=False, validate_constraints=False)
    event.save(update_fields=["title", "description"])
    if event.kind == Event.Kind.SINGLE:
        event.sessions.filter(time_slot__isnull=True).update(title=title)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=event,
        organisation=event.organisation,
        detail={"languages": sorted(title)},
    )
    return event


@transaction.atomic
def session_add(*, event: Event, form, language: str, by: Person) -> Session:
    """Add a session; a workshop joins the time slot that starts and ends when it does."""
    session = form.save(commit=False)
    session.event = event
    session.title = {language: form.cleaned_data["title_text"]}
    if form.cleaned_data["workshop"]:
        session.time_slot, _created = TimeSlot.objects.get_or_create(
            event=event, starts_at=session.starts_at, ends_at=session.ends_at
        )
    session.save()
    audit_record(
        actor=by, verb=AuditEvent.Verb.CREATE, obj=session, organisation=event.organisation
    )
    return session
