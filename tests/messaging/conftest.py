import pytest

from tests.messaging.fake_twilio import FakeTwilio
from tests.orgs.factories import SchoolFactory, person_with_role
from village.orgs.roles import Role


@pytest.fixture
def school():
    return SchoolFactory(name="Lincoln Elementary")


@pytest.fixture
def liaison(school):
    return person_with_role(Role.SCHOOL_LIAISON, school)


@pytest.fixture
def gateway():
    with FakeTwilio() as server:
        yield server


@pytest.fixture
def sms_settings(settings, gateway):
    """Point the SMS provider at the fake Twilio-compatible gateway."""
    settings.SMS_PROVIDER = "twilio"
    settings.TWILIO_ACCOUNT_SID = gateway.account_sid
    settings.TWILIO_AUTH_TOKEN = gateway.auth_token
    settings.TWILIO_FROM_NUMBER = "+16175550100"
    settings.TWILIO_API_BASE = gateway.url
    settings.SITE_URL = "http://testserver"
    return settings


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Send email through Django's SMTP backend to the real SMTP server on loopback."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.VILLAGE_REPLY_DOMAIN = "reply.village.example.org"
    return smtp_server
