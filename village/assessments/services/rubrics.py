"""Rubrics as data. A version that an assessment uses is never changed: an edit makes the next
version, so every assessment keeps the words its team rated against."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from village.assessments.models import Component, Indicator, LevelDescriptor, Rubric
from village.languages.content import validate_multilingual_text
from village.orgs.models import AuditEvent, Person
from village.orgs.permissions import reach_roots
from village.orgs.roles import Permission
from village.orgs.services import audit_record


def rubric_as_data(rubric: Rubric) -> dict:
    """The rubric in the loader's format (the shipped JSON files)."""
    components = []
    for component in rubric.components.order_by("position").prefetch_related(
        "indicators__descriptors"
    ):
        indicators = []
        for indicator in sorted(component.indicators.all(), key=lambda i: i.position):
            descriptors = sorted(indicator.descriptors.all(), key=lambda d: d.level)
            indicators.append(
                {
                    "code": indicator.code,
                    "text": indicator.text,
                    "levels": [d.text for d in descriptors],
                }
            )
        components.append(
            {
                "code": component.code,
                "title": component.title,
                "description": component.description or {},
                "indicators": indicators,
            }
        )
    return {
        "key": rubric.key,
        "title": rubric.title,
        "description": rubric.description,
        "source_language": rubric.source_language,
        "is_default": rubric.is_default,
        "components": components,
    }


def _comparable(data: dict) -> dict:
    return {
        "title": data.get("title") or {},
        "description": data.get("description") or {},
        "components": [
            {
                "code": c["code"],
                "title": c["title"],
                "description": c.get("description") or {},
                "indicators": [
                    {"code": i["code"], "text": i["text"], "levels": i["levels"]}
                    for i in c["indicators"]
                ],
            }
            for c in data["components"]
        ],
    }


def _validate(data: dict) -> None:
    try:
        validate_multilingual_text(data.get("title"))
        if not data["components"]:
            raise ValidationError(_("A rubric needs at least one component."))
        for component in data["components"]:
            validate_multilingual_text(component["title"])
            if not component["indicators"]:
                raise ValidationError(_("Each component needs at least one indicator."))
            for indicator in component["indicators"]:
                validate_multilingual_text(indicator["text"])
                if len(indicator["levels"]) != 4:
                    raise ValidationError(_("Each indicator needs exactly four level descriptors."))
                for level in indicator["levels"]:
                    validate_multilingual_text(level)
    except (KeyError, TypeError) as error:
        raise ValidationError(_("The rubric file is not in the expected format.")) from error
    codes = [c["code"] for c in data["components"]]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Two components have the same code."))


def _write(rubric: Rubric, data: dict) -> None:
    descriptors = []
    for c_position, c_data in enumerate(data["components"], 1):
        component = Component.objects.create(
            rubric=rubric,
            position=c_position,
            code=str(c_data["code"])[:12],
            title=c_data["title"],
            description=c_data.get("description") or {},
        )
        for i_position, i_data in enumerate(c_data["indicators"], 1):
            indicator = Indicator.objects.create(
                component=component,
                position=i_position,
                code=str(i_data.get("code") or f"{component.code}.{i_position}")[:12],
                text=i_data["text"],
            )
            descriptors += [
                LevelDescriptor(indicator=indicator, level=level, text=text)
                for level, text in enumerate(i_data["levels"], 1)
            ]
    LevelDescriptor.objects.bulk_create(descriptors)


@transaction.atomic
def rubric_load(*, data: dict, by: Person | None = None) -> tuple[Rubric, bool]:
    """Load a rubric from data. Returns (newest version, whether anything changed): the same
    text again changes nothing, changed text becomes a new version when the current one is in
    use."""
    _validate(data)
    current = Rubric.objects.filter(key=data["key"]).order_by("-version").first()
    if current is None:
        rubric = Rubric.objects.create(
            key=data["key"],
            version=1,
            title=data["title"],
            description=data.get("description") or {},
            source_language=data.get("source_language", "en"),
            is_default=bool(data.get("is_default")),
        )
        _write(rubric, data)
        audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=rubric, organisation=None)
        return rubric, True
    if _comparable(rubric_as_data(current)) == _comparable(data):
        return current, False
    return rubric_replace(rubric=current, data=data, by=by), True


@transaction.atomic
def rubric_replace(*, rubric: Rubric, data: dict, by: Person | None) -> Rubric:
    """Give the rubric new content: in place while no assessment uses this version, otherwise
    as the next version (the one new assessments will use)."""
    _validate(data)
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    in_use = rubric.assessments.exists()
    if in_use:
        newest = Rubric.objects.filter(key=rubric.key).aggregate(v=Max("version"))["v"]
        target = Rubric.objects.create(
            key=rubric.key,
            version=newest + 1,
            title=data["title"],
            description=data.get("description") or {},
            source_language=rubric.source_language,
            is_default=rubric.is_default,
        )
    else:
        target = rubric
        target.title = data["title"]
        target.description = data.get("description") or {}
        target.save(update_fields=["title", "description"])
        target.components.all().delete()
    _write(target, data)
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.CREATE if in_use else AuditEvent.Verb.CHANGE,
        obj=target,
        organisation=None,
        detail={"from_version": rubric.version, "new_version": in_use},
    )
    return target


def may_edit_rubrics(person: Person) -> bool:
    return person.is_authenticated and (
        person.is_superuser or bool(reach_roots(person, Permission.EDIT_RUBRICS))
    )


@transaction.atomic
def indicator_edit(
    *, indicator: Indicator, language: str, text: str, levels: list[str], by: Person
) -> Indicator:
    """Change an indicator's text and its four descriptors in one language. Returns the
    indicator as it now stands (in a new rubric version when the old one is in use)."""
    if not may_edit_rubrics(by):
        raise ValidationError(_("You cannot change rubrics."), code="permission")
    if not text.strip() or len(levels) != 4 or not all(level.strip() for level in levels):
        raise ValidationError(_("Write the indicator and all four level descriptors."))
    component = indicator.component
    rubric = component.rubric
    data = rubric_as_data(rubric)
    for c_data in data["components"]:
        if c_data["code"] != component.code:
            continue
        for i_data in c_data["indicators"]:
            if i_data["code"] == indicator.code:
                i_data["text"] = {**i_data["text"], language: text.strip()}
                i_data["levels"] = [
                    {**old, language: new.strip()}
                    for old, new in zip(i_data["levels"], levels, strict=True)
                ]
    target = rubric_replace(rubric=rubric, data=data, by=by)
    return Indicator.objects.get(
        component__rubric=target, component__code=component.code, code=indicator.code
    )
