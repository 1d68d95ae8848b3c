import csv
import logging
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from village.ids import id_or_none
from village.messaging import conversations, inbound, selectors, services
from village.messaging.audience import audience_options
from village.messaging.channels.twilio import twilio_signature_valid
from village.messaging.forms import (
    AnswerForm,
    ComposeForm,
    GuardianListForm,
    LanguageForm,
    OrganisationChoiceForm,
    QuietHoursForm,
    RenameForm,
    SendForm,
    TemplateEditForm,
    TemplateForm,
    TemplateVersionForm,
    VersionForm,
)
from village.messaging.models import Message
from village.messaging.tokens import delivery_id_from_token
from village.orgs.models import AuditEvent
from village.orgs.permissions import person_may, staff_required
from village.orgs.roles import Permission
from village.orgs.services import audit_record

logger = logging.getLogger(__name__)


def _errors(request: HttpRequest, error: ValidationError) -> None:
    for text in error.messages:
        messages.error(request, text)


@staff_required
def message_list(request: HttpRequest) -> HttpResponse:
    items = list(selectors.message_list_visible_to(person=request.user)[:100])
    return render(request, "messaging/message_list.html", {"items": items})


def _guardian_ids(data) -> list[int]:
    # Anything that is not an id (a word, 10^30) names no guardian.
    return list(dict.fromkeys(filter(None, map(id_or_none, data.getlist("guardian_ids")))))


def _audience(data: dict, guardian_ids: list[int]) -> dict:
    kind = data["audience_kind"]
    if kind == "event":
        return {
            "kind": "event",
            "event_id": data["event"].pk,
            "registrants": data["registrants"] or "seat",
        }
    if kind == "list":
        return {"kind": "list", "list_id": data["guardian_list"].pk}
    if kind == "guardians":
        return {"kind": "guardians", "guardian_ids": guardian_ids}
    if kind == "staff":
        return {"kind": "staff", "organisation_ids": [data["organisation"].pk]}
    return {
        "kind": "organisations",
        "organisation_ids": [data["organisation"].pk],
        "grades": data["grades"],
    }


def _audit_search(request: HttpRequest, query: str, shown: int) -> None:
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.SEARCH,
        object_type="guardian search",
        organisation=None,
        detail={"search": query, "shown": shown},
        request=request,
    )


