"""Answers and actions by text message, in the family's language.

Village asks by text (a survey of up to five questions, one text at a time; "reply YES to
register" for an event; "reply YES to confirm you are coming, CANCEL to cancel"), keeping what
it asked as a `TextPrompt` for the number. The reply comes in through messaging's SMS webhook,
which calls `reply_handle` here (registered from `SurveysConfig.ready`; messaging never imports
surveys). STOP never reaches us: messaging acts on it first and tells us to close what we
asked (`prompts_stop`).

A reply is understood in the prompt's language first, then in any language: the words are
`ReplyWord` rows (seeded for our districts' languages by a data migration, extended by staff),
not code; digits work everywhere ("1" yes, "2" no, a choice's number). A reply that is not
understood gets one polite re-ask in the family's language; a second one is left for staff
(the reply stays in their inbox) and the family is told so.
"""

import unicodedata
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from village.events.models import Event, Registration, Status
from village.events.services import Registrant, registration_cancel, registration_create
from village.events.services.notices import registrant_recipient
from village.languages.content import text_in_language
from village.messaging.models import Category, Delivery
from village.messaging.notices import NoticeContent
from village.messaging.reply_handlers import HandledReply
from village.messaging.selectors import Recipient
from village.messaging.services import Notice, deliveries_enqueue
from village.surveys.links import Respondent, survey_url
from village.surveys.models import Question, ReplyWord, Response, Survey, TextPrompt

MAX_TEXT_QUESTIONS = 5
PROMPT_LIFETIME = timedelta(days=30)
QUESTION = "surveys.question"
K = TextPrompt.Kind
M = ReplyWord.Meaning
OUTCOME = TextPrompt.Outcome
DIGIT_MEANINGS = {"1": M.YES, "2": M.NO}


