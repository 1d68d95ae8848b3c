import factory

from village.orgs import services
from village.orgs.models import Membership, Organisation, Person
from village.orgs.roles import Role


class OrganisationFactory(factory.django.DjangoModelFactory):
    """Builds through `organisation_create` so the tree path is right. Default: a school in a
    new district of a new state."""

    class Meta:
        model = Organisation

    kind = Organisation.Kind.SCHOOL
    name = factory.Sequence(lambda n: f"School {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    parent = factory.LazyAttribute(
        lambda o: (
            DistrictFactory()
            if o.kind == Organisation.Kind.SCHOOL
            else (
                StateFactory()
                if o.kind
                in (Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER, Organisation.Kind.OFFICE)
                else None
            )
        )
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.organisation_create(**kwargs)


class StateFactory(OrganisationFactory):
    kind = Organisation.Kind.STATE
    name = factory.Sequence(lambda n: f"State agency {n}")
    parent = None


class DistrictFactory(OrganisationFactory):
    kind = Organisation.Kind.DISTRICT
    name = factory.Sequence(lambda n: f"District {n}")
    parent = factory.SubFactory(StateFactory)


class SchoolFactory(OrganisationFactory):
    kind = Organisation.Kind.SCHOOL
    parent = factory.SubFactory(DistrictFactory)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(SchoolFactory)
    role = Role.SCHOOL_LIAISON


def person_with_role(role: str, organisation: Organisation, **person_fields) -> Person:
    person = PersonFactory(**person_fields)
    services.membership_grant(person=person, organisation=organisation, role=role)
    return person
