"""Writes for surveys: making a survey from a template, answers (from the web page, the API
or text messages), machine translation of free-text answers on request, reply words, and the
invitations that carry each recipient's own signed link.

Every answer goes through `response_submit`: the survey must be open; an identified survey
needs its signed link; a second answer from the same person replaces the first (kept, with
`replaced_by` set) or is refused, as the survey's setting says. Nothing is written before all
of it has been checked.
"""

from collections.abc import Mapping
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from village.events.models import Registration
from village.families.models import Guardian
from village.languages.content import is_language_tag, normalise_language_code
from village.messaging.models import Category, Delivery
from village.messaging.selectors import Recipient
from village.messaging.services import Notice, deliveries_enqueue
from village.messaging.translation import translation_provider
from village.orgs.models import AuditEvent, Organisation, Person
from village.orgs.permissions import person_may
from village.orgs.roles import Permission
from village.orgs.services import audit_record
from village.surveys.links import Respondent
from village.surveys.models import (
    SCALE,
    Answer,
    Choice,
    Question,
    ReplyWord,
    Response,
    Survey,
)
from village.surveys.templates_catalog import TEMPLATES

SHORT_TEXT_MAX = 2000  # a long text message (up to 1,600 characters) fits
LONG_TEXT_MAX = 5000
INVITATION = "surveys.invitation"


def answer_throttled(*, address: str) -> bool:
    """Counts one answer against the address's hourly allowance (the public page and the API
    share it: VILLAGE_SURVEY_ANSWERS_PER_HOUR, default 30); True when it is over."""
    key = f"surveys:answer:{address}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        count = 1
    return count > getattr(settings, "VILLAGE_SURVEY_ANSWERS_PER_HOUR", 30)


def survey_may_manage(*, person: Person, survey: Survey) -> bool:
    return person_may(person, Permission.MANAGE_SURVEYS, survey.organisation)


def _check_manage(person: Person, organisation: Organisation) -> None:
    if not person_may(person, Permission.MANAGE_SURVEYS, organisation):
        raise PermissionDenied


@transaction.atomic
def survey_create(
    *,
    organisation: Organisation,
    template: str,
    opens_at: datetime,
    closes_at: datetime,
    identity: str = Survey.Identity.ANONYMOUS,
    second_answer: str = Survey.SecondAnswer.REPLACE,
    title: str = "",
    language: str = "en",
    event=None,
    by: Person | None,
) -> Survey:
    """A survey with the template's questions (texts in every language the template has)."""
    if by is not None:
        _check_manage(by, organisation)
        if event is not None and not person_may(by, Permission.MANAGE_EVENTS, event.organisation):
            raise PermissionDenied
    if template not in TEMPLATES:
        raise ValidationError(_("Choose one of the templates."))
    if closes_at <= opens_at:
        raise ValidationError(_("The survey must close after it opens."))
    titles, intros, questions = TEMPLATES[template]
    titles = dict(titles)
    if title.strip():
        titles = {language: title.strip()[:200]}
    base = slugify(titles.get("en") or title)[:60] or "survey"
    survey = Survey.objects.create(
        organisation=organisation,
        slug=f"{base}-{get_random_string(6).lower()}",
        template=template,
        title=titles,
        intro=dict(intros),
        source_language=language if title.strip() else "en",
        identity=identity,
        second_answer=second_answer,
        opens_at=opens_at,
        closes_at=closes_at,
        event=event,
        created_by=by,
    )
    for position, (kind, text, choices) in enumerate(questions, start=1):
        question = Question.objects.create(
            survey=survey, position=position, kind=kind, text=dict(text)
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=n, text=dict(choice))
            for n, choice in enumerate(choices, start=1)
        )
    if by is not None:
        audit_record(actor=by, verb=AuditEvent.Verb.CREATE, obj=survey, organisation=organisation)
    return survey


def _closed_message(survey: Survey) -> str:
    zone = timezone.get_current_timezone()
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(survey.organisation.time_zone)
    except (KeyError, ValueError):
        pass
    moment = date_format(timezone.localtime(survey.closes_at, zone), "SHORT_DATETIME_FORMAT")
    return _("This survey closed on %(when)s. Your answers were not recorded.") % {"when": moment}


