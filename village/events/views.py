import base64
import uuid
from io import BytesIO
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from village.events import links, selectors, services, tasks
from village.events.calendars import events_calendar, registrations_calendar
from village.events.evaluations import evaluation_link
from village.events.forms import (
    CalendarFilterForm,
    CheckInForm,
    EventForm,
    EventTranslationsForm,
    LinksRequestForm,
    RegistrationForm,
    SearchForm,
    SessionForm,
    StaffRegistrationForm,
    TeamForm,
)
from village.events.limits import registration_allowed
from village.events.models import Event, Registration, Session, Status
from village.events.services import ways_back
from village.exports import csv_response
from village.ids import id_or_none
from village.languages.content import text_in_language
from village.orgs.models import AuditEvent
from village.orgs.permissions import staff_required
from village.orgs.roles import Permission
from village.orgs.selectors import organisations_visible_to
from village.orgs.services import audit_view
from village.page_cache import address_key, page_cacheable, page_cached
from village.pagination import page_get


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Public pages -----------------------------------------------------------------------------


def _filters(request: HttpRequest) -> tuple[CalendarFilterForm, selectors.CalendarFilters]:
    form = CalendarFilterForm(request.GET or None)
    filters = selectors.CalendarFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CalendarFilters(**form.cleaned_data)
    return form, filters


def calendar(request: HttpRequest) -> HttpResponse:
    form, filters = _filters(request)
    events = selectors.events_public(filters=filters)
    feed_url = reverse("events:calendar_feed")
    if request.GET:
        feed_url += "?" + request.GET.urlencode()
    may_manage = request.user.is_authenticated and _manageable(request).exists()
    return render(
        request,
        "events/calendar.html",
        {"form": form, "events": events, "feed_url": feed_url, "may_manage": may_manage},
    )


def _manageable(request: HttpRequest):
    """The organisations whose events this person may run."""
    return organisations_visible_to(person=request.user, permission=Permission.MANAGE_EVENTS)


