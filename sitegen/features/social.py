"""Social media: the latest posts of the accounts in site.yaml as static cards, and embeds.

Feeds (RSS, Atom or JSON Feed) are read from files in the repository (``social_feeds.py``):
``feed:`` in site.yaml, or the cache that ``sitegen social fetch`` keeps for a ``feed_url:``. So a
build never goes online and is the same every time. Post text is reduced to plain text
with nh3 (no markup survives, so no script or event attribute can), images are copied
and resized locally, links go out to the network.

A feed that cannot be read, a hostile post or a missing image is a warning, in ``check``
too (``strict=False``): the build goes on, with the cards it can make.

Embeds: the shortcodes ``::: embed URL`` and ``::: video src="…" title="…"`` (templates
``shortcodes/embed.html`` and ``video.html``); this module finds the network's player for
them (``SHORTCODES``), which is loaded only when the visitor clicks (embed.js).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote, urljoin, urlsplit

from sitegen import addresses, confine, images, sanitize
from sitegen.messages import _
from sitegen.localtime import STOCKHOLM
from sitegen.shortcodes import ShortcodeError
from sitegen.social_feeds import (DEFAULT_LIMIT, MEDIA_DIR, FeedError, FeedItem, as_utc, feed_file, media_name,
                                  parse_feed)

PHASE = "pages"
PROVIDES = ("files", "shortcodes")
TEXT_LENGTH = 280
IMAGE_WIDTH = 640
NETWORKS = {"instagram": "Instagram", "facebook": "Facebook", "youtube": "YouTube", "vimeo": "Vimeo",
            "linkedin": "LinkedIn", "x": "X", "twitter": "X", "mastodon": "Mastodon", "tiktok": "TikTok"}
HOSTILE = re.compile(r"<\s*(script|iframe|object|embed|style)|\son\w+\s*=|javascript:", re.IGNORECASE)


@dataclass
class Post:
    text: str                # plain text; the template escapes it
    link: str
    date: dt.datetime | None = None
    image: str = ""          # site URL of the resized local copy
    image_alt: str = ""


@dataclass
class Account:
    network: str
    label: str               # the network's name as people write it
    name: str
    url: str
    posts: list[Post] = field(default_factory=list)


def _max_pixels() -> str:
    limit = images.max_pixels()
    return _("{count:.0f} million").format(count=limit / 1e6) if limit else _("Pillow's limit")


# --- making posts safe -----------------------------------------------------

def plain_text(raw_html: str) -> str:
    """The text of a post: every tag removed by nh3 (scripts with their content), whitespace tidied."""
    cleaned = sanitize.text_only(raw_html.replace("<br", " <br").replace("</p>", "</p> "))
    text = " ".join(html.unescape(cleaned).split())
    if len(text) <= TEXT_LENGTH:
        return text
    return text[:TEXT_LENGTH].rsplit(" ", 1)[0] + " …"


def safe_link(url: str) -> str:
    return url if urlsplit(url).scheme in ("http", "https") else ""


# --- the feature -----------------------------------------------------------

@dataclass(frozen=True)
class SocialAccounts:
    """What the start page's template gets as ``social``: the accounts and their latest posts."""

    accounts: tuple



def run(build) -> None:
    site = build.site
    accounts = [load_account(build, entry) for entry in site.config.social]
    if accounts:
        site.root.contribute("social", SocialAccounts(tuple(accounts)))


def body_rendered(build, page) -> None:
    """Called by the build for every page's body as it is taken (and by the preview for a saved one)."""
    if " data-player=" in page.html:
        allow_players(page)
    else:
        page.frame_origins = []   # a saved body without players: none left from before


