"""Which pages the service accepts: those under the URL of a configured site."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.config import find_sites, load_site_config
from sitegen.problems import Problems


@dataclass(frozen=True)
class Site:
    name: str
    origin: str   # https://www.orebro.se
    prefix: str   # /kulturskolan/
    content_dir: Path | None = None
    language: str = "sv"   # of the site's pages, and of the service's answers to them


@dataclass
class SiteIndex:
    sites: list[Site]
    extra_origins: list[str] = field(default_factory=list)  # e.g. local preview

    @property
    def origins(self) -> list[str]:
        return sorted({s.origin for s in self.sites} | set(self.extra_origins))

    def allows_origin(self, origin: str) -> bool:
        return normalise_origin(origin) in self.origins

    def by_name(self, name: str) -> Site | None:
        return next((s for s in self.sites if s.name == name), None)

    def site_for_path(self, path: str, origin: str | None = None) -> Site | None:
        """The site with the longest prefix holding ``path`` (and ``origin``, if given)."""
        candidates = [s for s in self.sites if path.startswith(s.prefix)
                      and (origin is None or origin == s.origin
                           or origin in self.extra_origins)]
        return max(candidates, key=lambda s: len(s.prefix), default=None)

    def resolve(self, value: str, sent_from: str | None = None) -> tuple[Site, str] | None:
        """A page as a full URL or a path -> (site, path), or None when not ours.

        A plain path is looked up on the origin the post came from (``sent_from``,
        the Origin header) when that is a site's origin: ``/om/`` on one host is
        not ``/om/`` on another.
        """
        parts = urlsplit(value)
        if parts.scheme or parts.netloc:
            if parts.scheme not in ("http", "https") or not parts.netloc:
                return None
            origin = normalise_origin(f"{parts.scheme}://{parts.netloc}")
        elif value.startswith("/") and not value.startswith("//"):
            origin = sent_from if sent_from in {s.origin for s in self.sites} else None
        else:
            return None
        path = parts.path
        if not is_clean_path(path):
            return None
        site = self.site_for_path(path, origin)
        return (site, path) if site else None


def normalise_origin(origin: str) -> str:
    parts = urlsplit(origin.strip())
    host = (parts.hostname or "").lower()
    if not parts.scheme or not host:
        return origin.strip().rstrip("/").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    port = parts.port if parts.port and parts.port != default else None
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme.lower()}://{host}" + (f":{port}" if port else "")


def is_clean_path(path: str) -> bool:
    """An absolute URL path without dot segments, empty segments or whitespace.

    Checked as sent and once percent-decoded: a server decodes ``%2e%2e`` (and ``%2f``)
    before it resolves the path, so ``/kulturskolan/%2e%2e/x`` is ``/x``. Every endpoint's
    ``page`` and ``path`` come through here (``SiteIndex.resolve``).
    """
    if not path.startswith("/") or "//" in path:
        return False
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in path):
        return False
    decoded = unquote(path, errors="replace")
    if "//" in decoded or "\\" in decoded:
        return False
    return not any(seg in (".", "..") for seg in decoded.split("/"))


def load_sites(content: Path, names: list[str], problems: Problems) -> list[Site]:
    sites = []
    for folder in find_sites(content, names, problems):
        config = load_site_config(folder, problems)
        if config is not None:
            sites.append(Site(config.name, normalise_origin(config.origin),
                              config.path_prefix, config.content_dir, config.language))
    return sites
