"""Groups: public join requests (no account, idempotent, rate-limited), approval by the
contact, members as a message audience, meetings as events, minutes, and who may see what."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.groups.factories import GroupFactory
from tests.messaging.helpers import family_at
from tests.orgs.factories import DistrictFactory, SchoolFactory, person_with_role
from village.events.models import Event
from village.groups import services
from village.groups.models import GroupMember, JoinRequest, Meeting
from village.messaging.audience import audience_allowed, audience_members
from village.orgs.models import AuditEvent
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def join(client, group, **fields):
    data = {"full_name": "Carmen Ruiz", "email": "carmen@example.org", "language": "es", **fields}
    return client.post(reverse("groups:detail", args=[group.slug]), data)


def test_a_family_asks_to_join_without_an_account(client):
    group = GroupFactory()
    response = join(client, group)
    assert response.status_code == 200
    request = JoinRequest.objects.get()
    assert (request.full_name, request.email, request.language) == (
        "Carmen Ruiz",
        "carmen@example.org",
        "es",
    )
    assert request.status == "pending"


def test_asking_again_changes_nothing(client):
    group = GroupFactory()
    join(client, group)
    again = join(client, group, email="  CARMEN@example.org ", full_name="Carmen R.")
    assert again.status_code == 200
    assert JoinRequest.objects.count() == 1
    assert "already have your request" in again.content.decode()


def test_bad_join_requests_get_clear_messages(client):
    group = GroupFactory()
    for fields, message in [
        ({"email": "", "mobile": ""}, "Give an email address or a mobile number."),
        ({"email": "not-an-email"}, "This email address does not look right."),
        ({"email": "", "mobile": "12"}, "This mobile number does not look right."),
        ({"full_name": "x" * 201}, "at most 200 characters"),
    ]:
        response = join(client, group, **fields)
        assert response.status_code == 200 and message in response.content.decode()
    assert not JoinRequest.objects.exists()


def test_join_requests_are_rate_limited(client):
    group = GroupFactory()
    for n in range(services.JOIN_REQUESTS_PER_HOUR):
        assert join(client, group, email=f"p{n}@example.org").status_code == 200
    assert join(client, group, email="one-more@example.org").status_code == 429
    assert JoinRequest.objects.count() == services.JOIN_REQUESTS_PER_HOUR


def test_html_in_a_group_name_and_a_request_is_text(client):
    group = GroupFactory(name={"en": "<script>alert(1)</script>Parents"})
    contact = person_with_role(Role.DISTRICT_STAFF, group.organisation)
    join(client, group, full_name="<img src=x onerror=alert(2)>")
    for url in (
        reverse("groups:list"),
        reverse("groups:detail", args=[group.slug]),
        f"/{group.organisation.slug}/",
    ):
        html = client.get(url).content.decode()
        assert (
            "<script>alert(1)" not in html
            and "&lt;script&gt;alert(1)&lt;/script&gt;Parents" in html
        )
    client.force_login(contact)
    html = client.get(reverse("groups:staff_detail", args=[group.pk])).content.decode()
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_the_contact_approves_and_the_family_becomes_a_member_linked_to_the_directory(client):
    school = SchoolFactory()
    group = GroupFactory(organisation=school.parent)
    guardian = family_at(school, language="es")
    email = guardian.contact_points.get().value
    join(client, group, email=email.upper())
    contact = person_with_role(
        Role.SCHOOL_LIAISON, SchoolFactory()
    )  # elsewhere, but the named contact
    group.contact_person = contact
    group.save()
    client.force_login(contact)
    request = JoinRequest.objects.get()
    response = client.post(
        reverse("groups:request_decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    member = GroupMember.objects.get()
    assert member.guardian == guardian and member.language == "es"
    # Approving twice changes nothing.
    client.post(reverse("groups:request_decide", args=[request.pk]), {"decision": "approve"})
    assert GroupMember.objects.count() == 1
    # Asking again once a member: told so, no new request.
    client.logout()
    assert "already a member" in join(client, group, email=email).content.decode()
    assert JoinRequest.objects.count() == 1


def test_another_districts_staff_get_404_on_every_group_page(client):
    group = GroupFactory()
    join(client, group)
    request = JoinRequest.objects.get()
    member = GroupMember.objects.create(
        group=group, full_name="M", email="m@example.org", contact_key="m@example.org"
    )
    outsider = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    client.force_login(outsider)
    assert client.get(reverse("groups:staff_detail", args=[group.pk])).status_code == 404
    assert (
        client.post(
            reverse("groups:request_decide", args=[request.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    assert client.post(reverse("groups:member_remove", args=[member.pk])).status_code == 404
    assert group.slug not in client.get(reverse("groups:staff_list")).content.decode()
    request.refresh_from_db()
    assert request.status == "pending" and GroupMember.objects.get().is_active


def test_viewing_members_is_audited(client):
    group = GroupFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, group.organisation)
    client.force_login(staff)
    assert client.get(reverse("groups:staff_detail", args=[group.pk])).status_code == 200
    assert AuditEvent.objects.filter(actor=staff, verb="view", object_type="groups.group").exists()


def test_members_are_a_message_audience_in_their_language():
    school = SchoolFactory()
    group = GroupFactory(organisation=school.parent)
    in_group = family_at(school, language="ht")
    family_at(school, language="es")  # not a member
    GroupMember.objects.create(
        group=group,
        guardian=in_group,
        full_name="G",
        email="g@example.org",
        contact_key="g@example.org",
        language="ht",
    )
    GroupMember.objects.create(
        group=group, full_name="No directory", email="x@example.org", contact_key="x@example.org"
    )
    audience = {"kind": "group", "group_id": group.pk}
    found = list(
        audience_members(
            audience=audience, channel="email", one_per_household=True, organisation=school.parent
        )
    )
    assert [(m.kind, m.id, m.language) for m in found] == [("guardian", in_group.pk, "ht")]
    sender = person_with_role(Role.DISTRICT_STAFF, school.parent)
    assert audience_allowed(audience=audience, person=sender, organisation=school.parent)
    outsider = person_with_role(Role.DISTRICT_STAFF, DistrictFactory())
    assert not audience_allowed(audience=audience, person=outsider, organisation=school.parent)
    assert not audience_allowed(
        audience={"kind": "group", "group_id": "1 OR 1=1"},
        person=sender,
        organisation=school.parent,
    )


def test_the_compose_page_offers_the_group_audience(client):
    group = GroupFactory()
    client.force_login(person_with_role(Role.DISTRICT_STAFF, group.organisation))
    html = client.get(
        reverse("messaging:compose") + f"?audience_kind=group&audience_group={group.pk}"
    ).content.decode()
    assert 'value="group"' in html and 'name="audience_group"' in html
    assert f'<option value="{group.pk}" selected>' in html


def test_a_meeting_is_an_event_and_its_minutes_are_checked(client, tmp_path, settings):
    settings.VILLAGE_PRIVATE_FILES_DIR = tmp_path
    group = GroupFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, group.organisation)
    client.force_login(staff)
    starts = timezone.now() + timedelta(days=7)
    response = client.post(
        reverse("groups:staff_detail", args=[group.pk]),
        {
            "part": "meeting",
            "language": "en",
            "title": "Monthly meeting",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.event.is_published and meeting.event.organisation == group.organisation
    assert Event.objects.get().sessions.count() == 1
    url = reverse("groups:minutes_upload", args=[meeting.pk])
    client.post(url, {"file": SimpleUploadedFile("minutes.pdf", b"<script>evil()</script>")})
    meeting.refresh_from_db()
    assert not meeting.minutes
    client.post(url, {"file": SimpleUploadedFile("minutes.pdf", PDF)})
    meeting.refresh_from_db()
    assert meeting.minutes and meeting.minutes_type == "application/pdf"
    client.logout()
    minutes = client.get(reverse("groups:minutes", args=[group.slug, meeting.pk]))
    assert minutes.status_code == 200 and minutes["X-Content-Type-Options"] == "nosniff"
    meeting.visibility = Meeting.Visibility.MEMBERS
    meeting.save()
    assert client.get(reverse("groups:minutes", args=[group.slug, meeting.pk])).status_code == 404


def test_members_only_meetings_stay_off_the_public_calendar(client):
    group = GroupFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, group.organisation)
    starts = timezone.now() + timedelta(days=3)
    meeting = services.meeting_create(
        group=group, by=staff, language="en", title="Council session", starts_at=starts,
        ends_at=starts + timedelta(hours=2), visibility=Meeting.Visibility.MEMBERS,
    )  # fmt: skip
    assert not meeting.event.is_published
    assert (
        "Council session"
        not in client.get(reverse("groups:detail", args=[group.slug])).content.decode()
    )
    assert client.get(reverse("events:detail", args=[meeting.event.slug])).status_code == 404


def test_the_contact_is_told_of_a_request_and_the_family_welcomed_once(client):
    from village.messaging.models import Delivery

    school = SchoolFactory()
    contact = person_with_role(Role.DISTRICT_STAFF, school.parent, preferred_language="es")
    group = GroupFactory(
        organisation=school.parent, contact_person=contact, name={"en": "<b>Parents</b>"}
    )
    guardian = family_at(school, language="ht")
    address = guardian.contact_points.get().value
    join(client, group, email=address, full_name="<script>x()</script>Marie", language="ht")
    join(client, group, email=address)  # asked twice: told once
    told = Delivery.objects.get(source="groups")
    assert told.person_id == contact.pk and told.language == "es"
    assert "<script>x()</script>Marie" in told.body and "<b>Parents</b>" in told.subject
    client.force_login(contact)
    request = JoinRequest.objects.get()
    for _ in range(2):
        client.post(reverse("groups:request_decide", args=[request.pk]), {"decision": "approve"})
    welcome = Delivery.objects.filter(source="groups", guardian_id=guardian.pk)
    assert welcome.count() == 1 and welcome.get().language == "ht"
    assert welcome.get().subject.startswith("Byenveni")


def test_a_family_outside_the_directory_is_welcomed_as_the_contact_it_gave(client):
    """A family new to the district (no guardian record yet) still hears back, once, in the
    language it chose, at the address it typed."""
    from village.messaging.models import Delivery, RecipientKind

    group = GroupFactory()
    staff = person_with_role(Role.DISTRICT_STAFF, group.organisation)
    join(client, group, email="new.family@example.org", full_name="Amina", language="so")
    client.force_login(staff)
    request = JoinRequest.objects.get()
    for _ in range(2):
        client.post(reverse("groups:request_decide", args=[request.pk]), {"decision": "approve"})
    welcome = Delivery.objects.get(source="groups", key=f"join-approved-{request.pk}")
    assert welcome.recipient_kind == RecipientKind.CONTACT
    assert (welcome.guardian_id, welcome.registration_id, welcome.person_id) == (None,) * 3
    assert welcome.address == "new.family@example.org" and welcome.language == "so"
