"""HTTP GET for what comes from outside (``sitegen social fetch``), with three guards:

- only public addresses: a host name is resolved first and every address it gives must be
  public (not private, loopback, link-local, shared, reserved or multicast); the connection
  goes to that checked address, so a second lookup cannot point it elsewhere. The same holds
  for every hop of a redirect.
- only allowed hosts, when the caller names them (a feed's images: the feed's own host and
  site.yaml's ``image_hosts``), for every hop too.
- a deadline for the whole request: a server that trickles a byte every few seconds is cut
  off when the time is up, not after each byte's own timeout.

docs/security.md says why.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from urllib.parse import urljoin, urlsplit

from sitegen.messages import _

# Set only by the test suite, to reach its own server on 127.0.0.1. Nothing in site.yaml or on
# the command line sets it: a site can never make the fetch reach the machine it runs on.
ALLOW_LOOPBACK_FOR_TESTS = False
MAX_REDIRECTS = 5
REDIRECTS = (301, 302, 303, 307, 308)


class Refused(ValueError):
    """An address the fetch will not go to; the message says why."""


class HTTPStatus(OSError):
    def __init__(self, code: int):
        super().__init__(f"HTTP {code}")
        self.code = code


def get(url: str, *, timeout: float, max_bytes: int, user_agent: str, hosts: set[str] | None = None) -> bytes:
    """The body of ``url`` (following redirects); ``hosts``: the only hosts it may come from.

    Raises ``Refused``, ``HTTPStatus``, ``TimeoutError`` (the deadline passed), ``ValueError``
    (larger than ``max_bytes``) or another ``OSError``."""
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            raise Refused(_("'{url}' is not an http(s) address").format(url=url))
        if hosts is not None and not allowed_host(host, hosts):
            raise Refused(_("{host} is not the feed's host nor in 'image_hosts' in site.yaml").format(host=host))
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = public_address(host, port)
        status, location, body = _request(parts, address, port, deadline, max_bytes, user_agent)
        if status in REDIRECTS and location:
            url = urljoin(url, location)
            continue
        if status != 200:
            raise HTTPStatus(status)
        return body
    raise Refused(_("more than {count} redirects").format(count=MAX_REDIRECTS))


def allowed_host(host: str, hosts: set[str]) -> bool:
    """``host`` is listed, or a sub-domain of a listed ``*.example.com``."""
    return host in hosts or any(entry.startswith("*.") and host.endswith(entry[1:]) for entry in hosts)


def public_address(host: str, port: int) -> str:
    """The address to connect to; ``Refused`` when any address of ``host`` is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(_("the name {host} is not found ({reason})").format(host=host, reason=exc.strerror)) from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        if not _public(ipaddress.ip_address(address.split("%")[0])):
            raise Refused(_("{host} is at {address}, which is not a public address").format(
                host=host, address=address))
    return addresses[0]


def _public(ip) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback and ALLOW_LOOPBACK_FOR_TESTS:
        return True
    return ip.is_global and not ip.is_multicast


def _request(parts, address: str, port: int, deadline: float, max_bytes: int, user_agent: str):
    """One GET to ``address``; (status, Location, body). The socket is shut at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("timed out")
    raw = socket.create_connection((address, port), timeout=remaining)
    watchdog = threading.Timer(remaining, _shut, (raw,))
    watchdog.daemon = True
    watchdog.start()
    try:
        if parts.scheme == "https":
            context = ssl.create_default_context()
            connection = http.client.HTTPSConnection(parts.hostname, port, context=context)
            connection.sock = context.wrap_socket(raw, server_hostname=parts.hostname)
        else:
            connection = http.client.HTTPConnection(parts.hostname, port)
            connection.sock = raw
        path = parts.path or "/"
        connection.request("GET", f"{path}?{parts.query}" if parts.query else path,
                           headers={"User-Agent": user_agent, "Accept-Encoding": "identity"})
        response = connection.getresponse()
        body = response.read(max_bytes + 1) if response.status == 200 else b""
        if time.monotonic() >= deadline:
            raise TimeoutError("timed out")
        if len(body) > max_bytes:
            raise ValueError(_("larger than {size} MB").format(size=max_bytes // (1024 * 1024)))
        return response.status, response.getheader("Location"), body
    except (OSError, http.client.HTTPException) as exc:
        if time.monotonic() >= deadline or isinstance(exc, TimeoutError):
            raise TimeoutError("timed out") from None
        if isinstance(exc, http.client.HTTPException):
            raise OSError(str(exc) or exc.__class__.__name__) from None
        raise
    finally:
        watchdog.cancel()
        raw.close()


def _shut(raw: socket.socket) -> None:
    try:
        raw.shutdown(socket.SHUT_RDWR)   # wakes a read that is waiting for the next trickled byte
    except OSError:
        pass
