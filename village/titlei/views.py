"""Title I evidence pages for staff: the checklist of a school or district, the district's
matrix of its schools, the state's list of districts, a form per item and the evidence pack."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from village.orgs.models import AuditEvent, Organisation
from village.orgs.permissions import staff_required
from village.orgs.services import audit_view
from village.portal.views.public import file_response
from village.titlei import selectors, services
from village.titlei.forms import DocumentForm, EvaluationForm, MeetingForm, SetAsideForm
from village.titlei.models import Kind, Level, school_year_label
from village.titlei.presenting import amount_display, survey_link


def _year_choices(year: int) -> list[tuple[int, str]]:
    return [(y, school_year_label(y)) for y in range(year + 1, year - 4, -1)]


@staff_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The districts the person may see (all of them for the state office) with their totals,
    or the person's schools when they reach no district."""
    year = selectors.school_year_of(timezone.localdate())
    if (asked := request.GET.get("year", "")).isdigit() and len(asked) == 4:
        year = selectors.school_year_or_404(int(asked))
    districts = selectors.districts_visible_to(person=request.user)
    summaries = selectors.district_summaries(districts=districts, school_year=year)
    schools = [
        s for s in selectors.schools_visible_to(person=request.user) if s.parent not in districts
    ]
    school_lists = selectors.checklists(organisations=schools, school_year=year)
    if not districts and not schools:
        raise Http404
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        organisation=None,
        object_type="title i checklists",
        detail={"school_year": year, "districts": len(districts), "schools": len(schools)},
    )
    return render(
        request,
        "titlei/index.html",
        {
            "year": year,
            "year_label": school_year_label(year),
            "years": _year_choices(selectors.school_year_of(timezone.localdate())),
            "summaries": summaries,
            "school_lists": [school_lists[s.pk] for s in schools],
        },
    )


@staff_required
@require_safe
def current(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_for_titlei(person=request.user, slug=slug)
    year = selectors.current_school_year(organisation=organisation)
    if (asked := request.GET.get("year", "")).isdigit() and len(asked) == 4:
        year = selectors.school_year_or_404(int(asked))
    return redirect("titlei:checklist", slug=organisation.slug, year=year)


def _records_context(organisation: Organisation, year: int) -> dict:
    records = selectors.evidence_for(organisation=organisation, school_year=year)
    return {
        "records": records,
        "set_aside_amount": amount_display(records.set_aside),
        "survey": survey_link(records.evaluation),
    }


@staff_required
@require_safe
def checklist(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    organisation = selectors.organisation_for_titlei(person=request.user, slug=slug)
    year = selectors.school_year_or_404(year)
    context = {
        "organisation": organisation,
        "year": year,
        "year_label": school_year_label(year),
        "years": _year_choices(selectors.current_school_year(organisation=organisation)),
        "may_manage": selectors.may_manage(person=request.user, organisation=organisation),
        "may_set_participation": selectors.may_set_participation(
            person=request.user, organisation=organisation
        ),
        **_records_context(organisation, year),
    }
    if selectors.level_of(organisation) == Level.DISTRICT:
        summary = selectors.district_summaries(districts=[organisation], school_year=year)[0]
        context["checklist"] = summary.own
        context["summary"] = summary
        context["school_kinds"] = [
            (r.kind, r.get_kind_display())
            for r, _due in selectors.requirements_with_due_dates(school_year=year)
            if r.level == Level.SCHOOL
        ]
    else:
        context["checklist"] = selectors.checklist_for(organisation=organisation, school_year=year)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        organisation=organisation,
        obj=organisation,
        object_type="title i checklist",
        detail={"school_year": year},
    )
    return render(request, "titlei/checklist.html", context)


FORMS = {
    Kind.POLICY: DocumentForm,
    Kind.COMPACT: DocumentForm,
    Kind.EVALUATION: EvaluationForm,
    Kind.MEETING: MeetingForm,
    Kind.SET_ASIDE: SetAsideForm,
}


def _form_for(kind, request, organisation, year, records):
    data = request.POST if request.method == "POST" else None
    if kind in (Kind.POLICY, Kind.COMPACT):
        document = records.get(kind)
        language = (request.GET.get("language") or get_language() or "en").lower()
        existing = None
        if document is not None:
            existing = next((v for v in document.versions.all() if v.language == language), None)
        initial = {
            "language": language,
            "agreed_on": document.agreed_on if document else None,
            "text": existing.text if existing else "",
        }
        return DocumentForm(data, request.FILES if data is not None else None, initial=initial)
    events = selectors.events_for_evidence(organisation=organisation, school_year=year)
    if kind == Kind.EVALUATION:
        evaluation = records.evaluation
        initial = {}
        if evaluation is not None:
            initial = {
                "held_on": evaluation.held_on,
                "meeting_event": evaluation.meeting_event_id,
                "survey": f"{evaluation.survey_source}:{evaluation.survey_object_id}"
                if evaluation.survey_source
                else "",
                "survey_title": evaluation.survey_title,
                "survey_url": evaluation.survey_url,
                "findings": evaluation.findings,
            }
        return EvaluationForm(data, initial=initial, events=events, organisation=organisation)
    if kind == Kind.MEETING:
        meeting = records.meeting
        initial = {}
        extra = set()
        if meeting is not None:
            initial = {
                "event": meeting.event_id,
                "invitation_sent_on": meeting.invitation_sent_on,
                "agenda": meeting.agenda,
                "minutes": meeting.minutes,
                "languages": meeting.languages,
            }
            extra |= set(meeting.languages)
        for event in events:
            extra |= set(event.languages or [])
        return MeetingForm(data, initial=initial, events=events, extra_languages=sorted(extra))
    set_aside = records.set_aside
    initial = {}
    if set_aside is not None:
        initial = {
            "decided_on": set_aside.decided_on,
            "consultation": set_aside.consultation,
            "amount": set_aside.amount,
            "currency": set_aside.currency,
        }
    return SetAsideForm(data, initial=initial)


def _save(kind, form, organisation, year, by):
    data = dict(form.cleaned_data)
    common = {"organisation": organisation, "school_year": year, "by": by}
    if kind in (Kind.POLICY, Kind.COMPACT):
        return services.document_version_save(
            kind=kind,
            language=data["language"],
            agreed_on=data["agreed_on"],
            text=data.get("text") or "",
            upload=data.get("file"),
            **common,
        )
    if kind == Kind.EVALUATION:
        return services.evaluation_save(
            held_on=data["held_on"],
            findings=data["findings"],
            meeting_event=data.get("meeting_event"),
            survey=data.get("survey") or "",
            survey_title=data.get("survey_title") or "",
            survey_url=data.get("survey_url") or "",
            **common,
        )
    if kind == Kind.MEETING:
        return services.annual_meeting_save(
            event=data["event"],
            agenda=data["agenda"],
            minutes=data.get("minutes") or "",
            languages=data.get("languages") or None,
            invitation_sent_on=data.get("invitation_sent_on"),
            **common,
        )
    return services.set_aside_save(
        decided_on=data["decided_on"],
        consultation=data["consultation"],
        amount=data["amount"],
        currency=data["currency"],
        **common,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, slug: str, year: int, kind: str) -> HttpResponse:
    organisation = selectors.organisation_for_titlei(person=request.user, slug=slug, manage=True)
    year = selectors.school_year_or_404(year)
    checklist = selectors.checklist_for(organisation=organisation, school_year=year)
    item = checklist.item(kind)
    if item is None:  # not an item this level of organisation keeps (or not a Title I school)
        raise Http404
    records = selectors.evidence_for(organisation=organisation, school_year=year)
    form = _form_for(kind, request, organisation, year, records)
    if kind in (Kind.POLICY, Kind.COMPACT):
        document = records.get(kind)
        language = form["language"].value() or ""
        form.has_file = bool(
            document
            and any(v.file and v.language == str(language).lower() for v in document.versions.all())
        )
    if request.method == "POST" and form.is_valid():
        try:
            _save(kind, form, organisation, year, request.user)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Saved."))
            return redirect("titlei:checklist", slug=organisation.slug, year=year)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        organisation=organisation,
        obj=records.get(kind),
        object_type=None if records.get(kind) else "title i checklist",
        detail={"school_year": year, "kind": kind},
    )
    compose = None
    if kind == Kind.MEETING and records.meeting is not None:
        compose = (
            f"{reverse('messaging:compose')}?audience_kind=event&audience_event="
            f"{records.meeting.event_id}"
        )
    return render(
        request,
        "titlei/record.html",
        {
            "organisation": organisation,
            "year": year,
            "year_label": school_year_label(year),
            "item": item,
            "kind": kind,
            "form": form,
            "records": records,
            "compose_url": compose,
        },
        status=422 if request.method == "POST" else 200,
    )


@staff_required
@require_POST
def participation(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    organisation = selectors.organisation_for_titlei(person=request.user, slug=slug, manage=True)
    year = selectors.school_year_or_404(year)
    if not selectors.may_set_participation(person=request.user, organisation=organisation):
        raise Http404
    services.participation_set(
        organisation=organisation,
        school_year=year,
        is_title_i=request.POST.get("is_title_i") == "1",
        by=request.user,
    )
    messages.success(request, _("Saved."))
    return redirect("titlei:checklist", slug=organisation.slug, year=year)


@staff_required
@require_safe
def document_file(request: HttpRequest, slug: str, year: int, version_id: int) -> FileResponse:
    version = selectors.document_version_for_staff(
        person=request.user, slug=slug, school_year=year, version_id=version_id
    )
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=version.document,
        organisation=version.document.organisation,
        detail={"language": version.language},
    )
    return file_response(
        stored=version.file, content_type=version.file_type, name=version.file_name
    )


@staff_required
@require_safe
def evidence_pack(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Everything on the checklist, printable for a monitoring visit (WeasyPrint)."""
    organisation = selectors.organisation_for_titlei(person=request.user, slug=slug)
    year = selectors.school_year_or_404(year)
    from weasyprint import HTML

    context = {
        "organisation": organisation,
        "year": year,
        "year_label": school_year_label(year),
        "printed_at": timezone.now(),
        **_records_context(organisation, year),
    }
    if selectors.level_of(organisation) == Level.DISTRICT:
        summary = selectors.district_summaries(districts=[organisation], school_year=year)[0]
        context.update(checklist=summary.own, summary=summary)
        context["school_kinds"] = [
            (r.kind, r.get_kind_display())
            for r, _due in selectors.requirements_with_due_dates(school_year=year)
            if r.level == Level.SCHOOL
        ]
    else:
        context["checklist"] = selectors.checklist_for(organisation=organisation, school_year=year)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        organisation=organisation,
        obj=organisation,
        object_type="title i evidence pack",
        detail={"school_year": year, "pdf": True},
    )
    html = render_to_string("titlei/pack.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="title-i-{organisation.slug}-{year}.pdf"'
    )
    return response
