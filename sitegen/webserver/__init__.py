"""Web server rules for a built site: what nginx (``nginx.py``) and Apache (``apache.py``)
are told about it, one file per place in the server's configuration (docs/deploy.md).

``SiteRules`` holds only checked values: host names in their ASCII form, %-decoded paths
that ``addresses`` accepted, origins from ``csp``. Each writer still quotes every value for
its own server's syntax, so no value can end a directive or open a block.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Content-hashed files: their name changes whenever their bytes do, so browsers may keep
# them for a year. Relative to the site's path: images (assets/img/<digest>/), social
# images (assets/social/<digest>.jpg) and Pagefind's index chunks (*.pf_fragment and the like).
HASHED_PATTERN = r"(?:assets/(?:img|social)/|pagefind/.+\.pf_[a-z]+$)"
LONG_CACHE = "public, max-age=31536000, immutable"
# Everything else (pages, feeds, the theme's CSS and JavaScript, whose names stay the same):
# a changed page reaches visitors within five minutes; a reload asks at once.
SHORT_CACHE = "public, max-age=300"
# Files the build also writes as .gz (features/precompress.py); the servers send the .gz to
# browsers that accept gzip.
COMPRESSED_SUFFIXES = ("html", "css", "js", "json", "xml", "svg", "txt", "ics")


@dataclass(frozen=True)
class Redirect:
    path: str       # %-decoded
    target: str     # absolute URL


@dataclass
class SiteRules:
    title: str
    base_url: str
    prefix: str                          # the site's URL path, '/kulturskolan/'
    host: str                            # the site's own host, ASCII
    inside: list[Redirect] = field(default_factory=list)      # 301 under the site's path
    gone_inside: list[str] = field(default_factory=list)      # 410 under the site's path
    outside: list[Redirect] = field(default_factory=list)     # 301 elsewhere on the site's host
    gone_outside: list[str] = field(default_factory=list)     # 410 elsewhere on the site's host
    old_hosts: dict[str, list[Redirect]] = field(default_factory=dict)
    headers: list[tuple[str, str]] = field(default_factory=list)


def security_headers(csp_policy: str, https: bool) -> list[tuple[str, str]]:
    """The headers every response of the site gets (the CSP from csp.py)."""
    headers = [
        ("Content-Security-Policy", csp_policy),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if https:   # without includeSubDomains: other hosts of the domain are not this site's to decide
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers
