"""Where a webhook may send (server-side request forgery).

A webhook URL is typed by an organizer, and the server then makes requests to it: a URL at
10.0.0.1, 127.0.0.1 or 169.254.169.254 (a cloud's metadata service) would make consult
reach into its own network. So the host is resolved and *every* address it has must be a
public one (not private, loopback, link-local, multicast, reserved or unspecified: Python's
``ip_address(...).is_global``), when the URL is saved and again at each delivery, and the
delivery connects to the address it checked (a name that resolves elsewhere a second time,
DNS rebinding, gains nothing). ``WEBHOOKS_ALLOW_PRIVATE`` (an admin's setting, default off)
lifts the check, for receivers inside one's own network. HTTPS only; ``WEBHOOKS_ALLOW_HTTP``
allows http:// to loopback addresses, for tests and local development.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from consult.problems import Refusal

NOT_HTTPS = _l("Use an https:// address.")
NO_HOST = _l("This is not a web address: write it as https://example.org/hook.")
UNKNOWN_HOST = _l("This host name cannot be found.")
PRIVATE = _l(
    "This address is in a private, local or reserved network, where consult does not send. "
    "An administrator can allow such addresses (WEBHOOKS_ALLOW_PRIVATE)."
)
TOO_LONG = _l("Keep the address to 2000 characters or fewer.")
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``addresses``, each checked, in the resolver's order),
    and the name the server answers to."""

    url: str
    scheme: str
    host: str
    port: int
    addresses: tuple[str, ...]


def check_url(url: str, allow_private: bool, allow_http: bool = False) -> Target:
    """The URL's target once every address of its host is allowed; Refusal (field ``url``)."""
    url = url.strip()
    if len(url) > 2000:
        raise _refusal(TOO_LONG)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise _refusal(NO_HOST) from None
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise _refusal(NO_HOST if not host else NOT_HTTPS)
    if parts.username or parts.password:
        raise _refusal(NO_HOST)
    addresses = resolve(host)
    if parts.scheme == "http" and not (allow_http and all(a.is_loopback for a in addresses)):
        raise _refusal(NOT_HTTPS)
    if not allow_private and not all(public(a) for a in addresses):
        raise _refusal(PRIVATE)
    port = port or (443 if parts.scheme == "https" else 80)
    return Target(url, parts.scheme, host, port, tuple(str(a) for a in addresses))


def public(address: IPAddress) -> bool:
    """A global unicast address; an IPv4 address written as IPv6 is judged as itself."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_global and not address.is_multicast


def resolve(host: str) -> list[IPAddress]:
    """Every address of ``host`` (an address literal is itself); Refusal when there is none."""
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise _refusal(UNKNOWN_HOST) from None
    addresses = []
    for *_, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise _refusal(UNKNOWN_HOST)
    return addresses


def _refusal(message: object) -> Refusal:
    return Refusal.at("url", str(message))