def load_account(build, entry: dict) -> Account:
    network = str(entry.get("network", "")).lower()
    account = Account(network=network, label=NETWORKS.get(network, entry.get("network", "")),
                      name=entry.get("name", ""), url=safe_link(entry.get("url", "")))
    where = (build.config.config_path, build.config.lines.get("social", 1))
    for host in entry.get("image_hosts", []):
        problem = addresses.image_host_problem(host)
        if problem:
            build.problems.error(*where, problem)
    path = feed_file(build.config.content_dir, entry)
    if path is None:
        return account
    if confine.outside(path, build.config.content_dir):
        build.problems.error(*where, _("the feed of {name} is outside the site folder, and it is not read: "
                                       "put the feed file in the site's data/ folder").format(name=account.name))
        return account
    if not path.is_file():
        hint = _("run 'sitegen social fetch'") if entry.get("feed_url") and not entry.get("feed") else _("check 'feed'")
        build.problems.warning(*where, _("feed of {name} not found at {path}: {hint}; the posts are left out").format(
                                           name=account.name, path=path.relative_to(build.config.content_dir).as_posix(), hint=hint), strict=False)
        return account
    try:
        items = parse_feed(path.read_bytes())
    except FeedError as exc:
        build.problems.warning(path, 1, _("{exc}; the posts of {name} are left out").format(
                                            exc=exc, name=account.name), strict=False)
        return account
    limit = entry.get("limit") or DEFAULT_LIMIT
    account.posts = [post for item in items[:limit]
                     if (post := make_post(build, path, item, entry.get("feed_url", ""))) is not None]
    return account


def make_post(build, feed_path: Path, item: FeedItem, feed_url: str = "") -> Post | None:
    if HOSTILE.search(item.html):
        # A warning in check too, never an error: nh3 removes it, and an editor cannot fix someone else's post.
        build.problems.warning(feed_path, 1, _("a post ({value}) has scripts or event attributes; only its text is shown").format(
                                                 value=item.link or _('without link')), strict=False)
    text = plain_text(item.html)
    link = safe_link(item.link)
    if not text and not link:
        return None
    date = as_utc(item.date)
    try:
        date = date.astimezone(STOCKHOLM) if date else None
    except (OverflowError, ValueError):
        date = None
    post = Post(text=text, link=link, date=date, image_alt=plain_text(item.image_alt))
    if item.image:
        # A fetched feed's relative image paths are relative to where it was fetched from.
        src = urljoin(feed_url, item.image) if feed_url else item.image
        post.image = copy_image(build, feed_path, src)
    return post


def copy_image(build, feed_path: Path, src: str) -> str:
    """Resize a post's image into assets/social/; '' (and a warning) when it is missing or broken."""
    content_dir = build.config.content_dir
    if urlsplit(src).scheme in ("http", "https"):
        source = content_dir / MEDIA_DIR / media_name(src)
    elif urlsplit(src).scheme:
        return ""
    else:
        source = feed_path.parent / src
    if confine.outside(source, content_dir):
        # Whether the file exists is not said: the feed comes from outside.
        build.problems.warning(feed_path, 1, _("image '{src}' of a post is outside the site folder, and it is "
                                               "not read; the card is shown without it").format(src=src),
                               strict=False)
        return ""
    if not source.is_file():
        build.problems.warning(feed_path, 1, _("image '{src}' of a post not found; the card is shown without it").format(
                                                 src=src),
                               strict=False)
        return ""
    try:
        data = images.foreign_thumbnail(source, IMAGE_WIDTH)
    except images.TooManyPixels:
        build.problems.warning(feed_path, 1, _("image '{src}' of a post has too many pixels to read safely (more than "
                                               "{max_pixels}); the card is shown without it").format(
                                                 src=src, max_pixels=_max_pixels()), strict=False)
        return ""
    except images.ImageError as exc:
        reason = str(exc)
        build.problems.warning(feed_path, 1, _("image '{src}' of a post cannot be read ({reason}); the card is shown "
                                               "without it").format(
                                                 src=src, reason=reason), strict=False)
        return ""
    name = f"assets/social/{hashlib.sha1(data).hexdigest()[:16]}.jpg"
    build.files[name] = data
    return build.site.href(name)


# --- embeds ----------------------------------------------------------------

