"""Abuse limits: sizes, and a per-client rate limit that never keeps an IP address.

A client is known only by an HMAC of its address under a random salt that
lives in memory and is replaced every day (``rotate_seconds``). Nothing about
the client is written to the database, and after a rotation yesterday's keys
cannot be linked to anyone, not even by the service itself.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable


# Posts a minute per client: answers and comments together, and missing-page reports on their
# own. A 404 page sends its report by itself as it opens, so an office behind one address
# sends one for every colleague who follows the same broken link; their answers and comments
# must not be refused for that. Sixty a minute still keeps a flood small.
POSTS_PER_MINUTE = 10
MISSING_REPORTS_PER_MINUTE = 60


@dataclass(frozen=True)
class Limits:
    """Largest accepted sizes; a visitor's text longer than these is refused, not cut."""

    body_bytes: int = 16 * 1024
    fields: int = 20
    page: int = 500
    comment: int = 2000
    name: int = 100
    text: int = 4000
    path: int = 500
    referrer: int = 1000


def client_of(address: str) -> str:
    """What one visitor holds of an address: an IPv6 address counts by its /64, since a home,
    office or phone network is given a whole /64 and may pick any address in it (per post, to
    escape the limit); an IPv4 address (also written as IPv6, ``::ffff:…``) as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network((ip, 64), strict=False))


class ClientHasher:
    """Turns a client address into an opaque key; the salt rotates with the period."""

    def __init__(self, rotate_seconds: float = 86400, clock: Callable[[], float] = time.time):
        self.rotate_seconds = rotate_seconds
        self.clock = clock
        self._period: int | None = None
        self._salt = b""
        self._lock = threading.Lock()

    def key(self, address: str) -> str:
        with self._lock:
            period = int(self.clock() // self.rotate_seconds)
            if period != self._period:
                # The old salt is dropped, so old keys cannot be recomputed.
                self._period, self._salt = period, secrets.token_bytes(32)
            salt = self._salt
        return hmac.new(salt, client_of(address).encode("utf-8"), hashlib.sha256).hexdigest()[:32]


class RateLimiter:
    """At most ``limit`` posts per ``window`` seconds per key (a sliding log).

    ``limit`` 0 switches the limit off (the load test uses a high limit instead,
    so the limiter's cost is part of the figures).
    """

    def __init__(self, limit: int = POSTS_PER_MINUTE, window: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000):
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_keys = max_keys
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count a post; None when allowed, else the seconds until the next is allowed."""
        if self.limit <= 0:
            return None
        now = self.clock()
        with self._lock:
            log = self._hits.get(key)
            if log is None:
                if len(self._hits) >= self.max_keys:
                    self._forget_idle(now)
                log = self._hits[key] = deque()
            while log and log[0] <= now - self.window:
                log.popleft()
            if len(log) >= self.limit:
                return max(1.0, log[0] + self.window - now)
            log.append(now)
            return None

    def _forget_idle(self, now: float) -> None:
        """Keep memory bounded under a flood of new clients."""
        idle = [k for k, log in self._hits.items() if not log or log[-1] <= now - self.window]
        for k in idle:
            del self._hits[k]
        if len(self._hits) >= self.max_keys:
            # Still full: drop the oldest half rather than grow without bound.
            oldest = sorted(self._hits, key=lambda k: self._hits[k][-1])
            for k in oldest[: len(oldest) // 2]:
                del self._hits[k]
