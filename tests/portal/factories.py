import factory

from tests.orgs.factories import DistrictFactory
from village.portal import search
from village.portal.markup import markdown_to_safe_html
from village.portal.models import Page, Resource, ResourceTag


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    organisation = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"page-{n}")
    title = factory.Sequence(lambda n: {"en": f"About us {n}"})
    body = factory.LazyFunction(lambda: {"en": "We work **with** families."})
    body_html = factory.LazyAttribute(
        lambda o: {code: markdown_to_safe_html(text) for code, text in o.body.items()}
    )


class ResourceFactory(factory.django.DjangoModelFactory):
    """A public resource, indexed for search like the service does."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    organisation = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"resource-{n}")
    title = factory.Sequence(lambda n: {"en": f"Tip sheet {n}"})
    summary = factory.LazyFunction(lambda: {"en": "Ideas for families."})

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create:
            ResourceTag.objects.bulk_create(
                [ResourceTag(resource=self, facet=f, value=v) for f, v in (extracted or [])]
            )
            search.resource_index(self)
