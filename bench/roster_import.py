"""Roster import benchmark.

Generates a OneRoster 1.1 bundle (zip) of 100,000 guardians and 80,000 students across 40
schools, then in one run on a fresh database:

1. baseline: bare `bulk_create` of the same rows (households, students, guardians, links,
   contact points), model instances built before the clock starts;
2. first import of the bundle through the real service (read zip, decode, validate every row,
   normalise phones and emails, write in one transaction);
3. second import of the same bundle (must change nothing, and take less time).

Prints rows/s and the ratio of the import to the bare insert.

    .venv/bin/python bench/roster_import.py                       # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_bench .venv/bin/python bench/roster_import.py
    BENCH_GUARDIANS=10000 BENCH_STUDENTS=8000 ...                  # a smaller run
"""

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "village.settings.test")
_tmp = tempfile.mkdtemp(prefix="village-bench-")
os.environ.setdefault("VILLAGE_VAR_DIR", _tmp)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

GUARDIANS = int(os.environ.get("BENCH_GUARDIANS", 100_000))
STUDENTS = int(os.environ.get("BENCH_STUDENTS", 80_000))
SCHOOLS = 40

GIVEN = ["ሰላም", "فاطمة", "Thảo", "伟", "María", "João", "Fatuma", "Nadège", "Amina", "Lan", "Hodan"]
FAMILY = ["ተስፋዬ", "الحسن", "Nguyễn", "王", "Peña", "Silva", "Warsame", "Joseph", "Rahman", "Trần"]
LANGUAGES = ["es", "pt", "ht", "kea", "zh-hans", "vi", "ar", "am", "bn", "so", "ti", "en"]


def build_bundle() -> bytes:
    from tests.families import rosters

    users = []
    for n in range(STUDENTS):
        users.append(
            rosters.student(
                f"stu-{n}", GIVEN[n % 11], FAMILY[n % 10], f"sch-{n % SCHOOLS}", f"{n % 12 + 1:02d}"
            )
        )
    for n in range(GUARDIANS):
        first = n * STUDENTS // GUARDIANS
        linked = [f"stu-{first}"] + (
            [f"stu-{first + 1}"] if n % 10 == 0 and first + 1 < STUDENTS else []
        )
        users.append(
            rosters.guardian(
                f"gua-{n}",
                GIVEN[(n + 3) % 11],
                FAMILY[first % 10],
                linked,
                email=f"family{n}@example.org" if n % 10 < 7 else "",
                sms=f"(617) {200 + n // 10000:03d}-{n % 10000:04d}" if n % 10 < 8 else "",
                phone=f"+1 857 {300 + n // 10000:03d} {n % 10000:04d}" if n % 5 == 0 else "",
                language=LANGUAGES[n % len(LANGUAGES)],
                no_contact="true" if n % 97 == 0 else "",
            )
        )
    schools = [(f"sch-{i}", f"School {i}") for i in range(SCHOOLS)]
    return rosters.zipped(
        {"orgs.csv": rosters.orgs_csv(schools), "users.csv": rosters.users_csv(users)}
    )


def run_import(district, bundle: bytes):
    from village.families import services

    started = services.roster_import_start(
        organisation=district,
        parts=[("bundle.zip", len(bundle), [bundle])],
        full=True,
        by=None,
        queue=False,
    )
    return services.roster_import_run(roster_import_id=started.pk)


def baseline(district, bundle: bytes) -> float:
    """Bare bulk_create of the same rows, instances prepared before timing."""
    from village.families.models import ContactPoint, Guardian, Household, Student
    from village.families.roster.files import read_upload
    from village.families.services import roster_parse

    _, roster = roster_parse(read_upload([("bundle.zip", bundle)]), organisation=district)
    households = {
        sid: Household(organisation=district, name=s.family_name)
        for sid, s in roster.students.items()
    }
    students = [
        Student(
            organisation=district,
            source_id=s.source_id,
            given_name=s.given_name,
            family_name=s.family_name,
            school_id=s.school_id,
            grade=s.grade,
        )
        for s in roster.students.values()
    ]
    guardians = [
        Guardian(
            organisation=district,
            source_id=g.source_id,
            given_name=g.given_name,
            family_name=g.family_name,
            written_language=g.written_language,
            spoken_language=g.spoken_language,
            no_contact=g.no_contact,
        )
        for g in roster.guardians.values()
    ]
    # Timed inside a transaction that is then rolled back, so the import starts from empty.
    with transaction.atomic():
        started = time.perf_counter()
        Household.objects.bulk_create(households.values(), batch_size=5000)
        for student in students:
            student.household_id = households[student.source_id].pk
        Student.objects.bulk_create(students, batch_size=5000)
        student_pk = {s.source_id: s.pk for s in students}
        for guardian, record in zip(guardians, roster.guardians.values(), strict=True):
            guardian.household_id = households[record.student_ids[0]].pk
        Guardian.objects.bulk_create(guardians, batch_size=5000)
        Guardian.students.through.objects.bulk_create(
            [
                Guardian.students.through(guardian_id=g.pk, student_id=student_pk[s])
                for g, r in zip(guardians, roster.guardians.values(), strict=True)
                for s in r.student_ids
            ],
            batch_size=5000,
        )
        ContactPoint.objects.bulk_create(
            [
                ContactPoint(guardian_id=g.pk, channel=c, value=v)
                for g, r in zip(guardians, roster.guardians.values(), strict=True)
                for c, v in r.contacts
            ],
            batch_size=5000,
        )
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def main() -> None:
    from tests.orgs.factories import DistrictFactory, SchoolFactory
    from village.families.models import Guardian, Student

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        district = DistrictFactory(slug="bench-district")
        for i in range(SCHOOLS):
            SchoolFactory(parent=district, source_id=f"sch-{i}", slug=f"bench-school-{i}")
        started = time.perf_counter()
        bundle = build_bundle()
        rows = GUARDIANS + STUDENTS
        print(
            f"database: {connection.vendor}; bundle: {GUARDIANS:,} guardians + {STUDENTS:,} students "
            f"in {SCHOOLS} schools, {len(bundle) / 1e6:.1f} MB zip, built in {time.perf_counter() - started:.1f} s"
        )

        bare = baseline(district, bundle)
        print(f"bare bulk_create:     {bare:7.2f} s  {rows / bare:9,.0f} rows/s")

        started = time.perf_counter()
        first = run_import(district, bundle)
        first_time = time.perf_counter() - started
        assert first.status == "done", first.problems[:5]
        assert Guardian.objects.count() == GUARDIANS and Student.objects.count() == STUDENTS
        print(
            f"first import:         {first_time:7.2f} s  {rows / first_time:9,.0f} rows/s  "
            f"ratio to bare insert {first_time / bare:.2f}x"
        )

        before = (
            Guardian.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        )
        started = time.perf_counter()
        second = run_import(district, bundle)
        second_time = time.perf_counter() - started
        assert second.status == "done"
        changed = {k: v for k, v in second.counts.items() if v}
        after = (
            Guardian.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
        )
        print(
            f"second import (same): {second_time:7.2f} s  {rows / second_time:9,.0f} rows/s  "
            f"ratio to first {second_time / first_time:.2f}x; changes: {changed or 'none'}; "
            f"latest guardian change untouched: {before == after}"
        )
        assert not changed and before == after and second_time < first_time
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
