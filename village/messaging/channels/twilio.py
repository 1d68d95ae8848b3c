"""A client for Twilio's Messages REST API and Twilio's webhook signatures.

Protocol (Twilio's documentation): `POST {api_base}/2010-04-01/Accounts/{AccountSid}/Messages.json`
with form fields `To`, `From`, `Body`, `StatusCallback`, HTTP basic auth (account SID, auth
token); the answer is a JSON Message resource with a `sid`. Webhooks carry
`X-Twilio-Signature`: base64 of HMAC-SHA1, keyed with the auth token, over the full URL followed
by every POST parameter name and value, sorted by name.

Works with any Twilio-compatible gateway (`TWILIO_API_BASE`).
"""

import base64
import hashlib
import hmac
import http.client
import json
from collections.abc import Callable, Mapping
from urllib.parse import urlencode, urlsplit

from village.messaging.channels import Bounce, PermanentFailure, TemporaryFailure

# Twilio error codes that mean the number itself is wrong or refuses texts.
BAD_NUMBER_CODES = {21211, 21214, 21217, 21610, 21612, 21614}


def twilio_signature(auth_token: str, url: str, params: Mapping[str, str]) -> str:
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(auth_token.encode(), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_signature_valid(
    auth_token: str, url: str, params: Mapping[str, str], signature: str
) -> bool:
    if not auth_token or not signature:
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, params), signature)


class TwilioClient:
    def __init__(self, *, account_sid: str, auth_token: str, api_base: str, timeout: float = 20):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api = urlsplit(api_base)
        self.timeout = timeout

    def _connection(self) -> http.client.HTTPConnection:
        cls = (
            http.client.HTTPSConnection
            if self.api.scheme == "https"
            else http.client.HTTPConnection
        )
        return cls(self.api.hostname, self.api.port, timeout=self.timeout)

    def message_create(
        self,
        *,
        to: str,
        from_: str,
        body: str,
        status_callback: str = "",
        handover: Callable[[], None] | None = None,
    ) -> dict:
        """Send one text; returns Twilio's Message resource. A new connection per text: an
        answer lost on a reused keep-alive connection would leave the outcome unknown."""
        fields = {"To": to, "From": from_, "Body": body}
        if status_callback:
            fields["StatusCallback"] = status_callback
        payload = urlencode(fields).encode()
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        path = f"{self.api.path.rstrip('/')}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        connection = self._connection()
        try:
            try:
                connection.putrequest("POST", path, skip_accept_encoding=True)
                connection.putheader("Authorization", f"Basic {credentials}")
                connection.putheader("Content-Type", "application/x-www-form-urlencoded")
                connection.putheader("Content-Length", str(len(payload)))
                connection.putheader("Accept", "application/json")
                connection.endheaders()
                connection.send(payload[:-1])
            except OSError as error:
                raise TemporaryFailure(f"SMS gateway unreachable: {error}") from error
            if handover:
                handover()
            try:
                connection.send(payload[-1:])
                response = connection.getresponse()
                raw = response.read()
            except (OSError, http.client.HTTPException) as error:
                raise TemporaryFailure(
                    f"no answer from the SMS gateway: {error}", after_handover=True
                ) from error
        finally:
            connection.close()
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {}
        if response.status in (200, 201):
            return data
        reason = f"HTTP {response.status} {data.get('code', '')} {data.get('message', '')}".strip()
        if response.status == 429 or response.status >= 500:
            raise TemporaryFailure(reason)
        if data.get("code") in BAD_NUMBER_CODES:
            raise Bounce(reason)
        raise PermanentFailure(reason)
