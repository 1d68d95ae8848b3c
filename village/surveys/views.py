import base64
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from village.events.selectors import events_for_staff
from village.exports import csv_response
from village.languages.forms import interface_language_choices
from village.languages.names import language_name
from village.orgs.models import AuditEvent
from village.orgs.permissions import staff_required
from village.orgs.roles import Permission
from village.orgs.selectors import organisations_visible_to
from village.orgs.services import audit_view
from village.surveys import selectors, services
from village.surveys.charts_for import question_charts, respondents_chart
from village.surveys.forms import (
    AnswerForm,
    AskByTextForm,
    InviteForm,
    ReplyWordForm,
    ResultsFilterForm,
    SurveyForm,
)
from village.surveys.links import respondent_from_token, survey_url
from village.surveys.models import ReplyWord


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, slug: str, token: str = "") -> HttpResponse:
    """The public answer page: works without JavaScript, in the reader's language."""
    survey = selectors.survey_get_public(slug=slug)
    respondent = respondent_from_token(survey_id=survey.pk, token=token) if token else None
    if token and respondent is None:
        return render(
            request,
            "surveys/closed.html",
            {"survey": survey, "error": _("This link is no longer valid.")},
            status=404,
        )
    language = get_language()
    schools = [] if respondent else selectors.schools_for_answer(survey=survey)
    form = AnswerForm(request.POST or None, survey=survey, language=language, schools=schools)
    status = 200
    if not survey.is_open():
        try:
            services.survey_open_check(survey=survey)
        except ValidationError as error:
            return render(
                request,
                "surveys/closed.html",
                {"survey": survey, "error": error.messages[0]},
                status=410 if request.method == "POST" else 200,
            )
    if survey.identified and respondent is None:
        error = _("This survey is answered through the link you were sent, by text or email.")
        return render(
            request,
            "surveys/closed.html",
            {"survey": survey, "error": error},
            status=400 if request.method == "POST" else 200,
        )
    if request.method == "POST" and form.is_valid():
        if services.answer_throttled(address=request.META.get("REMOTE_ADDR", "")):
            form.add_error(None, _("Too many answers from here. Please try again in an hour."))
            status = 429
        else:
            school_id = form.cleaned_data.get("school")
            school = next((s for s in schools if s.pk == school_id), None)
            try:
                services.response_submit(
                    survey=survey,
                    language=language,
                    values=form.values(),
                    respondent=respondent,
                    school=school,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
                status = 400
            else:
                return render(request, "surveys/thanks.html", {"survey": survey})
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "surveys/answer.html",
        {"survey": survey, "form": form, "identified": respondent is not None},
        status=status,
    )


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "surveys/staff_list.html",
        {"surveys": selectors.surveys_for_staff(person=request.user)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_new(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(
        request.POST or None,
        initial={"language": get_language()},
        organisations=organisations_visible_to(
            person=request.user, permission=Permission.MANAGE_SURVEYS
        ),
        languages=interface_language_choices(),
        events=events_for_staff(person=request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("surveys:staff_detail", survey_id=survey.pk)
    return render(request, "surveys/staff_new.html", {"form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Results by language, school and question, with the survey's links and QR code."""
    survey = selectors.survey_get_for_staff(person=request.user, survey_id=survey_id)
    invite_form = InviteForm(request.POST or None)
    if request.method == "POST" and invite_form.is_valid():
        try:
            queued = services.survey_invitations_enqueue(
                survey=survey, channel=invite_form.cleaned_data["channel"], by=request.user
            )
        except ValidationError as error:
            invite_form.add_error(None, error)
        else:
            messages.success(request, _("%(count)s invitations queued.") % {"count": queued})
            return redirect("surveys:staff_detail", survey_id=survey.pk)
    languages = selectors.results_languages(survey=survey)
    filters = ResultsFilterForm(
        request.GET or None,
        languages=[(code, language_name(code)) for code in languages],
        schools=selectors.results_schools(survey=survey),
    )
    language, school_id = "", None
    if filters.is_valid():
        language = filters.cleaned_data["language"] or ""
        school_id = filters.cleaned_data["school"]
    results = selectors.survey_results(
        survey=survey, language=language, school_id=school_id, reader=get_language()
    )
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=survey,
        organisation=survey.organisation,
        detail={"results": True, "identified": survey.identified},
    )
    charts = question_charts(survey=survey, results=results)
    for result in results.questions:
        result.charts = charts.get(result.question.pk, [])
    public_link = survey_url(survey)
    return render(
        request,
        "surveys/staff_detail.html",
        {
            "survey": survey,
            "results": results,
            "filters": filters,
            "invite_form": invite_form,
            "respondents_chart": respondents_chart(survey=survey, results=results),
            "public_link": public_link,
            "qr": _qr_data_uri(public_link),
            "query": request.GET.urlencode(),
        },
    )


@staff_required
def staff_export(request: HttpRequest, survey_id: int):
    survey = selectors.survey_get_for_staff(person=request.user, survey_id=survey_id)
    header, rows = selectors.export_rows(survey=survey)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=survey,
        organisation=survey.organisation,
        detail={"identified": survey.identified, "format": "csv"},
    )
    return csv_response(f"survey-{survey.pk}.csv", header, rows)


@staff_required
@require_POST
def answer_translate(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = selectors.answer_get_for_staff(person=request.user, answer_id=answer_id)
    survey = answer.response.survey
    try:
        services.answer_translate(answer=answer, into=get_language(), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(f"{survey_detail_path(survey.pk)}#answer-{answer.pk}")


def survey_detail_path(survey_id: int) -> str:
    from django.urls import reverse

    return reverse("surveys:staff_detail", args=[survey_id])


@staff_required
@require_http_methods(["GET", "POST"])
def reply_words(request: HttpRequest) -> HttpResponse:
    """The words families may text back, per language; staff add more."""
    if not organisations_visible_to(
        person=request.user, permission=Permission.MANAGE_SURVEYS
    ).exists():
        raise PermissionDenied
    form = ReplyWordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reply_word_add(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("surveys:reply_words")
    return render(
        request,
        "surveys/reply_words.html",
        {"form": form, "words": ReplyWord.objects.all()},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def ask_by_text(request: HttpRequest) -> HttpResponse:
    """Ask families about an event by text; their replies (in their language) register them,
    cancel or confirm, through the SMS webhook."""
    from django.utils import timezone

    from village.surveys import texting

    events = events_for_staff(person=request.user).filter(ends_at__gte=timezone.now())
    form = AskByTextForm(request.POST or None, events=events)
    if request.method == "POST" and form.is_valid():
        try:
            queued = texting.event_question_send(
                event=form.cleaned_data["event"], kind=form.cleaned_data["kind"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(count)s texts queued.") % {"count": queued})
            return redirect("surveys:ask_by_text")
    return render(
        request,
        "surveys/ask_by_text.html",
        {"form": form, "summary": selectors.text_questions_summary(person=request.user)},
    )
