"""Imports run in a real Celery worker; the page shows their progress; the nightly command."""

import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.families import rosters
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from tests.services import CeleryWorker, celery_client
from village.families import services
from village.families.models import Guardian, RosterImport, Student
from village.orgs.roles import Role

USERS = [
    rosters.student("s1", "Amina", "Warsame", "sch-1"),
    rosters.student("s2", "Lan", "Trần", "sch-1"),
    rosters.guardian("g1", "Hodan", "Warsame", ["s1"], sms="617-555-0161", language="so"),
    rosters.guardian("g2", "Thảo", "Trần", ["s2"], email="thao@example.org", language="vi"),
]


def _district():
    district = DistrictFactory(slug="north-district")
    SchoolFactory(parent=district, source_id="sch-1")
    return district


@pytest.mark.django_db(transaction=True)
def test_upload_is_imported_by_a_real_worker(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    district = _district()
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    bundle = rosters.zipped({"users.csv": rosters.users_csv(USERS)})
    started = services.roster_import_start(
        organisation=district,
        parts=[("b.zip", len(bundle), [bundle])],
        full=True,
        by=None,
        queue=False,
    )
    page = client.get(reverse("families:import", args=[started.pk]))
    assert 'hx-trigger="every 2s"' in page.content.decode()  # polls while it waits

    worker = CeleryWorker(
        broker_url="filesystem://",
        var_dir=tmp_path,
        email_url="dummymail://",
        extra_env={"MEDIA_ROOT": str(settings.MEDIA_ROOT)},
    ).start()
    try:
        celery_client(broker_url="filesystem://", var_dir=tmp_path).send_task(
            "village.families.tasks.roster_import_run_task", kwargs={"roster_import_id": started.pk}
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            started.refresh_from_db()
            if started.status not in (RosterImport.Status.QUEUED, RosterImport.Status.RUNNING):
                break
            time.sleep(0.3)
    finally:
        worker.stop()
    assert started.status == RosterImport.Status.DONE, worker.log()[-3000:]
    assert Guardian.objects.get(source_id="g1").contact_points.get().value == "+16175550161"
    fragment = client.get(reverse("families:import", args=[started.pk]), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "hx-trigger" not in text and "Guardians added" in text
    assert not Path(started.stored_path).exists()  # the upload is not kept


@pytest.mark.django_db
def test_progress_fragment_reads_progress_while_running(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    district = _district()
    client.force_login(person_with_role(Role.DISTRICT_STAFF, district))
    started = services.roster_import_start(
        organisation=district,
        parts=[("users.csv", 5, [b"x,y\r\n"])],
        full=False,
        by=None,
        queue=False,
    )
    RosterImport.objects.filter(pk=started.pk).update(status=RosterImport.Status.RUNNING)
    (Path(started.stored_path) / "progress").write_text("40 160")
    with pytest.MonkeyPatch.context():
        fragment = client.get(reverse("families:import", args=[started.pk]), HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert '<progress id="import-bar" max="160" value="40">' in text
    assert "40 of 160 records saved" in text and 'hx-trigger="every 2s"' in text
    client.cookies["village_language"] = "es"
    assert (
        "40 de 160 registros guardados"
        in client.get(
            reverse("families:import", args=[started.pk]), HTTP_HX_REQUEST="true"
        ).content.decode()
    )


@pytest.mark.django_db
def test_nightly_command_imports_and_refuses(tmp_path, settings, capsys):
    settings.MEDIA_ROOT = tmp_path / "media"
    _district()
    users = tmp_path / "users.csv"
    users.write_text(rosters.users_csv(USERS), encoding="utf-8-sig")
    call_command("roster_import", str(users), district="north-district", full=True)
    assert "guardians_created: 2" in capsys.readouterr().out
    assert Student.objects.count() == 2
    call_command("roster_import", str(users), district="north-district", full=True)
    assert "guardians_updated: 0" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_text(rosters.users_csv([rosters.guardian("g9", "Ana", "Silva", [], email="nope")]))
    with pytest.raises(CommandError):
        call_command("roster_import", str(bad), district="north-district", language="pt")
    assert "«nope» não é um endereço de e-mail." in capsys.readouterr().err
    assert Guardian.objects.count() == 2


@pytest.mark.django_db
def test_import_left_by_a_dead_worker_is_queued_again(
    tmp_path, settings, django_capture_on_commit_callbacks
):
    import os
    from datetime import timedelta

    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    district = _district()
    data = rosters.users_csv(USERS).encode()
    started = services.roster_import_start(
        organisation=district,
        parts=[("users.csv", len(data), [data])],
        full=False,
        by=None,
        queue=False,
    )
    # The worker took it, wrote progress once, and was killed: its transaction rolled back.
    RosterImport.objects.filter(pk=started.pk).update(
        status=RosterImport.Status.RUNNING, created_at=timezone.now() - timedelta(hours=1)
    )
    folder = Path(started.stored_path)
    (folder / "progress").write_text("0 4")
    fresh = RosterImport.objects.get(pk=started.pk)
    assert services.roster_imports_requeue_stale() == []  # still alive: progress just written
    old = (timezone.now() - timedelta(minutes=20)).timestamp()
    for path in (folder / "progress", folder):
        os.utime(path, (old, old))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.roster_imports_requeue_stale() == [fresh.pk]
    fresh.refresh_from_db()
    assert fresh.status == RosterImport.Status.DONE
    assert Guardian.objects.count() == 2
