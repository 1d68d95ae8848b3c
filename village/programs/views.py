from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from village.orgs.models import AuditEvent
from village.orgs.permissions import staff_required
from village.orgs.roles import Permission
from village.orgs.selectors import organisations_visible_to
from village.orgs.services import audit_view
from village.portal.views.public import file_response
from village.programs import selectors, services
from village.programs.access import is_reviewer, may_manage
from village.programs.forms import (
    ApplicationForm,
    AssignForm,
    CohortForm,
    ConflictForm,
    CriterionForm,
    DecisionForm,
    MilestoneForm,
    ModuleForm,
    NoteForm,
    ProgramForm,
    QuestionForm,
    RatingForm,
    ScoreForm,
    SessionForm,
    StartForm,
    TeamMemberForm,
    TextsForm,
    UploadForm,
    WindowForm,
)
from village.programs.models import Application, Milestone, Question


def _errors(request: HttpRequest, form, error: ValidationError) -> None:
    """A service's refusal, on the form that was posted; where no form was (a button), as a
    message at the top of the page."""
    if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
        for message in error.messages:
            form.add_error(None, message)
    else:
        for message in error.messages:
            messages.error(request, message)


@staff_required
@require_safe
def program_list(request: HttpRequest) -> HttpResponse:
    person = request.user
    managed = selectors.programs_managed_by(person=person)
    return render(
        request,
        "programs/list.html",
        {
            "managed": [(p, selectors.program_pipeline(program=p)) for p in managed],
            "may_create": _program_organisations(person).exists(),
            "open_programs": selectors.programs_open(),
            "applications": selectors.applications_for_applicant(person=person),
            "assignments": selectors.assignments_for_reviewer(person=person)
            if is_reviewer(person)
            else [],
        },
    )


def _program_organisations(person):
    return organisations_visible_to(person=person, permission=Permission.MANAGE_PROGRAMS).filter(
        kind__in=["state", "office"]
    )


