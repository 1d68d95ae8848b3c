"""Reads of family data, always within the reader's reach.

Visibility rule: a household is visible to a person whose reach (for the permission asked)
covers the household's owning organisation (its district) or a school where one of its active
students is enrolled. Selectors that fetch one record raise Http404 when it is out of reach, so
another school's staff cannot learn that it exists.

Contract for other apps (messaging, events, groups) — these names and signatures are stable:

- `households_visible_to(*, person, permission=VIEW_FAMILIES) -> QuerySet[Household]`
- `household_get_for_staff(*, person, household_id, permission=VIEW_FAMILIES) -> Household`
- `guardians_reachable(*, channel, organisation_ids=None, grades=None, household_ids=None,
  one_per_household=True) -> QuerySet[Guardian]`: the audience of a message. Guardians who
  may be contacted on `channel` ("email", "mobile" or "voice"):
    * active guardians of active, unmerged households with an active student enrolled at a
      school within any of `organisation_ids` (a school, or a district/state: its subtree),
      optionally only students in `grades` (roster grade codes: "PK", "KG", "01" … "12");
    * never a guardian under a court order (`no_contact` or `no_records_access`: messages speak
      about the student), nor, on email, one marked `no_email`;
    * only with at least one usable contact point on that channel (active, not opted out, not
      bounced); those points are prefetched as `guardian.reachable_contact_points` (a list);
    * with `one_per_household=True` (the default: one message per household, not per child)
      only each household's primary guardian among those reachable (see below).
  Each guardian carries `written_language` and `spoken_language` (lower-case BCP 47 tags such as
  "es", "kea", "zh-hans" — any ISO 639 language) and the needs flags `needs_interpreter`,
  `needs_large_print`, `no_email`, `no_smartphone`, and `prefers_digest` (general messages
  that allow it come in one daily digest). `household` is select_related.
  The caller checks the sender's own permission on the organisations (`person_may`).
- `household_primary_guardian(*, household, channel=None) -> Guardian | None`: the guardian to
  write to for a household: the marked primary contact if reachable, else the reachable guardian
  added first.
- `guardians_with_contact_value(*, value, channel) -> QuerySet[Guardian]`: who owns an address
  or number (replies, STOP); `value` is normalised first (E.164 / lower-case email).

Writes that messaging calls live in `services`: `contact_point_opt_out`, `contact_point_opt_in`,
`contact_point_mark_bounced`.
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from village.families.contact_values import normalise_contact_value, normalise_name
from village.families.models import (
    ContactLog,
    ContactPoint,
    Guardian,
    Household,
    HouseholdMatchKey,
    HouseholdName,
    RosterImport,
    Student,
)
from village.orgs.models import Organisation, Person
from village.orgs.permissions import person_may, scope_filter
from village.orgs.roles import Permission


def _visible_households_filter(
    person: Person, permission: str, *, organisation: str = "organisation", household: str = "pk"
) -> Q:
    """The visibility rule as a filter on Household, or on another table that carries the
    household (`household`) and its owning organisation (`organisation`)."""
    if person.is_authenticated and person.is_superuser:
        return Q()
    if not person.is_authenticated or not person.is_active:
        return Q(pk__in=[])
    enrolled = Student.objects.filter(
        scope_filter(person, permission, field="school"), is_active=True
    ).values("household_id")
    # The organisations in reach as one small set (not a join per household row), so counting
    # a district's households reads one index.
    in_reach = Organisation.objects.filter(scope_filter(person, permission, field="")).values("pk")
    return Q(**{f"{organisation}_id__in": in_reach}) | Q(**{f"{household}__in": enrolled})


def households_visible_to(
    *, person: Person, permission: str = Permission.VIEW_FAMILIES
) -> QuerySet[Household]:
    return Household.objects.filter(_visible_households_filter(person, permission))


def household_get_for_staff(
    *, person: Person, household_id: int, permission: str = Permission.VIEW_FAMILIES
) -> Household:
    household = (
        households_visible_to(person=person, permission=permission)
        .filter(pk=household_id)
        .select_related("organisation", "merged_into")
        .first()
    )
    if household is None:
        raise Http404
    return household


def household_person_may(*, person: Person, permission: str, household: Household) -> bool:
    """Whether the person's reach for `permission` covers the household (district or a school
    of one of its students)."""
    return (
        households_visible_to(person=person, permission=permission).filter(pk=household.pk).exists()
    )


def usable_contact_points(channel: str | None = None) -> QuerySet[ContactPoint]:
    points = ContactPoint.objects.filter(
        is_active=True, opted_out_at__isnull=True, bounced_at__isnull=True
    )
    return points.filter(channel=channel) if channel else points


def _reachable(channel: str | None) -> QuerySet[Guardian]:
    guardians = Guardian.objects.filter(
        is_active=True,
        no_contact=False,
        no_records_access=False,
        household__is_active=True,
        household__merged_into__isnull=True,
    ).filter(Exists(usable_contact_points(channel).filter(guardian=OuterRef("pk"))))
    if channel == ContactPoint.Channel.EMAIL:
        guardians = guardians.filter(no_email=False)
    return guardians


def first_of_each_household(guardians: QuerySet[Guardian]) -> QuerySet[Guardian]:
    """Each household's first guardian among `guardians`: its primary contact, else the first
    added. One window over the rows (a sort, then a scan), whose plan does not hang on the
    planner's estimate of how many rows there are: the correlated subquery it replaces was
    planned as a nested loop over a whole district on PostgreSQL (minutes, not seconds)."""
    ranked = guardians.annotate(
        household_rank=Window(
            RowNumber(),
            partition_by=[F("household_id")],
            order_by=[F("is_primary_contact").desc(), F("id").asc()],
        )
    )
    return Guardian.objects.filter(pk__in=ranked.filter(household_rank=1).values("pk"))


def guardians_reachable(
    *,
    channel: str,
    organisation_ids: Iterable[int] | None = None,
    grades: Iterable[str] | None = None,
    household_ids: Iterable[int] | None = None,
    one_per_household: bool = True,
) -> QuerySet[Guardian]:
    guardians = _reachable(channel)
    if organisation_ids is not None:
        paths = list(
            Organisation.objects.filter(pk__in=list(organisation_ids)).values_list(
                "path", flat=True
            )
        )
        in_schools = Q(pk__in=[])
        for path in paths:
            in_schools |= Q(school__path__startswith=path)
        students = Student.objects.filter(in_schools, is_active=True)
        if grades is not None:
            students = students.filter(grade__in=list(grades))
        guardians = guardians.filter(household_id__in=students.values("household_id"))
    if household_ids is not None:
        guardians = guardians.filter(household_id__in=list(household_ids))
    if one_per_household:
        guardians = first_of_each_household(guardians)
    return (
        guardians.select_related("household")
        .prefetch_related(
            Prefetch(
                "contact_points",
                queryset=usable_contact_points(channel).order_by("-verified_at", "id"),
                to_attr="reachable_contact_points",
            )
        )
        .order_by("household_id", "id")
    )


def household_primary_guardian(
    *, household: Household, channel: str | None = None
) -> Guardian | None:
    return (
        _reachable(channel)
        .filter(household=household)
        .order_by("-is_primary_contact", "id")
        .first()
    )


def guardians_with_contact_value(*, value: str, channel: str) -> QuerySet[Guardian]:
    try:
        value = normalise_contact_value(value, channel)
    except ValueError:
        return Guardian.objects.none()
    return Guardian.objects.filter(
        contact_points__channel=channel, contact_points__value=value
    ).distinct()


# --- Staff pages -----------------------------------------------------------------------------


def schools_visible_to(
    *, person: Person, permission: str = Permission.VIEW_FAMILIES
) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        scope_filter(person, permission, field=""), kind=Organisation.Kind.SCHOOL
    ).order_by("name")


def household_list(
    *, person: Person, search: str = "", school: Organisation | None = None
) -> QuerySet[Household]:
    """Active households for the directory, with what a list row shows prefetched: the page
    runs the same number of queries whatever the number of households."""
    households = households_visible_to(person=person).filter(
        is_active=True, merged_into__isnull=True
    )
    if school is not None:
        households = households.filter(
            pk__in=Student.objects.filter(school=school, is_active=True).values("household_id")
        )
    if search:
        households = households.filter(_search_matches(search))
    return households.prefetch_related(
        Prefetch("guardians", queryset=Guardian.objects.filter(is_active=True)),
        Prefetch(
            "students", queryset=Student.objects.filter(is_active=True).select_related("school")
        ),
    ).order_by("name", "id")


SEARCH_WORDS = 8  # a longer query is cut here: each word is one more index look-up


def _name_matches(search: str) -> RawSQL | None:
    """Ids of households with a name (their own, a guardian's, a student's) holding every word
    of `search` at the start of one of its words, accents and case ignored, through the index
    that fits the database (FTS5 on SQLite, GIN full-text on PostgreSQL)."""
    words = normalise_name(search).split()[:SEARCH_WORDS]
    if not words:
        return None
    # Words are letters and digits only (normalise_name), so quoting them is enough.
    if connection.vendor == "postgresql":
        return RawSQL(
            # OFFSET 0 keeps the matches one set, read from the GIN index once: without it the
            # planner may walk the directory in name order testing each household instead.
            "SELECT household_id FROM families_householdname WHERE "
            "to_tsvector('simple'::regconfig, text) @@ to_tsquery('simple'::regconfig, %s) "
            "OFFSET 0",
            [" & ".join(f"'{word}':*" for word in words)],
        )
    if connection.vendor == "sqlite":
        return RawSQL(
            "SELECT household_id FROM families_householdname WHERE id IN (SELECT rowid FROM "
            "families_householdname_fts WHERE families_householdname_fts MATCH %s)",
            [" ".join(f'"{word}"*' for word in words)],
        )
    names = HouseholdName.objects.all()
    for word in words:
        names = names.filter(text__contains=word)
    return names.values("household_id")


def _search_matches(search: str) -> Q:
    """Households matching a directory search: by name, or by an email address or phone number
    (normalised the one way, `contact_values`, and looked up on the (channel, value) index)."""
    matches = Q(pk__in=[])
    names = _name_matches(search)
    if names is not None:
        matches |= Q(pk__in=names)
    phone = search.strip()[:1] in "+(0123456789"
    channels = [ContactPoint.Channel.MOBILE, ContactPoint.Channel.VOICE] if phone else ["email"]
    try:
        value = normalise_contact_value(search, channels[0])
    except ValueError:
        return matches
    points = ContactPoint.objects.filter(channel__in=channels, value=value)
    return matches | Q(pk__in=points.values("guardian__household_id"))


def household_detail(*, household: Household) -> dict:
    guardians = list(
        household.guardians.order_by("-is_active", "-is_primary_contact", "id").prefetch_related(
            "contact_points", "students"
        )
    )
    students = list(
        household.students.order_by("-is_active", "given_name").select_related("school")
    )
    return {"guardians": guardians, "students": students}


FOLLOW_UPS_SHOWN = 20  # the most pressing first; the counts say how many there are in all


def caseload(*, person: Person) -> dict:
    """A liaison's caseload: households they have logged contacts with (a query, for the view
    to page), and their follow-ups."""
    today = timezone.localdate()
    # Only households still within reach: a liaison who changed schools keeps no window on the
    # families of the old one. Checked per contact log (an indexed look-up of its household),
    # so the cost follows the number of logs, not the size of the district.
    in_reach = Exists(households_visible_to(person=person).filter(pk=OuterRef("household_id")))
    logs = ContactLog.objects.filter(in_reach, staff=person).select_related(
        "household", "organisation"
    )
    open_follow_ups = logs.filter(follow_up_due__isnull=False, follow_up_done_at__isnull=True)
    households = (
        Household.objects.filter(pk__in=logs.values("household_id"))
        .annotate(
            contacts=Count("contact_logs", filter=Q(contact_logs__staff=person)),
            last_contact=Max("contact_logs__at", filter=Q(contact_logs__staff=person)),
        )
        .order_by("-last_contact", "-id")
    )
    # Per liaison, over the households this person may see: what a district looks at.
    team = (
        ContactLog.objects.filter(in_reach)
        .values("staff_id", "staff__full_name", "staff__email")
        .annotate(
            contacts=Count("id"),
            households=Count("household", distinct=True),
            overdue=Count("id", filter=Q(follow_up_due__lt=today, follow_up_done_at__isnull=True)),
        )
        .order_by("-overdue", "staff__full_name")[:200]
    )
    return {
        "team": list(team),
        "overdue": list(
            open_follow_ups.filter(follow_up_due__lt=today).order_by("follow_up_due", "id")[
                :FOLLOW_UPS_SHOWN
            ]
        ),
        "upcoming": list(
            open_follow_ups.filter(follow_up_due__gte=today).order_by("follow_up_due", "id")[
                :FOLLOW_UPS_SHOWN
            ]
        ),
        "follow_up_counts": open_follow_ups.aggregate(
            overdue=Count("id", filter=Q(follow_up_due__lt=today)),
            upcoming=Count("id", filter=Q(follow_up_due__gte=today)),
        ),
        "households": households,
        "today": today,
    }


def contact_log_get_for_staff(*, person: Person, log_id: int) -> ContactLog:
    log = ContactLog.objects.filter(pk=log_id).select_related("household", "organisation").first()
    if (
        log is None
        or not households_visible_to(person=person, permission=Permission.EDIT_FAMILIES)
        .filter(pk=log.household_id)
        .exists()
    ):
        raise Http404
    return log


def contact_organisation(*, person: Person, household: Household) -> Organisation:
    """The school a contact is logged for: the staff member's school of one of the students,
    or the household's district."""
    for student in household.students.select_related("school"):
        if person_may(person, Permission.EDIT_FAMILIES, student.school):
            return student.school
    return household.organisation


