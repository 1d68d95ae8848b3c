"""Registration rush: 1,000 registrations from 50 concurrent clients for one workshop.

Starts its own servers on loopback, as in production (gunicorn, production settings,
PostgreSQL, Redis broker) and as by default (gunicorn, SQLite, filesystem broker), and for each
prints throughput, p50/p95/p99 latency, confirmed seats against capacity, and the ratio of
registration throughput to a trivial page (the home page, a rendered template) measured on the same server in the same run.
Targets: p95 under 250 ms; registration throughput at least a third of the trivial page's.

    .venv/bin/python bench/registration_rush.py [--only sqlite|postgres] [--registrations N] [--api]

`--api`: the same rush through the REST API (POST /api/v1/events/events/{id}/registrations
with a state staff member's token, JSON in and out, expecting 201): the same service takes the
seats, so the same no-overbooking guarantee and the same ratio target hold.

PostgreSQL: VILLAGE_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/village_events,
created and dropped here); Redis broker: VILLAGE_BENCH_REDIS_URL (default redis://127.0.0.1:6379/12).
"""

import argparse
import http.client
import json
import os
import re
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 50
CAPACITY = 300
REQUEST_TIMEOUT = 30.0
PHASE_DEADLINE = 600.0
SETUP = """
from datetime import timedelta
from django.utils import timezone
from village.orgs.services import organisation_create
from village.events.models import Event, Session, TimeSlot
state = organisation_create(kind="state", name="Bench state", slug="bench-state")
start = timezone.now() + timedelta(days=30)
event = Event.objects.create(organisation=state, slug="rush", kind="conference",
    title={"en": "Summit"}, starts_at=start, ends_at=start + timedelta(hours=8), languages=["en"])
slot = TimeSlot.objects.create(event=event, label={"en": "Morning"}, starts_at=start,
    ends_at=start + timedelta(hours=1))
session = Session.objects.create(event=event, time_slot=slot, title={"en": "Workshop"},
    starts_at=start, ends_at=start + timedelta(hours=1), capacity=CAPACITY)
print("SLOT", slot.pk, "SESSION", session.pk, "EVENT", event.pk)
""".replace("CAPACITY", str(CAPACITY))
# API mode: a person who runs the state's events, and a token of theirs.
SETUP_API = """
from village.api.services import api_token_create
from village.orgs.models import Person
from village.orgs.roles import Role
from village.orgs.services import membership_grant
person = Person.objects.create_user(email="rush-staff@example.org", password=None,
    full_name="Rush staff")
membership_grant(person=person, organisation=state, role=Role.STATE_STAFF)
print("TOKEN", api_token_create(person=person, name="rush")[1])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Server:
    def __init__(self, env: dict, port: int, workers: int):
        self.env, self.port, self.workers = env, port, workers
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "village.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _h, _b = request(self.port, "GET", "/healthz")
                if status == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(port: int, method: str, path: str, body: str = "", headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(
            method, path, body=body or None, headers={"Host": "localhost", **(headers or {})}
        )
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def csrf(port: int) -> tuple[str, str]:
    """A CSRF cookie and form token, fetched once per client before the clock starts."""
    _status, headers, body = request(port, "GET", "/events/rush/")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def raw_request(method: str, path: str, body: str = "", headers: dict | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: localhost", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body.encode())}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def run_phase(port: int, total: int, make_request) -> tuple[float, list[float], list[str]]:
    """`total` requests from CLIENTS concurrent connections; returns (seconds, latencies,
    errors). Each client is prepared (e.g. fetches its CSRF token) before the clock starts.
    One thread drives every client with non-blocking sockets and epoll: a load generator this
    light leaves the two cores to the server (50 threads with http.client took a tenth of
    the machine, asyncio streams a quarter)."""
    builders = [make_request(number) for number in range(CLIENTS)]
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))
    selector = selectors.DefaultSelector()

    def start(build) -> bool:
        n = next(counter, None)
        if n is None:
            return False
        data, expected = build(n)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        sock.connect_ex(("127.0.0.1", port))
        state = {
            "build": build,
            "data": data,
            "expected": expected,
            "chunks": [],
            "started": time.perf_counter(),
        }
        selector.register(sock, selectors.EVENT_WRITE, state)
        return True

    def finish(sock, state, error: str | None) -> None:
        selector.unregister(sock)
        sock.close()
        latencies.append(time.perf_counter() - state["started"])
        if error is None:
            response = b"".join(state["chunks"])
            status = int(response[9:12] or 0)
            if status != state["expected"]:
                error = f"{status} {response[:300]!r}"
        if error:
            errors.append(error)
        start(state["build"])

    started = time.perf_counter()
    deadline = time.monotonic() + PHASE_DEADLINE
    for build in builders:
        start(build)
    while selector.get_map() and time.monotonic() < deadline:
        for key, events in selector.select(timeout=1.0):
            sock, state = key.fileobj, key.data
            try:
                if events & selectors.EVENT_WRITE:
                    sent = sock.send(state["data"])
                    state["data"] = state["data"][sent:]
                    if not state["data"]:
                        selector.modify(sock, selectors.EVENT_READ, state)
                    continue
                chunk = sock.recv(65536)
            except OSError as exc:
                finish(sock, state, repr(exc))
                continue
            if chunk:
                state["chunks"].append(chunk)
            else:  # gunicorn's sync workers close after each response
                finish(sock, state, None)
        now = time.perf_counter()
        for key in list(selector.get_map().values()):
            if now - key.data["started"] > REQUEST_TIMEOUT:
                finish(key.fileobj, key.data, "timeout")
    return time.perf_counter() - started, latencies, errors


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def bench(name: str, env: dict, total: int, workers: int, api: bool = False) -> dict:
    manage(env, "migrate", "--noinput")
    output = manage(env, "shell", "-c", SETUP + (SETUP_API if api else ""))
    slot = re.search(r"SLOT (\d+)", output).group(1)
    session = re.search(r"SESSION (\d+)", output).group(1)
    event = re.search(r"EVENT (\d+)", output).group(1)
    api_token = re.search(r"TOKEN (\S+)", output).group(1) if api else ""
    port = free_port()
    with Server(env, port, workers):

        def trivial(_client):
            data = raw_request("GET", "/")
            return lambda _n: (data, 200)

        def registration(_client):
            cookie, token = csrf(port)
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
                "Referer": f"http://localhost:{port}/events/rush/",
            }

            def build(n):
                body = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "full_name": f"Rusher {n}",
                        "email": f"rusher{n}@example.org",
                        "language": "en",
                        f"slot_{slot}": session,
                    }
                )
                return raw_request("POST", "/events/rush/", body, headers), 302

            return build

        def api_registration(_client):
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Bearer {api_token}",
            }

            def build(n):
                body = json.dumps(
                    {
                        "full_name": f"Rusher {n}",
                        "email": f"rusher{n}@example.org",
                        "language": "en",
                        "sessions": [int(session)],
                    }
                )
                path = f"/api/v1/events/events/{event}/registrations"
                return raw_request("POST", path, body, headers), 201

            return build

        def health(_client):
            data = raw_request("GET", "/healthz")
            return lambda _n: (data, 200)

        run_phase(port, 100, trivial)  # warm up every worker
        trivial_seconds, trivial_latencies, trivial_errors = run_phase(port, total, trivial)
        health_seconds, health_latencies, _health_errors = run_phase(port, total, health)
        seconds, latencies, errors = run_phase(
            port, total, api_registration if api else registration
        )
    counts = (
        manage(
            env,
            "shell",
            "-c",
            (
                "from village.events.models import SessionChoice as C;"
                f"q=C.objects.filter(session_id={session});"
                "print(q.filter(status='confirmed').count(), q.filter(status='waitlisted').count())"
            ),
        )
        .strip()
        .splitlines()[-1]
        .split()
    )
    result = {
        "name": name,
        "done": len(latencies),
        "errors": len(errors) + len(trivial_errors),
        "throughput": len(latencies) / seconds,
        "trivial": len(trivial_latencies) / trivial_seconds,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "p99": percentile(latencies, 99),
        "trivial_p95": percentile(trivial_latencies, 95),
        "health": len(health_latencies) / health_seconds,
        "confirmed": int(counts[0]),
        "waitlisted": int(counts[1]),
    }
    result["ratio"] = result["throughput"] / result["trivial"]
    for error in (errors + trivial_errors)[:3]:
        print("  error:", error)
    return result


def report(r: dict) -> None:
    verdict = "met" if r["p95"] < 250 and r["ratio"] >= 1 / 3 and r["errors"] == 0 else "NOT met"
    print(
        f"{r['name']}: {r['done']} registrations, {r['errors']} errors\n"
        f"  registration throughput {r['throughput']:.0f}/s; latency p50 {r['p50']:.0f} ms, "
        f"p95 {r['p95']:.0f} ms, p99 {r['p99']:.0f} ms\n"
        f"  trivial page (the home page, /) {r['trivial']:.0f}/s, p95 {r['trivial_p95']:.0f} ms; "
        f"ratio registration/trivial {r['ratio']:.2f} (target >= 0.33)\n"
        f"  for comparison: /healthz (two tiny queries, JSON) {r['health']:.0f}/s, "
        f"ratio registration/healthz {r['throughput'] / r['health']:.2f}\n"
        f"  confirmed {r['confirmed']} of capacity {CAPACITY} (overbooked: {r['confirmed'] > CAPACITY}); "
        f"waitlisted {r['waitlisted']}\n"
        f"  targets (p95 < 250 ms, ratio >= 1/3, no errors): {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=["sqlite", "postgres"])
    parser.add_argument("--registrations", type=int, default=1000)
    parser.add_argument("--api", action="store_true", help="register through the REST API")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "3")))
    args = parser.parse_args()
    print(
        f"registration rush: {args.registrations} registrations, {CLIENTS} concurrent clients, "
        f"gunicorn with {args.workers} workers, {os.cpu_count()} CPUs"
        + (", through the REST API" if args.api else ", through the web form")
    )
    base_env = {
        **os.environ,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_LEVEL": "WARNING",
        # Hundreds of families, but one client address here: the per-address limit stays on
        # (its cost is measured) with a ceiling the rush cannot reach.
        "VILLAGE_REGISTRATION_RATE": "1000000/h",
        # One token registers everyone here; the per-token limit stays on, out of reach.
        "VILLAGE_API_RATE": "1000000/m",
    }
    base_env.pop("DATABASE_URL", None)

    if args.only in (None, "postgres"):
        import psycopg
        import redis

        url = os.environ.get(
            "VILLAGE_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/village_events"
        )
        broker = os.environ.get("VILLAGE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
        database = urllib.parse.urlparse(url).path.lstrip("/")
        admin = psycopg.connect(url, dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
        admin.execute(f'CREATE DATABASE "{database}"')
        var = Path(tempfile.mkdtemp(prefix="village-rush-pg-"))
        try:
            env = {
                **base_env,
                "DJANGO_SETTINGS_MODULE": "village.settings.production",
                "DATABASE_URL": url,
                "CELERY_BROKER_URL": broker,
                "VILLAGE_VAR_DIR": str(var),
                "SECRET_KEY": "rush-" + "x" * 60,
                "ALLOWED_HOSTS": "localhost",
                "SECURE_SSL_REDIRECT": "false",
                "VILLAGE_STAFF_OTP_REQUIRED": "true",
                "WHITENOISE_USE_FINDERS": "true",
            }
            manage(env, "collectstatic", "--noinput")
            report(
                bench(
                    "PostgreSQL (production settings, gunicorn, Redis broker)",
                    env,
                    args.registrations,
                    args.workers,
                    api=args.api,
                )
            )
        finally:
            redis.Redis.from_url(broker).flushdb()
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            admin.close()
            shutil.rmtree(var, ignore_errors=True)

    if args.only in (None, "sqlite"):
        var = Path(tempfile.mkdtemp(prefix="village-rush-sqlite-"))
        try:
            env = {
                **base_env,
                "DJANGO_SETTINGS_MODULE": "village.settings.base",
                "VILLAGE_VAR_DIR": str(var),
            }
            report(
                bench(
                    "SQLite (default settings, gunicorn, filesystem broker)",
                    env,
                    args.registrations,
                    args.workers,
                    api=args.api,
                )
            )
        finally:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
