"""Writing a checked roster: one transaction, idempotent by source id.

Existing guardians and students are matched by (organisation, source id) and updated only where
a value changed, so a second import of the same file writes nothing. Households are not in
rosters: guardians and students linked to each other form one; a new member joins the household
of an existing one. Records missing from a full file are marked inactive, never deleted.
Contact points the roster gave are replaced when the roster changes them; points a family or
staff added, and every opt-out and bounce, are kept.
"""

from collections.abc import Callable
from dataclasses import fields

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from village.bulk import rows_insert
from village.families.models import ContactPoint, Guardian, Household, Student
from village.families.roster.problems import MassDeactivation, Problem
from village.families.roster.records import GuardianRecord, Roster, StudentRecord
from village.families.services.household_index import household_index_refresh_organisation
from village.orgs.models import Organisation

BATCH = 5000
STUDENT_FIELDS = [f.name for f in fields(StudentRecord) if f.name != "source_id"]
GUARDIAN_FIELDS = [
    f.name for f in fields(GuardianRecord) if f.name not in ("source_id", "contacts", "student_ids")
]
Link = Guardian.students.through

Progress = Callable[[int, int], None]


def _batches(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Households:
    """Union-find over the file's guardians and students: each component is one household."""

    def __init__(self):
        self.parent: dict[tuple, tuple] = {}

    def find(self, node: tuple) -> tuple:
        self.parent.setdefault(node, node)
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root

    def join(self, a: tuple, b: tuple) -> None:
        self.parent[self.find(a)] = self.find(b)


def _household_name(records: list) -> str:
    students = [r for r in records if isinstance(r, StudentRecord)]
    first = (students or records)[0]
    return (first.family_name or first.given_name)[:200]


@transaction.atomic
def roster_apply(
    *,
    organisation: Organisation,
    roster: Roster,
    full: bool,
    progress: Progress | None = None,
    max_deactivation_percent: float | None = None,
) -> dict[str, int]:
    """Write a checked roster. A full file that would mark more than
    `max_deactivation_percent` of the district's active guardians and students inactive raises
    MassDeactivation before anything is written (None: no limit)."""
    counts = dict.fromkeys(
        [
            "households_created",
            "students_created",
            "students_updated",
            "students_deactivated",
            "guardians_created",
            "guardians_updated",
            "guardians_deactivated",
            "links_added",
            "links_removed",
            "contact_points_added",
            "contact_points_removed",
        ],
        0,
    )
    now = timezone.now()
    total = len(roster.students) + len(roster.guardians)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, total), total)

    existing_students = {
        row[0]: row[1:]
        for row in Student.objects.filter(organisation=organisation).values_list(
            "source_id", "pk", "household_id", *STUDENT_FIELDS
        )
    }
    existing_guardians = {
        row[0]: row[1:]
        for row in Guardian.objects.filter(organisation=organisation).values_list(
            "source_id", "pk", "household_id", *GUARDIAN_FIELDS
        )
    }

    if full and max_deactivation_percent is not None:
        _check_deactivation_share(
            roster, existing_students, existing_guardians, max_deactivation_percent
        )

    # Households for new records.
    components = _Households()
    for guardian in roster.guardians.values():
        components.find(("g", guardian.source_id))
        for student_id in guardian.student_ids:
            components.join(("g", guardian.source_id), ("s", student_id))
    for student_id in roster.students:
        components.find(("s", student_id))
    members: dict[tuple, list[tuple]] = {}
    for node in components.parent:
        members.setdefault(components.find(node), []).append(node)
    household_of: dict[tuple, int] = {}
    new_households: list[tuple[list[tuple], Household]] = []
    for nodes in members.values():
        known = [
            (existing_students if kind == "s" else existing_guardians)[sid][1]
            for kind, sid in nodes
            if sid in (existing_students if kind == "s" else existing_guardians)
        ]
        if known:
            for node in nodes:
                household_of[node] = min(known)
        else:
            records = [
                (roster.students if kind == "s" else roster.guardians)[sid] for kind, sid in nodes
            ]
            records.sort(key=lambda r: (not isinstance(r, StudentRecord), r.source_id))
            household = Household(organisation=organisation, name=_household_name(records))
            new_households.append((nodes, household))
    for batch in _batches(new_households):
        Household.objects.bulk_create([h for _, h in batch])
        for nodes, household in batch:
            for node in nodes:
                household_of[node] = household.pk
    counts["households_created"] = len(new_households)

    # Students.
    student_pk: dict[str, int] = {}
    to_create, to_update = [], []
    for record in roster.students.values():
        values = tuple(getattr(record, f) for f in STUDENT_FIELDS)
        current = existing_students.get(record.source_id)
        if current is None:
            to_create.append(
                {
                    "organisation_id": organisation.pk,
                    "household_id": household_of[("s", record.source_id)],
                    "source_id": record.source_id,
                    **dict(zip(STUDENT_FIELDS, values, strict=True)),
                }
            )
        else:
            student_pk[record.source_id] = current[0]
            if tuple(current[2:]) != values:
                to_update.append(
                    Student(
                        pk=current[0],
                        updated_at=now,
                        **dict(zip(STUDENT_FIELDS, values, strict=True)),
                    )
                )
    for batch in _batches(to_create):
        rows_insert(Student, batch)
        step(len(batch))
    if to_create:
        # One query for the new ids; only the file's records count as in the file.
        student_pk.update(
            (source_id, pk)
            for source_id, pk in Student.objects.filter(organisation=organisation).values_list(
                "source_id", "pk"
            )
            if source_id in roster.students
        )
    for batch in _batches(to_update, 1000):
        Student.objects.bulk_update(batch, [*STUDENT_FIELDS, "updated_at"])
        step(len(batch))
    step(len(roster.students) - len(to_create) - len(to_update))
    counts["students_created"], counts["students_updated"] = len(to_create), len(to_update)

    # Guardians.
    guardian_pk: dict[str, int] = {}
    to_create, to_update = [], []
    for record in roster.guardians.values():
        values = tuple(getattr(record, f) for f in GUARDIAN_FIELDS)
        current = existing_guardians.get(record.source_id)
        if current is None:
            to_create.append(
                {
                    "organisation_id": organisation.pk,
                    "household_id": household_of[("g", record.source_id)],
                    "source_id": record.source_id,
                    **dict(zip(GUARDIAN_FIELDS, values, strict=True)),
                }
            )
        else:
            guardian_pk[record.source_id] = current[0]
            if tuple(current[2:]) != values:
                to_update.append(
                    Guardian(
                        pk=current[0],
                        updated_at=now,
                        **dict(zip(GUARDIAN_FIELDS, values, strict=True)),
                    )
                )
    for batch in _batches(to_create):
        rows_insert(Guardian, batch)
        step(len(batch))
    if to_create:
        guardian_pk.update(
            (source_id, pk)
            for source_id, pk in Guardian.objects.filter(organisation=organisation).values_list(
                "source_id", "pk"
            )
            if source_id in roster.guardians
        )
    for batch in _batches(to_update, 1000):
        Guardian.objects.bulk_update(batch, [*GUARDIAN_FIELDS, "updated_at"])
        step(len(batch))
    step(len(roster.guardians) - len(to_create) - len(to_update))
    counts["guardians_created"], counts["guardians_updated"] = len(to_create), len(to_update)

    in_file = list(guardian_pk.values())
    file_guardians = Q(guardian__organisation=organisation)

    # Guardian–student links.
    wanted = {
        (guardian_pk[g.source_id], student_pk[s])
        for g in roster.guardians.values()
        for s in g.student_ids
    }
    have = set(
        Link.objects.filter(guardian__organisation=organisation).values_list(
            "guardian_id", "student_id"
        )
    )
    in_file_set = set(in_file)
    stale = [pair for pair in have - wanted if pair[0] in in_file_set]
    added = [{"guardian_id": g, "student_id": s} for g, s in wanted - have]
    for batch in _batches(added):
        rows_insert(Link, batch)
    for batch in _batches(stale, 500):
        query = Q(pk__in=[])
        for g, s in batch:
            query |= Q(guardian_id=g, student_id=s)
        Link.objects.filter(query).delete()
    counts["links_added"], counts["links_removed"] = len(added), len(stale)

    # Contact points.
    wanted_points = {
        (guardian_pk[g.source_id], channel, value)
        for g in roster.guardians.values()
        for channel, value in g.contacts
    }
    have_points = {
        (g, c, v): (pk, active, source)
        for pk, g, c, v, active, source in ContactPoint.objects.filter(file_guardians).values_list(
            "pk", "guardian_id", "channel", "value", "is_active", "consent_source"
        )
    }
    new_points = [
        {
            "guardian_id": g,
            "channel": c,
            "value": v,
            "consent_source": ContactPoint.ConsentSource.ROSTER,
        }
        for g, c, v in wanted_points - have_points.keys()
    ]
    for batch in _batches(new_points):
        rows_insert(ContactPoint, batch)
    revived = [
        have_points[key][0] for key in wanted_points & have_points.keys() if not have_points[key][1]
    ]
    retired = [
        pk
        for key, (pk, active, source) in have_points.items()
        if active
        and source == ContactPoint.ConsentSource.ROSTER
        and key[0] in in_file_set
        and key not in wanted_points
    ]
    for batch in _batches(revived, 900):
        ContactPoint.objects.filter(pk__in=batch).update(is_active=True)
    for batch in _batches(retired, 900):
        ContactPoint.objects.filter(pk__in=batch).update(is_active=False)
    counts["contact_points_added"] = len(new_points) + len(revived)
    counts["contact_points_removed"] = len(retired)

    if full:
        for model, existing, records, key in (
            (Student, existing_students, roster.students, "students_deactivated"),
            (Guardian, existing_guardians, roster.guardians, "guardians_deactivated"),
        ):
            missing = [v[0] for sid, v in existing.items() if v[-1] and sid not in records]
            for batch in _batches(missing, 900):
                model.objects.filter(pk__in=batch).update(is_active=False)
            counts[key] = len(missing)
    _household_activity(organisation)
    # The search names and duplicate keys of the district, in the same transaction.
    household_index_refresh_organisation(organisation=organisation)
    return counts


