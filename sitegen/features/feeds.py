"""RSS 2.0 and Atom feeds of what news and blog registered (``site.feeds``).

Every link is absolute, the ingress is the summary, dates carry their time zone, and the
feed's own dates come from its items, so the same content always gives the same file.
"""
from __future__ import annotations

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from sitegen.newslib import FeedSpec, category_of
from sitegen.model import Page, Site, as_datetime

PHASE = "files"
PROVIDES = ("files",)
NEEDS = ("feeds",)
# The newest items a feed holds. Feed readers fetch a feed again and again; the archive pages
# list everything older. (A news archive of thousands of items would otherwise be megabytes.)
FEED_ITEMS = 50


def run(build) -> None:
    site = build.site
    for spec in site.feeds:
        strings = build.theme.strings
        build.files[spec.rss] = make_feed(site, spec, strings, spec.rss).rss_str(pretty=True)
        build.files[spec.atom] = make_feed(site, spec, strings, spec.atom).atom_str(pretty=True)


def _updated(page: Page):
    return as_datetime(page.meta.get("updated")) or as_datetime(page.date)


def make_feed(site: Site, spec: FeedSpec, strings: dict, self_url: str) -> FeedGenerator:
    """The feed whose own address is ``self_url`` (the RSS and the Atom file each name themselves)."""
    config = site.config
    fg = FeedGenerator()
    fg.id(site.absolute_url(spec.link))
    fg.title(spec.title)
    fg.subtitle(spec.description)       # also the RSS <description>
    fg.link(href=site.absolute_url(self_url), rel="self")
    fg.link(href=site.absolute_url(spec.link), rel="alternate")  # the last link is RSS's <link>
    fg.language(config.language)
    fg.author({"name": config.organization or config.title})
    fg.generator("sitegen")
    items = spec.items[:FEED_ITEMS]   # newest first (see newslib.newest_first)
    newest = max((_updated(p) for p in items), default=None) or site.now
    fg.updated(newest)
    fg.lastBuildDate(newest)
    for page in items:
        fg.add_entry(_entry(site, page, strings), order="append")
    return fg


def _entry(site: Site, page: Page, strings: dict) -> FeedEntry:
    entry = FeedEntry()
    url = site.absolute_url(page)
    entry.id(url)
    entry.guid(url, permalink=True)
    entry.title(page.title)
    entry.link(href=url)
    entry.description(page.ingress or page.title, isSummary=True)  # RSS <description>, Atom <summary>
    entry.published(as_datetime(page.date))
    entry.updated(_updated(page))
    if page.kind == "news":
        category = category_of(page)
        entry.category(term=category, label=str(strings.get(f"news_label_{category}", category)))
    for tag in page.tags:
        entry.category(term=tag)
    if page.meta.get("author"):
        entry.author({"name": page.meta["author"]})
    return entry
