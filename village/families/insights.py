"""What the family directory gives the dashboards (`village.insights.registry`): the population
that reach is a share of (active guardians by home language — their preferred written language,
the one Village writes to them in — at their district and at each school of their students),
the drill-down list behind a number, the contact log's daily figures, the "contact logged"
reach kind and the contact log panel."""

from django.db.models import Count, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from village.families.models import ContactLog, Guardian
from village.families.selectors import households_visible_to
from village.insights import registry
from village.insights.days import day_pieces, local_day
from village.insights.registry import FigureRow, FigureSource, Panel, Population, ReachKind
from village.insights.sections import counts_section
from village.insights.selectors import figures_sum, pivot
from village.languages.names import language_name
from village.orgs.models import Organisation


def _active_guardians():
    return Guardian.objects.filter(is_active=True, household__is_active=True)


def population_counts(kinds: dict):
    """Active guardians by organisation and home language, and of those the ones in each of
    `kinds` ({name: query set of guardian ids}): for the whole population and for each kind,
    one GROUP BY over the guardians for the owning districts and one over the enrolments for
    the schools. A kind is a filter (`id IN (…)`), which both databases answer with a semi-join
    that spills to disk when large — not a conditional count, which PostgreSQL evaluates as a
    subquery per guardian once the kind's ids outgrow `work_mem` (minutes at state scale)."""
    for name, ids in [("guardians", None), *kinds.items()]:
        owners = _active_guardians()
        enrolled = Guardian.students.through.objects.filter(
            guardian__is_active=True,
            guardian__household__is_active=True,
            student__is_active=True,
        )
        if ids is not None:
            owners = owners.filter(pk__in=ids)
            enrolled = enrolled.filter(guardian_id__in=ids)
        owners = (
            owners.values("organisation_id", "written_language").order_by().annotate(n=Count("id"))
        )
        for row in owners:
            yield ("owner", row["organisation_id"], row["written_language"], name, row["n"])
        enrolled = (
            enrolled.values("student__school_id", "guardian__written_language")
            .order_by()
            .annotate(n=Count("guardian_id", distinct=True))
        )
        for row in enrolled:
            yield (
                "school",
                row["student__school_id"],
                row["guardian__written_language"],
                name,
                row["n"],
            )


def population_guardians(*, person, organisation: Organisation, language: str, excluded):
    guardians = _active_guardians().filter(
        written_language=language, household__in=households_visible_to(person=person)
    )
    if organisation.kind == Organisation.Kind.SCHOOL:
        guardians = guardians.filter(
            pk__in=Guardian.students.through.objects.filter(
                student__school=organisation, student__is_active=True
            ).values("guardian_id")
        )
    else:
        guardians = guardians.filter(organisation__path__startswith=organisation.path)
    return (
        guardians.exclude(pk__in=excluded)
        .select_related("household")
        .order_by("family_name", "given_name", "id")
    )


def contacted_guardian_ids(start, end):
    return Guardian.objects.filter(
        household_id__in=ContactLog.objects.filter(at__gte=start, at__lt=end).values("household_id")
    ).values("id")


def contact_rows(start, end):
    for piece in day_pieces(start, end):
        rows = (
            ContactLog.objects.filter(at__gte=piece.start, at__lt=piece.end)
            .annotate(day=local_day("at", piece))
            .values("day", "organisation_id", "language", "channel")
            .annotate(n=Count("id"))
            .order_by("day")
        )
        for row in rows:
            yield FigureRow(
                day=row["day"],
                metric="families.contacts",
                organisation_id=row["organisation_id"],
                value=row["n"],
                language=row["language"],
                channel=row["channel"],
            )


def _contacts_panel(query):
    rows = figures_sum(query=query, metrics=["families.contacts"], by=("language", "channel"))
    if not rows:
        return None
    metrics = [("families.contacts", _("Contacts logged"))]
    channels = dict(ContactLog.Channel.choices)
    return [
        section
        for section in (
            counts_section(
                key="contacts-by-language",
                title=_("Contacts logged by language used"),
                category_header=_("Language"),
                totals=pivot(rows, "language"),
                metrics=metrics,
                label=language_name,
            ),
            counts_section(
                key="contacts-by-channel",
                title=_("Contacts logged by way of contact"),
                category_header=_("Way of contact"),
                totals=pivot(rows, "channel"),
                metrics=metrics,
                label=lambda value: str(channels.get(value, value)),
                chart=False,
            ),
        )
        if section
    ]


def register() -> None:
    registry.population_register(
        Population(counts=population_counts, guardians=population_guardians)
    )
    registry.reach_kind_register(
        "families.contacted",
        ReachKind(
            label=gettext_lazy("a contact logged"), guardian_ids=contacted_guardian_ids, order=30
        ),
    )
    registry.figure_source_register(
        "families.contacts",
        FigureSource(
            rows=contact_rows,
            metrics=("families.contacts",),
            earliest=lambda: ContactLog.objects.aggregate(m=Min("at"))["m"],
        ),
    )
    registry.panel_register(
        "families.contacts",
        Panel(title=gettext_lazy("Contact log"), build=_contacts_panel, order=30),
    )