def _check_deactivation_share(
    roster: Roster, existing_students: dict, existing_guardians: dict, limit: float
) -> None:
    # The last value of an existing record is `is_active`.
    active = sum(1 for v in existing_students.values() if v[-1]) + sum(
        1 for v in existing_guardians.values() if v[-1]
    )
    students = sum(
        1 for sid, v in existing_students.items() if v[-1] and sid not in roster.students
    )
    guardians = sum(
        1 for sid, v in existing_guardians.items() if v[-1] and sid not in roster.guardians
    )
    if active and (students + guardians) * 100 > limit * active:
        raise MassDeactivation(
            Problem(
                "mass_deactivation",
                params={
                    "students": students,
                    "guardians": guardians,
                    "percent": round((students + guardians) * 100 / active),
                    "limit": limit,
                },
            )
        )


def _household_activity(organisation: Organisation) -> None:
    """A household is active while it has an active guardian or student."""
    lively = Exists(Student.objects.filter(household=OuterRef("pk"), is_active=True)) | Exists(
        Guardian.objects.filter(household=OuterRef("pk"), is_active=True)
    )
    households = Household.objects.filter(organisation=organisation, merged_into__isnull=True)
    households.filter(is_active=True).exclude(lively).update(is_active=False)
    households.filter(is_active=False).filter(lively).update(is_active=True)