def survey_open_check(*, survey: Survey, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if now < survey.opens_at:
        raise ValidationError(_("This survey is not open yet."), code="not_open")
    if now >= survey.closes_at:
        raise ValidationError(_closed_message(survey), code="closed")


def _parse(question: Question, raw, choice_ids: set[int]) -> list[dict]:
    """The rows one question's raw value makes; [] when unanswered. Raises on bad input."""
    values = raw if isinstance(raw, list | tuple) else [raw]
    values = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not values:
        return []
    if question.has_choices:
        chosen = []
        for value in values:
            if not value.isascii() or not value.isdigit() or int(value) not in choice_ids:
                raise ValidationError(_("Choose one of the answers offered."), code="choice")
            chosen.append(int(value))
        if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(_("Choose only one answer."), code="choice")
        return [{"choice_id": c} for c in dict.fromkeys(chosen)]
    if question.kind == Question.Kind.SCALE:
        value = values[0]
        if len(values) > 1 or not value.isascii() or not value.isdigit() or int(value) not in SCALE:
            raise ValidationError(_("Choose a number from 1 to 5."), code="scale")
        return [{"number": int(value)}]
    text = "\n".join(values).replace("\x00", "")
    limit = SHORT_TEXT_MAX if question.kind == Question.Kind.SHORT else LONG_TEXT_MAX
    if len(text) > limit:
        raise ValidationError(
            _("Please keep this answer under %(limit)s characters (it has %(count)s).")
            % {"limit": limit, "count": len(text)},
            code="too_long",
        )
    return [{"text": text}]


def _school_for(survey: Survey, respondent: Respondent | None, school: Organisation | None):
    if respondent is not None and respondent.kind == "guardian":
        guardian = Guardian.objects.filter(pk=respondent.id).only("organisation_id").first()
        if guardian is not None:
            return guardian.organisation_id
    if school is not None and school.path.startswith(survey.organisation.path):
        return school.pk
    return survey.organisation_id


def _respondent_check(survey: Survey, respondent: Respondent | None) -> None:
    if not survey.identified:
        return
    if respondent is None:
        raise ValidationError(
            _("This survey is answered through the link you were sent, by text or email."),
            code="identified",
        )
    model = Guardian if respondent.kind == "guardian" else Registration
    if not model.objects.filter(pk=respondent.id).exists():
        raise ValidationError(_("This link is no longer valid."), code="identified")


def response_submit(
    *,
    survey: Survey,
    language: str,
    values: Mapping[int, object],
    respondent: Respondent | None = None,
    channel: str = Response.Channel.WEB,
    school: Organisation | None = None,
    now: datetime | None = None,
) -> Response:
    """Record one person's answers. `values` maps question ids to a choice id, a list of
    choice ids, a scale value or a text (as the form or the API gives them)."""
    now = now or timezone.now()
    survey_open_check(survey=survey, now=now)
    language = normalise_language_code(language or survey.source_language)[:16]
    if not is_language_tag(language):
        language = survey.source_language
    _respondent_check(survey, respondent)
    questions = list(survey.questions.prefetch_related("choices"))
    rows: list[tuple[Question, dict]] = []
    errors: dict[str, list] = {}
    for question in questions:
        try:
            parsed = _parse(
                question, values.get(question.pk), {c.pk for c in question.choices.all()}
            )
        except ValidationError as error:
            errors[f"q{question.pk}"] = error.messages
            continue
        if not parsed and question.required:
            errors[f"q{question.pk}"] = [_("Please answer this question.")]
        rows += [(question, row) for row in parsed]
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("Please answer at least one question."), code="empty")
    key = respondent.key if (respondent is not None and survey.identified) else ""
    try:
        with transaction.atomic():
            return _write(survey, language, rows, respondent, key, channel, school, now)
    except IntegrityError as error:  # the same person's second answer, at the same moment
        raise ValidationError(
            _("You have already answered this survey. Your first answer is kept."),
            code="second",
        ) from error


def _write(survey, language, rows, respondent, key, channel, school, now) -> Response:
    previous = None
    if key:
        previous = (
            Response.objects.select_for_update()
            .filter(survey=survey, respondent=key, replaced_by__isnull=True)
            .first()
        )
        if previous is not None and survey.second_answer == Survey.SecondAnswer.REFUSE:
            raise ValidationError(
                _("You have already answered this survey. Your first answer is kept."),
                code="second",
            )
    identified = respondent is not None and survey.identified
    response = Response.objects.create(
        survey=survey,
        school_id=_school_for(survey, respondent if identified else None, school),
        language=language,
        channel=channel,
        guardian_id=respondent.id if identified and respondent.kind == "guardian" else None,
        registration_id=(
            respondent.id if identified and respondent.kind == "registration" else None
        ),
        submitted_at=now,
    )
    Answer.objects.bulk_create(
        Answer(response=response, question=question, **row) for question, row in rows
    )
    if previous is not None:
        Response.objects.filter(pk=previous.pk).update(replaced_by=response)
    if key:
        Response.objects.filter(pk=response.pk).update(respondent=key)
        response.respondent = key
    return response


