"""An event's time slots and sessions belong to what the public page shows: any change to them
moves the event's `updated_at`, which is how the page's in-memory copy knows it is stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from village.events.models import Event, Session, TimeSlot


@receiver([post_save, post_delete], sender=Session)
@receiver([post_save, post_delete], sender=TimeSlot)
def event_touch(sender, instance, **kwargs) -> None:
    Event.objects.filter(pk=instance.event_id).update(updated_at=timezone.now())
