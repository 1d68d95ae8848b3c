from django.db.models import Prefetch, QuerySet

from village.orgs.models import Organisation


def districts_with_schools() -> QuerySet[Organisation]:
    """Public list of districts and their schools for the family home page (names only)."""
    schools = Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).order_by("name")
    return (
        Organisation.objects.filter(
            kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
        )
        .order_by("name")
        .prefetch_related(Prefetch("children", queryset=schools, to_attr="schools"))
    )
