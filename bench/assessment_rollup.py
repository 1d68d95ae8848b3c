"""Self-assessment roll-up benchmark: the state heat map and a district page.

Generates a state of 400 districts and 1,800 schools with 3 school years of submitted
assessments against the default rubric (consensus on every indicator and the component
results written at submission), then in one run, signed in as state staff through the
in-process test client:

- a trivial staff page (the rubric list) as the baseline,
- the state page (districts × components heat map, all districts, the latest year),
- a district page (schools × components) for an ordinary district and for the largest.

Prints the median time of each (over BENCH_RUNS requests), its query count, and the ratio to
the trivial page. Target: under 300 ms median and the same number of queries whatever the size.

    .venv/bin/python bench/assessment_rollup.py                     # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_bench .venv/bin/python bench/assessment_rollup.py
    BENCH_DISTRICTS=40 BENCH_SCHOOLS=180 .venv/bin/python bench/assessment_rollup.py   # smaller
"""

import json
import os
import random
import statistics
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
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

DISTRICTS = int(os.environ.get("BENCH_DISTRICTS", 400))
SCHOOLS = int(os.environ.get("BENCH_SCHOOLS", 1_800))
YEARS = int(os.environ.get("BENCH_YEARS", 3))
RUNS = int(os.environ.get("BENCH_RUNS", 15))
FIRST_YEAR = 2023


def generate():
    from django.db.models import Avg

    from village.assessments.models import Assessment, ComponentResult, ConsensusRating
    from village.assessments.services import rubric_load
    from village.orgs.models import Organisation, Person
    from village.orgs.roles import Role
    from village.orgs.services import membership_grant, organisation_create

    rng = random.Random(2026)
    shipped = Path(__file__).resolve().parent.parent / "village/assessments/rubrics"
    rubric = rubric_load(
        data=json.loads((shipped / "partnership-fundamentals.json").read_text(encoding="utf-8"))
    )[0]
    indicators = [
        (i.pk, i.component_id) for c in rubric.components.all() for i in c.indicators.all()
    ]
    state = organisation_create(kind="state", name="State agency", slug="state")
    with transaction.atomic():
        districts = Organisation.objects.bulk_create(
            Organisation(kind="district", name=f"District {n:03d}", slug=f"d-{n}", parent=state)
            for n in range(DISTRICTS)
        )
        for d in districts:
            d.path = f"{state.path}{d.pk:07d}/"
        Organisation.objects.bulk_update(districts, ["path"], batch_size=1000)
        # The first district is the largest (about 3% of the schools); the rest share evenly.
        big = max(SCHOOLS // 30, 1)
        owners = [districts[0]] * big + [
            districts[1 + n % (DISTRICTS - 1)] for n in range(SCHOOLS - big)
        ]
        schools = Organisation.objects.bulk_create(
            Organisation(kind="school", name=f"School {n:04d}", slug=f"s-{n}", parent=d)
            for n, d in enumerate(owners)
        )
        for s, d in zip(schools, owners, strict=True):
            s.path = f"{d.path}{s.pk:07d}/"
        Organisation.objects.bulk_update(schools, ["path"], batch_size=1000)
    staff = Person.objects.create_user(email="state@example.org", full_name="State", password=None)
    membership_grant(person=staff, organisation=state, role=Role.STATE_STAFF)
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        with transaction.atomic():
            assessments = Assessment.objects.bulk_create(
                Assessment(
                    organisation=s,
                    district=d,
                    rubric=rubric,
                    school_year=year,
                    status=Assessment.Status.SUBMITTED,
                    facilitator=staff,
                )
                for s, d in zip(schools, owners, strict=True)
            )
            ConsensusRating.objects.bulk_create(
                (
                    ConsensusRating(assessment=a, indicator_id=i, level=rng.randint(1, 4))
                    for a in assessments
                    for i, _c in indicators
                ),
                batch_size=5000,
            )
            rows = (
                ConsensusRating.objects.filter(assessment__school_year=year)
                .values("assessment_id", "indicator__component_id")
                .annotate(avg=Avg("level"))
            )
            ComponentResult.objects.bulk_create(
                (
                    ComponentResult(
                        assessment_id=r["assessment_id"],
                        component_id=r["indicator__component_id"],
                        average=r["avg"],
                    )
                    for r in rows
                ),
                batch_size=5000,
            )
    return staff, districts


def measure(client, path: str) -> tuple[float, int]:
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = len(captured)  # read now: the next request clears the connection's query log
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, queries


def main() -> None:
    from django.test import Client

    from village.assessments.models import Assessment, ComponentResult, ConsensusRating

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        staff, districts = generate()
        print(
            f"{connection.vendor}: {DISTRICTS} districts, {SCHOOLS} schools, {YEARS} years: "
            f"{Assessment.objects.count():,} assessments, {ConsensusRating.objects.count():,} "
            f"consensus ratings, {ComponentResult.objects.count():,} component results "
            f"(generated in {time.perf_counter() - started:.0f} s)"
        )
        client = Client()
        client.force_login(staff)
        pages = [
            ("trivial page (rubric list)", "/staff/assessments/rubrics/"),
            ("state heat map", "/staff/assessments/state/"),
            ("district page (ordinary)", f"/staff/assessments/districts/{districts[1].slug}/"),
            ("district page (largest)", f"/staff/assessments/districts/{districts[0].slug}/"),
        ]
        results = [(label, *measure(client, path)) for label, path in pages]
        baseline = results[0][1]
        print(f"{'page':<30} {'median ms':>10} {'queries':>8} {'× trivial':>10}")
        for label, median, queries in results:
            print(f"{label:<30} {median:>10.1f} {queries:>8} {median / baseline:>10.1f}")
        worst = max(median for _l, median, _q in results[1:])
        print(
            f"target: under 300 ms median: {'met' if worst < 300 else 'NOT met'} ({worst:.0f} ms)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
