"""Staff pages of the self-assessment: thin; every read goes through selectors, every write
through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from village.assessments import charts_for, selectors, services
from village.assessments.forms import (
    AssessmentForm,
    CarryForm,
    ConsensusForm,
    GoalForm,
    IndicatorEditForm,
    MemberAddForm,
    MemberInviteForm,
    ReopenForm,
    RollupFilterForm,
    StateFilterForm,
    StepForm,
    StepUpdateForm,
    current_school_year,
)
from village.assessments.models import Assessment, EvidenceFile, Indicator, Level, Step
from village.assessments.services.rubrics import may_edit_rubrics
from village.exports import csv_response
from village.languages.content import text_in_language
from village.orgs.models import AuditEvent, Organisation
from village.orgs.permissions import person_may, staff_required
from village.orgs.roles import Permission
from village.orgs.selectors import organisations_visible_to
from village.orgs.services import audit_record


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return selectors.assessment_get_for_staff(person=request.user, assessment_id=assessment_id)


def _facilitated(request: HttpRequest, assessment_id: int) -> Assessment:
    assessment = _assessment(request, assessment_id)
    if not selectors.may_facilitate(person=request.user, assessment=assessment):
        raise Http404
    return assessment


# --- Lists and the cycle ----------------------------------------------------------------------


@staff_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    person = request.user
    visible = list(
        selectors.assessments_visible_to(person=person).order_by(
            "-school_year", "organisation__name"
        )[:100]
    )
    seats = selectors.seats_of(person=person, assessments=visible)
    context = {
        "rows": [(a, seats.get(a.pk)) for a in visible],
        "districts": list(selectors.districts_visible_to(person=person)[:50]),
        "state": selectors.may_see_state(person=person),
        "may_create": organisations_visible_to(
            person=person, permission=Permission.MANAGE_ASSESSMENTS
        ).exists(),
        "may_edit_rubrics": may_edit_rubrics(person),
        "overdue": list(selectors.steps_overdue_for(person=person)[:20]),
    }
    return render(request, "assessments/list.html", context)


@staff_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    organisations = organisations_visible_to(
        person=request.user, permission=Permission.MANAGE_ASSESSMENTS
    ).filter(
        kind__in=[Organisation.Kind.SCHOOL, Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER]
    )
    if not organisations.exists():
        raise Http404
    form = AssessmentForm(
        request.POST or None, organisations=organisations, rubrics=selectors.rubrics_current()
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assessment = services.assessment_create(
                    organisation=form.cleaned_data["organisation"],
                    rubric=form.cleaned_data["rubric"],
                    school_year=form.cleaned_data["school_year"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                return redirect("assessments:detail", assessment.pk)
        status = 400
    return render(request, "assessments/new.html", {"form": form}, status=status)


def _detail_context(request: HttpRequest, assessment: Assessment) -> dict:
    person = request.user
    facilitator = selectors.may_facilitate(person=person, assessment=assessment)
    member = selectors.member_of(person=person, assessment=assessment)
    context = {
        "assessment": assessment,
        "members": list(assessment.members.select_related("person")),
        "member": member,
        "may_facilitate": facilitator,
        "reopenings": list(assessment.reopenings.select_related("by")[:5]),
    }
    if facilitator and not assessment.is_submitted:
        context["add_form"] = MemberAddForm(
            people=selectors.possible_members(assessment=assessment)
        )
        context["invite_form"] = MemberInviteForm()
    if facilitator and assessment.is_submitted:
        context["reopen_form"] = ReopenForm()
    return context


@staff_required
def assessment_detail(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    return render(request, "assessments/detail.html", _detail_context(request, assessment))


@staff_required
@require_POST
def member_add(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    invite = "email" in request.POST
    if invite:
        form = MemberInviteForm(request.POST)
    else:
        form = MemberAddForm(request.POST, people=selectors.possible_members(assessment=assessment))
    if form.is_valid():
        try:
            if invite:
                services.member_invite(
                    assessment=assessment,
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    by=request.user,
                    request=request,
                )
            else:
                services.member_add(
                    assessment=assessment, person=form.cleaned_data["person"], by=request.user
                )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The team member was added."))
            return redirect("assessments:detail", assessment.pk)
    context = _detail_context(request, assessment)
    context["invite_form" if invite else "add_form"] = form
    return render(request, "assessments/detail.html", context, status=400)


@staff_required
@require_POST
def assessment_submit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    try:
        services.assessment_submit(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("assessments:spread", assessment.pk)
    messages.success(request, _("The assessment is submitted."))
    return redirect("assessments:results", assessment.pk)


@staff_required
@require_POST
def assessment_reopen(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_reopen(
                assessment=assessment, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The assessment is open again."))
            return redirect("assessments:detail", assessment.pk)
    context = _detail_context(request, assessment)
    context["reopen_form"] = form
    return render(request, "assessments/detail.html", context, status=400)


# --- Rating -----------------------------------------------------------------------------------


def _rate_sections(assessment: Assessment, ratings: dict) -> list:
    return [
        (
            component,
            [(indicator, ratings.get(indicator.pk)) for indicator in component.indicators.all()],
        )
        for component in selectors.rubric_components(rubric=assessment.rubric)
    ]


def _member(request: HttpRequest, assessment: Assessment):
    member = selectors.member_of(person=request.user, assessment=assessment)
    if member is None:
        raise Http404
    return member


@staff_required
def rate(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    member = _member(request, assessment)
    ratings = selectors.member_ratings(member=member)
    context = {
        "assessment": assessment,
        "member": member,
        "sections": _rate_sections(assessment, ratings),
        "levels": Level.choices,
        "rated": len(ratings),
        "total": selectors.rubric_indicators(rubric=assessment.rubric).count(),
        "editable": not assessment.is_submitted and member.submitted_at is None,
    }
    return render(request, "assessments/rate.html", context)


def _int(value: object) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


@staff_required
@require_POST
def rating_save(request: HttpRequest, assessment_id: int, indicator_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    member = _member(request, assessment)
    error = ""
    try:
        rating = services.rating_save(
            member=member,
            indicator_id=indicator_id,
            level=request.POST.get("level"),
            note=request.POST.get("note", ""),
            revision=_int(request.POST.get("revision", "0")),
            by=request.user,
        )
    except ValidationError as problem:
        error = _error_text(problem)
        rating = None
    indicator = (
        selectors.rubric_indicators(rubric=assessment.rubric).filter(pk=indicator_id).first()
    )
    if request.htmx and indicator is not None:
        ratings = selectors.member_ratings(member=member)
        current = ratings.get(indicator.pk)
        return render(
            request,
            "assessments/_rate_indicator.html",
            {
                "assessment": assessment,
                "indicator": indicator,
                "rating": current,
                "levels": Level.choices,
                "editable": True,
                "error": error,
                "saved": rating is not None,
                # The "rated so far" line, swapped out of band.
                "oob": True,
                "rated": len(ratings),
                "total": selectors.rubric_indicators(rubric=assessment.rubric).count(),
            },
        )
    if error:
        messages.error(request, error)
        response = redirect(
            f"{reverse('assessments:rate', args=[assessment.pk])}#indicator-{indicator_id}"
        )
        return response
    messages.success(request, _("Saved."))
    return redirect(f"{reverse('assessments:rate', args=[assessment.pk])}#indicator-{indicator_id}")


@staff_required
@require_POST
def ratings_hand_in(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    member = _member(request, assessment)
    try:
        services.member_ratings_submit(member=member, by=request.user)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("assessments:rate", assessment.pk)
    messages.success(request, _("Your ratings are handed in. You can now see the team's."))
    return redirect("assessments:team_ratings", assessment.pk)


@staff_required
def team_ratings(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Everyone's ratings: for the facilitator, and for members who have handed in theirs."""
    assessment = _assessment(request, assessment_id)
    member = selectors.member_of(person=request.user, assessment=assessment)
    if not selectors.may_see_all_ratings(person=request.user, assessment=assessment, member=member):
        raise Http404
    rows = selectors.spread(assessment=assessment)
    return render(
        request,
        "assessments/team_ratings.html",
        {
            "assessment": assessment,
            "rows": rows,
            "members": [m for m, _l in rows[0].levels] if rows else [],
        },
    )


