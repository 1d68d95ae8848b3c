from datetime import timedelta

import factory
from django.utils import timezone

from tests.orgs.factories import DistrictFactory
from village.events.models import Event, Session, TimeSlot


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organisation = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"event-{n}")
    title = factory.Sequence(lambda n: {"en": f"Family night {n}", "es": f"Noche familiar {n}"})
    description = factory.LazyFunction(
        lambda: {"en": "Come and meet us.", "es": "Venga a conocernos."}
    )
    languages = factory.LazyFunction(lambda: ["en", "es"])
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))


class TimeSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeSlot

    event = factory.SubFactory(EventFactory)
    label = factory.LazyFunction(lambda: {"en": "Morning workshops", "es": "Talleres de la mañana"})
    starts_at = factory.LazyAttribute(lambda o: o.event.starts_at)
    ends_at = factory.LazyAttribute(lambda o: o.event.starts_at + timedelta(hours=1))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: {"en": f"Workshop {n}", "es": f"Taller {n}"})
    starts_at = factory.LazyAttribute(
        lambda o: o.time_slot.starts_at if o.time_slot else o.event.starts_at
    )
    ends_at = factory.LazyAttribute(
        lambda o: o.time_slot.ends_at if o.time_slot else o.event.ends_at
    )
    time_slot = None


def conference(
    *, seats: int | None = 5, workshops: int = 2, **event_fields
) -> tuple[Event, list[Session]]:
    """A conference with one time slot of `workshops` workshops of `seats` seats each."""
    event = EventFactory(kind=Event.Kind.CONFERENCE, **event_fields)
    slot = TimeSlotFactory(event=event)
    sessions = [
        SessionFactory(event=event, time_slot=slot, capacity=seats) for _ in range(workshops)
    ]
    return event, sessions
