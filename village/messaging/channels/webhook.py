"""The webhook channel: one signed JSON POST to a district's URL.

It is here, with email and SMS, because everything that leaves Village leaves through
messaging's channels (one way out: one place to audit outbound traffic and to guard it). The
api app keeps the webhook rows and their outbox (`village.api.webhooks`); this module only
sends, with the same hand-over protocol as the other channels (`handover()` is called when the
receiver has everything but the body's last byte).

Server-side request forgery: a URL is refused when any address its host resolves to is private,
loopback, link-local, multicast, reserved or unspecified (`address_check`), at registration and
again at every send; the request then goes to the checked address itself (no second look-up a
DNS answer could change in between). `VILLAGE_WEBHOOK_ALLOW_LOOPBACK` lets tests use a receiver
on 127.0.0.1; it is off everywhere else.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from village.messaging.channels import Handover, PermanentFailure, TemporaryFailure

TIMEOUT_SECONDS = 10
USER_AGENT = "Village-Webhooks/1"


class UnsafeAddress(ValueError):
    """The URL may not be called: wrong scheme, or an address inside a private network."""


@dataclass
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def _forbidden(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback and getattr(settings, "VILLAGE_WEBHOOK_ALLOW_LOOPBACK", False):
        return False
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def address_check(url: str) -> Target:
    """Where `url` may be called, resolved once; raises UnsafeAddress otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeAddress("not a valid URL") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeAddress("only http and https URLs")
    if parts.username or parts.password:
        raise UnsafeAddress("no credentials in the URL")
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError) as error:
        raise UnsafeAddress("the host name does not resolve") from error
    addresses = {info[4][0] for info in infos}
    if not addresses:
        raise UnsafeAddress("the host name does not resolve")
    for address in addresses:
        if _forbidden(ipaddress.ip_address(address.split("%")[0])):
            raise UnsafeAddress("the host resolves to a private or reserved address")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, sorted(addresses)[0])


class WebhookSession:
    """Sends webhook POSTs; one instance per batch."""

    def send(self, *, url: str, body: bytes, headers: dict[str, str], handover: Handover) -> int:
        """POST `body`; returns the receiver's 2xx status. Raises TemporaryFailure (retry:
        receiver down, 5xx, 429, timeout) or PermanentFailure (unsafe address, 4xx)."""
        try:
            target = address_check(url)
        except UnsafeAddress as error:
            raise PermanentFailure(f"webhook refused: {error}") from error
        connection = _connection(target)
        try:
            try:
                connection.connect()
                connection.putrequest("POST", target.path, skip_host=True)
                connection.putheader("Host", target.host)
                connection.putheader("User-Agent", USER_AGENT)
                connection.putheader("Content-Type", "application/json")
                connection.putheader("Content-Length", str(len(body)))
                for name, value in headers.items():
                    connection.putheader(name, value)
                connection.endheaders(body[:-1])
            except OSError as error:
                raise TemporaryFailure(f"webhook receiver unreachable: {error}") from error
            handover()
            try:
                connection.send(body[-1:])
                response = connection.getresponse()
                response.read(4096)
            except (OSError, http.client.HTTPException) as error:
                raise TemporaryFailure(
                    f"webhook receiver did not answer: {error}", after_handover=True
                ) from error
        finally:
            connection.close()
        if 200 <= response.status < 300:
            return response.status
        if response.status in (408, 425, 429) or response.status >= 500:
            raise TemporaryFailure(f"webhook receiver answered {response.status}")
        raise PermanentFailure(f"webhook receiver answered {response.status}")


def _connection(target: Target) -> http.client.HTTPConnection:
    if target.scheme == "https":
        context = ssl.create_default_context()

        class PinnedHTTPS(http.client.HTTPSConnection):
            def connect(self):
                sock = socket.create_connection((target.address, target.port), TIMEOUT_SECONDS)
                self.sock = context.wrap_socket(sock, server_hostname=target.host)

        return PinnedHTTPS(target.host, target.port, timeout=TIMEOUT_SECONDS, context=context)
    return http.client.HTTPConnection(target.address, target.port, timeout=TIMEOUT_SECONDS)
