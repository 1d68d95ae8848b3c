"""Dashboard benchmark: a state's year of family engagement, and the insights pages over it.

Generates, with bulk inserts (COPY on PostgreSQL, executemany on SQLite; no model instances):
a state with `--districts` districts (400) of 5 schools each, `--guardians` guardians (1.3
million) in 10 home languages, each with a student at a school of their district; a year of
message deliveries (one message per district per month to every guardian of the district, 92 %
delivered, 3 % failed, 2 % replied to), a family event per district per month with
registrations from 4 % of the guardians and attendance for 70 % of those, and contact log
entries for 2 % of the households. Then prints:

1. the aggregate job's run time, full (a year) and incremental (today again and the recompute
   window) — target: incremental < 60 s;
2. the state and a district dashboard's median time and query count over `--runs` requests,
   beside `/healthz` in the same run — target: pages < 300 ms median.

On PostgreSQL the tables are ANALYZEd after the load (as autovacuum would have done).

    .venv/bin/python bench/dashboard.py                       # SQLite, 1.3 million guardians
    .venv/bin/python bench/dashboard.py --guardians 20000     # a quick look (districts scale down)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_bench .venv/bin/python bench/dashboard.py

Timings only mean something on an idle machine.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "village.settings.test")
os.environ.setdefault("VILLAGE_VAR_DIR", tempfile.mkdtemp(prefix="village-bench-"))

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

LANGUAGES = ["en", "es", "pt", "ht", "vi", "zh-hans", "ar", "so", "kea", "am"]
WEIGHTS = [40, 25, 8, 6, 5, 4, 4, 3, 3, 2]
CHUNK = 50_000
PAGE_TARGET_MS = 300
INCREMENTAL_TARGET_S = 60


def insert(model, rows) -> int:
    """Rows in chunks; returns the first new id (ids of one load into a fresh table follow)."""
    from village.bulk import rows_insert

    before = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            rows_insert(model, batch)
            batch = []
    rows_insert(model, batch)
    return before + 1


def generate(*, districts: int, guardians: int, seed: int = 7) -> dict:
    from village.events.models import Attendance, Event, Registration, Session
    from village.families.models import ContactLog, ContactPoint, Guardian, Household, Student
    from village.messaging.models import Delivery, Message
    from village.orgs.models import Organisation, Person
    from village.orgs.roles import Role
    from village.orgs.services import membership_grant

    rng = random.Random(seed)
    now = timezone.now()
    year_ago = now - timedelta(days=365)
    state = Organisation.objects.create(kind="state", name="State", slug="state")
    state.path = f"{state.pk:06d}/"
    state.save()
    district_rows = []
    for d in range(districts):
        o = Organisation.objects.create(
            kind="district", name=f"District {d:03d}", slug=f"d{d}", parent=state
        )
        district_rows.append(o)
    school_of = {}
    for o in district_rows:
        o.path = f"{state.path}{o.pk:06d}/"
        school_of[o.pk] = []
    Organisation.objects.bulk_update(district_rows, ["path"])
    for o in district_rows:
        for s in range(5):
            school = Organisation.objects.create(
                kind="school", name=f"{o.name} school {s}", slug=f"d{o.slug}-s{s}", parent=o
            )
            school.path = f"{o.path}{school.pk:06d}/"
            school.save(update_fields=["path"])
            school_of[o.pk].append(school.pk)
    staff = Person.objects.create_user("state@example.org", "x", full_name="State staff")
    membership_grant(person=staff, organisation=state, role=Role.STATE_STAFF)
    district_staff = Person.objects.create_user(
        "district@example.org", "x", full_name="District staff"
    )
    membership_grant(person=district_staff, organisation=district_rows[0], role=Role.DISTRICT_STAFF)

    owner = [district_rows[i % districts].pk for i in range(guardians)]
    language = rng.choices(LANGUAGES, WEIGHTS, k=guardians)
    first_household = insert(
        Household, ({"organisation_id": owner[i], "name": f"Family {i}"} for i in range(guardians))
    )
    first_guardian = insert(
        Guardian,
        (
            {
                "organisation_id": owner[i],
                "household_id": first_household + i,
                "given_name": f"G{i}",
                "family_name": "Family",
                "written_language": language[i],
                "spoken_language": language[i],
            }
            for i in range(guardians)
        ),
    )
    first_student = insert(
        Student,
        (
            {
                "organisation_id": owner[i],
                "household_id": first_household + i,
                "school_id": school_of[owner[i]][i % 5],
                "given_name": f"S{i}",
            }
            for i in range(guardians)
        ),
    )
    insert(
        Guardian.students.through,
        (
            {"guardian_id": first_guardian + i, "student_id": first_student + i}
            for i in range(guardians)
        ),
    )
    # One message per district per month to each of its guardians.
    messages = {}
    for o in district_rows:
        for month in range(12):
            messages[(o.pk, month)] = Message.objects.create(
                organisation=o,
                author=staff,
                status="sent",
                sent_at=year_ago + timedelta(days=30 * month),
            ).pk

    def deliveries():
        for i in range(guardians):
            for month in range(12):
                when = year_ago + timedelta(days=30 * month, minutes=i % 1440)
                roll = rng.random()
                status = "delivered" if roll < 0.92 else ("failed" if roll < 0.95 else "sent")
                yield {
                    "source": "message",
                    "key": f"{i}-{month}",
                    "message_id": messages[(owner[i], month)],
                    "guardian_id": first_guardian + i,
                    "household_id": first_household + i,
                    "channel": "email" if i % 3 else "sms",
                    "address": f"g{i}@example.org",
                    "language": language[i],
                    "status": status,
                    "sent_at": when,
                    "delivered_at": when + timedelta(minutes=1) if status == "delivered" else None,
                    "replied_at": when + timedelta(hours=2) if roll > 0.98 else None,
                }

    insert(Delivery, deliveries())
    # Events: one a month per district; 4 % of guardians register (by email), 70 % attend.
    sessions = {}
    for o in district_rows:
        for month in range(12):
            starts = year_ago + timedelta(days=30 * month + 15)
            event = Event.objects.create(
                organisation=o,
                slug=f"e{o.pk}-{month}",
                title={"en": "Family night"},
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                audience="families",
            )
            sessions[(o.pk, month)] = (
                event.pk,
                Session.objects.create(
                    event=event, title={"en": "Main"}, starts_at=starts, ends_at=starts
                ).pk,
                starts,
            )
    registrants = [i for i in range(guardians) if rng.random() < 0.04]
    insert(
        ContactPoint,
        (
            {"guardian_id": first_guardian + i, "channel": "email", "value": f"g{i}@example.org"}
            for i in registrants
        ),
    )
    months = {i: rng.randrange(12) for i in registrants}
    first_registration = insert(
        Registration,
        (
            {
                "event_id": sessions[(owner[i], months[i])][0],
                "full_name": f"G{i}",
                "email": f"g{i}@example.org",
                "contact_key": f"g{i}@example.org",
                "language": language[i],
                "district_id": owner[i],
                "status": "confirmed",
                "code": f"R{i:09d}",
                "created_at": sessions[(owner[i], months[i])][2] - timedelta(days=7),
            }
            for i in registrants
        ),
    )
    insert(
        Attendance,
        (
            {
                "registration_id": first_registration + n,
                "session_id": sessions[(owner[i], months[i])][1],
                "checked_in_at": sessions[(owner[i], months[i])][2],
            }
            for n, i in enumerate(registrants)
            if n % 10 < 7
        ),
    )
    insert(
        ContactLog,
        (
            {
                "household_id": first_household + i,
                "organisation_id": school_of[owner[i]][i % 5],
                "staff_id": staff.pk,
                "at": year_ago + timedelta(days=rng.randrange(365)),
                "channel": "call",
                "language": language[i],
            }
            for i in range(0, guardians, 50)
        ),
    )
    return {
        "state": state,
        "district": district_rows[0],
        "staff": staff,
        "district_staff": district_staff,
    }


def kept_world() -> dict | None:
    """The people and organisations `generate` made, in a database kept by an earlier run."""
    from village.orgs.models import Organisation, Person

    state = Organisation.objects.filter(slug="state", kind="state").first()
    if state is None:
        return None
    return {
        "state": state,
        "district": Organisation.objects.get(slug="d0"),
        "staff": Person.objects.get(email="state@example.org"),
        "district_staff": Person.objects.get(email="district@example.org"),
    }


def timed_page(client: Client, url: str, runs: int) -> tuple[float, int]:
    client.get(url)  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guardians", type=int, default=1_300_000)
    parser.add_argument("--districts", type=int, default=0, help="default: 400, fewer when small")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the generated database, and measure one kept by an earlier run again "
        "instead of generating (generating the state takes about 15 minutes)",
    )
    args = parser.parse_args()
    districts = args.districts or max(2, min(400, args.guardians // 3250))

    setup_test_environment()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=not args.keep, keepdb=args.keep, serialize=False
    )
    try:
        print(f"database: {connection.vendor}; {districts} districts, {args.guardians:,} guardians")
        world = kept_world() if args.keep else None
        if world is None:
            began = time.perf_counter()
            with transaction.atomic():
                world = generate(districts=districts, guardians=args.guardians)
            print(f"generated in {time.perf_counter() - began:.1f} s")
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        else:
            print("measuring the state kept by an earlier run (--keep)")

        from village.insights.services import figures_compute

        began = time.perf_counter()
        figures_compute(full=True)
        full_s = time.perf_counter() - began
        began = time.perf_counter()
        figures_compute()
        incremental_s = time.perf_counter() - began
        print(f"aggregate job, full (a year):      {full_s:8.2f} s")
        print(
            f"aggregate job, incremental:        {incremental_s:8.2f} s"
            f"   (target < {INCREMENTAL_TARGET_S} s)"
        )

        client = Client()
        results = {}
        client.force_login(world["staff"])
        results["/healthz"] = timed_page(client, reverse("healthz"), args.runs)
        url = reverse("insights:dashboard")
        results["state dashboard"] = timed_page(client, f"{url}?organisation=state", args.runs)
        client.force_login(world["district_staff"])
        results["district dashboard"] = timed_page(
            client, f"{url}?organisation={world['district'].slug}", args.runs
        )
        health = results["/healthz"][0]
        print(f"  {'page':<22} {'median ms':>10} {'queries':>8} {'x healthz':>10}")
        for name, (ms, queries) in results.items():
            print(f"  {name:<22} {ms:>10.1f} {queries:>8} {ms / health:>10.1f}")
        slow = [n for n, (ms, _q) in results.items() if n != "/healthz" and ms > PAGE_TARGET_MS]
        print(
            "targets:",
            "met" if not slow and incremental_s < INCREMENTAL_TARGET_S else f"missed ({slow})",
            "(meaningful on an idle machine only)",
        )
    finally:
        if args.keep:
            connection.close()
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
