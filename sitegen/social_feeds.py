"""The feeds of social media accounts: where a site keeps them, and what a feed file holds.

Read by the social feature (the cards of a build) and written by ``sitegen social fetch``
(``social_command.py``); the one module that imports feedparser.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.localtime import STOCKHOLM
from sitegen.messages import _
from sitegen.slugs import slugify

DEFAULT_LIMIT = 4                   # posts per account, fetched and shown
CACHE_DIR = "data/social"
MEDIA_DIR = "data/social/media"


class FeedError(Exception):
    """A feed file that is neither an XML feed nor a JSON Feed."""


@dataclass
class FeedItem:
    """One post as read from a feed, before it is made safe for a page."""

    html: str
    link: str
    date: dt.datetime | None = None
    image: str = ""          # URL or path relative to the feed file
    image_alt: str = ""


def parse_feed(data: bytes) -> list[FeedItem]:
    """Items of an RSS/Atom feed or a JSON Feed, newest first; FeedError when it is neither."""
    data = data.removeprefix(b"\xef\xbb\xbf")   # a UTF-8 BOM, as some editors and servers write
    if is_json(data):
        return _parse_json_feed(data)
    import feedparser   # here: most builds read no social feed, and it is slow to import
    parsed = feedparser.parse(data, sanitize_html=False)  # nh3 is the one sanitiser, and it warns
    if parsed.bozo and not parsed.entries or not parsed.get("version") and not parsed.entries:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")() or _("no feed items")
        raise FeedError(_("not an RSS, Atom or JSON feed ({reason})").format(reason=reason))
    items = [_xml_item(entry) for entry in parsed.entries]
    return _newest_first(items)


def _xml_item(entry) -> FeedItem:
    # feedparser files <media:description> (the image's description) under "content" as plain text.
    html_content = [c.get("value", "") for c in entry.get("content", []) if "html" in c.get("type", "")]
    plain_content = [c.get("value", "") for c in entry.get("content", []) if "html" not in c.get("type", "")]
    body = (html_content[0] if html_content else "") or entry.get("summary", "") or entry.get("title", "")
    image, alt = "", ""
    for media in entry.get("media_content", []) + entry.get("media_thumbnail", []):
        if media.get("url") and media.get("medium", "image") == "image":
            image = media["url"]
            break
    if not image:
        for enclosure in entry.get("enclosures", []):
            if enclosure.get("type", "").startswith("image/") and enclosure.get("href"):
                image = enclosure["href"]
                break
    if image and plain_content and plain_content[0] != body:
        alt = plain_content[0]
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        date = dt.datetime(*stamp[:6], tzinfo=dt.timezone.utc) if stamp else None
    except (TypeError, ValueError):
        date = None
    return FeedItem(html=body, link=entry.get("link", ""), date=date, image=image, image_alt=alt)


def _parse_json_feed(data: bytes) -> list[FeedItem]:
    try:
        feed = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FeedError(_("not valid JSON ({exc})").format(exc=exc)) from None
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise FeedError(_("a JSON Feed needs an 'items' list"))
    items = []
    for raw in feed["items"]:
        if not isinstance(raw, dict):
            continue
        body = raw.get("content_html") or html.escape(str(raw.get("content_text") or raw.get("title") or ""))
        date = _json_date(raw.get("date_published"))
        image = raw.get("image") or raw.get("banner_image") or ""
        items.append(FeedItem(html=str(body), link=str(raw.get("url") or ""), date=date,
                              image=str(image) if isinstance(image, str) else ""))
    return _newest_first(items)


def is_json(data: bytes) -> bool:
    """Whether feed bytes look like a JSON Feed (after any UTF-8 BOM) rather than XML."""
    return data.removeprefix(b"\xef\xbb\xbf").lstrip().startswith((b"{", b"["))


def _json_date(value) -> dt.datetime | None:
    """An RFC 3339 ``date_published`` in UTC; a time without offset (or a bare date) is Swedish time."""
    if not isinstance(value, str):
        return None
    try:
        date = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return as_utc(date)


def as_utc(date: dt.datetime | None) -> dt.datetime | None:
    """``date`` as an aware UTC time (naive means Europe/Stockholm); None when out of range."""
    if date is None:
        return None
    try:
        return (date if date.tzinfo else date.replace(tzinfo=STOCKHOLM)).astimezone(dt.timezone.utc)
    except (OverflowError, ValueError):
        return None


def _newest_first(items: list[FeedItem]) -> list[FeedItem]:
    oldest = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    for item in items:
        item.date = as_utc(item.date)   # never mix naive and aware times: they cannot be compared
    return sorted(items, key=lambda item: item.date or oldest, reverse=True)


def cache_path(content_dir: Path, entry: dict, suffix: str = ".xml") -> Path:
    """Where ``sitegen social fetch`` keeps the feed of an account that has ``feed_url``."""
    stem = slugify(f"{entry['network']}-{entry['name']}")
    return content_dir / CACHE_DIR / f"{stem}{suffix}"


def feed_file(content_dir: Path, entry: dict) -> Path | None:
    """The feed file a build reads for an account: ``feed``, else the fetched cache."""
    if entry.get("feed"):
        return content_dir / entry["feed"]
    if entry.get("feed_url"):
        for suffix in (".xml", ".json"):
            if cache_path(content_dir, entry, suffix).is_file():
                return cache_path(content_dir, entry, suffix)
        return cache_path(content_dir, entry)
    return None


def media_name(url: str) -> str:
    """The cached file name of a remote image: a hash of its URL, so fetch and build agree."""
    suffix = Path(urlsplit(url).path).suffix.lower()
    suffix = suffix if suffix in (".jpg", ".jpeg", ".png", ".webp", ".gif") else ".jpg"
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16] + suffix
