"""Survey results benchmark: the staff results page of a survey with 100,000 answers in 10
languages, against a trivial staff page in the same run.

Generates a district with 20 schools and a family climate survey (a scale, a single choice,
a multiple choice and a free-text question), then `--answers` answer rows spread over 10
languages and the schools (about 4.6 rows per response: one per question answered and one per
choice ticked), written in bulk; on PostgreSQL the tables are ANALYZEd after loading. Then, signed in as
district staff through the in-process test client:

- a trivial staff page (the survey list) as the baseline,
- the results page (every figure a GROUP BY in the database), all answers and filtered to one
  language.

Prints the median time of each (over BENCH_RUNS requests), its query count, and the ratio to
the trivial page. Target: results page under 300 ms median, the same number of queries
whatever the number of answers.

    .venv/bin/python bench/survey_results.py                         # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/village_bench .venv/bin/python bench/survey_results.py
    .venv/bin/python bench/survey_results.py --answers 10000         # smaller
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
_tmp = tempfile.mkdtemp(prefix="village-bench-")
os.environ.setdefault("VILLAGE_VAR_DIR", _tmp)

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 15))
LANGUAGES = ["en", "es", "pt", "ht", "vi", "ar", "zh-hans", "so", "kea", "bn"]
COMMENTS = [
    "More interpreters, please.",
    "Más reuniones por la tarde.",
    "Mèsi anpil.",
    "希望有更多中文翻译。",
]


def generate(answer_rows: int):
    from django.utils import timezone

    from village.orgs.models import Organisation
    from village.orgs.roles import Role
    from village.orgs.services import membership_grant, organisation_create
    from village.surveys.models import Answer, Response, Survey
    from village.surveys.services import survey_create

    rng = random.Random(2026)  # noqa: S311 - benchmark data
    state = organisation_create(kind=Organisation.Kind.STATE, name="State", slug="bench-state")
    district = organisation_create(
        kind=Organisation.Kind.DISTRICT, name="Bench district", slug="bench-district", parent=state
    )
    schools = [
        organisation_create(
            kind=Organisation.Kind.SCHOOL,
            name=f"School {n}",
            slug=f"bench-school-{n}",
            parent=district,
        )
        for n in range(20)
    ]
    from village.orgs.models import Person

    staff = Person.objects.create_user(email="bench@example.org", password=None, full_name="Bench")
    membership_grant(person=staff, organisation=district, role=Role.DISTRICT_STAFF, by=None)
    now = timezone.now()
    survey = survey_create(
        organisation=district,
        template=Survey.Template.CLIMATE,
        opens_at=now - timedelta(days=30),
        closes_at=now + timedelta(days=30),
        by=None,
    )
    questions = list(survey.questions.prefetch_related("choices"))
    written = 0
    batch = 2000
    with transaction.atomic():
        while written < answer_rows:
            responses = Response.objects.bulk_create(
                Response(
                    survey=survey,
                    school=rng.choice(schools),
                    language=rng.choice(LANGUAGES),
                    submitted_at=now - timedelta(minutes=rng.randint(0, 40000)),
                )
                for _ in range(batch)
            )
            rows = []
            for response in responses:
                for question in questions:
                    choices = list(question.choices.all())
                    if question.kind == "scale":
                        rows.append(
                            Answer(response=response, question=question, number=rng.randint(1, 5))
                        )
                    elif question.kind == "single":
                        rows.append(
                            Answer(response=response, question=question, choice=rng.choice(choices))
                        )
                    elif question.kind == "multiple":
                        for choice in rng.sample(choices, rng.randint(1, 2)):
                            rows.append(Answer(response=response, question=question, choice=choice))
                    elif rng.random() < 0.15:
                        rows.append(
                            Answer(response=response, question=question, text=rng.choice(COMMENTS))
                        )
            remaining = answer_rows - written
            rows = rows[:remaining]
            Answer.objects.bulk_create(rows, batch_size=5000)
            written += len(rows)
    with connection.cursor() as cursor:  # fresh statistics for the planner (both databases)
        cursor.execute("ANALYZE")
    return staff, survey


def measure(client, path: str) -> tuple[float, int]:
    client.get(path)  # warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    queries = len(captured)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        client.get(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=100_000, help="answer rows to load")
    args = parser.parse_args()
    from django.test import Client

    from village.surveys.models import Answer, Response

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        staff, survey = generate(args.answers)
        print(
            f"{connection.vendor}: {Answer.objects.count():,} answers, "
            f"{Response.objects.count():,} responses in {len(LANGUAGES)} languages "
            f"(generated in {time.perf_counter() - started:.0f} s)"
        )
        client = Client()
        client.force_login(staff)
        pages = [
            ("trivial page (survey list)", "/staff/surveys/"),
            ("results page (all answers)", f"/staff/surveys/{survey.pk}/"),
            ("results page (one language)", f"/staff/surveys/{survey.pk}/?language=es"),
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
