"""Staff pages at a large district's size.

Builds a district with the roster benchmark's own OneRoster bundle (imported through the real
service), first with a tenth of the guardians and then with all of them (the same bundle, grown:
a re-import adds the rest), plus an event with 2,000 registrations, contact logs, conversations
and a draft message to the whole district. At each size it requests every staff page in-process
(one warm-up, then `--runs` timed requests) and prints the median time, the number of queries
and the ratio to `/healthz` measured in the same run; for the CSV exports, the time to the first
byte and to the last. At the end it checks that no page's query count changed between the two
sizes and that every page is under the target.

On PostgreSQL the tables are ANALYZEd after the data is in (as autovacuum would have done), and
each request runs under a 30 s statement timeout (gunicorn's request timeout): a page that
needs longer is reported as timed out instead of holding the run for minutes.

    .venv/bin/python bench/staff_pages.py                            # SQLite, 10,000 then 100,000
    .venv/bin/python bench/staff_pages.py --guardians 20000          # 2,000 then 20,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_bench .venv/bin/python bench/staff_pages.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import roster_import  # noqa: E402  (sets up Django as the roster benchmark does)
from django.db import DatabaseError, connection  # noqa: E402
from django.http import StreamingHttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

TARGET_MS = 150
FIRST_BYTE_TARGET_MS = 1000
TIMEOUT_S = 30
REGISTRATIONS = 2000


def build(district, guardians: int) -> None:
    """Import the roster benchmark's bundle of `guardians` guardians (0.8 students each)."""
    roster_import.GUARDIANS = guardians
    roster_import.STUDENTS = guardians * 8 // 10
    started = time.perf_counter()
    bundle = roster_import.build_bundle()
    result = roster_import.run_import(district, bundle)
    assert result.status == "done", result.problems[:5]
    print(
        f"  imported {guardians:,} guardians / {guardians * 8 // 10:,} students "
        f"in {time.perf_counter() - started:.1f} s"
    )


def add_activity(district, staff, *, households: int, start: int) -> None:
    """Contact logs with follow-ups and conversations, grown with the district."""
    from datetime import timedelta

    from django.utils import timezone

    from village.families.models import ContactLog, Household
    from village.messaging.models import Conversation, Message

    ids = list(
        Household.objects.filter(organisation=district)
        .order_by("id")
        .values_list("id", flat=True)[start : start + households]
    )
    school = district.children.order_by("id").first()
    ContactLog.objects.bulk_create(
        ContactLog(
            household_id=h,
            organisation=school,
            staff=staff,
            channel="call",
            follow_up_due=timezone.localdate() + timedelta(days=(i % 20) - 10),
        )
        for i, h in enumerate(ids)
    )
    message = Message.objects.filter(organisation=district).order_by("id").first()
    Conversation.objects.bulk_create(
        Conversation(message=message, guardian_id=i, guardian_name=f"Guardian {i}")
        for i in range(start, start + households)
    )


def add_registrations(event) -> None:
    from village.events.models import Registration, SessionChoice, Status

    sessions = list(event.sessions.all())
    made = Registration.objects.bulk_create(
        Registration(
            event=event,
            full_name=f"{roster_import.GIVEN[i % 11]} {roster_import.FAMILY[i % 10]} {i}",
            email=f"registrant{i}@example.org",
            contact_key=f"registrant{i}@example.org",
            status=Status.CONFIRMED if i % 9 else Status.WAITLISTED,
        )
        for i in range(REGISTRATIONS)
    )
    SessionChoice.objects.bulk_create(
        SessionChoice(registration=r, session=sessions[n % len(sessions)], status=r.status)
        for n, r in enumerate(made)
    )


def pages(district, event, message) -> list[tuple[str, str]]:
    from village.families.models import ContactPoint, Household

    household = (
        Household.objects.filter(organisation=district, is_active=True).order_by("id")[:1].get()
    )
    phone = (
        ContactPoint.objects.filter(channel="mobile")
        .order_by("id")
        .values_list("value", flat=True)[:1]
        .get()
    )
    households = reverse("families:households")
    local = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"  # as staff type it
    return [
        ("directory, first page", households),
        ("directory, page 100", f"{households}?page=100"),
        ("directory, page past the end", f"{households}?page=999999"),
        ("directory, page size 1,000,000", f"{households}?size=1000000"),
        ("directory search by name (Pena)", f"{households}?q=Pena"),
        ("directory search by name (nguyen maria)", f"{households}?q=nguyen+maria"),
        ("directory search by phone", f"{households}?q={local}"),
        ("directory search of 10,000 characters", f"{households}?q={'x' * 10_000}"),
        ("household page", reverse("families:household", args=[household.pk])),
        ("caseload", reverse("families:caseload")),
        ("possible duplicates", reverse("families:duplicates")),
        ("event registrations (2,000)", reverse("events:staff_event", args=[event.pk])),
        ("event registrations, search", reverse("events:staff_event", args=[event.pk]) + "?q=Pe"),
        ("event check-in search", reverse("events:check_in", args=[event.pk]) + "?q=Silva"),
        ("message list", reverse("messaging:list")),
        ("conversations", reverse("messaging:conversations")),
        ("message compose", reverse("messaging:compose")),
        ("message draft (whole district)", reverse("messaging:detail", args=[message.pk])),
        ("audit log", reverse("orgs:audit_log")),
    ]


