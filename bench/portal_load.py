"""Portal load: the pages a family opens, under 50 concurrent clients.

Starts its own gunicorn on loopback twice, as in production (production settings, PostgreSQL)
and as by default (SQLite), with a library of 10,000 resources (each searchable in the eleven
interface languages), and for each of these pages prints requests per second, p50/p95 latency
and the ratio to `/healthz` measured on the same server in the same run (target >= 0.5):

- the district's public home (/bench-district/): its pages, upcoming events, groups, contacts;
- a library search with a facet (/resources/?q=reading&age=early);
- a resource page (/resources/<slug>/);
- a public event page (/events/<slug>/), the events app's.

All four are kept whole for visitors without a session by the public page cache
(village/page_cache.py; the event page's key holds the seats it shows); the query counts below
are of a page as rendered.

Before the load, it counts the database queries each page makes with a library of 100
resources and again with 10,000, and fails unless the counts are the same.

    .venv/bin/python bench/portal_load.py [--only sqlite|postgres] [--requests N] [--resources N]

PostgreSQL: VILLAGE_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/village_portal_bench,
created and dropped here).
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from registration_rush import (  # noqa: E402 - the load driver and server are shared
    CLIENTS,
    Server,
    free_port,
    manage,
    percentile,
    raw_request,
    run_phase,
)

SETUP = """
from datetime import timedelta
from django.utils import timezone
from village.events.models import Event, Session
from village.orgs.services import organisation_create
from village.portal.markup import markdown_to_safe_html
from village.portal.models import Page
state = organisation_create(kind="state", name="Bench state", slug="bench-state")
district = organisation_create(kind="district", name="Bench district", slug="bench-district", parent=state)
for n in range(8):
    organisation_create(kind="school", name=f"School {n}", slug=f"bench-school-{n}", parent=district)
for n, slug in enumerate(["mission", "principles", "help", "contacts"]):
    body = "## Why\\n\\nWe work **with** families. " * 20
    Page.objects.create(organisation=district, slug=slug, position=n, title={"en": slug.title(), "es": slug},
        body={"en": body}, body_html={"en": markdown_to_safe_html(body)})
start = timezone.now() + timedelta(days=20)
for n in range(12):
    event = Event.objects.create(organisation=district, slug=f"family-night-{n}", title={"en": f"Family night {n}", "es": f"Noche {n}"},
        description={"en": "Come and meet us."}, starts_at=start + timedelta(days=n), ends_at=start + timedelta(days=n, hours=2),
        languages=["en", "es"], capacity=200)
    Session.objects.create(event=event, title=event.title, starts_at=event.starts_at, ends_at=event.ends_at)
print("READY")
"""

# Grows the library to `total` resources in bulk: rows, tags, the eleven search rows each, and
# one statement to index them.
GROW = """
import random
from village.languages.catalog import interface_language_codes
from village.orgs.models import Organisation
from village.portal import search
from village.portal.models import AgeBand, Audience, Resource, ResourceTag, ResourceText, Topic
district = Organisation.objects.get(slug="bench-district")
have = Resource.objects.count()
words = ("reading attendance math families school homework sleep college kindergarten "
         "music health leadership talking listening science art").split()
rng = random.Random(have)
rows = []
for n in range(have, TOTAL):
    title = " ".join(rng.sample(words, 3)).capitalize()
    rows.append(Resource(organisation=district, slug=f"resource-{n}", title={"en": title, "es": "Recurso " + title},
        summary={"en": "A tip sheet about " + " and ".join(rng.sample(words, 4)) + "."}))
Resource.objects.bulk_create(rows, batch_size=2000)
new = list(Resource.objects.filter(pk__gt=0).order_by("pk")[have:])
tags, texts = [], []
codes = interface_language_codes()
for resource in new:
    tags.append(ResourceTag(resource=resource, facet="age", value=rng.choice(AgeBand.values)))
    tags.append(ResourceTag(resource=resource, facet="topic", value=rng.choice(Topic.values)))
    tags.append(ResourceTag(resource=resource, facet="audience", value=rng.choice(Audience.values)))
    for code in codes:
        title = resource.title.get(code) or resource.title["en"]
        texts.append(ResourceText(resource=resource, language=code, document=title + "\\n" + resource.summary["en"]))
ResourceTag.objects.bulk_create(tags, batch_size=5000)
ResourceText.objects.bulk_create(texts, batch_size=5000)
search.index_everything()
print("RESOURCES", Resource.objects.count())
"""

PAGES = {
    "district home": "/bench-district/",
    "library search": "/resources/?q=reading&age=early",
    "resource page": "/resources/resource-7/",
    "event page": "/events/family-night-3/",
}

# Queries of a page as rendered (the public page cache emptied first: a kept page makes none).
PORTAL_PAGES = ("district home", "library search", "resource page")
VARIED = "library searches, each different (rendered, not kept)"

COUNT = """
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="localhost")
for path in PATHS:
    client.get(path)  # warm: per-process caches are what a running server has
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        status = client.get(path).status_code
    print("QUERIES", path, status, len(captured.captured_queries))