@staff_required
def message_compose(request: HttpRequest) -> HttpResponse:
    person = request.user
    choices = {
        "organisations": selectors.organisations_to_message(person=person),
        "events": audience_options(kind="event", person=person),
        "lists": selectors.guardian_lists_visible_to(person=person),
    }
    guardian_ids = _guardian_ids(request.POST) if request.method == "POST" else []
    # The guardian picker without JavaScript: "Search" posts the form, which comes back as it
    # was, with the results.
    searching = request.method == "POST" and "picker" in request.POST
    if searching:
        initial = {
            key: request.POST.getlist(key) if key == "channels" else request.POST.get(key)
            for key in request.POST
            if key not in ("csrfmiddlewaretoken", "guardian_ids")
        }
        form = ComposeForm(initial=initial, **choices)
    else:
        form = ComposeForm(request.POST or None, **choices)
    if request.method == "POST" and not searching and form.is_valid():
        data = form.cleaned_data
        if data["audience_kind"] == "guardians" and not guardian_ids:
            form.add_error(None, _("Choose at least one guardian."))
        else:
            try:
                message = services.message_create(
                    organisation=data["organisation"],
                    author=person,
                    subject=data["subject"],
                    body=data["body"],
                    source_language=data["source_language"].strip().lower(),
                    category=data["category"],
                    channels=data["channels"],
                    one_per_household=data["one_per_household"],
                    scheduled_for=data["scheduled_for"],
                    digest_ok=data["digest_ok"],
                    audience=_audience(data, guardian_ids),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("messaging:detail", message_id=message.pk)
    chosen = (
        list(
            selectors.guardians_pickable(person=person)
            .filter(pk__in=guardian_ids)
            .select_related("household")
        )
        if guardian_ids
        else []
    )
    query = request.POST.get("q", "").strip() if searching else ""
    results = selectors.guardians_search(person=person, query=query) if query else []
    if query:
        _audit_search(request, query, len(results))
    return render(
        request,
        "messaging/compose.html",
        {
            "form": form,
            "chosen": chosen,
            "results": results,
            "q": query,
            "picker_url": reverse("messaging:guardian_search"),
        },
    )


@staff_required
def guardian_search(request: HttpRequest) -> HttpResponse:
    """The picker's search-as-you-type (htmx): at most 20 guardians the person may pick; for a
    saved list, only its organisation's families. Audited as a directory search."""
    organisation = None
    if list_id := id_or_none(request.GET.get("list")):
        organisation = selectors.guardian_list_get_for_staff(
            person=request.user, list_id=list_id
        ).organisation
    query = request.GET.get("q", "").strip()
    results = selectors.guardians_search(
        person=request.user, query=query, organisation=organisation
    )
    if query:
        _audit_search(request, query, len(results))
    return render(request, "messaging/_guardian_results.html", {"results": results, "q": query})


# --- Saved lists ------------------------------------------------------------------------------


@staff_required
def list_index(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_to_message(person=request.user)
    form = GuardianListForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.guardian_list_create(
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("messaging:list_detail", list_id=saved.pk)
    lists = list(selectors.guardian_lists_visible_to(person=request.user)[:500])
    return render(request, "messaging/lists.html", {"form": form, "lists": lists})


@staff_required
def list_detail(request: HttpRequest, list_id: int) -> HttpResponse:
    person = request.user
    saved = selectors.guardian_list_get_for_staff(person=person, list_id=list_id)
    rename = RenameForm(
        request.POST if request.POST.get("action") == "rename" else None,
        initial={"name": saved.name},
        prefix="rename",
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "delete":
                services.guardian_list_delete(guardian_list=saved, by=person)
                messages.success(request, _("List deleted."))
                return redirect("messaging:lists")
            if action == "rename" and rename.is_valid():
                services.guardian_list_rename(
                    guardian_list=saved, name=rename.cleaned_data["name"], by=person
                )
            elif action == "add":
                added = services.guardian_list_add(
                    guardian_list=saved, guardian_ids=_guardian_ids(request.POST), by=person
                )
                messages.success(request, _("Added to the list: %(count)s") % {"count": added})
            elif action == "remove" and (guardian_id := id_or_none(request.POST.get("guardian"))):
                services.guardian_list_remove(
                    guardian_list=saved, guardian_id=guardian_id, by=person
                )
        except ValidationError as error:
            _errors(request, error)
        else:
            if action != "rename" or rename.is_valid():
                return redirect("messaging:list_detail", list_id=saved.pk)
    members = list(
        selectors.guardians_pickable(person=person)
        .filter(pk__in=saved.members.values("pk"))
        .select_related("household")
        .order_by("family_name", "given_name", "id")
    )
    query = request.GET.get("q", "").strip()
    results = (
        selectors.guardians_search(person=person, query=query, organisation=saved.organisation)
        if query
        else []
    )
    if query:
        _audit_search(request, query, len(results))
    audit_record(
        actor=person,
        verb=AuditEvent.Verb.VIEW,
        obj=saved,
        organisation=saved.organisation,
        detail={"shown": len(members)},
        request=request,
    )
    return render(
        request,
        "messaging/list_detail.html",
        {
            "saved": saved,
            "members": members,
            "rename": rename,
            "results": results,
            "q": query,
            "picker_url": f"{reverse('messaging:guardian_search')}?list={saved.pk}",
        },
    )


@staff_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_staff(person=request.user, message_id=message_id)
    if message.conversation_id:
        return redirect("messaging:conversation", conversation_id=message.conversation_id)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        obj=message,
        organisation=message.organisation,
        request=request,
    )
    context = {"message": message, "description": services_describe(message)}
    if message.status == Message.Status.DRAFT:
        needs = selectors.message_language_needs(message=message)
        context.update(
            needs=needs,
            missing=[n for n in needs if not n.has_version and n.guardians],
            version_form=VersionForm(prefix="version"),
            translate_form=LanguageForm(prefix="translate"),
            template_form=TemplateVersionForm(
                prefix="template", templates=selectors.templates_visible_to(person=request.user)
            ),
            send_form=SendForm(prefix="send", languages=sorted(message.body)),
        )
    else:
        context.update(_report_context(message))
        context["threads"] = _threads(request, selectors.message_conversations(message=message))
    return render(request, "messaging/message_detail.html", context)


def services_describe(message: Message) -> str:
    from village.messaging.audience import audience_describe

    return audience_describe(message.audience)


def _report_context(message: Message) -> dict:
    rows, total = selectors.message_report(message=message)
    done = total.total - total.waiting
    return {
        "rows": rows,
        "total": total,
        "done": done,
        "percent": int(100 * done / total.total) if total.total else 100,
        "failures": selectors.message_failures(message=message),
    }


@staff_required
def message_progress(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_staff(person=request.user, message_id=message_id)
    return render(
        request, "messaging/_report.html", {"message": message, **_report_context(message)}
    )


@staff_required
@require_POST
def message_version_add(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_staff(person=request.user, message_id=message_id)
    action = request.POST.get("action")
    try:
        if action == "template":
            form = TemplateVersionForm(
                request.POST,
                prefix="template",
                templates=selectors.templates_visible_to(person=request.user),
            )
            if form.is_valid():
                services.message_version_from_template(
                    message=message,
                    template=form.cleaned_data["template"],
                    language=form.cleaned_data["language"].strip().lower(),
                    by=request.user,
                )
        elif action == "translate":
            form = LanguageForm(request.POST, prefix="translate")
            if form.is_valid():
                services.message_version_translate(
                    message=message,
                    language=form.cleaned_data["language"].strip().lower(),
                    by=request.user,
                )
        else:
            form = VersionForm(request.POST, prefix="version")
            if form.is_valid():
                services.message_version_set(
                    message=message,
                    language=form.cleaned_data["language"].strip().lower(),
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    by=request.user,
                )
        if not form.is_valid():
            # An unknown language code says so; anything else is a field left empty.
            language_errors = form.errors.get("language")
            messages.error(
                request,
                language_errors[0] if language_errors else _("Fill in every field of the version."),
            )
    except ValidationError as error:
        _errors(request, error)
    return redirect("messaging:detail", message_id=message.pk)


@staff_required
@require_POST
def message_send(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_staff(person=request.user, message_id=message_id)
    form = SendForm(request.POST, prefix="send", languages=sorted(message.body))
    if form.is_valid():
        try:
            count = services.message_send(
                message=message,
                by=request.user,
                fallback_language=form.cleaned_data["fallback_language"],
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Sending to %(count)s recipients.") % {"count": count})
    return redirect("messaging:detail", message_id=message.pk)


@staff_required
def message_export(request: HttpRequest, message_id: int) -> HttpResponse:
    message = selectors.message_get_for_staff(person=request.user, message_id=message_id)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        obj=message,
        organisation=message.organisation,
        request=request,
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="message-{message.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "guardian",
            "channel",
            "address",
            "language",
            "status",
            "error",
            "sent_at",
            "delivered_at",
            "replied_at",
        ]
    )
    for d in message.deliveries.order_by("id").iterator(chunk_size=2000):
        writer.writerow(
            [
                d.guardian_id,
                d.channel,
                d.address,
                d.language,
                d.status,
                d.error,
                d.sent_at or "",
                d.delivered_at or "",
                d.replied_at or "",
            ]
        )
    return response


@staff_required
def unmatched_inbox(request: HttpRequest) -> HttpResponse:
    replies = list(selectors.unmatched_replies_visible_to(person=request.user)[:200])
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        object_type="unmatched inbox",
        organisation=None,
        detail={"shown": len(replies)},
        request=request,
    )
    return render(request, "messaging/inbox.html", {"replies": replies})


@staff_required
def template_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_to_message(person=request.user)
    form = TemplateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        template = (
            selectors.templates_visible_to(person=request.user)
            .filter(organisation=data["organisation"], name=data["name"])
            .first()
        )
        try:
            template = services.template_save(
                organisation=data["organisation"],
                name=data["name"],
                language=data["language"].strip().lower(),
                subject=data["subject"],
                body=data["body"],
                by=request.user,
                template=template,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Template saved."))
            return redirect("messaging:template", template_id=template.pk)
    templates = selectors.templates_visible_to(person=request.user).select_related("organisation")
    return render(request, "messaging/templates.html", {"form": form, "templates": templates})


@staff_required
def template_edit(request: HttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get_for_staff(person=request.user, template_id=template_id)
    language = request.GET.get("language", "")
    initial = {
        "name": template.name,
        "language": language,
        "subject": template.subject.get(language, ""),
        "body": template.body.get(language, ""),
    }
    form = TemplateEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.template_save(
                organisation=template.organisation,
                template=template,
                name=data["name"],
                language=data["language"],
                subject=data["subject"],
                body=data["body"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            template.refresh_from_db()
        else:
            messages.success(request, _("Template saved."))
            return redirect("messaging:template", template_id=template.pk)
    return render(request, "messaging/template_edit.html", {"template": template, "form": form})


@staff_required
@require_POST
def template_version_remove(request: HttpRequest, template_id: int) -> HttpResponse:
    template = selectors.template_get_for_staff(person=request.user, template_id=template_id)
    try:
        services.template_version_remove(
            template=template, language=request.POST.get("language", ""), by=request.user
        )
    except ValidationError as error:
        _errors(request, error)
    return redirect("messaging:template", template_id=template.pk)


@staff_required
def quiet_hours_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisations_to_message(person=request.user)
    form = OrganisationChoiceForm(request.GET or None, organisations=organisations)
    if request.GET and form.is_valid():
        return redirect(
            "messaging:quiet_hours_edit", organisation_id=form.cleaned_data["organisation"].pk
        )
    rows = selectors.quiet_hours_overview(person=request.user)
    return render(request, "messaging/quiet_hours.html", {"rows": rows, "form": form})


@staff_required
def quiet_hours_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = selectors.organisation_get_for_messaging(
        person=request.user, organisation_id=organisation_id
    )
    may_change = person_may(request.user, Permission.MANAGE_MESSAGING, organisation)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    own = selectors.quiet_hours_own(organisation=organisation)
    effective = selectors.quiet_hours_for(organisation)
    initial = {"starts": own.starts, "ends": own.ends} if own else {}
    form = QuietHoursForm(request.POST or None, initial=initial)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "clear":
                services.quiet_hours_clear(organisation=organisation, by=request.user)
                messages.success(request, _("Quiet hours saved."))
                return redirect("messaging:quiet_hours_edit", organisation_id=organisation.pk)
            if form.is_valid():
                services.quiet_hours_set(
                    organisation=organisation,
                    by=request.user,
                    starts=form.cleaned_data["starts"],
                    ends=form.cleaned_data["ends"],
                )
                messages.success(request, _("Quiet hours saved."))
                return redirect("messaging:quiet_hours_edit", organisation_id=organisation.pk)
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "messaging/quiet_hours_edit.html",
        {
            "organisation": organisation,
            "own": own,
            "effective": effective,
            "form": form,
            "may_change": may_change,
        },
    )


# --- Conversations ---------------------------------------------------------------------------


def _threads(request: HttpRequest, items: list) -> list[selectors.Thread]:
    """Threads with replies machine-translated for the reader when a provider is set up
    (none by default: then the replies are shown as received)."""
    threads = selectors.conversation_threads(conversations=items)
    replies = [e.reply for t in threads for e in t.entries if e.reply is not None]
    reader = conversations.base_language(get_language())
    try:
        conversations.replies_translate(replies=replies, into=reader)
    except ValidationError as error:
        _errors(request, error)
    for thread in threads:
        for entry in thread.entries:
            if entry.reply is not None:
                shown = entry.reply.translated_into == reader
                entry.translation = entry.reply.translated_body if shown else ""
                entry.translation_language = reader if shown else ""
    return threads


@staff_required
def conversation_list(request: HttpRequest) -> HttpResponse:
    unanswered = request.GET.get("unanswered") == "1"
    items = selectors.conversations_visible_to(person=request.user)
    if unanswered:
        items = items.filter(awaiting_answer=True)
    items = list(items.order_by("-last_activity_at", "-id")[:100])
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.VIEW,
        object_type="conversations list",
        organisation=None,
        detail={"shown": len(items), "unanswered": unanswered},
        request=request,
    )
    return render(
        request, "messaging/conversation_list.html", {"items": items, "unanswered": unanswered}
    )


@staff_required
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_staff(
        person=request.user, conversation_id=conversation_id
    )
    action = request.POST.get("action", "send")
    translated = request.method == "POST" and (
        action == "translate" or bool(request.POST.get("translation", "").strip())
    )
    form = AnswerForm(
        request.POST or None,
        translated=translated,
        initial={"language": conversations.base_language(get_language())},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if action == "translate":
                translation = conversations.answer_translate(
                    conversation=conversation, body=data["body"], language=data["language"]
                )
                form = AnswerForm(initial={**data, "translation": translation}, translated=True)
            else:
                answer = conversations.answer_send(
                    conversation=conversation,
                    by=request.user,
                    body=data["body"],
                    language=data["language"],
                    translation=data["translation"],
                    submission=data["submission"],
                )
                delivery = answer.deliveries.get()
                if delivery.next_attempt_at > answer.sent_at:
                    at = date_format(
                        timezone.localtime(delivery.next_attempt_at), "DATETIME_FORMAT"
                    )
                    messages.success(
                        request,
                        _("Answer queued: it goes out at %(time)s, after quiet hours.")
                        % {"time": at},
                    )
                else:
                    messages.success(request, _("Answer sent to the outbox."))
                return redirect("messaging:conversation", conversation_id=conversation.pk)
        except ValidationError as error:
            form.add_error(None, error)
    conversations.conversation_open(conversation=conversation, by=request.user, request=request)
    [thread] = _threads(request, [conversation])
    channel_delivery = None
    refusal = ""
    try:
        channel_delivery = conversations.answer_channel_delivery(conversation=conversation)
        refusal = conversations.answer_refusal(conversation=conversation, delivery=channel_delivery)
    except ValidationError as error:
        refusal = error.messages[0]
    may_translate = (
        conversations.translation_provider() is not None
        and conversations.base_language(conversation.language)
        != conversations.base_language(get_language())
    )
    return render(
        request,
        "messaging/conversation_detail.html",
        {
            "conversation": conversation,
            "thread": thread,
            "form": form,
            "refusal": refusal,
            "channel_delivery": channel_delivery,
            "may_translate": may_translate,
            "translated": "translation" in form.initial or translated,
        },
    )


# --- Webhooks and family links (no sign-in) --------------------------------------------------


def _twilio_request_valid(request: HttpRequest) -> bool:
    url = settings.SITE_URL.rstrip("/") + request.get_full_path()
    params = {key: request.POST.get(key) for key in request.POST}
    valid = twilio_signature_valid(
        settings.TWILIO_AUTH_TOKEN, url, params, request.headers.get("X-Twilio-Signature", "")
    )
    if not valid:
        logger.warning(
            "refused a webhook with a bad signature: %s from %s",
            request.path,
            request.META.get("REMOTE_ADDR"),
        )
    return valid


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest, token: str) -> HttpResponse:
    if not _twilio_request_valid(request):
        return HttpResponseForbidden("bad signature")
    delivery_id = delivery_id_from_token(token)
    if delivery_id is not None:
        inbound.delivery_receipt_record(
            delivery_id=delivery_id,
            provider_status=request.POST.get("MessageStatus", ""),
            error_code=request.POST.get("ErrorCode", ""),
        )
    return HttpResponse(status=204)


@csrf_exempt
@require_POST
def twilio_inbound(request: HttpRequest) -> HttpResponse:
    if not _twilio_request_valid(request):
        return HttpResponseForbidden("bad signature")
    _reply, answer = inbound.sms_inbound_receive(
        from_number=request.POST.get("From", ""),
        to_number=request.POST.get("To", ""),
        body=request.POST.get("Body", ""),
        provider_id=request.POST.get("MessageSid", ""),
    )
    twiml = f"<Message>{escape(answer)}</Message>" if answer else ""
    return HttpResponse(
        f'<?xml version="1.0" encoding="UTF-8"?><Response>{twiml}</Response>',
        content_type="text/xml",
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks; POST (the button, or a mail program's one-click RFC 8058 request) unsubscribes."""
    if delivery_id_from_token(token) is None:
        return render(request, "messaging/unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST" and inbound.email_unsubscribe(token=token)
    return render(request, "messaging/unsubscribe.html", {"done": done, "token": token})