def guardian_get_for_staff(
    *, person: Person, guardian_id: int, permission: str = Permission.VIEW_FAMILIES
) -> Guardian:
    guardian = (
        Guardian.objects.filter(pk=guardian_id).select_related("household__organisation").first()
    )
    if (
        guardian is None
        or not households_visible_to(person=person, permission=permission)
        .filter(pk=guardian.household_id)
        .exists()
    ):
        raise Http404
    return guardian


def export_rows(*, person: Person) -> Iterable[list]:
    """Rows of the directory export: one per active guardian a person may export. Guardians under
    a court order (no contact, no records access) are left out.

    One query whatever the number of rows (each guardian's email, mobile and voice number are
    subqueries on the contact point index), read in chunks from one cursor as the response
    streams: memory stays the same for 1,000 rows or 100,000."""

    def point(channel: str) -> Subquery:
        return Subquery(
            usable_contact_points(channel)
            .filter(guardian=OuterRef("pk"))
            .order_by("-id")
            .values("value")[:1]
        )

    # Worded now, in the reader's language: the rows are written after the view returns.
    relationships = {value: str(label) for value, label in Guardian.Relationship.choices}
    rows = (
        Guardian.objects.filter(
            household__in=households_visible_to(
                person=person, permission=Permission.EXPORT_FAMILIES
            ),
            is_active=True,
            no_contact=False,
            no_records_access=False,
        )
        .annotate(
            email=point(ContactPoint.Channel.EMAIL),
            mobile=point(ContactPoint.Channel.MOBILE),
            voice=point(ContactPoint.Channel.VOICE),
        )
        .order_by("household__name", "household_id", "id")
        .values_list(
            "household__name",
            "given_name",
            "family_name",
            "relationship",
            "written_language",
            "spoken_language",
            "email",
            "mobile",
            "voice",
        )
    )

    def stream():
        for household, given, family, relationship, written, spoken, *points in rows.iterator(
            chunk_size=2000
        ):
            yield [
                household,
                given,
                family,
                relationships.get(relationship, relationship),
                written,
                spoken,
                *(value or "" for value in points),
            ]

    return stream()


