import factory

from tests.orgs.factories import DistrictFactory, SchoolFactory
from village.families.models import ContactPoint, Guardian, Household, Student
from village.families.services import household_index_refresh


class IndexedFactory(factory.django.DjangoModelFactory):
    """Keeps the directory's search names and duplicate keys in step, as the services do."""

    class Meta:
        abstract = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        super()._after_postgeneration(instance, create, results)
        if create:
            if isinstance(instance, Household):
                household_id = instance.pk
            elif isinstance(instance, ContactPoint):
                household_id = instance.guardian.household_id
            else:
                household_id = instance.household_id
            household_index_refresh(household_ids=[household_id])


class HouseholdFactory(IndexedFactory):
    """A household owned by a new district (pass `organisation=` to place it)."""

    class Meta:
        model = Household

    organisation = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Household {n}")


class GuardianFactory(IndexedFactory):
    class Meta:
        model = Guardian

    household = factory.SubFactory(HouseholdFactory)
    organisation = factory.LazyAttribute(lambda o: o.household.organisation)
    source_id = factory.Sequence(lambda n: f"guardian-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    written_language = "en"
    spoken_language = "en"


class StudentFactory(IndexedFactory):
    """A student of the household, at a new school of the household's district unless `school=`
    is given."""

    class Meta:
        model = Student

    household = factory.SubFactory(HouseholdFactory)
    organisation = factory.LazyAttribute(lambda o: o.household.organisation)
    school = factory.LazyAttribute(lambda o: SchoolFactory(parent=o.household.organisation))
    source_id = factory.Sequence(lambda n: f"student-{n}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    grade = "03"


class ContactPointFactory(IndexedFactory):
    """An email address by default; `channel=ContactPoint.Channel.MOBILE` gives a phone number."""

    class Meta:
        model = ContactPoint

    guardian = factory.SubFactory(GuardianFactory)
    channel = ContactPoint.Channel.EMAIL
    value = factory.LazyAttributeSequence(
        lambda o, n: (
            f"family{n}@example.org"
            if o.channel == ContactPoint.Channel.EMAIL
            else f"+1617555{n % 10000:04d}"
        )
    )
