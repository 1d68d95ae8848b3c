"""The token and webhook pages on a phone, in English and Arabic: a read-only token, a webhook
registered (its secret shown once), a private address refused; axe finds nothing serious."""

import pytest

from tests.e2e.conftest import staff_sign_in
from tests.e2e.test_home_page import serious_violations
from tests.orgs.factories import DistrictFactory, person_with_role
from village.api.models import ApiToken, WebhookEndpoint
from village.orgs.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def district_staff():
    district = DistrictFactory(name="Lowell Public Schools", slug="lowell")
    return person_with_role(
        Role.DISTRICT_STAFF, district, email="sokha@example.org", full_name="Sokha Chea"
    )


@pytest.mark.parametrize(("code", "direction"), [("en", "ltr"), ("ar", "rtl")])
def test_read_only_token_and_webhook_pages(
    live_server, phone, district_staff, artifacts_dir, code, direction
):
    staff_sign_in(phone, live_server, "sokha@example.org", code)
    phone.goto(f"{live_server.url}/staff/api-tokens/")
    phone.fill("#id_name", "Nightly report")
    phone.check("#id_read_only")
    phone.locator("form.narrow button[type=submit]").click()
    assert phone.locator("code.secret").inner_text().startswith("vlg_")
    assert ApiToken.objects.get(person=district_staff).read_only
    assert serious_violations(phone) == []

    phone.goto(f"{live_server.url}/staff/api-tokens/webhooks/")
    assert phone.locator("html").get_attribute("dir") == direction
    phone.fill("#id_url", "http://10.0.0.8/hook")
    phone.check("input[name=topics][value='registration.created']")
    phone.locator("form.narrow button[type=submit]").click()
    assert not WebhookEndpoint.objects.exists()
    assert phone.locator("#id_url-error").is_visible()
    phone.fill("#id_url", "https://93.184.216.34/hook")
    phone.check("input[name=topics][value='registration.created']")
    phone.locator("form.narrow button[type=submit]").click()
    endpoint = WebhookEndpoint.objects.get()
    assert phone.locator("code.secret").inner_text() == endpoint.secret
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert serious_violations(phone) == []
    phone.screenshot(path=str(artifacts_dir / f"webhooks-{code}.png"), full_page=True)
