"""Writes for portal pages, resources and the staff directory. Each is one transaction,
checks the writer's permission on the organisation first and leaves an audit event."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from village.languages.content import is_language_tag, normalise_language_code
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record
from village.portal import search
from village.portal.markup import markdown_to_safe_html
from village.portal.models import (
    FACETS,
    ModuleStep,
    Page,
    Resource,
    ResourceFile,
    ResourceTag,
    StaffProfile,
)
from village.portal.uploads import upload_check


def _may_publish(by: Person, organisation: Organisation) -> None:
    if not person_may(by, Permission.PUBLISH_PORTAL, organisation):
        raise ValidationError(_("You cannot publish for this organisation."), code="permission")


def _language(code: str) -> str:
    code = normalise_language_code(code or "")
    if not is_language_tag(code):
        raise ValidationError(_("“%(code)s” is not a language code.") % {"code": code})
    return code


@transaction.atomic
def page_save(
    *,
    by: Person,
    organisation: Organisation,
    language: str,
    slug: str,
    title: str,
    body: str,
    parent: Page | None = None,
    position: int = 0,
    is_published: bool = True,
    page: Page | None = None,
) -> Page:
    """Create a page, or change one; `title` and `body` (Markdown) are the `language` version,
    the other languages are kept. The body's safe HTML is rendered here, once."""
    _may_publish(by, organisation)
    language = _language(language)
    if page is not None and page.organisation_id != organisation.pk:
        raise ValidationError(_("This page belongs to another organisation."))
    if parent is not None:
        if parent.organisation_id != organisation.pk:
            raise ValidationError(_("A page can only sit under a page of the same organisation."))
        ancestor = parent
        while ancestor is not None:
            if page is not None and ancestor.pk == page.pk:
                raise ValidationError(_("A page cannot sit under itself or its own sub-pages."))
            ancestor = ancestor.parent
    created = page is None
    if page is None:
        page = Page(organisation=organisation, source_language=language)
    page.slug, page.parent, page.position, page.is_published = slug, parent, position, is_published
    page.title = {**page.title, language: title.strip()}
    page.body = {**page.body, language: body}
    page.body_html = {**page.body_html, language: markdown_to_safe_html(body)}
    page.updated_at, page.updated_by = timezone.now(), by
    page.full_clean()
    page.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=page,
        organisation=organisation,
        detail={"language": language},
    )
    return page


def _tags_write(resource: Resource, values: dict[str, list[str]]) -> None:
    ResourceTag.objects.filter(resource=resource).delete()
    rows = []
    for facet, choices in FACETS.items():
        for value in values.get(facet, []):
            if value not in choices.values:
                raise ValidationError(_("“%(value)s” is not a choice.") % {"value": value})
            rows.append(ResourceTag(resource=resource, facet=facet, value=value))
    ResourceTag.objects.bulk_create(rows)


@transaction.atomic
def resource_save(
    *,
    by: Person,
    organisation: Organisation,
    language: str,
    slug: str,
    kind: str,
    title: str,
    summary: str,
    url: str = "",
    topics: list[str] = (),
    audiences: list[str] = (),
    age_bands: list[str] = (),
    is_public: bool = True,
    resource: Resource | None = None,
) -> Resource:
    """Create or change a resource; `title` and `summary` are its `language` version."""
    _may_publish(by, organisation)
    language = _language(language)
    if resource is not None and resource.organisation_id != organisation.pk:
        raise ValidationError(_("This resource belongs to another organisation."))
    created = resource is None
    if resource is None:
        resource = Resource(organisation=organisation, source_language=language)
    resource.slug, resource.kind, resource.url, resource.is_public = slug, kind, url, is_public
    resource.title = {**resource.title, language: title.strip()}
    resource.summary = {**resource.summary, language: summary.strip()}
    resource.updated_at = timezone.now()
    resource.full_clean()
    resource.save()
    _tags_write(
        resource, {"topic": list(topics), "audience": list(audiences), "age": list(age_bands)}
    )
    search.resource_index(resource)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if created else AuditEvent.Verb.CHANGE,
        obj=resource,
        organisation=organisation,
        detail={"language": language},
    )
    return resource


@transaction.atomic
def module_step_add(
    *, by: Person, resource: Resource, language: str, title: str, body: str
) -> ModuleStep:
    _may_publish(by, resource.organisation)
    language = _language(language)
    position = resource.steps.count() + 1
    step = ModuleStep.objects.create(
        resource=resource, position=position, title={language: title}, body={language: body}
    )
    Resource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())
    search.resource_index(resource)
    audit_record(
        actor=by, verb=AuditEvent.Verb.CHANGE, obj=resource, organisation=resource.organisation
    )
    return step


@transaction.atomic
def resource_file_attach(
    *, by: Person, resource: Resource, language: str, upload: UploadedFile
) -> ResourceFile:
    """The resource's file in `language`, replacing the one it had. The content is checked
    before anything is written."""
    _may_publish(by, resource.organisation)
    language = _language(language)
    kind = upload_check(upload)
    previous = ResourceFile.objects.filter(resource=resource, language=language).first()
    if previous is not None:
        previous.file.delete(save=False)
        previous.delete()
    attached = ResourceFile(
        resource=resource,
        language=language,
        original_name=(upload.name or "file")[-200:],
        content_type=kind.content_type,
        size=upload.size or 0,
    )
    attached.file.save(upload.name or "file", upload, save=False)
    attached.save()
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CHANGE,
        obj=resource,
        organisation=resource.organisation,
        detail={"file": language},
    )
    return attached


@transaction.atomic
def staff_profile_save(
    *, person: Person, listed: bool, languages: list[str], public_email: str, public_phone: str
) -> StaffProfile:
    """A staff person's own directory entry."""
    codes = sorted({_language(code) for code in languages})
    profile, _created = StaffProfile.objects.get_or_create(person=person)
    profile.listed, profile.languages = listed, codes
    profile.public_email, profile.public_phone = public_email, public_phone
    profile.full_clean()
    profile.save()
    audit_record(actor=person, verb=AuditEvent.Verb.CHANGE, obj=profile, organisation=None)
    return profile
