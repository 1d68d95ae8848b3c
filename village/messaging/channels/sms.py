"""The SMS channel: a provider interface and the Twilio-compatible provider."""

from django.conf import settings

from village.messaging.channels import Handover, Outgoing, PermanentFailure
from village.messaging.channels.twilio import TwilioClient


class SmsProvider:
    """What the outbox needs from an SMS provider."""

    sender: str

    def send(self, outgoing: Outgoing, handover: Handover) -> str:
        """Send; return the provider's message id."""
        raise NotImplementedError


class TwilioProvider(SmsProvider):
    def __init__(self):
        self.sender = settings.TWILIO_FROM_NUMBER
        self.client = TwilioClient(
            account_sid=settings.TWILIO_ACCOUNT_SID,
            auth_token=settings.TWILIO_AUTH_TOKEN,
            api_base=settings.TWILIO_API_BASE,
        )

    def send(self, outgoing: Outgoing, handover: Handover) -> str:
        resource = self.client.message_create(
            to=outgoing.to,
            from_=self.sender,
            body=outgoing.body,
            status_callback=outgoing.status_callback,
            handover=handover,
        )
        return str(resource.get("sid", ""))[:64]


class NoProvider(SmsProvider):
    sender = "none"

    def send(self, outgoing: Outgoing, handover: Handover) -> str:
        raise PermanentFailure("no SMS provider is configured (SMS_PROVIDER)")


def sms_provider() -> SmsProvider:
    if settings.SMS_PROVIDER == "twilio":
        return TwilioProvider()
    return NoProvider()