def duplicate_candidates(*, person: Person, limit: int = 100) -> list[dict]:
    """Pairs of visible households that look like one family: a shared email or phone, or a
    student of the same name (accents and case ignored) at the same school. Read from the
    blocking keys kept on write (`HouseholdMatchKey`, only the rows another household shares),
    so the page does the same few look-ups however large the district."""
    # Keys are kept for live (active, unmerged) households only, with the owner copied onto
    # each row: reach is checked on the row itself, walking the shared rows in key order.
    rows = (
        HouseholdMatchKey.objects.filter(shared=True)
        .filter(
            _visible_households_filter(person, Permission.EDIT_FAMILIES, household="household_id")
        )
        .order_by("key", "household_id")
        .values_list("key", "label", "household_id")[: limit * 10]
    )
    by_key: dict[str, tuple[str, list[int]]] = {}
    for key, label, household_id in rows:
        by_key.setdefault(key, (label, []))[1].append(household_id)
    pairs: dict[tuple[int, int], set[str]] = {}
    for label, ids in by_key.values():
        for other in ids[1:]:
            if len(pairs) >= limit and (ids[0], other) not in pairs:
                break
            pairs.setdefault((ids[0], other), set()).add(label)
    households = Household.objects.in_bulk({i for pair in pairs for i in pair})
    return [
        {"kept": households[a], "merged": households[b], "reasons": sorted(reasons)}
        for (a, b), reasons in pairs.items()
    ]