def response_add_answer(*, response: Response, question: Question, raw: str) -> None:
    """One more answer to a response being given one text at a time (see `texting`)."""
    survey_open_check(survey=response.survey)
    rows = _parse(question, raw, {c.pk for c in question.choices.all()})
    Answer.objects.filter(response=response, question=question).delete()
    Answer.objects.bulk_create(Answer(response=response, question=question, **r) for r in rows)


def answer_translate(*, answer: Answer, into: str, by: Person) -> Answer:
    """A machine translation of a free-text answer, made on staff's request and kept."""
    if not survey_may_manage(person=by, survey=answer.response.survey):
        raise PermissionDenied
    if answer.translated_text and answer.translated_into == into:
        return answer
    provider = translation_provider()
    if provider is None:
        raise ValidationError(_("No translation service is set up."))
    source = answer.response.language.split("-")[0]
    answer.translated_text = provider.translate(answer.text, source=source, target=into)
    answer.translated_into = into
    answer.save(update_fields=["translated_text", "translated_into"])
    return answer


def reply_word_add(*, language: str, word: str, meaning: str, by: Person) -> ReplyWord:
    """Staff teach Village one more word families text back (any language tag)."""
    from village.surveys.texting import normalise_reply

    language = normalise_language_code(language)
    word = normalise_reply(word)
    if not is_language_tag(language):
        raise ValidationError(_("Give a language code such as es, ht or zh-hans."))
    if not word or len(word) > 60:
        raise ValidationError(_("Give a word or a few words (at most 60 characters)."))
    if meaning not in ReplyWord.Meaning.values:
        raise ValidationError(_("Choose what the word means."))
    reply_word, _created = ReplyWord.objects.update_or_create(
        language=language, word=word, defaults={"meaning": meaning}
    )
    audit_record(actor=by, verb=AuditEvent.Verb.CHANGE, obj=reply_word, organisation=None)
    return reply_word


def survey_invitations_enqueue(*, survey: Survey, channel: str, by: Person | None) -> int:
    """Each reachable guardian of the survey's organisation gets the survey by `channel`
    ("sms" or "email") with their own signed link, once (the key names survey and guardian).
    A text to a survey of up to five questions also asks its first question: the family may
    answer by replying."""
    from village.families.selectors import guardians_reachable
    from village.surveys.texting import prompts_start

    if by is not None:
        _check_manage(by, survey.organisation)
    directory_channel = "mobile" if channel == "sms" else "email"
    guardians = guardians_reachable(
        channel=directory_channel, organisation_ids=[survey.organisation_id]
    )
    notices = []
    for guardian in guardians:
        points = getattr(guardian, "reachable_contact_points", [])
        if not points:
            continue
        notices.append(
            Notice(
                key=f"{survey.pk}:g{guardian.pk}:{channel}",
                recipient=Recipient(
                    kind="guardian",
                    id=guardian.pk,
                    household_id=guardian.household_id,
                    channel=channel,
                    address=points[0].value,
                    language=guardian.written_language or "en",
                    name=guardian.name[:200],
                ),
                context={"survey_id": survey.pk},
            )
        )
    # Sending again reaches only those not invited yet (and restarts nobody's text answers).
    invited = set(
        Delivery.objects.filter(source=INVITATION, key__startswith=f"{survey.pk}:").values_list(
            "key", flat=True
        )
    )
    notices = [n for n in notices if n.key not in invited]
    if not notices:
        return 0
    with transaction.atomic():
        queued = deliveries_enqueue(
            source=INVITATION,
            notices=notices,
            organisation=survey.organisation,
            category=Category.GENERAL,
            quiet_hours=True,
        )
        if channel == "sms":
            prompts_start(survey=survey, recipients=[n.recipient for n in notices])
    if by is not None:
        audit_record(
            actor=by,
            verb=AuditEvent.Verb.SEND,
            obj=survey,
            organisation=survey.organisation,
            detail={"channel": channel, "recipients": len(notices)},
        )
    return queued