def normalise_reply(text: str) -> str:
    """Lower case, letters, marks and digits only, single spaces: "¡Sí!" -> "sí"."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] in "LMN" else " "
        for ch in unicodedata.normalize("NFC", (text or "")[:200].casefold())
    )
    return " ".join(kept.split())


def reply_meaning(text: str, language: str) -> str | None:
    """What a reply means (a ReplyWord meaning), in the language first, then in any."""
    word = normalise_reply(text)
    if not word:
        return None
    if word in DIGIT_MEANINGS:
        return DIGIT_MEANINGS[word]
    base = language.split("-")[0]
    rows = list(ReplyWord.objects.filter(word=word).values_list("language", "meaning"))
    for code, meaning in rows:
        if code in (language, base):
            return meaning
    meanings = {meaning for _code, meaning in rows}
    return meanings.pop() if len(meanings) == 1 else None


# --- Asking ---------------------------------------------------------------------------------


def question_text(*, survey: Survey, position: int, language: str) -> str:
    """A survey question as one text: "(2/3) Question? Reply 1 = ..., 2 = ..."."""
    questions = list(survey.questions.prefetch_related("choices"))
    question = questions[position - 1]
    with translation.override(language):
        text = text_in_language(question.text, language, source_language=survey.source_language)
        choices = ", ".join(
            f"{n} = {text_in_language(c.text, language, source_language=survey.source_language)}"
            for n, c in enumerate(question.choices.all(), start=1)
        )
        if question.kind == Question.Kind.SINGLE:
            hint = _("Reply with a number: %(choices)s") % {"choices": choices}
        elif question.kind == Question.Kind.MULTIPLE:
            hint = _("Reply with one or more numbers: %(choices)s") % {"choices": choices}
        elif question.kind == Question.Kind.SCALE:
            hint = _("Reply with a number from 1 (not at all) to 5 (very much).")
        else:
            hint = _("Reply with your answer.")
        return f"({position}/{len(questions)}) {text} {hint}"


def _ask_text(prompt: TextPrompt) -> str:
    language = prompt.language
    with translation.override(language):
        if prompt.kind == K.SURVEY:
            return question_text(survey=prompt.survey, position=prompt.position, language=language)
        title = text_in_language(
            prompt.event.title, language, source_language=prompt.event.source_language
        )
        if prompt.kind == K.RSVP:
            return _("%(event)s: would you like to come? Reply YES to register, NO if not.") % {
                "event": title
            }
        return _(
            "%(event)s: are you coming? Reply YES to confirm, or NO to cancel your registration."
        ) % {"event": title}


def invitation_text(*, survey: Survey, language: str, link: str, asks_first: bool) -> str:
    with translation.override(language):
        title = text_in_language(survey.title, language, source_language=survey.source_language)
        text = _("%(organisation)s: %(survey)s %(link)s") % {
            "organisation": survey.organisation.name,
            "survey": title,
            "link": link,
        }
        if asks_first:
            text += " " + _("Or answer by text:") + " "
            text += question_text(survey=survey, position=1, language=language)
        return text


def survey_answerable_by_text(survey: Survey) -> bool:
    return 0 < survey.questions.count() <= MAX_TEXT_QUESTIONS


def _close_open(address: str) -> None:
    TextPrompt.objects.filter(address=address, status=TextPrompt.Status.OPEN).update(
        status=TextPrompt.Status.DONE
    )


def prompts_start(*, survey: Survey, recipients: list[Recipient]) -> int:
    """The first question of `survey` waits for each recipient's reply by text. A number is
    asked one thing at a time: what it was asked before is closed."""
    if not survey_answerable_by_text(survey):
        return 0
    started = 0
    for recipient in recipients:
        if recipient.channel != "sms":
            continue
        _close_open(recipient.address)
        TextPrompt.objects.create(
            address=recipient.address,
            language=recipient.language,
            kind=K.SURVEY,
            survey=survey,
            position=1,
            guardian_id=recipient.id if recipient.kind == "guardian" else None,
            registration_id=recipient.id if recipient.kind == "registrant" else None,
            name=recipient.name[:200],
        )
        started += 1
    return started


def event_question_ask(*, event: Event, kind: str, recipients: list[Recipient]) -> int:
    """Ask by text about an event: RSVP (recipients are guardians or anyone with a mobile) or
    attendance / cancellation (recipients are the event's registrants). Queued in messaging's
    outbox, one per recipient and question; the reply is handled by `reply_handle`."""
    if kind not in (K.RSVP, K.ATTENDANCE, K.CANCEL):
        raise ValidationError(_("Unknown question."))
    asked = set(
        Delivery.objects.filter(source=QUESTION, key__startswith=f"{kind}:{event.pk}:").values_list(
            "key", flat=True
        )
    )
    notices = []
    for recipient in recipients:
        key = f"{kind}:{event.pk}:{recipient.kind}:{recipient.id}"
        if recipient.channel != "sms" or key in asked:
            continue  # asked once only: a second send reaches only those not asked yet
        _close_open(recipient.address)
        prompt = TextPrompt.objects.create(
            address=recipient.address,
            language=recipient.language,
            kind=kind,
            event=event,
            guardian_id=recipient.id if recipient.kind == "guardian" else None,
            registration_id=recipient.id if recipient.kind == "registrant" else None,
            name=recipient.name[:200],
        )
        notices.append(
            Notice(
                key=key,
                recipient=recipient,
                context={"prompt_id": prompt.pk},
            )
        )
    if not notices:
        return 0
    return deliveries_enqueue(
        source=QUESTION,
        notices=notices,
        organisation=event.organisation,
        category=Category.GENERAL,
        quiet_hours=True,
    )


def attendance_confirmations_ask(*, event: Event) -> int:
    """Ask each registrant who gave only a mobile whether they are coming."""
    recipients = []
    for registration in Registration.objects.filter(
        event=event, status=Status.CONFIRMED
    ).select_related("event"):
        recipient = registrant_recipient(registration)
        if recipient is not None and recipient.channel == "sms":
            recipients.append(recipient)
    return event_question_ask(event=event, kind=K.ATTENDANCE, recipients=recipients)


def event_question_send(*, event: Event, kind: str, by) -> int:
    """Staff ask about an event by text: RSVP goes to the families of the event's organisation
    who can be reached by text (one guardian per household); attendance goes to the event's
    registrants who gave a mobile number."""
    from django.core.exceptions import PermissionDenied

    from village.families.selectors import guardians_reachable
    from village.orgs.models import AuditEvent
    from village.orgs.permissions import person_may
    from village.orgs.roles import Permission
    from village.orgs.services import audit_record

    if not person_may(by, Permission.MANAGE_EVENTS, event.organisation):
        raise PermissionDenied
    if kind == K.ATTENDANCE:
        queued = attendance_confirmations_ask(event=event)
    elif kind == K.RSVP:
        recipients = []
        for guardian in guardians_reachable(
            channel="mobile", organisation_ids=[event.organisation_id]
        ):
            points = getattr(guardian, "reachable_contact_points", [])
            if points:
                recipients.append(
                    Recipient(
                        kind="guardian",
                        id=guardian.pk,
                        household_id=guardian.household_id,
                        channel="sms",
                        address=points[0].value,
                        language=guardian.written_language or "en",
                        name=guardian.name[:200],
                    )
                )
        queued = event_question_ask(event=event, kind=K.RSVP, recipients=recipients)
    else:
        raise ValidationError(_("Unknown question."))
    audit_record(
        actor=by,
        verb=AuditEvent.Verb.SEND,
        obj=event,
        organisation=event.organisation,
        detail={"text_question": kind, "queued": queued},
    )
    return queued


def question_content(delivery) -> NoticeContent | None:
    """Renderer of "surveys.question" notices: the prompt's text, or nothing once answered."""
    prompt = (
        TextPrompt.objects.filter(pk=delivery.context.get("prompt_id"), status="open")
        .select_related("event", "survey")
        .first()
    )
    if prompt is None:
        return None
    return NoticeContent(subject="", body=_ask_text(prompt))


def invitation_content(delivery) -> NoticeContent | None:
    """Renderer of "surveys.invitation" notices: the survey with the recipient's own link."""
    survey = (
        Survey.objects.filter(pk=delivery.context.get("survey_id"))
        .select_related("organisation")
        .first()
    )
    if survey is None or not survey.is_open():
        return None
    respondent = Respondent(kind="guardian", id=delivery.guardian_id)
    link = survey_url(survey, respondent if survey.identified else None)
    text = invitation_text(
        survey=survey,
        language=delivery.language,
        link=link,
        asks_first=delivery.channel == "sms" and survey_answerable_by_text(survey),
    )
    if delivery.channel == "sms":
        return NoticeContent(subject="", body=text)
    with translation.override(delivery.language):
        subject = text_in_language(
            survey.title, delivery.language, source_language=survey.source_language
        )
    return NoticeContent(subject=subject, body=text)


# --- Understanding replies ------------------------------------------------------------------


def _open_prompt(address: str) -> TextPrompt | None:
    return (
        TextPrompt.objects.filter(
            address=address,
            status=TextPrompt.Status.OPEN,
            created_at__gte=timezone.now() - PROMPT_LIFETIME,
        )
        .select_related("survey__organisation", "event__organisation", "registration")
        .order_by("-created_at", "-pk")
        .first()
    )


def _done(prompt: TextPrompt, answer: str, outcome: str = "") -> HandledReply:
    prompt.status = TextPrompt.Status.DONE
    prompt.outcome = outcome
    prompt.answered_at = timezone.now()
    prompt.save(update_fields=["status", "outcome", "answered_at"])
    return HandledReply(answer=answer, understood=True)


def _survey_value(question: Question, body: str, language: str) -> str | None:
    """The raw value (choice ids, a number, a text) a reply gives a question, or None."""
    if question.is_text:
        return body.strip() or None
    word = normalise_reply(body)
    if question.kind == Question.Kind.SCALE:
        return word if word in {"1", "2", "3", "4", "5"} else None
    choices = list(question.choices.all())
    numbers = word.split()
    if numbers and all(n.isdigit() and 1 <= int(n) <= len(choices) for n in numbers):
        if question.kind == Question.Kind.SINGLE and len(numbers) > 1:
            return None
        return ",".join(str(choices[int(n) - 1].pk) for n in numbers)
    for choice in choices:
        if word in {normalise_reply(t) for t in choice.text.values()}:
            return str(choice.pk)
    meaning = reply_meaning(body, language)
    if len(choices) == 2 and meaning in (M.YES, M.NO):  # a yes/no question
        return str(choices[0 if meaning == M.YES else 1].pk)
    return None


def _answer_survey(prompt: TextPrompt, body: str) -> HandledReply | None:
    from village.surveys.services import response_add_answer, response_submit

    survey = prompt.survey
    questions = list(survey.questions.prefetch_related("choices"))
    question = questions[prompt.position - 1]
    value = _survey_value(question, body, prompt.language)
    if value is None:
        return None
    raw = value.split(",") if question.kind == Question.Kind.MULTIPLE else value
    try:
        if prompt.response_id is None:
            respondent = (
                Respondent(kind="guardian", id=prompt.guardian_id)
                if prompt.guardian_id
                else Respondent(kind="registration", id=prompt.registration_id)
                if prompt.registration_id
                else None
            )
            prompt.response = response_submit(
                survey=survey,
                language=prompt.language,
                values={question.pk: raw},
                respondent=respondent,
                channel=Response.Channel.SMS,
            )
        else:
            response_add_answer(response=prompt.response, question=question, raw=raw)
    except ValidationError as error:
        if error.code in ("closed", "not_open", "second", "identified"):
            return _done(prompt, " ".join(error.messages), OUTCOME.REFUSED)
        return None
    if prompt.position < len(questions):
        prompt.position += 1
        prompt.reasked = False
        prompt.save(update_fields=["position", "reasked", "response"])
        return HandledReply(answer=_ask_text(prompt), understood=True)
    prompt.save(update_fields=["response"])
    return _done(prompt, _("Thank you! Your answers were received."), OUTCOME.ANSWERED)


def _answer_event(prompt: TextPrompt, body: str) -> HandledReply | None:
    meaning = reply_meaning(body, prompt.language)
    event = prompt.event
    title = text_in_language(event.title, prompt.language, source_language=event.source_language)
    try:
        if prompt.kind == K.RSVP:
            if meaning in (M.YES, M.REGISTER):
                registration_create(
                    event=event,
                    registrant=Registrant(
                        full_name=prompt.name or prompt.address,
                        mobile=prompt.address,
                        language=prompt.language,
                    ),
                )
                # The confirmation text follows from the outbox.
                return _done(prompt, "", OUTCOME.REGISTERED)
            if meaning in (M.NO, M.CANCEL):
                return _done(prompt, _("Thank you for letting us know."), OUTCOME.DECLINED)
            return None
        registration = prompt.registration
        if meaning == M.CANCEL or (prompt.kind == K.CANCEL and meaning == M.YES):
            registration_cancel(registration=registration)
            return _done(
                prompt,
                _("Your registration for %(event)s is cancelled.") % {"event": title},
                OUTCOME.CANCELLED,
            )
        if prompt.kind == K.ATTENDANCE and meaning in (M.YES, M.REGISTER):
            return _done(
                prompt, _("Thank you! See you at %(event)s.") % {"event": title}, OUTCOME.CONFIRMED
            )
        if prompt.kind == K.ATTENDANCE and meaning == M.NO:
            registration_cancel(registration=registration)
            return _done(
                prompt,
                _("Your registration for %(event)s is cancelled.") % {"event": title},
                OUTCOME.CANCELLED,
            )
    except ValidationError as error:
        return _done(prompt, " ".join(error.messages), OUTCOME.REFUSED)
    return None


def reply_handle(reply) -> HandledReply | None:
    """Messaging's reply handler: the reply answers the number's open prompt, if it has one."""
    if reply.channel != "sms":
        return None
    prompt = _open_prompt(reply.from_address)
    if prompt is None:
        return None
    with translation.override(prompt.language):
        if prompt.kind == K.SURVEY:
            outcome = _answer_survey(prompt, reply.body)
        else:
            outcome = _answer_event(prompt, reply.body)
        if outcome is not None:
            return outcome
        if not prompt.reasked:
            prompt.reasked = True
            prompt.save(update_fields=["reasked"])
            return HandledReply(
                answer=_("Sorry, we did not understand your reply.") + " " + _ask_text(prompt),
                understood=True,
            )
        prompt.status = TextPrompt.Status.TO_STAFF
        prompt.save(update_fields=["status"])
        return HandledReply(
            answer=_("Thank you. We passed your message to the school staff, who will answer you."),
            understood=False,
        )


def prompts_stop(address: str) -> None:
    """STOP: nothing more is asked of the number; answers already given are kept."""
    TextPrompt.objects.filter(address=address, status=TextPrompt.Status.OPEN).update(
        status=TextPrompt.Status.STOPPED
    )
