"""A liaison builds a saved list with the search-as-you-type picker and sends a message to it."""

import pytest

from tests.e2e.conftest import staff_sign_in
from tests.e2e.test_home_page import serious_violations
from tests.messaging.helpers import family_at
from tests.orgs.factories import SchoolFactory, person_with_role
from village.messaging.models import Delivery, GuardianList
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_liaison_builds_a_saved_list_with_the_picker_and_sends_to_it(live_server, phone):
    school = SchoolFactory(name="Bartlett Community School", slug="bartlett")
    person_with_role(Role.SCHOOL_LIAISON, school, email="ana@example.org", full_name="Ana Pereira")
    amina = family_at(school, given_name="Amina", family_name="Hassan")
    family_at(school, given_name="Amir", family_name="Haddad")
    family_at(school, given_name="Bao", family_name="Nguyen")

    staff_sign_in(phone, live_server, "ana@example.org")

    phone.goto(f"{live_server.url}/staff/messages/lists/")
    phone.fill("#id_name", "Family council")
    phone.locator("main button", has_text="Create the list").click()
    phone.wait_for_url("**/staff/messages/lists/*/")
    assert serious_violations(phone) == []

    # Search as you type: "Ami" finds both Amina and Amir; tick Amina, search again, she stays.
    phone.locator("#picker-q").press_sequentially("Ami")
    phone.locator("#picker-results li", has_text="Amir").wait_for()
    phone.locator("#picker-results label", has_text="Amina").click()
    phone.locator("[data-picker-chosen] li", has_text="Amina").wait_for()
    phone.locator("#picker-q").fill("Bao")
    phone.locator("#picker-results li", has_text="Bao").wait_for()
    assert phone.locator("[data-picker-chosen] li").count() == 1
    assert serious_violations(phone) == []
    phone.locator("button[value=add]").click()
    phone.wait_for_load_state()
    saved = GuardianList.objects.get()
    assert list(saved.members.all()) == [amina]

    phone.goto(f"{live_server.url}/staff/messages/new/")
    phone.locator("input[name=audience_kind][value=list]").check()
    assert phone.locator("#id_grades").is_hidden()
    phone.select_option("#id_guardian_list", label="Family council")
    phone.fill("#id_subject", "Council meeting")
    phone.fill("#id_body", "Dear {guardian_name}, the council meets on Monday.")
    phone.uncheck("input[name=channels][value=sms]")
    assert serious_violations(phone) == []
    phone.locator("main button[data-default-submit]").click()
    phone.wait_for_url("**/staff/messages/*/")
    phone.locator("button", has_text="Send now").click()
    phone.wait_for_load_state()
    assert list(Delivery.objects.values_list("guardian_id", flat=True)) == [amina.pk]
