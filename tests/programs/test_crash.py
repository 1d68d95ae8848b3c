"""Crash test of decision messages: hundreds of decisions queued, a real worker SIGKILLed while
it sends them, a new worker started; every applicant got exactly one decision email, counted at
a real SMTP server on loopback. Reuses the messaging crash test's harness (brokers, the hard
kill); runs on the embedded broker and on Redis, on whichever database the suite uses."""

import time
from collections import Counter

import pytest
from django.conf import settings

from tests.messaging.test_crash import _kill_hard, broker_url, web_enqueues_to  # noqa: F401
from tests.orgs.factories import person_with_role
from tests.programs.factories import ProgramFactory
from tests.services import CeleryWorker, SmtpServer, hand_over_losses, wake_ups_lost
from village.messaging.models import Delivery
from village.orgs.models import Organisation, Person
from village.orgs.roles import Role
from village.orgs.services import organisation_create
from village.programs import services
from village.programs.models import Application

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.workers]

DISTRICTS = 100
PROGRAMS = 6


def decided_everywhere() -> int:
    state = organisation_create(kind="state", name="State", slug="crash-state")
    office = organisation_create(kind="office", name="Office", slug="crash-office", parent=state)
    manager = person_with_role(Role.STATE_STAFF, office)
    districts = Organisation.objects.bulk_create(
        [
            Organisation(kind="district", name=f"District {i}", slug=f"crash-d{i}", parent=state)
            for i in range(DISTRICTS)
        ]
    )
    for district in districts:  # the tree path, as organisation_create writes it
        district.path = f"{state.path}{district.pk:07d}/"
    Organisation.objects.bulk_update(districts, ["path"])
    programs = [ProgramFactory(organisation=office) for _ in range(PROGRAMS)]
    contacts = Person.objects.bulk_create(
        [
            Person(email=f"applicant{p}-{d}@example.org", full_name=f"Applicant {p}-{d}")
            for p in range(PROGRAMS)
            for d in range(DISTRICTS)
        ]
    )
    Application.objects.bulk_create(
        [
            Application(
                program=program,
                organisation=district,
                contact=contacts[p * DISTRICTS + d],
                status=Application.Status.SUBMITTED,
                language=["en", "es", "pt"][d % 3],
            )
            for p, program in enumerate(programs)
            for d, district in enumerate(districts)
        ]
    )
    decided = 0
    for n, application in enumerate(
        Application.objects.select_related("program__organisation", "organisation", "contact")
    ):
        services.application_decide(
            application=application,
            by=manager,
            decision=["accept", "waitlist", "decline"][n % 3],
            reason="Decided before reviews for the crash test",
        )
        decided += 1
    return decided


def test_sigkilled_worker_sends_every_decision_exactly_once(
    broker_url,  # noqa: F811
    web_enqueues_to,  # noqa: F811
    tmp_path,
):
    total = DISTRICTS * PROGRAMS
    # Queued with their wake-ups lost: only the outbox's rows remain, as after a crash of the
    # web process; the worker's start-up sweep finds them.
    with wake_ups_lost():
        assert decided_everywhere() == total
    assert Delivery.objects.filter(source="programs.decision", status="queued").count() == total

    with SmtpServer() as smtp:
        env = {"MESSAGING_LEASE_SECONDS": "5", "MESSAGING_BATCH_SIZE": "20"}
        worker = CeleryWorker(
            broker_url=broker_url,
            var_dir=tmp_path,
            email_url=smtp.url,
            concurrency=2,
            extra_env=env,
        ).start()
        deadline = time.monotonic() + 120
        while len(smtp.sink.messages) < total * 0.3:
            assert time.monotonic() < deadline, worker.log()[-5000:]
            time.sleep(0.02)
        _kill_hard(worker)
        at_kill = len(smtp.sink.messages)
        assert at_kill < total, "the worker finished before it was killed"

        worker = CeleryWorker(
            broker_url=broker_url,
            var_dir=tmp_path,
            email_url=smtp.url,
            concurrency=2,
            extra_env=env,
        ).start()
        try:
            deadline = time.monotonic() + 300
            while Delivery.objects.filter(status__in=["queued", "sending"]).exists():
                assert time.monotonic() < deadline, worker.log()[-5000:]
                web_enqueues_to.send_task("village.messaging.tasks.deliveries_sweep")  # as beat
                time.sleep(2)
            time.sleep(1)
        finally:
            worker.stop()
        received = Counter(rcpt for m in smtp.sink.messages for rcpt in m.rcpt_tos)
        subjects = {m.data.split(b"Subject: ", 1)[1].split(b"\n", 1)[0] for m in smtp.sink.messages}

    expected = {
        f"applicant{p}-{d}@example.org": 1 for p in range(PROGRAMS) for d in range(DISTRICTS)
    }
    # Never twice; lost only inside the hand-over window of the killed worker's processes.
    lost = hand_over_losses(expected, received)
    missing = set(expected) - set(received)
    missing_rows = (
        list(
            Delivery.objects.filter(address__in=missing).values_list(
                "address", "status", "attempts", "error"
            )[:5]
        )
        if missing
        else []
    )
    assert lost <= 2 * settings.MESSAGING_EMAIL_GROUP, (lost, missing_rows)
    assert Counter(Delivery.objects.values_list("status", flat=True)) == {"sent": total}
    assert len(subjects) > 1  # in the applicants' languages
    print(f"killed at {at_kill}/{total} sent")
