import factory

from tests.orgs.factories import DistrictFactory
from village.groups.models import Group


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organisation = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"group-{n}")
    name = factory.Sequence(
        lambda n: {"en": f"Latinx Families Group {n}", "es": f"Grupo de familias latinas {n}"}
    )
    description = factory.LazyFunction(
        lambda: {"en": "We meet every month.", "es": "Nos reunimos cada mes."}
    )
    contact_name = "Rosa Díaz"
    contact_email = "rosa@example.org"