# --- Facilitator: spread and consensus --------------------------------------------------------


def _spread_context(
    request: HttpRequest, assessment: Assessment, forms: dict | None = None
) -> dict:
    rows = selectors.spread(assessment=assessment)
    forms = forms or {}
    for row in rows:
        if row.indicator.pk not in forms:
            initial = {}
            if row.consensus:
                initial = {
                    "level": row.consensus.level,
                    "evidence": row.consensus.evidence,
                    "links": "\n".join(row.consensus.links),
                }
            forms[row.indicator.pk] = ConsensusForm(initial=initial, prefix=f"i{row.indicator.pk}")
        row.form = forms[row.indicator.pk]
    members = [m for m, _l in rows[0].levels] if rows else []
    return {
        "assessment": assessment,
        "rows": rows,
        "members": members,
        "agreed": sum(1 for row in rows if row.consensus),
        "total": len(rows),
    }


@staff_required
def spread(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    return render(request, "assessments/spread.html", _spread_context(request, assessment))


@staff_required
@require_POST
def consensus_save(request: HttpRequest, assessment_id: int, indicator_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    form = ConsensusForm(request.POST, request.FILES, prefix=f"i{indicator_id}")
    if form.is_valid():
        try:
            services.consensus_save(
                assessment=assessment,
                indicator_id=indicator_id,
                level=form.cleaned_data["level"],
                evidence=form.cleaned_data["evidence"],
                links=form.link_list(),
                files=form.cleaned_data["files"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            messages.success(request, _("The consensus level is recorded."))
            return redirect(
                f"{reverse('assessments:spread', args=[assessment.pk])}#indicator-{indicator_id}"
            )
    context = _spread_context(request, assessment, {indicator_id: form})
    if not any(row.indicator.pk == indicator_id for row in context["rows"]):
        messages.error(request, _("This indicator is not part of this assessment's rubric."))
    return render(request, "assessments/spread.html", context, status=400)


@staff_required
def evidence_file(request: HttpRequest, assessment_id: int, file_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    stored = EvidenceFile.objects.filter(pk=file_id, consensus__assessment=assessment).first()
    if stored is None:
        raise Http404
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        obj=stored,
        organisation=assessment.organisation,
        request=request,
    )
    response = HttpResponse(stored.file.open("rb").read(), content_type=stored.content_type)
    response["Content-Disposition"] = f'attachment; filename="evidence-{stored.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Results, reports and exports --------------------------------------------------------------


def _results_context(assessment: Assessment) -> dict:
    lines = selectors.component_results(assessment=assessment)
    return {
        "assessment": assessment,
        "lines": lines,
        "chart": charts_for.results_chart(assessment=assessment, lines=lines),
        "overall": selectors.overall(lines),
    }


@staff_required
def results(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    context = _results_context(assessment)
    context["may_see_district"] = person_may(
        request.user, Permission.VIEW_ASSESSMENTS, assessment.district
    )
    return render(request, "assessments/results.html", context)


@staff_required
def results_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    chart = _results_context(assessment)["chart"]
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        obj=assessment,
        organisation=assessment.organisation,
        request=request,
        detail={"results_csv": True},
    )
    return csv_response(f"results-{assessment.pk}.csv", chart.header, chart.rows)


@staff_required
def ratings_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Every member's ratings and the consensus, one row per indicator and member."""
    assessment = _assessment(request, assessment_id)
    member = selectors.member_of(person=request.user, assessment=assessment)
    if not selectors.may_see_all_ratings(person=request.user, assessment=assessment, member=member):
        raise Http404
    consensus = selectors.consensus_for(assessment=assessment)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        obj=assessment,
        organisation=assessment.organisation,
        request=request,
        detail={"ratings_csv": True},
    )
    header = [_("Indicator"), _("Team member"), _("Level"), _("Note"), _("Consensus level")]
    rows = (
        [
            r.indicator.code,
            r.member.person.full_name,
            r.level,
            r.note,
            consensus[r.indicator_id].level if r.indicator_id in consensus else "",
        ]
        for r in selectors.ratings_for_export(assessment=assessment)
    )
    return csv_response(f"ratings-{assessment.pk}.csv", header, rows)


@staff_required
def report_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """The assessment, its results chart and its action plan, printable (WeasyPrint)."""
    assessment = _assessment(request, assessment_id)
    from weasyprint import HTML

    context = _results_context(assessment)
    consensus = selectors.consensus_for(assessment=assessment)
    context["sections"] = [
        (
            component,
            [(i, consensus.get(i.pk)) for i in component.indicators.all()],
        )
        for component in selectors.rubric_components(rubric=assessment.rubric)
    ]
    context["goals"] = selectors.goals_with_steps(assessment=assessment)
    audit_record(
        actor=request.user,
        verb=AuditEvent.Verb.EXPORT,
        obj=assessment,
        organisation=assessment.organisation,
        request=request,
        detail={"pdf": True},
    )
    html = render_to_string("assessments/report.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="assessment-{assessment.pk}.pdf"'
    return response


# --- Action plan ------------------------------------------------------------------------------


def _plan_context(request: HttpRequest, assessment: Assessment, **forms) -> dict:
    facilitator = selectors.may_facilitate(person=request.user, assessment=assessment)
    goals = selectors.goals_with_steps(assessment=assessment)
    later = Assessment.objects.filter(
        organisation=assessment.organisation, school_year__gt=assessment.school_year
    )
    context = {
        "assessment": assessment,
        "goals": goals,
        "may_facilitate": facilitator,
        "status_choices": Step.Status.choices,
    }
    if facilitator:
        owners = selectors.possible_owners(assessment=assessment)
        context["goal_form"] = forms.get("goal_form") or GoalForm(
            components=selectors.rubric_components(rubric=assessment.rubric)
        )
        for goal in goals:
            # One form per goal, with its own field ids.
            goal.step_form = StepForm(owners=owners, auto_id=f"goal{goal.pk}_%s")
            if forms.get("step_form_goal") == goal.pk:
                goal.step_form = forms["step_form"]
        context["step_form_goal"] = forms.get("step_form_goal")
        context["carry_later"] = list(later)
    return context


@staff_required
def plan(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    return render(request, "assessments/plan.html", _plan_context(request, assessment))


@staff_required
@require_POST
def goal_new(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    components = selectors.rubric_components(rubric=assessment.rubric)
    form = GoalForm(request.POST, components=components)
    if form.is_valid():
        target = form.cleaned_data["target"]
        component = indicator = None
        if target.startswith("c"):
            component = next(c for c in components if f"c{c.pk}" == target)
        elif target.startswith("i"):
            indicator = Indicator.objects.select_related("component").get(pk=int(target[1:]))
        try:
            services.goal_create(
                assessment=assessment,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                component=component,
                indicator=indicator,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect("assessments:plan", assessment.pk)
    return render(
        request,
        "assessments/plan.html",
        _plan_context(request, assessment, goal_form=form),
        status=400,
    )


@staff_required
@require_POST
def step_new(request: HttpRequest, assessment_id: int, goal_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    goal = selectors.goal_get(assessment=assessment, goal_id=goal_id)
    form = StepForm(
        request.POST,
        owners=selectors.possible_owners(assessment=assessment),
        auto_id=f"goal{goal.pk}_%s",
    )
    if form.is_valid():
        try:
            services.step_create(
                goal=goal,
                text=form.cleaned_data["text"],
                owner=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
        else:
            return redirect(f"{reverse('assessments:plan', args=[assessment.pk])}#goal-{goal.pk}")
    context = _plan_context(request, assessment, step_form=form, step_form_goal=goal.pk)
    return render(request, "assessments/plan.html", context, status=400)


@staff_required
@require_POST
def step_update(request: HttpRequest, assessment_id: int, step_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    step = selectors.step_get(assessment=assessment, step_id=step_id)
    form = StepUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.step_update(
                step=step,
                status=form.cleaned_data["status"],
                progress=form.cleaned_data["progress"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The step is updated."))
    else:
        messages.error(request, _("Choose a status from the list."))
    return redirect(f"{reverse('assessments:plan', args=[assessment.pk])}#step-{step.pk}")


@staff_required
@require_POST
def goal_carry(request: HttpRequest, assessment_id: int, goal_id: int) -> HttpResponse:
    assessment = _facilitated(request, assessment_id)
    goal = selectors.goal_get(assessment=assessment, goal_id=goal_id)
    later = Assessment.objects.filter(
        organisation=assessment.organisation, school_year__gt=assessment.school_year
    )
    form = CarryForm(request.POST, later=later)
    if form.is_valid():
        try:
            services.goal_carry(goal=goal, into=form.cleaned_data["into"], by=request.user)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The goal is carried into the later year."))
            return redirect("assessments:plan", form.cleaned_data["into"].pk)
    else:
        messages.error(request, _("Choose a later year of this team."))
    return redirect("assessments:plan", assessment.pk)


# --- District and state roll-ups --------------------------------------------------------------


def _rollup_filters(request: HttpRequest, form_class, **extra):
    choices = selectors.rollup_choices()
    rubrics = list(choices.rubrics)
    form = form_class(request.GET or None, rubrics=choices.rubrics, years=choices.years, **extra)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    rubric = data.get("rubric") or (rubrics[0] if rubrics else None)
    years = choices.years_by_rubric.get(rubric.pk, []) if rubric else []
    year = data.get("year") or (years[0] if years else current_school_year())
    return form, data, rubric, year


@staff_required
def district(request: HttpRequest, slug: str) -> HttpResponse:
    district = selectors.district_get_for_staff(person=request.user, slug=slug)
    form, _data, rubric, year = _rollup_filters(request, RollupFilterForm)
    components, rows = [], []
    if rubric is not None:
        components, rows = selectors.heat_map(
            organisations=selectors.district_schools(district=district),
            rubric=rubric,
            school_year=year,
            by_district=False,
        )
    return render(
        request,
        "assessments/district.html",
        {
            "district": district,
            "form": form,
            "rubric": rubric,
            "year_label": f"{year}–{(year + 1) % 100:02d}",
            "components": components,
            "table": charts_for.heat_map_table(
                rows=rows,
                components=components,
                caption=_("Schools by component"),
                row_header=_("School"),
                link_districts=False,
            ),
        },
    )


@staff_required
def state(request: HttpRequest) -> HttpResponse:
    if selectors.may_see_state(person=request.user) is None:
        raise Http404
    districts = selectors.districts_visible_to(person=request.user)
    district_list = list(districts)
    form, data, rubric, year = _rollup_filters(
        request, StateFilterForm, districts=districts, district_list=district_list
    )
    chosen = [data["district"]] if data.get("district") else district_list
    components, rows = [], []
    if rubric is not None:
        components, rows = selectors.heat_map(
            organisations=chosen, rubric=rubric, school_year=year, by_district=True
        )
    return render(
        request,
        "assessments/state.html",
        {
            "form": form,
            "rubric": rubric,
            "year_label": f"{year}–{(year + 1) % 100:02d}",
            "components": components,
            "table": charts_for.heat_map_table(
                rows=rows,
                components=components,
                caption=_("Districts by component"),
                row_header=_("District"),
                link_districts=True,
            ),
        },
    )


# --- Rubrics ----------------------------------------------------------------------------------


@staff_required
def rubrics(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/rubrics.html",
        {"rubrics": selectors.rubrics_current(), "may_edit": may_edit_rubrics(request.user)},
    )


@staff_required
def rubric(request: HttpRequest, rubric_id: int) -> HttpResponse:
    rubric = selectors.rubric_get(rubric_id=rubric_id)
    return render(
        request,
        "assessments/rubric.html",
        {
            "rubric": rubric,
            "components": selectors.rubric_components(rubric=rubric),
            "may_edit": may_edit_rubrics(request.user),
            "levels": Level.choices,
        },
    )


@staff_required
def indicator_edit(request: HttpRequest, indicator_id: int) -> HttpResponse:
    if not may_edit_rubrics(request.user):
        raise Http404
    indicator = (
        Indicator.objects.filter(pk=indicator_id).select_related("component__rubric").first()
    )
    if indicator is None:
        raise Http404
    language = request.GET.get("language") or request.LANGUAGE_CODE
    descriptors = {d.level: d.text for d in indicator.descriptors.all()}
    initial = {
        "language": language,
        "text": text_in_language(indicator.text, language),
        **{f"level_{n}": text_in_language(descriptors.get(n), language) for n in range(1, 5)},
    }
    form = IndicatorEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                changed = services.indicator_edit(
                    indicator=indicator,
                    language=form.cleaned_data["language"],
                    text=form.cleaned_data["text"],
                    levels=form.levels(),
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                rubric = changed.component.rubric
                if rubric.pk != indicator.component.rubric_id:
                    messages.success(
                        request,
                        _(
                            "Assessments use the old version, so your change made version %(version)s."
                        )
                        % {"version": rubric.version},
                    )
                else:
                    messages.success(request, _("The indicator is changed."))
                return redirect("assessments:rubric", rubric.pk)
        status = 400
    return render(
        request,
        "assessments/indicator_edit.html",
        {"indicator": indicator, "form": form},
        status=status,
    )
