"""A small Twilio-compatible SMS gateway on loopback, for tests.

Speaks the part of Twilio's REST API Village uses (`POST /2010-04-01/Accounts/{sid}/Messages.json`
with basic auth and form fields To/From/Body/StatusCallback; answers 201 with a Message resource),
keeps every accepted text, and posts status callbacks and inbound texts signed the way Twilio
signs them. A request cut short (fewer bytes than its Content-Length) is dropped, as a real
server drops it.
"""

import base64
import json
import threading
import time
import urllib.request
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

from village.messaging.channels.twilio import twilio_signature


class FakeTwilio:
    def __init__(self, *, account_sid="AC" + "0" * 32, auth_token="fake-auth-token"):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.messages: list[dict] = []
        self.truncated = 0
        # To number -> (HTTP status, Twilio error code) to answer instead of accepting.
        self.refuse: dict[str, tuple[int, int]] = {}
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def counts(self) -> Counter:
        with self.lock:
            return Counter(m["To"] for m in self.messages)

    def wait_for(self, count: int, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    break
            time.sleep(0.05)
        with self.lock:
            return list(self.messages)

    def signed(self, url: str, params: dict) -> str:
        return twilio_signature(self.auth_token, url, params)

    def post(self, url: str, params: dict, *, signature: str | None = None) -> tuple[int, bytes]:
        """POST a webhook to Village as Twilio would (signed), return (status, body)."""
        request = urllib.request.Request(
            url,
            data=urlencode(params).encode(),
            method="POST",
            headers={
                "X-Twilio-Signature": signature or self.signed(url, params),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def status_callback(
        self, message: dict, status: str, error_code: str = ""
    ) -> tuple[int, bytes]:
        params = {
            "MessageSid": message["sid"],
            "MessageStatus": status,
            "To": message["To"],
            "From": message["From"],
            "AccountSid": self.account_sid,
        }
        if error_code:
            params["ErrorCode"] = error_code
        return self.post(message["StatusCallback"], params)

    def inbound_params(self, *, from_number: str, to_number: str, body: str) -> dict:
        return {
            "MessageSid": "SM" + uuid.uuid4().hex,
            "AccountSid": self.account_sid,
            "From": from_number,
            "To": to_number,
            "Body": body,
            "NumMedia": "0",
        }

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _answer(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                if len(raw) < length:
                    with gateway.lock:
                        gateway.truncated += 1
                    self.close_connection = True
                    return
                expected = f"/2010-04-01/Accounts/{gateway.account_sid}/Messages.json"
                if self.path != expected:
                    return self._answer(404, {"code": 20404, "message": "not found"})
                credentials = base64.b64encode(
                    f"{gateway.account_sid}:{gateway.auth_token}".encode()
                ).decode()
                if self.headers.get("Authorization") != f"Basic {credentials}":
                    return self._answer(401, {"code": 20003, "message": "Authenticate"})
                fields = dict(parse_qsl(raw.decode()))
                if not all(fields.get(k) for k in ("To", "From", "Body")):
                    return self._answer(
                        400, {"code": 21604, "message": "A 'To' phone number is required."}
                    )
                refused = gateway.refuse.get(fields["To"])
                if refused:
                    return self._answer(refused[0], {"code": refused[1], "message": "refused"})
                message = {"sid": "SM" + uuid.uuid4().hex, "status": "queued", **fields}
                with gateway.lock:
                    gateway.messages.append(message)
                self._answer(
                    201,
                    {
                        "sid": message["sid"],
                        "status": "queued",
                        "to": fields["To"],
                        "from": fields["From"],
                        "body": fields["Body"],
                    },
                )

        return Handler