@staff_required
@require_http_methods(["GET", "POST"])
def program_new(request: HttpRequest) -> HttpResponse:
    organisations = _program_organisations(request.user)
    if not organisations.exists():
        raise Http404
    form = ProgramForm(
        request.POST or None, organisations=organisations, initial={"language": get_language()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = organisations.filter(pk=data.pop("organisation")).first()
        if organisation is None:
            raise Http404
        try:
            program = services.program_create(by=request.user, organisation=organisation, **data)
        except ValidationError as error:
            _errors(request, form, error)
        else:
            return redirect("programs:setup", program.slug)
    return render(request, "programs/new.html", {"form": form}, status=422 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "POST"])
def program_setup(request: HttpRequest, slug: str) -> HttpResponse:
    """Staff write the program: texts per language, window, questions, rubric."""
    program = selectors.program_get_for_manager(person=request.user, slug=slug)
    part = request.POST.get("part", "") if request.method == "POST" else ""
    bound = request.POST if request.method == "POST" else None
    zone = services.program_time_zone(program)
    local_due = program.due_at.astimezone(zone) if program.due_at else None
    forms_by_part = {
        "texts": TextsForm(
            bound if part == "texts" else None, initial={"language": get_language()}
        ),
        "window": WindowForm(
            bound if part == "window" else None,
            initial={
                "opens_on": program.opens_at.astimezone(zone).date() if program.opens_at else None,
                "due_on": local_due.date() if local_due else None,
                "due_time": local_due.time() if local_due else None,
                "late_policy": program.late_policy,
                "grace_minutes": program.grace_minutes,
            },
        ),
        "question": QuestionForm(
            bound if part == "question" else None, initial={"language": get_language()}
        ),
        "criterion": CriterionForm(
            bound if part == "criterion" else None, initial={"language": get_language()}
        ),
    }
    form = forms_by_part.get(part)
    if form is not None and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if part == "texts":
                services.program_texts_set(program=program, by=request.user, **data)
            elif part == "window":
                data["grace_minutes"] = data["grace_minutes"] or 0
                services.program_window_set(program=program, by=request.user, **data)
            elif part == "question":
                data["choices"] = data["choices"].splitlines()
                services.question_add(program=program, by=request.user, **data)
            else:
                services.criterion_add(program=program, by=request.user, **data)
        except ValidationError as error:
            _errors(request, form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("programs:setup", program.slug)
    return render(
        request,
        "programs/setup.html",
        {
            "program": program,
            "forms": forms_by_part,
            "due": services.due_text(program),
            "questions": program.questions.all(),
            "criteria": program.criteria.all(),
        },
        status=422 if part else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def program_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Open to anyone on staff: the description and, for those who may apply, the start form;
    the pipeline and applications only to the program's staff."""
    program = selectors.program_get(slug=slug)
    person = request.user
    manager = may_manage(person, program)
    organisations = selectors.organisations_may_apply(person=person, program=program)
    start_form = StartForm(
        request.POST if request.POST.get("part") == "start" else None,
        organisations=organisations,
    )
    cohort_form = CohortForm(request.POST if request.POST.get("part") == "cohort" else None)
    if request.method == "POST":
        part = request.POST.get("part")
        try:
            if part == "start" and start_form.is_valid():
                organisation = organisations.filter(
                    pk=start_form.cleaned_data["organisation"]
                ).first()
                if organisation is None:
                    raise Http404
                application = services.application_start(
                    program=program, organisation=organisation, by=person, language=get_language()
                )
                return redirect("programs:application", application.pk)
            if part in ("spread", "release", "cohort") and not manager:
                raise Http404
            if part == "spread":
                made = services.assignments_spread(program=program, by=person)
                messages.success(request, _("%(count)s assignments made.") % {"count": made})
                return redirect("programs:detail", program.slug)
            if part == "release":
                services.reviews_release(
                    program=program, by=person, released=request.POST.get("released") == "1"
                )
                messages.success(request, _("Saved."))
                return redirect("programs:detail", program.slug)
            if part == "cohort" and cohort_form.is_valid():
                cohort = services.cohort_form(
                    program=program, year=cohort_form.cleaned_data["year"], by=person
                )
                return redirect("programs:cohort", program.slug, cohort.year)
        except ValidationError as error:
            _errors(request, start_form if part == "start" else cohort_form, error)
    context = {
        "program": program,
        "manager": manager,
        "start_form": start_form if organisations.exists() else None,
        "cohort_form": cohort_form,
        "due": services.due_text(program),
        "time_zone": program.organisation.time_zone,
    }
    if manager:
        context["pipeline"] = selectors.program_pipeline(program=program)
        context["applications"] = selectors.applications_for_manager(program=program)
        context["cohorts"] = selectors.cohorts_of(program=program)
        context["max_points"] = program.max_points()
        audit_view(
            request, verb=AuditEvent.Verb.VIEW, obj=program, organisation=program.organisation
        )
    return render(request, "programs/detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    """The applicant's page: the draft form, team, files, submit and withdraw."""
    person = request.user
    app = selectors.application_get_for_applicant(person=person, application_id=application_id)
    program = app.program
    part = request.POST.get("part", "") if request.method == "POST" else ""
    initial = {f"q{key}": value for key, value in app.answers.items()}
    initial["version"] = app.version
    form = ApplicationForm(
        request.POST if part in ("save", "submit") else None, program=program, initial=initial
    )
    team_form = TeamMemberForm(request.POST if part == "team" else None)
    upload_form = UploadForm(
        request.POST if part == "upload" else None,
        request.FILES if part == "upload" else None,
        program=program,
    )
    if part:
        try:
            if part in ("save", "submit") and form.is_valid():
                version = form.cleaned_data["version"]
                app = services.application_save(
                    application=app, by=person, version=version, answers=form.answers()
                )
                if part == "submit":
                    services.application_submit(application=app, by=person, version=app.version)
                    messages.success(
                        request, _("Submitted. A confirmation is on its way by email.")
                    )
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("programs:application", app.pk)
            if part == "team" and team_form.is_valid():
                services.team_member_add(application=app, by=person, **team_form.cleaned_data)
                return redirect("programs:application", app.pk)
            if part == "team_remove":
                member = app.team.filter(pk=_int(request.POST.get("member"))).first()
                if member is None:
                    raise Http404
                services.team_member_remove(member=member, by=person)
                return redirect("programs:application", app.pk)
            if part == "upload" and upload_form.is_valid():
                question = program.questions.filter(
                    pk=upload_form.cleaned_data["question"], kind=Question.Kind.FILE
                ).first()
                if question is None:
                    raise Http404
                services.application_file_add(
                    application=app,
                    question=question,
                    by=person,
                    upload=upload_form.cleaned_data["upload"],
                )
                messages.success(request, _("File uploaded."))
                return redirect("programs:application", app.pk)
            if part == "file_remove":
                stored = app.files.filter(pk=_int(request.POST.get("file"))).first()
                if stored is None:
                    raise Http404
                services.application_file_remove(stored=stored, by=person)
                return redirect("programs:application", app.pk)
            if part == "withdraw":
                services.application_withdraw(application=app, by=person)
                messages.success(request, _("The application was withdrawn."))
                return redirect("programs:application", app.pk)
        except ValidationError as error:
            target = {"team": team_form, "upload": upload_form}.get(part, form)
            _errors(request, target, error)
    audit_view(request, verb=AuditEvent.Verb.VIEW, obj=app, organisation=app.organisation)
    cohort = selectors.cohorts_of(program=program).filter(members__application=app).first()
    return render(
        request,
        "programs/application.html",
        {
            "application": app,
            "program": program,
            "form": form,
            "team_form": team_form,
            "upload_form": upload_form if upload_form.fields["question"].choices else None,
            "due": services.due_text(program),
            "missing": services.missing_answers(app)
            if app.status == Application.Status.DRAFT
            else [],
            "reviews": selectors.released_reviews(application=app),
            "cohort": cohort,
        },
        status=422 if part and request.method == "POST" else 200,
    )


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


@staff_required
@require_safe
def application_file(request: HttpRequest, file_id: int):
    stored = selectors.file_get(person=request.user, file_id=file_id)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=stored,
        organisation=stored.application.organisation,
    )
    return file_response(stored=stored.file, content_type=stored.content_type, name=stored.name)


@staff_required
@require_http_methods(["GET", "POST"])
def application_manage(request: HttpRequest, application_id: int) -> HttpResponse:
    """Staff: reviews with their aggregates and outliers, assignment by hand, the decision."""
    person = request.user
    app = selectors.application_get_for_manager(person=person, application_id=application_id)
    part = request.POST.get("part", "") if request.method == "POST" else ""
    reviewers = services.reviewers_for(app.program)
    assign_form = AssignForm(request.POST if part == "assign" else None, reviewers=reviewers)
    decision_form = DecisionForm(
        request.POST if part == "decide" else None, initial={"decision": app.decision or "accept"}
    )
    if part:
        try:
            if part == "assign" and assign_form.is_valid():
                reviewer = reviewers.filter(pk=assign_form.cleaned_data["reviewer"]).first()
                if reviewer is None:
                    raise Http404
                services.assignment_create(application=app, reviewer=reviewer, by=person)
                return redirect("programs:manage", app.pk)
            if part == "unassign":
                assignment = app.assignments.filter(pk=_int(request.POST.get("assignment"))).first()
                if assignment is None:
                    raise Http404
                services.assignment_remove(assignment=assignment, by=person)
                return redirect("programs:manage", app.pk)
            if part == "decide" and decision_form.is_valid():
                services.application_decide(
                    application=app, by=person, **decision_form.cleaned_data
                )
                messages.success(
                    request, _("Decision saved. The applicant is told by email, in their language.")
                )
                return redirect("programs:manage", app.pk)
        except ValidationError as error:
            _errors(request, assign_form if part == "assign" else decision_form, error)
    audit_view(request, verb=AuditEvent.Verb.VIEW, obj=app, organisation=app.organisation)
    done, expected = services.reviews_outstanding(app)
    return render(
        request,
        "programs/manage.html",
        {
            "application": app,
            "program": app.program,
            "assignments": list(selectors.application_assignments(application=app)),
            "criteria": list(app.program.criteria.all()),
            "assign_form": assign_form,
            "decision_form": decision_form,
            "done": done,
            "expected": expected,
            "questions": _answered(app),
        },
        status=422 if part else 200,
    )


def _answered(app: Application) -> list[tuple[Question, object, list]]:
    files: dict[int, list] = {}
    for stored in app.files.all():
        files.setdefault(stored.question_id, []).append(stored)
    return [
        (q, app.answers.get(str(q.pk), ""), files.get(q.pk, []))
        for q in app.program.questions.all()
    ]


@staff_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, assignment_id: int) -> HttpResponse:
    person = request.user
    assignment = selectors.assignment_get_for_reviewer(person=person, assignment_id=assignment_id)
    app = assignment.application
    criteria = list(app.program.criteria.all())
    part = request.POST.get("part", "") if request.method == "POST" else ""
    score_form = ScoreForm(
        request.POST if part == "score" else None,
        criteria=criteria,
        scores=list(assignment.scores.all()),
    )
    conflict_form = ConflictForm(request.POST if part == "conflict" else None)
    if part:
        try:
            if part == "score" and score_form.is_valid():
                services.scores_save(assignment=assignment, by=person, scores=score_form.scores())
                messages.success(request, _("Scores saved."))
                return redirect("programs:review", assignment.pk)
            if part == "conflict" and conflict_form.is_valid():
                services.conflict_declare(
                    assignment=assignment, by=person, reason=conflict_form.cleaned_data["reason"]
                )
                messages.success(request, _("Conflict declared: staff will assign someone else."))
                return redirect("programs:list")
        except ValidationError as error:
            _errors(request, score_form if part == "score" else conflict_form, error)
    audit_view(request, verb=AuditEvent.Verb.VIEW, obj=app, organisation=app.organisation)
    return render(
        request,
        "programs/review.html",
        {
            "assignment": assignment,
            "application": app,
            "program": app.program,
            "score_form": score_form,
            "conflict_form": conflict_form,
            "questions": _answered(app),
        },
        status=422 if part else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def cohort(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    person = request.user
    found, manager = selectors.cohort_get(person=person, slug=slug, year=year)
    members = selectors.cohort_members(cohort=found, person=person, manager=manager)
    mine = [m for m in members if m.mine]
    part = request.POST.get("part", "") if request.method == "POST" else ""
    bound = request.POST if request.method == "POST" else None
    session_form = SessionForm(bound if part == "session" else None)
    milestone_form = MilestoneForm(bound if part == "milestone" else None, members=members)
    note_form = NoteForm(bound if part == "note" else None, members=members)
    rating_form = RatingForm(
        bound if part == "rating" else None, members=mine, measures=found.measures
    )
    forms_by_part = {
        "session": session_form,
        "milestone": milestone_form,
        "note": note_form,
        "rating": rating_form,
    }
    if part:
        if part in ("session", "milestone", "note") and not manager:
            raise Http404
        try:
            member_of = {m.pk: m for m in (members if manager else mine)}
            if part == "session" and session_form.is_valid():
                data = session_form.cleaned_data
                zone = services.program_time_zone(found.program)
                services.coaching_session_add(
                    cohort=found,
                    by=person,
                    title=data["title"],
                    starts_at=datetime.combine(data["day"], data["starts"], tzinfo=zone),
                    ends_at=datetime.combine(data["day"], data["ends"], tzinfo=zone),
                    language=get_language(),
                    join_link=data["join_link"],
                )
            elif part == "milestone" and milestone_form.is_valid():
                services.milestone_add(
                    member=member_of[milestone_form.cleaned_data["member"]],
                    by=person,
                    title=milestone_form.cleaned_data["title"],
                    due_on=milestone_form.cleaned_data["due_on"],
                )
            elif part == "note" and note_form.is_valid():
                services.coach_note_add(
                    member=member_of[note_form.cleaned_data["member"]],
                    by=person,
                    body=note_form.cleaned_data["body"],
                )
            elif part == "rating" and rating_form.is_valid():
                data = rating_form.cleaned_data
                services.outcome_rate(
                    member=member_of[data["member"]],
                    by=person,
                    measure=data["measure"],
                    phase=data["phase"],
                    rating=data["rating"],
                )
            elif part == "milestone_done":
                milestone = Milestone.objects.filter(
                    pk=_int(request.POST.get("milestone")), member__in=list(member_of.values())
                ).first()
                if milestone is None:
                    raise Http404
                services.milestone_done(
                    milestone=milestone, by=person, done=request.POST.get("done") == "1"
                )
            else:
                raise ValidationError(_("Check the form."))
            messages.success(request, _("Saved."))
            return redirect("programs:cohort", slug, year)
        except ValidationError as error:
            _errors(request, forms_by_part.get(part), error)
    audit_view(
        request, verb=AuditEvent.Verb.VIEW, obj=found, organisation=found.program.organisation
    )
    return render(
        request,
        "programs/cohort.html",
        {
            "cohort": found,
            "program": found.program,
            "manager": manager,
            "members": members,
            "sessions": found.sessions.select_related("event"),
            "session_form": session_form,
            "milestone_form": milestone_form,
            "note_form": note_form,
            "rating_form": rating_form if mine and found.measures else None,
        },
        status=422 if part else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def training(request: HttpRequest, slug: str) -> HttpResponse:
    program = selectors.program_get_for_manager(person=request.user, slug=slug)
    if request.method == "POST" and request.POST.get("part") == "refresh":
        made = services.certifications_update(program=program, by=request.user)
        messages.success(request, _("%(count)s newly certified.") % {"count": made})
        return redirect("programs:training", program.slug)
    if request.method == "POST":
        form = ModuleForm(request.POST)
        if form.is_valid():
            registration = (
                program.training_event.registrations.filter(
                    pk=form.cleaned_data["registration"]
                ).first()
                if program.training_event_id
                else None
            )
            if registration is None:
                raise Http404
            try:
                services.module_mark(
                    program=program,
                    registration=registration,
                    module=form.cleaned_data["module"],
                    by=request.user,
                    done=form.cleaned_data["done"],
                )
                messages.success(request, _("Saved."))
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        return redirect("programs:training", program.slug)
    participants = selectors.training_participants(program=program)
    audit_view(
        request,
        verb=AuditEvent.Verb.VIEW,
        obj=program,
        organisation=program.organisation,
        detail={"training": True},
    )
    return render(
        request,
        "programs/training.html",
        {
            "program": program,
            "participants": participants,
            "modules": range(1, program.modules + 1),
        },
    )


@staff_required
@require_safe
def certificate(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = selectors.certification_get_for_person(
        person=request.user, certification_id=certification_id
    )
    from weasyprint import HTML

    audit_view(
        request,
        verb=AuditEvent.Verb.EXPORT,
        obj=certification,
        organisation=certification.program.organisation,
        detail={"certificate": True},
    )
    html = render_to_string(
        "programs/certificate.html",
        {"certification": certification, "program": certification.program},
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certification.pk}.pdf"'
    return response


@staff_required
@require_POST
def certification_listing(request: HttpRequest, certification_id: int) -> HttpResponse:
    certification = selectors.certification_get_for_person(
        person=request.user, certification_id=certification_id
    )
    services.certification_listing_set(
        certification=certification, by=request.user, listed=request.POST.get("listed") == "1"
    )
    messages.success(request, _("Saved."))
    return redirect("programs:list")


@require_safe
def trainers(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: certified trainers who chose to be listed, by district."""
    program = selectors.program_get(slug=slug)
    return render(
        request,
        "programs/trainers.html",
        {"program": program, "districts": selectors.certified_trainers_public(program=program)},
    )