def calendar_feed(request: HttpRequest) -> HttpResponse:
    _form, filters = _filters(request)
    events = selectors.events_public(filters=filters).prefetch_related("sessions")
    body = events_calendar(events=events, name=_("Village events"), language=get_language())
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def person_feed(request: HttpRequest, token: str) -> HttpResponse:
    contact = links.contact_from_feed_token(token)
    if contact is None:
        raise Http404
    registrations = selectors.registrations_for_contact(contact_key=contact)
    body = registrations_calendar(registrations=registrations, name=_("My events"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def _register(request: HttpRequest, slug: str, form_class, template: str) -> HttpResponse:
    event = selectors.event_get_public(slug=slug)
    language = get_language()
    if page_cacheable(request):
        # A family opening the page: kept whole while the event, whether registration is open
        # and the seats it shows stay the same (a save of the event moves `updated_at`).
        availability = selectors.event_availability(event=event)
        key = ":".join(
            str(part)
            for part in (
                "event",
                event.pk,
                event.updated_at.timestamp(),
                event.registration_open(),
                template,
                availability.event_seats_left,
                sorted(availability.workshops.items()),
                address_key(request),
            )
        )
        return page_cached(
            request,
            key,
            lambda: _page(
                request,
                event,
                form_class(None, event=event, language=language),
                template,
                availability,
                200,
            ),
        )
    form = form_class(request.POST or None, event=event, language=language)
    status = 200
    if request.method == "POST" and not registration_allowed(request):
        # Nothing is registered; what was typed stays in the form.
        messages.error(
            request, _("Too many registrations from this connection. Please try again later.")
        )
        status = 429
    elif request.method == "POST":
        if form.is_valid():
            try:
                if form_class is TeamForm:
                    leader = form.registrant()
                    members = form.cleaned_data["members"]
                    for member in members:
                        member.district = leader.district
                    registration = services.team_register(
                        event=event,
                        leader=leader,
                        members=members,
                        session_ids=form.session_ids(),
                        answers=form.answers(),
                    ).registrations[0]
                else:
                    registration = services.registration_create(
                        event=event,
                        registrant=form.registrant(),
                        session_ids=form.session_ids(),
                        answers=form.answers(),
                    )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                return redirect("events:manage", links.registration_token(registration))
        status = 400
    availability = selectors.event_availability(event=event)
    return _page(request, event, form, template, availability, status)


def _page(request, event, form, template: str, availability, status: int) -> HttpResponse:
    form.workshops_mark(availability.workshops)
    context = {
        "event": event,
        "form": form,
        "open": event.registration_open(),
        "availability": availability,
        "sessions": [(s, availability.workshops.get(s.pk)) for s in event.sessions.all()],
    }
    return render(request, template, context, status=status)


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _register(request, slug, RegistrationForm, "events/detail.html")


def team(request: HttpRequest, slug: str) -> HttpResponse:
    return _register(request, slug, TeamForm, "events/team.html")


def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_get_public(slug=slug)
    body = events_calendar(events=[event], name=str(event), language=get_language())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def manage(request: HttpRequest, token: str) -> HttpResponse:
    """The registrant's own page, reached through the signed link in their email."""
    try:
        registration = links.registration_from_token(token)
    except ValidationError as error:
        return render(request, "events/link_error.html", {"error": _error_text(error)}, status=400)
    confirm_cancel = False
    if request.method == "POST":
        action = request.POST.get("action")
        confirm_cancel = action == "cancel" and request.POST.get("confirm") != "yes"
    if request.method == "POST" and not confirm_cancel:
        try:
            if action == "cancel":
                services.registration_cancel(registration=registration)
                messages.success(request, _("Your registration is cancelled."))
            elif action == "accept":
                services.offer_accept(registration=registration)
                messages.success(request, _("The seat is yours."))
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect("events:manage", token)
    registration = Registration.objects.select_related("event", "event__organisation").get(
        pk=registration.pk
    )
    choices = registration.choices.select_related("session", "session__time_slot")
    has_offer = registration.status == Status.OFFERED or any(
        c.status == Status.OFFERED for c in choices
    )
    return render(
        request,
        "events/manage.html",
        {
            "registration": registration,
            "event": registration.event,
            "choices": choices,
            "has_offer": has_offer,
            "qr": _qr_data_uri(registration.code),
            "confirm_cancel": confirm_cancel,
            "survey_link": evaluation_link(registration),
            "feed_url": reverse(
                "events:person_feed", args=[links.feed_token(registration.contact_key)]
            ),
        },
    )


def links_request(request: HttpRequest) -> HttpResponse:
    """ "Email or text me my registrations and my page": the same answer whether or not the
    address is known; the lookup and sending happen in the worker."""
    form = LinksRequestForm(request.POST or None)
    sent = False
    status = 200
    if request.method == "POST":
        contact = None
        if form.is_valid():
            try:
                contact = ways_back.contact_parse(form.cleaned_data["address"])
            except ValidationError as error:
                form.add_error("address", _error_text(error))
        if contact is None:
            status = 400
        else:
            if ways_back.links_request_allowed(
                contact=contact, client=request.META.get("REMOTE_ADDR", "")
            ):
                # The request's own id keys its notice: a retried task sends it once.
                tasks.links_send.delay(
                    channel=contact.channel,
                    value=contact.value,
                    language=get_language(),
                    request_id=uuid.uuid4().hex,
                )
            sent = True
    return render(request, "events/links_request.html", {"form": form, "sent": sent}, status=status)


def manage_short(request: HttpRequest, short: str) -> HttpResponse:
    """The short link in text messages: on to the registrant's own page."""
    registration = links.registration_from_short_token(short)
    if registration is None:
        raise Http404
    return redirect("events:manage", links.registration_token(registration))


# --- Staff pages ------------------------------------------------------------------------------


@staff_required
def staff_events(request: HttpRequest) -> HttpResponse:
    if not _manageable(request).exists():
        raise Http404  # a role that runs no events has no events pages
    events = selectors.events_for_staff(person=request.user)
    return render(request, "events/staff_events.html", {"events": events})


def _event_form(request: HttpRequest, event) -> HttpResponse:
    organisations = _manageable(request)
    if not organisations.exists():
        raise Http404  # nowhere to hold an event: no empty form
    form = EventForm(request.POST or None, instance=event, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_save(form=form, by=request.user)
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("events:staff_event", event.pk)
    return render(request, "events/staff_event_form.html", {"form": form, "event": event})


@staff_required
def staff_event_new(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@staff_required
def staff_event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    return _event_form(
        request, selectors.event_get_for_staff(person=request.user, event_id=event_id)
    )


@staff_required
def staff_event_translations(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    form = EventTranslationsForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        services.event_texts_save(
            event=event,
            title=form.texts("title"),
            description=form.texts("description"),
            by=request.user,
        )
        messages.success(request, _("Saved."))
        return redirect("events:staff_event", event.pk)
    return render(request, "events/staff_event_form.html", {"form": form, "event": event})


@staff_required
def staff_session_new(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    form = SessionForm(request.POST or None)
    # Workshops are what conferences are made of; a series' meetings are not chosen.
    form.fields["workshop"].initial = event.kind == Event.Kind.CONFERENCE
    if request.method == "POST" and form.is_valid():
        services.session_add(
            event=event, form=form, language=event.source_language, by=request.user
        )
        messages.success(request, _("Saved."))
        return redirect("events:staff_event", event.pk)
    return render(request, "events/staff_event_form.html", {"form": form, "event": event})


@staff_required
def staff_event(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    search_form = SearchForm(request.GET or None)
    search = search_form.cleaned_data["q"].strip() if search_form.is_valid() else ""
    # Each row carries two forms: a shorter page than the directory's.
    page = page_get(
        selectors.registrations_for_event(event=event, search=search), request, per_page=25
    )
    audit_view(
        request,
        verb=AuditEvent.Verb.SEARCH if search else AuditEvent.Verb.VIEW,
        organisation=event.organisation,
        object_type="event registrations",
        detail={
            "event": event.pk,
            "search": search,
            "page": page.number,
            "rows": len(page.object_list),
        },
    )
    form = StaffRegistrationForm(request.POST or None, event=event, language=get_language())
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_create(
                event=event,
                registrant=form.registrant(),
                session_ids=form.session_ids(),
                answers=form.answers(),
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("Registered."))
            return redirect("events:staff_event", event.pk)
    sessions = list(selectors.session_report(event=event))
    context = {
        "event": event,
        "page": page,
        "counts": selectors.registration_counts(event=event),
        "sessions": sessions,
        # The "move to" choices, worded once for every row.
        "workshops": [(s.pk, text_in_language(s.title)) for s in sessions if s.time_slot_id],
        "search_form": search_form,
        "form": form,
    }
    return render(request, "events/staff_event.html", context)


@staff_required
@require_POST
def staff_registration(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    """Staff cancel a registration or move it to another workshop."""
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    registration = selectors.registration_get_for_staff(
        person=request.user, event=event, registration_id=registration_id
    )
    try:
        if request.POST.get("action") == "cancel":
            services.registration_cancel(registration=registration, by=request.user)
        else:
            session_id = id_or_none(request.POST.get("session"))
            session = (
                Session.objects.filter(event=event, pk=session_id).first() if session_id else None
            )
            if session is None:
                raise ValidationError(_("Please choose workshops of this event."))
            services.session_choice_move(
                registration=registration, session=session, by=request.user
            )
        messages.success(request, _("Saved."))
    except ValidationError as error:
        messages.error(request, _error_text(error))
    return redirect("events:staff_event", event.pk)


@staff_required
def check_in(request: HttpRequest, event_id: int) -> HttpResponse:
    """A phone-sized page at the door: search by name or typed code, tick a session."""
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    sessions = list(event.sessions.select_related("time_slot"))
    code_form = CheckInForm(request.POST if "code" in request.POST else None, sessions=sessions)
    result = None
    if code_form.is_bound:
        result = _check_in_by_code(request, event, code_form)
        if request.headers.get("HX-Request"):
            return render(request, "events/_check_in_result.html", {"result": result})
    elif request.method == "POST":
        registration_id = id_or_none(request.POST.get("registration"))
        if registration_id is None:
            raise Http404
        registration = selectors.registration_get_for_staff(
            person=request.user, event=event, registration_id=registration_id
        )
        session = next((s for s in sessions if str(s.pk) == request.POST.get("session")), None)
        if session is None:
            raise Http404
        try:
            if request.POST.get("present") == "0":
                services.attendance_remove(registration=registration, session=session)
            else:
                services.attendance_record(
                    registration=registration, session=session, by=request.user
                )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(
            f"{reverse('events:check_in', args=[event.pk])}?"
            + urlencode({"q": request.POST.get("q", "")[:100]})
        )
    search = request.GET.get("q", "").strip()[:100]
    rows = []
    if search:
        registrations = list(selectors.registrations_for_event(event=event, search=search)[:30])
        audit_view(
            request,
            verb=AuditEvent.Verb.SEARCH,
            organisation=event.organisation,
            object_type="event check-in",
            detail={"event": event.pk, "search": search},
        )
        for registration in registrations:
            attended = {a.session_id for a in registration.attendances.all()}
            expected = selectors.expected_sessions(registration=registration, sessions=sessions)
            rows.append(
                {
                    "registration": registration,
                    "sessions": [(s, s.pk in attended) for s in expected],
                }
            )
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "rows": rows,
            "search_form": SearchForm(request.GET or None),
            "q": search,
            "code_form": code_form,
            "result": result,
        },
    )


def _check_in_by_code(request: HttpRequest, event, form: CheckInForm) -> services.CheckIn | None:
    """Typed or scanned: the same service, the same answer."""
    if not form.is_valid():
        return None
    result = services.check_in_by_code(
        event=event, code=form.cleaned_data["code"], session=form.chosen_session(), by=request.user
    )
    audit_view(
        request,
        verb=AuditEvent.Verb.SEARCH,
        obj=result.registration,
        organisation=event.organisation,
        object_type="event check-in",
        detail={"event": event.pk, "code": result.outcome},
    )
    return result


@staff_required
def export(request: HttpRequest, event_id: int) -> HttpResponse:
    """Registrations with their workshops and attendance as CSV; `?report=attendance` gives
    one row per person per session attended."""
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    report = "attendance" if request.GET.get("report") == "attendance" else "registrations"
    if report == "attendance":
        header, rows = selectors.attendance_export_rows(event=event)
    else:
        header, rows = selectors.registration_export_rows(event=event)
    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        organisation=event.organisation,
        object_type="event registrations",
        detail={"event": event.pk, "report": report},
    )
    return csv_response(f"{event.slug}-{report}.csv", header, rows)


@staff_required
def certificate(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    """A PDF certificate with the professional-development hours, for those who completed."""
    event = selectors.event_get_for_staff(person=request.user, event_id=event_id)
    registration = selectors.registration_get_for_staff(
        person=request.user, event=event, registration_id=registration_id
    )
    if not selectors.registration_completed(
        registration=registration, sessions=list(event.sessions.all())
    ):
        messages.error(request, _("This person has not completed the event."))
        return redirect("events:staff_event", event.pk)
    from weasyprint import HTML

    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=registration,
        organisation=event.organisation,
        detail={"certificate": True},
    )
    html = render_to_string(
        "events/certificate.html", {"registration": registration, "event": event}
    )
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{registration.code}.pdf"'
    return response
