"""Receivers that turn changes in other apps into webhook deliveries (`webhooks_enqueue`), in
the transaction of the change. They live here because the api app sits above families, events
and messaging: those apps do not know webhooks exist."""

from django.db.models.signals import post_save

from village.api.models import WebhookEndpoint
from village.api.webhooks import webhooks_enqueue
from village.events.models import Registration, Status
from village.families.models import RosterImport
from village.messaging.models import Message
from village.messaging.signals import message_finished

T = WebhookEndpoint.Topic
FINISHED_IMPORTS = (
    RosterImport.Status.DONE,
    RosterImport.Status.REJECTED,
    RosterImport.Status.FAILED,
)


def _registration_saved(sender, instance: Registration, created: bool, update_fields=None, **kw):
    if created:
        topic = T.REGISTRATION_CREATED
    elif instance.status == Status.CANCELLED and (
        update_fields is None or "status" in update_fields
    ):
        topic = T.REGISTRATION_CANCELLED
    else:
        return
    event = instance.event
    webhooks_enqueue(
        topic=topic,
        key=str(instance.pk),
        organisations=[event.organisation, instance.district],
        data={
            "registration": instance.pk,
            "event": event.pk,
            "status": instance.status,
            "district": instance.district.slug if instance.district else None,
        },
    )


def _roster_import_saved(sender, instance: RosterImport, created: bool, **kw):
    if instance.status not in FINISHED_IMPORTS:
        return
    webhooks_enqueue(
        topic=T.ROSTER_IMPORT_FINISHED,
        key=f"{instance.pk}:{instance.status}",
        organisations=[instance.organisation],
        data={
            "roster_import": instance.pk,
            "status": instance.status,
            "counts": {k: v for k, v in (instance.counts or {}).items() if isinstance(v, int)},
        },
    )


def _message_finished(sender, message_id: int, **kw):
    message = Message.objects.select_related("organisation").get(pk=message_id)
    webhooks_enqueue(
        topic=T.MESSAGE_FINISHED,
        key=str(message.pk),
        organisations=[message.organisation],
        data={"message": message.pk, "status": message.status, "recipients": message.recipients},
    )


def connect() -> None:
    post_save.connect(_registration_saved, sender=Registration, dispatch_uid="api-webhook-reg")
    post_save.connect(_roster_import_saved, sender=RosterImport, dispatch_uid="api-webhook-ri")
    message_finished.connect(_message_finished, dispatch_uid="api-webhook-message")
