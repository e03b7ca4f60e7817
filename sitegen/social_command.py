"""``sitegen social fetch [SITE ...]``: download the feeds of site.yaml's ``feed_url`` into the repository.

Builds only read files, so they stay reproducible and work offline; this command is
the one step that goes online (run it by hand or on a schedule, then commit the cache).
Each feed is saved only when it parses as RSS, Atom or JSON Feed, and atomically, so a
timeout or a broken answer leaves the previous cache as it was (with a warning).
The images of the newest posts are saved beside it under ``data/social/media/``, fetched
only from the feed's own host or the account's ``image_hosts`` in site.yaml. Every request
goes to public addresses only and ends at ``--timeout`` whatever the server does (netfetch.py).
"""
from __future__ import annotations

import socket
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sitegen import addresses, netfetch
from sitegen.fileio import write_atomically
from sitegen.config import find_sites, load_site_config
from sitegen.problems import Problems
from sitegen.social_feeds import (DEFAULT_LIMIT, MEDIA_DIR, FeedError, cache_path, is_json, media_name,
                                  parse_feed)
from sitegen.messages import _

PHASE = "none"   # a command, not a build feature
USER_AGENT = "sitegen-social-fetch/1.0"
MAX_BYTES = 5 * 1024 * 1024


def register(subparsers) -> None:
    social = subparsers.add_parser("social", help=_("social media feeds"))
    commands = social.add_subparsers(dest="social_command", metavar="COMMAND")
    fetch = commands.add_parser("fetch", help=_("download the feeds named by feed_url in site.yaml into "
                                                "content/<site>/data/social/"))
    fetch.add_argument("sites", nargs="*", metavar="SITE")
    fetch.add_argument("--content", type=Path, default=Path("content"))
    fetch.add_argument("--timeout", type=float, default=15.0,
                       help=_("seconds for each request in all, redirects included (default 15)"))
    fetch.set_defaults(func=run_fetch)
    social.set_defaults(func=lambda args: social.print_help() or 2)


def run_fetch(args) -> int:
    problems = Problems()
    fetched = 0
    for site_dir in find_sites(args.content, args.sites, problems):
        config = load_site_config(site_dir, problems)
        if config is None:
            continue
        line = config.lines.get("social", 1)
        for entry in config.social:
            if entry.get("feed_url") and fetch_account(site_dir, entry, args.timeout, problems,
                                                       (config.config_path, line)):
                fetched += 1
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    print(_("{count} feed(s) fetched").format(count=fetched))
    return 1 if problems.errors else 0


def fetch_account(site_dir: Path, entry: dict, timeout: float, problems: Problems, where) -> bool:
    """Fetch one account's feed and images; on any failure warn and keep the cached copy."""
    url = entry["feed_url"]
    if urlsplit(url).scheme not in ("http", "https"):
        problems.error(*where, _("'feed_url' of {name} must be an http(s) address, not '{url}'").format(
                                   name=entry['name'], url=url))
        return False
    try:
        data = download(url, timeout)
        items = parse_feed(data)
    except (OSError, ValueError) as exc:
        problems.warning(*where, _("could not fetch the feed of {name} ({url}): {exc}; the cached feed is "
                                   "kept").format(name=entry['name'], url=url, exc=_reason(exc)))
        return False
    except FeedError as exc:
        problems.warning(*where, _("the feed of {name} ({url}) is {exc}; the cached feed is kept").format(
                                     name=entry['name'], url=url, exc=exc))
        return False
    suffix = ".json" if is_json(data) else ".xml"
    target = site_dir / entry["feed"] if entry.get("feed") else cache_path(site_dir, entry, suffix)
    write_atomically(target, data)
    hosts = image_hosts(url, entry)
    for item in items[:entry.get("limit") or DEFAULT_LIMIT]:
        if item.image:
            fetch_image(site_dir, urljoin(url, item.image), timeout, problems, where, hosts)
    return True


def image_hosts(feed_url: str, entry: dict) -> set[str]:
    """Where a feed's images may come from: the feed's own host and the account's ``image_hosts``
    (an entry that is not a host name, such as ``*``, allows nothing: the build reports it)."""
    return {(urlsplit(feed_url).hostname or "").lower(),
            *(str(h).lower() for h in entry.get("image_hosts", []) if addresses.image_host_problem(h) is None)}


def fetch_image(site_dir: Path, url: str, timeout: float, problems: Problems, where,
                hosts: set[str] | None = None) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        return
    target = site_dir / MEDIA_DIR / media_name(url)
    if target.is_file():
        return  # a post's image does not change; keep what we have
    try:
        write_atomically(target, download(url, timeout, hosts))
    except (OSError, ValueError) as exc:
        problems.warning(*where, _("could not fetch image {url}: {exc}; the card is shown without it").format(
                                     url=url, exc=_reason(exc)))


def download(url: str, timeout: float, hosts: set[str] | None = None) -> bytes:
    """The body at ``url`` within ``timeout`` seconds in all, from a public address (and one of
    ``hosts`` when given)."""
    return netfetch.get(url, timeout=timeout, max_bytes=MAX_BYTES, user_agent=USER_AGENT, hosts=hosts)


def _reason(exc: Exception) -> str:
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return _("timed out")
    return str(exc) or exc.__class__.__name__
