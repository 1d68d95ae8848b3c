import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.families.factories import (
    ContactPointFactory,
    GuardianFactory,
    HouseholdFactory,
    StudentFactory,
)
from tests.orgs.factories import SchoolFactory, person_with_role
from village.families import selectors, services
from village.families.models import ContactLog, ContactPoint, Household, HouseholdMerge
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db


def test_family_opens_magic_link_corrects_details_and_opts_out(
    client, django_capture_on_commit_callbacks
):
    school = SchoolFactory()
    household = HouseholdFactory(organisation=school.parent)
    StudentFactory(household=household, school=school)
    guardian = GuardianFactory(household=household, given_name="Hodan", written_language="so")
    email = ContactPointFactory(guardian=guardian, value="hodan@example.org")
    liaison = person_with_role(Role.SCHOOL_LIAISON, school)
    client.force_login(liaison)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("families:guardian_send_link", args=[guardian.pk]))
    assert mail.outbox[0].to == ["hodan@example.org"]
    url = re.search(r"http://\S+/family/link/\S+/", mail.outbox[0].body).group(0)
    assert "Hodan" in mail.outbox[0].body

    client.logout()
    # This browser chose English: the link keeps it (without a choice the page would open in
    # Somali, the language on file).
    client.cookies["village_language"] = "en"
    assert client.get(url).status_code == 302
    page = client.get(reverse("families:family_home"))
    assert page.status_code == 200 and "hodan@example.org" in page.content.decode()
    response = client.post(
        reverse("families:family_home"),
        {
            "written_language": "so",
            "spoken_language": "ar",
            "mobile": "(617) 555-0142",
            "needs_interpreter": "on",
        },
    )
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert (guardian.spoken_language, guardian.needs_interpreter) == ("ar", True)
    mobile = guardian.contact_points.get(channel="mobile")
    assert (mobile.value, mobile.consent_source) == (
        "+16175550142",
        ContactPoint.ConsentSource.FAMILY,
    )
    assert mobile.verified_at is not None

    client.post(reverse("families:family_opt_out", args=[email.pk]), {"action": "opt_out"})
    email.refresh_from_db()
    assert email.opted_out_at is not None
    assert not list(selectors.guardians_reachable(channel="email", organisation_ids=[school.pk]))

    bad = client.post(
        reverse("families:family_home"), {"written_language": "Elvish", "spoken_language": "so"}
    )
    assert (
        bad.status_code == 200 and "Please pick a language from the list." in bad.content.decode()
    )


def test_restricted_guardian_gets_no_link(client):
    guardian = GuardianFactory(no_contact=True)
    with pytest.raises(Exception, match="may not be contacted"):
        services.family_link_create(guardian=guardian, by=None)
    assert client.get(reverse("families:family_link", args=["not-a-token"])).status_code == 404


def test_duplicates_found_and_merged_with_history(client):
    school = SchoolFactory()
    first = HouseholdFactory(organisation=school.parent, name="Tran")
    second = HouseholdFactory(organisation=school.parent, name="Tran (2)")
    StudentFactory(household=first, school=school, given_name="Minh", family_name="Trần")
    StudentFactory(household=second, school=school, given_name="Minh", family_name="Trần")
    g1 = GuardianFactory(household=first)
    g2 = GuardianFactory(household=second)
    ContactPointFactory(guardian=g1, channel="mobile", value="+16175550150")
    ContactPointFactory(guardian=g2, channel="mobile", value="+16175550150")
    staff = person_with_role(Role.SCHOOL_LIAISON, school)
    ContactLog.objects.create(household=second, organisation=school, staff=staff, channel="call")
    client.force_login(staff)

    page = client.get(reverse("families:duplicates")).content.decode()
    merge_url = reverse("families:household_merge", args=[first.pk, second.pk])
    assert merge_url in page and "+16175550150" in page and "Minh Trần" in page
    assert client.get(merge_url).status_code == 200
    assert client.post(merge_url).status_code == 302

    second.refresh_from_db()
    assert second.merged_into == first and not second.is_active
    assert set(first.guardians.all()) == {g1, g2}
    assert first.students.count() == 2 and first.contact_logs.count() == 1
    record = HouseholdMerge.objects.get()
    assert record.snapshot["name"] == "Tran (2)" and record.snapshot["guardians"][0]["id"] == g2.pk
    assert "Tran (2)" in client.get(reverse("families:household", args=[first.pk])).content.decode()
    assert Household.objects.count() == 2
    assert merge_url not in client.get(reverse("families:duplicates")).content.decode()


def test_the_family_page_opens_in_the_language_on_file(client):
    from django.utils import translation

    guardian = GuardianFactory(written_language="pt-br")
    _link, token = services.family_link_create(guardian=guardian, by=None)
    response = client.get(reverse("families:family_link", args=[token]))
    assert response.cookies["village_language"].value == "pt-br"
    translation.activate("en")  # the test client leaves the last request's language active
