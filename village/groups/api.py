"""Groups over the API: public facts for any token; members only for staff who manage the
group (audited, as on the staff page)."""

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Schema

from village.groups import selectors
from village.languages.content import text_in_language
from village.orgs.models import AuditEvent
from village.orgs.services import audit_record

router = Router(tags=["groups"])


class GroupOut(Schema):
    slug: str
    kind: str
    organisation: str
    name: str
    description: str
    contact_name: str
    contact_email: str


class MemberOut(Schema):
    full_name: str
    email: str
    mobile: str
    language: str
    role: str
    in_directory: bool


def _group_out(group, language: str) -> dict:
    return {
        "slug": group.slug,
        "kind": group.kind,
        "organisation": group.organisation.slug,
        "name": text_in_language(group.name, language, source_language=group.source_language),
        "description": text_in_language(
            group.description, language, source_language=group.source_language
        ),
        "contact_name": group.contact_name,
        "contact_email": group.contact_email,
    }


@router.get("/groups", response=list[GroupOut], summary="Public groups")
def groups(request: HttpRequest, language: str = ""):
    language = language or get_language()
    return [_group_out(g, language) for g in selectors.groups_public()]


@router.get("/groups/{slug}", response=GroupOut, summary="One public group")
def group(request: HttpRequest, slug: str, language: str = ""):
    return _group_out(selectors.group_get_public(slug=slug), language or get_language())


@router.get(
    "/groups/{group_id}/members",
    response=list[MemberOut],
    summary="Members of a group (staff who manage it)",
)
def members(request: HttpRequest, group_id: int):
    group = selectors.group_get_for_staff(person=request.auth, group_id=group_id)
    audit_record(
        actor=request.auth,
        verb=AuditEvent.Verb.VIEW,
        obj=group,
        organisation=group.organisation,
        detail={"api": True, "members": len(group.active_members)},
    )
    return [
        {
            "full_name": m.full_name,
            "email": m.email,
            "mobile": m.mobile,
            "language": m.language,
            "role": m.role,
            "in_directory": m.guardian_id is not None,
        }
        for m in group.active_members
    ]