def embed_source(url: str) -> tuple[str, str] | None:
    """(network, player URL) for a post URL that can be embedded; None otherwise."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.").removeprefix("m.")
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme != "https":
        return None
    if host == "instagram.com" and len(segments) >= 2 and segments[0] in ("p", "reel"):
        return "instagram", f"https://www.instagram.com/{segments[0]}/{quote(segments[1])}/embed/"
    if host == "youtube.com" and segments[:1] == ["watch"] and parse_qs(parts.query).get("v"):
        return "youtube", f"https://www.youtube-nocookie.com/embed/{quote(parse_qs(parts.query)['v'][0])}"
    if host in ("youtube.com", "youtu.be") and segments:
        video = segments[-1] if host == "youtu.be" or segments[0] == "shorts" else ""
        if video:
            return "youtube", f"https://www.youtube-nocookie.com/embed/{quote(video)}"
    if host == "vimeo.com" and segments and segments[-1].isdigit():
        return "vimeo", f"https://player.vimeo.com/video/{segments[-1]}?dnt=1"
    if host == "facebook.com" and ("posts" in segments or "videos" in segments):
        return "facebook", f"https://www.facebook.com/plugins/post.php?href={quote(url, safe='')}&show_text=true"
    if host in ("x.com", "twitter.com") and len(segments) >= 3 and segments[1] == "status" and segments[2].isdigit():
        # The page X's own embed script puts in its iframe; dnt asks X not to track the visitor.
        return "x", f"https://platform.twitter.com/embed/Tweet.html?id={segments[2]}&dnt=true"
    if host == "tiktok.com" and len(segments) >= 3 and segments[1] == "video" and segments[2].isdigit():
        return "tiktok", f"https://www.tiktok.com/embed/v2/{segments[2]}"
    if len(segments) == 2 and segments[0].startswith("@") and segments[1].isdigit():
        # A Mastodon post (https://instance/@user/123): every instance serves its embed page.
        return "mastodon", f"https://{host}/{quote(segments[0], safe='@')}/{segments[1]}/embed"
    return None


# The player of an embed or video as its template writes it; the allowlist removes data-
# attributes from editors' HTML, so only a shortcode's template can put one in a page.
PLAYER = re.compile(r'\sdata-player="([^"]+)"')


def allow_players(page) -> None:
    """The page's Content-Security-Policy lets in the frames of its players, and no other
    (csp.py). Read from the body's HTML, so a body taken from the cache says it as well."""
    players = (html.unescape(found.group(1)) for found in PLAYER.finditer(page.html))
    page.frame_origins = list(dict.fromkeys(players))   # anew: the body may have been saved again


def prepare_embed(text: str, args: dict) -> dict:
    """``::: embed URL``: the player of one post, for ``shortcodes/embed.html``."""
    url = text or args.get("url", "")
    found = embed_source(url)
    if found is None:
        raise ShortcodeError(_("cannot embed '{url}': give the https address of one post on Instagram, "
                               "Facebook, YouTube, Vimeo, X, TikTok or Mastodon").format(url=url))
    network, player = found
    return {"url": url, "player": player, "network": network, "label": NETWORKS[network]}


def prepare_video(text: str, args: dict) -> dict:
    """``::: video src="…" title="…"``: a film on YouTube or Vimeo, for ``shortcodes/video.html``."""
    url = args.get("src", "")
    if not url:   # often the address written as a box's text: ::: video https://… Rundtur
        written = text.split()[0] if text.strip() else "https://www.youtube.com/watch?v=…"
        raise ShortcodeError(_("the video has no address: write it as src=\"…\", e.g. ::: video src=\"{url}\" "
                               "title=\"…\"").format(url=written))
    if not args.get("title", "").strip():
        raise ShortcodeError(_("the video has no title: write what the film shows as title=\"…\", e.g. "
                               "::: video src=\"{url}\" title=\"Rundtur i forskarsalen\"").format(url=url))
    found = embed_source(url)
    if found is None or found[0] not in ("youtube", "vimeo"):
        raise ShortcodeError(_("cannot show the video '{url}': give the https address of a film on YouTube "
                               "or Vimeo").format(url=url))
    network, player = found
    return {"url": url, "player": player, "network": network, "label": NETWORKS[network]}


# Shortcodes whose template needs this feature's work (shortcodes.py).
SHORTCODES = {"embed": prepare_embed, "video": prepare_video}
