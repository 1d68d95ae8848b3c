"""Staff write a program: its description in a language, who may apply, its window (see
`applying.program_window_set`), its questions and its review rubric."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from village.languages.content import is_language_tag, normalise_language_code
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record
from village.programs.access import may_manage
from village.programs.models import Criterion, Program, Question

APPLYING_KINDS = {Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER, Organisation.Kind.SCHOOL}


def _language(language: str) -> str:
    if not is_language_tag(language):
        raise ValidationError(_("Choose a language."), code="language")
    return normalise_language_code(language)


@transaction.atomic
def program_create(
    *,
    by: Person,
    organisation: Organisation,
    kind: str,
    language: str,
    title: str,
    description: str,
    eligible_kinds: list[str],
) -> Program:
    if not person_may(by, Permission.MANAGE_PROGRAMS, organisation):
        raise PermissionDenied
    if kind not in Program.Kind.values:
        raise ValidationError(_("Choose what kind of program it is."), code="kind")
    if not eligible_kinds or not set(eligible_kinds) <= APPLYING_KINDS:
        raise ValidationError(_("Choose who may apply."), code="eligible")
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the program a title."), code="title")
    language = _language(language)
    base = slugify(title)[:70] or "program"
    slug, n = base, 1
    while Program.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    program = Program.objects.create(
        organisation=organisation,
        slug=slug,
        kind=kind,
        title={language: title[:200]},
        description={language: description.strip()[:5000]} if description.strip() else {},
        source_language=language,
        eligible_kinds=sorted(eligible_kinds),
    )
    audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=program, organisation=organisation)
    return program


@transaction.atomic
def program_texts_set(
    *, program: Program, by: Person, language: str, title: str, description: str
) -> Program:
    """The program's title and description in one more language (or corrected in one)."""
    if not may_manage(by, program):
        raise PermissionDenied
    language = _language(language)
    if not title.strip():
        raise ValidationError(_("Give the program a title."), code="title")
    program.title = {**program.title, language: title.strip()[:200]}
    if description.strip():
        program.description = {**program.description, language: description.strip()[:5000]}
    program.save(update_fields=["title", "description"])
    return program


@transaction.atomic
def question_add(
    *,
    program: Program,
    by: Person,
    kind: str,
    language: str,
    label: str,
    required: bool = True,
    word_limit: int | None = None,
    choices: list[str] | None = None,
    min_value: int | None = None,
    max_value: int | None = None,
) -> Question:
    if not may_manage(by, program):
        raise PermissionDenied
    if kind not in Question.Kind.values:
        raise ValidationError(_("Choose the kind of question."), code="kind")
    language = _language(language)
    label = label.strip()
    if not label:
        raise ValidationError(_("Write the question."), code="label")
    options = [c.strip() for c in (choices or []) if c.strip()]
    if kind == Question.Kind.CHOICE and len(options) < 2:
        raise ValidationError(
            _("A choice needs at least two options, one per line."), code="choices"
        )
    if min_value is not None and max_value is not None and min_value > max_value:
        raise ValidationError(_("The smallest number is larger than the largest."), code="range")
    position = (
        program.questions.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return Question.objects.create(
        program=program,
        position=position,
        kind=kind,
        label={language: label[:500]},
        required=required,
        word_limit=word_limit if kind == Question.Kind.LONG else None,
        choices=[
            {"value": slugify(option)[:50] or str(n), "label": {language: option[:200]}}
            for n, option in enumerate(options, start=1)
        ]
        if kind == Question.Kind.CHOICE
        else [],
        min_value=min_value if kind == Question.Kind.NUMBER else None,
        max_value=max_value if kind == Question.Kind.NUMBER else None,
    )


@transaction.atomic
def criterion_add(
    *, program: Program, by: Person, language: str, label: str, guidance: str, max_points: int
) -> Criterion:
    if not may_manage(by, program):
        raise PermissionDenied
    language = _language(language)
    if not label.strip():
        raise ValidationError(_("Name the criterion."), code="label")
    if not 1 <= max_points <= 100:
        raise ValidationError(_("A criterion is worth 1 to 100 points."), code="points")
    if program.applications.filter(assignments__scores__isnull=False).exists():
        raise ValidationError(
            _("Reviewers have started scoring: the rubric can no longer change."), code="scored"
        )
    position = (
        program.criteria.order_by("-position").values_list("position", flat=True).first() or 0
    ) + 1
    return Criterion.objects.create(
        program=program,
        position=position,
        label={language: label.strip()[:300]},
        guidance={language: guidance.strip()[:2000]} if guidance.strip() else {},
        max_points=max_points,
    )