"""


def query_counts(env: dict) -> dict[str, int]:
    output = manage(env, "shell", "-c", COUNT.replace("PATHS", repr(list(PAGES.values()))))
    counts = {}
    for path, status, count in re.findall(r"QUERIES (\S+) (\d+) (\d+)", output):
        if status != "200":
            raise SystemExit(f"{path} answered {status}")
        counts[path] = int(count)
    return counts


def bench(name: str, env: dict, total: int, resources: int, workers: int) -> None:
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SETUP)
    manage(env, "shell", "-c", GROW.replace("TOTAL", "100"))
    small = query_counts(env)
    manage(env, "shell", "-c", GROW.replace("TOTAL", str(resources)))
    large = query_counts(env)
    print(f"{name}")
    for page, path in PAGES.items():
        print(
            f"  queries to render the {page}: {small[path]} with 100 resources, "
            f"{large[path]} with {resources:,}"
        )
    constant = small == large
    port = free_port()
    results = {}
    with Server(env, port, workers):

        def getter(path):
            data = raw_request("GET", path)
            return lambda _client: lambda _n: (data, 200)

        def varied(_client):
            # A different search every time: each one misses the page cache and is rendered.
            words = ["reading", "math", "sleep", "college", "music", "health", "homework"]
            ages = ["early", "elementary", "middle", "high", "young-adult"]

            def build(n):
                query = f"{words[n % 7]}+{words[(n // 7) % 7]}&age={ages[n % 5]}&page={n // 35 + 1}"
                return raw_request("GET", f"/resources/?q={query}"), 200

            return build

        run_phase(port, 200, getter("/bench-district/"))  # warm up every worker
        health_seconds, health_latencies, health_errors = run_phase(port, total, getter("/healthz"))
        health = len(health_latencies) / health_seconds
        for page, path in PAGES.items():
            seconds, latencies, errors = run_phase(port, total, getter(path))
            results[page] = (len(latencies) / seconds, latencies, errors)
        seconds, latencies, errors = run_phase(port, total // 2, varied)
        results[VARIED] = (len(latencies) / seconds, latencies, errors)
    print(f"  /healthz: {health:.0f}/s, p95 {percentile(health_latencies, 95):.0f} ms")
    met = constant and not health_errors
    for page, (rate, latencies, errors) in results.items():
        ratio = rate / health
        if page in PORTAL_PAGES:
            met = met and ratio >= 0.5 and not errors
        print(
            f"  {page}: {rate:.0f}/s, p50 {percentile(latencies, 50):.0f} ms, "
            f"p95 {percentile(latencies, 95):.0f} ms, ratio to /healthz {ratio:.2f}"
            + (f", {len(errors)} errors (first: {errors[0][:120]})" if errors else "")
        )
    print(
        f"  constant queries at any library size: {'yes' if constant else 'NO'}; "
        f"targets for the portal's pages (ratio >= 0.5, no errors, constant queries): "
        f"{'met' if met else 'NOT met'}"
    )
    if not constant:
        raise SystemExit("query counts grew with the library")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    args = parser.parse_args()
    print(
        f"portal load: {args.requests} requests per page, {CLIENTS} concurrent clients, "
        f"gunicorn with {args.workers} workers, {os.cpu_count()} CPUs, "
        f"{args.resources:,} resources"
    )
    base_env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "LOG_LEVEL": "WARNING"}
    base_env.pop("DATABASE_URL", None)

    if args.only in (None, "postgres"):
        import psycopg

        url = os.environ.get(
            "VILLAGE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/village_portal_bench"
        )
        database = urllib.parse.urlparse(url).path.lstrip("/")
        admin = psycopg.connect(url, dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
        var = Path(tempfile.mkdtemp(prefix="village-portal-pg-"))
        try:
            env = {
                **base_env,
                "DJANGO_SETTINGS_MODULE": "village.settings.production",
                "DATABASE_URL": url,
                "VILLAGE_VAR_DIR": str(var),
                "SECRET_KEY": "portal-" + "x" * 60,
                "ALLOWED_HOSTS": "localhost",
                "SECURE_SSL_REDIRECT": "false",
                "WHITENOISE_USE_FINDERS": "true",
            }
            manage(env, "collectstatic", "--noinput")
            bench(
                "PostgreSQL (production settings, gunicorn)",
                env,
                args.requests,
                args.resources,
                args.workers,
            )
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.close()
            shutil.rmtree(var, ignore_errors=True)

    if args.only in (None, "sqlite"):
        var = Path(tempfile.mkdtemp(prefix="village-portal-sqlite-"))
        try:
            env = {
                **base_env,
                "DJANGO_SETTINGS_MODULE": "village.settings.base",
                "VILLAGE_VAR_DIR": str(var),
            }
            bench(
                "SQLite (default settings, gunicorn)",
                env,
                args.requests,
                args.resources,
                args.workers,
            )
        finally:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
