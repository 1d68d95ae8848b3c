"""Fan-out benchmark: a message to a whole large district (70,000 guardians in 10 languages).

Measures, on a fresh SQLite database (or a fresh PostgreSQL database with `--database
postgres`, analysed as autovacuum would have) and the embedded broker:
1. the time the draft's per-language table takes (what the sender sees before sending), and the
   time `message_send` takes to resolve the audience and write every delivery row (the outbox) —
   target < 30 s, aim < 5 s;
2. delivery throughput with 2 Celery worker processes to a local SMTP sink (aiosmtpd in its own
   process), as messages/s, and as a ratio to plain `smtplib` sending the same, already rendered
   messages over one connection to the same sink in the same run — target >= 0.5.

Run:  .venv/bin/python bench/message_fanout.py            (70,000 guardians, SQLite)
      .venv/bin/python bench/message_fanout.py --database postgres
      .venv/bin/python bench/message_fanout.py --guardians 5000   (a quicker look)
"""

import argparse
import os
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run_sink(port: int) -> None:
    """The SMTP sink process: accept and count; print the count when told to stop."""
    from aiosmtpd.controller import Controller

    class Counter:
        count = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            Counter.count += 1
            return "250 OK"

    controller = Controller(Counter(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    while not stop:
        time.sleep(0.1)
    controller.stop()
    print(Counter.count, flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guardians", type=int, default=70_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("VILLAGE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="server to create the benchmark's own database on",
    )
    parser.add_argument(
        "--write-only", action="store_true", help="measure the draft and the fan-out, not delivery"
    )
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        return run_sink(args.sink)

    var_dir = Path(tempfile.mkdtemp(prefix="village-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "village.settings.base",
        "VILLAGE_VAR_DIR": str(var_dir),
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "CELERY_BROKER_URL": "filesystem://",
        "LOG_LEVEL": "WARNING",
    }
    if args.database == "postgres":
        import psycopg

        name = "village_bench_fanout"
        with psycopg.connect(f"{args.postgres_url}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name}")
            admin.execute(f"CREATE DATABASE {name}")
        env["DATABASE_URL"] = f"{args.postgres_url}/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ.update(env)

    import django

    django.setup()
    from django.core.mail import EmailMessage
    from django.core.management import call_command
    from django.db import connection

    from tests.messaging.population import LANGUAGES, populate
    from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
    from village.messaging import services
    from village.messaging.models import Delivery
    from village.messaging.outgoing import outgoing_for
    from village.orgs.roles import Role

    print(
        f"database: {connection.vendor}; guardians: {args.guardians:,}; "
        f"languages: {len(LANGUAGES)}; cores: {os.cpu_count()}"
    )
    call_command("migrate", verbosity=0)
    district = DistrictFactory(name="Large district")
    schools = [SchoolFactory(parent=district) for _ in range(20)]
    per_school = args.guardians // len(schools)
    for n, school in enumerate(schools):
        count = per_school if n < len(schools) - 1 else args.guardians - per_school * n
        populate(school=school, count=count, start=n * per_school)
    staff = person_with_role(Role.DISTRICT_STAFF, district)
    message = services.message_create(
        organisation=district,
        author=staff,
        subject="Family engagement night",
        body="Dear {guardian_name}, join us on Thursday at 6 pm. Interpretation is provided.",
        source_language="en",
        audience={"kind": "organisations", "organisation_ids": [district.pk]},
        channels=["email"],
    )
    for language in LANGUAGES[1:]:
        services.message_version_set(
            message=message,
            language=language,
            subject=f"[{language}] Family engagement night",
            body=f"[{language}] Dear {{guardian_name}}, join us on Thursday at 6 pm.",
            by=staff,
        )

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would have, after the import

    from village.messaging.selectors import message_language_needs

    started = time.perf_counter()
    needs = message_language_needs(message=message)
    draft = time.perf_counter() - started
    print(
        f"draft's language table: {len(needs)} languages, "
        f"{sum(n.guardians for n in needs):,} recipients, in {draft * 1000:,.0f} ms"
    )
    started = time.perf_counter()
    total = services.message_send(message=message, by=staff)
    fanout = time.perf_counter() - started
    print(
        f"fan-out: {total:,} deliveries written in {fanout:.1f} s "
        f"({total / fanout:,.0f} rows/s; target < 30 s: {'met' if fanout < 30 else 'NOT met'}; "
        f"aim < 5 s: {'met' if fanout < 5 else 'not met'})"
    )

    if args.write_only:
        return

    # The same messages, rendered once, for the plain smtplib baseline.
    rendered = []
    for delivery in Delivery.objects.select_related("message__organisation").iterator(
        chunk_size=2000
    ):
        out = outgoing_for(delivery)
        email = EmailMessage(subject=out.subject, body=out.body, to=[out.to])
        rendered.append((email.from_email, [out.to], email.message().as_bytes(linesep="\r\n")))

    sink = subprocess.Popen(
        [sys.executable, __file__, "--sink", str(port)], stdout=subprocess.PIPE, text=True, env=env
    )
    assert sink.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for from_email, to, data in rendered:
            smtp.sendmail(from_email, to, data)
    baseline = len(rendered) / (time.perf_counter() - started)
    print(f"plain smtplib, 1 connection: {baseline:,.0f} messages/s")

    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "village",
                "worker",
                "--loglevel=WARNING",
                "--concurrency=1",
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"bench{n}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(2)
    ]
    started = time.perf_counter()
    try:
        while Delivery.objects.filter(status__in=["queued", "sending"]).exists():
            time.sleep(0.5)
        wall = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait()
        sink.terminate()
        received = int(sink.stdout.read().strip() or 0)
    sent = Delivery.objects.filter(status="sent").count()
    first, last = (
        Delivery.objects.order_by(field).values_list("sent_at", flat=True).first()
        for field in ("sent_at", "-sent_at")
    )
    steady = sent / max(0.001, (last - first).total_seconds())
    print(
        f"2 workers: {sent:,} sent in {wall:.1f} s from worker start "
        f"({sent / wall:,.0f} messages/s including start-up; {steady:,.0f} messages/s from "
        f"first to last send)"
    )
    print(
        f"sink received {received:,} messages in all ({len(rendered):,} baseline + {sent:,} outbox)"
    )
    print(
        f"ratio outbox / plain smtplib: {steady / baseline:.2f} steady, "
        f"{sent / wall / baseline:.2f} including start-up (target >= 0.5)"
    )


if __name__ == "__main__":
    main()