def directory_imported_at() -> datetime | None:
    """When the last roster import finished: the moment the directory last changed in bulk,
    for what is counted once and kept a while (a draft's audience) to be counted again."""
    return RosterImport.objects.filter(status=RosterImport.Status.DONE).aggregate(
        at=Max("finished_at")
    )["at"]


def roster_imports_visible_to(*, person: Person) -> QuerySet[RosterImport]:
    return RosterImport.objects.filter(
        scope_filter(person, Permission.IMPORT_ROSTERS)
    ).select_related("organisation", "started_by")


def roster_import_get_for_staff(*, person: Person, roster_import_id: int) -> RosterImport:
    roster_import = roster_imports_visible_to(person=person).filter(pk=roster_import_id).first()
    if roster_import is None:
        raise Http404
    return roster_import


def import_schools(*, person: Person) -> QuerySet[Organisation]:
    """The schools of the districts this person may import rosters for: what the template's
    school_id column takes (the roster id, else Village's short name)."""
    query = Q(pk__in=[])
    for district in import_districts(person=person):
        query |= Q(path__startswith=district.path)
    return (
        Organisation.objects.filter(query, kind=Organisation.Kind.SCHOOL)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def import_districts(*, person: Person) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        scope_filter(person, Permission.IMPORT_ROSTERS, field=""),
        kind__in=[Organisation.Kind.DISTRICT, Organisation.Kind.CHARTER],
    ).order_by("name")


def contact_values_barred(*, channel: str, values: Iterable[str]) -> set[str]:
    """Of `values` (normalised email addresses or E.164 numbers), those the directory says must
    not be written to on `channel` ("email" or "mobile"): opted out or bounced there, or held
    by a guardian barred from contact by a court order or a restriction. For people reached by
    a contact they gave elsewhere (an event's registrants), so the directory's word still
    counts."""
    values = list(values)
    barred: set[str] = set()
    for start in range(0, len(values), 5000):
        chunk = values[start : start + 5000]
        points = ContactPoint.objects.filter(channel=channel, value__in=chunk)
        barred |= set(
            points.filter(
                Q(opted_out_at__isnull=False)
                | Q(bounced_at__isnull=False)
                | Q(guardian__no_contact=True)
                | Q(guardian__no_records_access=True)
            ).values_list("value", flat=True)
        )
    return barred
