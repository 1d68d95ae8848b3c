from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from village.api.conventions import CursorPage, Rows
from village.orgs import selectors
from village.orgs.permissions import active_memberships

router = Router(tags=["organisations"])


class MembershipOut(Schema):
    organisation: str
    organisation_name: str
    role: str


class PersonOut(Schema):
    email: str
    full_name: str
    preferred_language: str
    memberships: list[MembershipOut]


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    parent: str | None
    time_zone: str


def _organisation_out(organisation) -> dict:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "parent": organisation.parent.slug if organisation.parent else None,
        "time_zone": organisation.time_zone,
    }


@router.get("/me", response=PersonOut, summary="The person the token belongs to")
def me(request: HttpRequest):
    person = request.auth
    return {
        "email": person.email,
        "full_name": person.full_name,
        "preferred_language": person.preferred_language,
        "memberships": [
            {
                "organisation": m.organisation.slug,
                "organisation_name": m.organisation.name,
                "role": m.role,
            }
            for m in active_memberships(person)
        ],
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations within reach")
@paginate(CursorPage)
def organisations(request: HttpRequest):
    found = selectors.organisations_visible_to(person=request.auth).select_related("parent")
    return Rows(found.order_by("path"), each=_organisation_out)


@router.get("/organisations/{slug}", response=OrganisationOut, summary="One organisation")
def organisation(request: HttpRequest, slug: str):
    return _organisation_out(selectors.organisation_get_for_staff(person=request.auth, slug=slug))