def exports(event) -> list[tuple[str, str]]:
    return [
        ("families CSV export", reverse("families:export")),
        ("event registrations CSV", reverse("events:export", args=[event.pk])),
    ]


def timed(client: Client, url: str) -> tuple[float, float, int, bool]:
    """(seconds to the first byte, seconds to the last, queries, timed out)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = '{TIMEOUT_S}s'")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        try:
            response = client.get(url)
            first = time.perf_counter() - started
            if isinstance(response, StreamingHttpResponse):
                chunks = iter(response.streaming_content)
                next(chunks, None)
                first = time.perf_counter() - started
                for _ in chunks:
                    pass
            assert response.status_code == 200, (url, response.status_code)
        except DatabaseError:
            return TIMEOUT_S, TIMEOUT_S, len(queries), True
        last = time.perf_counter() - started
    return first, last, len(queries), False


def measure(client: Client, runs: int, district, event, message) -> dict[str, dict]:
    from django.core.cache import cache

    # Each size starts cold: the draft's audience count, cached for minutes, would otherwise
    # be the smaller size's, and its queries would not be counted at the larger one.
    cache.clear()
    results = {}
    for name, url in [("/healthz", reverse("healthz")), *pages(district, event, message)]:
        _, _, queries, out = timed(client, url)  # warm-up
        times = [] if out else [timed(client, url)[1] for _ in range(runs)]
        results[name] = {
            "median_ms": statistics.median(times) * 1000 if times else TIMEOUT_S * 1000,
            "queries": queries,
            "timed_out": out,
        }
    for name, url in exports(event):
        first, last, queries, out = timed(client, url)
        results[name] = {
            "first_byte_ms": first * 1000,
            "median_ms": last * 1000,
            "queries": queries,
            "timed_out": out,
            "export": True,
        }
    return results


def report(title: str, results: dict[str, dict]) -> None:
    health = results["/healthz"]["median_ms"]
    print(f"\n{title}")
    print(f"  {'page':<44} {'median ms':>10} {'queries':>8} {'x healthz':>10}")
    for name, row in results.items():
        if row.get("export"):
            detail = (
                f"first byte {row['first_byte_ms']:.0f} ms, whole file {row['median_ms']:.0f} ms"
            )
            print(f"  {name:<44} {detail:>30} {row['queries']:>4} queries")
            continue
        shown = f">{TIMEOUT_S} s" if row["timed_out"] else f"{row['median_ms']:.1f}"
        print(f"  {name:<44} {shown:>10} {row['queries']:>8} {row['median_ms'] / health:>10.1f}")


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guardians", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    sizes = [args.guardians // 10, args.guardians]

    from tests.events.factories import conference
    from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
    from village.messaging import services as messaging
    from village.orgs.roles import Role

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failures = []
    try:
        print(f"database: {connection.vendor}; sizes: {sizes[0]:,} then {sizes[1]:,} guardians")
        district = DistrictFactory(slug="bench-district", name="Bench district")
        for i in range(roster_import.SCHOOLS):
            SchoolFactory(parent=district, source_id=f"sch-{i}", slug=f"bench-school-{i}")
        staff = person_with_role(Role.DISTRICT_STAFF, district)
        event, _ = conference(seats=None, workshops=4, organisation=district)
        message = messaging.message_create(
            organisation=district,
            author=staff,
            subject="Family engagement night",
            body="Dear {guardian_name}, join us on Thursday at 6 pm.",
            source_language="en",
            audience={"kind": "organisations", "organisation_ids": [district.pk]},
            channels=["email", "sms"],
        )
        add_registrations(event)
        client = Client()
        client.force_login(staff)
        measured = []
        done = 0
        for size in sizes:
            print(f"\nbuilding {size:,} guardians")
            build(district, size)
            activity = size // 100  # contact logs and conversations grow with the district
            add_activity(district, staff, households=activity - done, start=done)
            done = activity
            analyze()
            print(
                f"  event registrations: {event.registrations.count():,}; "
                f"contact logs / conversations: {done:,}"
            )
            results = measure(client, args.runs, district, event, message)
            report(f"{connection.vendor}, {size:,} guardians", results)
            measured.append(results)

        small, large = measured
        print("\nchecks")
        for name, row in large.items():
            if row["queries"] != small[name]["queries"]:
                failures.append(
                    f"{name}: {small[name]['queries']} queries at {sizes[0]:,}, "
                    f"{row['queries']} at {sizes[1]:,}"
                )
            if row.get("export"):
                if row["first_byte_ms"] > FIRST_BYTE_TARGET_MS:
                    failures.append(f"{name}: first byte {row['first_byte_ms']:.0f} ms")
            elif name != "/healthz" and (row["timed_out"] or row["median_ms"] > TARGET_MS):
                failures.append(f"{name}: median {row['median_ms']:.0f} ms > {TARGET_MS} ms")
        for line in failures or ["every page meets the targets"]:
            print(f"  {line}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    main()
