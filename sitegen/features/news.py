"""News: the archive (paginated, filterable by category, year and tag as real pages), the
start page's three news blocks, related news on other pages, and data for each item's page.

The archive lives at the folder that holds the news (``news.folder`` in site.yaml, else the
folder with most news items, else ``nyheter/``). Filter pages have their own URLs so they
work without JavaScript: ``kategori/<category>/``, ``<year>/``, ``tagg/<tag>/``, each
paginated with ``sida/<n>/``. Expired items are in no list and no feed; their pages stay.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sitegen import related
from sitegen.newslib import (CATEGORIES, DEFAULT_BLOCK_SIZE, DEFAULT_DISRUPTION_DAYS, DEFAULT_FOLDER,
                             DEFAULT_PAGE_SIZE,
                             FeedSpec, category_of, feed_alternates, json_ld, listed_of_kind,
                             listing_pages, most_common_folder, newest_first, register_feed,
                             tag_groups, text)
from sitegen.messages import _
from sitegen.model import Page, Site, as_datetime, first_after
from sitegen.slugs import slugify

PHASE = "pages"
PROVIDES = ("pages", "links", "feeds")


@dataclass
class FilterLink:
    label: str
    href: str
    count: int
    current: bool = False


@dataclass
class NewsBlock:
    """One of the start page's blocks: a category's newest items and a link to all of them."""

    category: str
    heading: str
    items: list[Page]
    href: str
    count: int
    more: str
    empty: str


# What news gives the templates, as ``news`` (each with the news related to its page):
@dataclass(frozen=True)
class NewsListing:
    """A page of the archive or of one of its filters."""

    listing: object            # newslib.Listing: the items of this page and the pagination
    filters: dict              # group -> [FilterLink]
    heading: str               # "12 nyheter"
    feed: dict                 # {"rss", "atom"} of the list's feed
    related: tuple = ()


@dataclass(frozen=True)
class NewsStart:
    """The start page's blocks."""

    blocks: tuple              # NewsBlock, one per category
    archive_href: str
    related: tuple = ()


@dataclass(frozen=True)
class NewsItem:
    """A news item's own page."""

    category: str
    category_label: str
    category_href: str
    planned: bool              # a service disruption still to come
    tag_links: tuple           # (tag, href or "")
    json_ld: str
    related: tuple = ()


@dataclass(frozen=True)
class NewsRelated:
    """Any other page that news items name in ``related``."""

    related: tuple


@dataclass
class Archive:
    """What every page of the archive shares."""

    page: Page
    url: str
    items: list[Page]
    page_size: int
    strings: dict
    feeds: dict = field(default_factory=dict)     # category (or "") -> FeedSpec
    filter_groups: dict = field(default_factory=dict)

    def category_url(self, category: str) -> str:
        return f"{self.url}kategori/{category}/"

    def year_url(self, year: int) -> str:
        return f"{self.url}{year}/"

    def tag_url(self, slug: str) -> str:
        return f"{self.url}tagg/{slug}/"


def run(build) -> None:
    site = build.site
    news = newest_first([p for p in site.pages if p.kind == "news" and p.date is not None])
    items = listed_of_kind(site, "news")
    shown = [p for p in items if not _disruption_over(build, p)]
    related_news = related.attach(site, news, {id(p) for p in shown}, build.problems)
    _archive(build, news, items, shown)
    for target, linked in related_news:
        data = target.contributions.get("news")
        target.contribute("news", NewsRelated(tuple(linked)) if data is None
                          else dataclasses.replace(data, related=tuple(linked)))


def _archive(build, news: list[Page], items: list[Page], shown: list[Page]) -> None:
    """The archive, its filters and feeds, the start page's blocks and each item's data."""
    site, strings = build.site, build.theme.strings
    url = archive_url(site, news, build.problems)
    if url is None:
        return
    # A planned disruption moves from planned to going on when its date comes.
    build.changes_at(first_after((as_datetime(p.date) for p in news if category_of(p) == "driftstorning"),
                                 site.now))
    archive = Archive(_archive_page(site, url, strings), url, items,
                      site.config.news.get("page_size", DEFAULT_PAGE_SIZE), strings)
    _register_feeds(site, archive)
    _add_listings(site, archive)
    _start_blocks(site, archive, shown)
    tag_pages = set(tag_groups(items))
    for item in news:
        _item_data(site, archive, item, tag_pages)
    site.links.news = url


def archive_url(site: Site, news: list[Page], problems) -> str | None:
    """Site-relative URL of the archive, or None when the site has no news and no archive page."""
    config = site.config
    folder = config.news.get("folder")
    if folder is not None:
        parts = [slugify(part) for part in folder.strip("/").split("/")]
        if not all(parts):
            problems.error(config.config_path, config.lines.get("news", 1),
                           _("'news.folder' '{folder}' is not a folder name such as nyheter").format(
                               folder=folder))
            return None
        return "".join(f"{part}/" for part in parts)
    found = most_common_folder(news)
    if found is not None:
        return found or f"{DEFAULT_FOLDER}/"  # news at the site's root still get an archive
    default = f"{DEFAULT_FOLDER}/"
    return default if site.page_at(default) is not None else None


def _archive_page(site: Site, url: str, strings: dict) -> Page:
    """The archive's first page; an editor's Markdown there keeps its title, ingress and text."""
    title = text(strings, "news_title", "Nyheter")
    page = Page(url=url, meta={"title": title, "ingress": text(strings, "news_ingress", "Nyheter från {site}.",
                                                                  site=site.config.title)},
                template="archive.html")
    page = site.add_page(page, parent=_parent_for(site, url), editable=True)
    if page.generated:  # a folder without index.md has a stand-in title made from its name
        page.meta["title"] = title
        page.meta.setdefault("ingress", text(strings, "news_ingress", "", site=site.config.title))
    return page


def _parent_for(site: Site, url: str) -> Page:
    parts = url.rstrip("/").split("/")
    for depth in range(len(parts) - 1, 0, -1):
        parent = site.page_at("".join(f"{p}/" for p in parts[:depth]))
        if parent is not None:
            return parent
    return site.root


def _register_feeds(site: Site, archive: Archive) -> None:
    strings, config = archive.strings, site.config
    everything = FeedSpec(archive.url, f"{config.title} – {archive.page.title}",
                          archive.page.ingress or config.description or config.title, archive.url, archive.items)
    archive.feeds[""] = everything
    register_feed(site, everything)
    for category in CATEGORIES:
        name = text(strings, f"news_category_{category}", category)
        spec = FeedSpec(archive.category_url(category), f"{config.title} – {name}",
                        f"{name}: {config.title}", archive.category_url(category),
                        [p for p in archive.items if category_of(p) == category])
        archive.feeds[category] = spec
        register_feed(site, spec)


def _count_text(strings: dict, count: int) -> str:
    if count == 1:
        return text(strings, "news_count_one", "{count} nyhet", count=count)
    return text(strings, "news_count_other", "{count} nyheter", count=count)


def _filter_groups(archive: Archive) -> dict[str, list[tuple[str, str, int]]]:
    """(label, URL, count) of every filter, by group; counted once for all pages of the archive."""
    strings, items = archive.strings, archive.items
    by_category = Counter(category_of(p) for p in items)   # one pass, not one per category and year
    by_year = Counter(as_datetime(p.date).year for p in items)
    categories = [(text(strings, "news_all", "Alla nyheter"), archive.url, len(items))]
    categories += [(text(strings, f"news_category_{c}", c), archive.category_url(c), by_category[c])
                   for c in CATEGORIES]
    return {
        "categories": categories,
        "years": [(str(y), archive.year_url(y), by_year[y]) for y in sorted(by_year, reverse=True)],
        "tags": [(tag, archive.tag_url(slug), len(pages)) for slug, (tag, pages) in tag_groups(items).items()],
    }


def _filters(groups: dict, current_url: str, site: Site) -> dict[str, list[FilterLink]]:
    """The filter links with counts; the one whose list is shown is marked current."""
    return {name: [FilterLink(label, site.href(url), count, url == current_url) for label, url, count in links]
            for name, links in groups.items()}


def _add_listings(site: Site, archive: Archive) -> None:
    strings, items = archive.strings, archive.items
    archive.filter_groups = _filter_groups(archive)
    _add_list(site, archive, archive.url, archive.page.title, archive.page.ingress, items, archive.feeds[""])
    for category in CATEGORIES:
        name = text(strings, f"news_category_{category}", category)
        ingress = text(strings, f"news_ingress_{category}", "{name} från {site}.", name=name,
                       site=site.config.title)
        _add_list(site, archive, archive.category_url(category), name, ingress,
                  [p for p in items if category_of(p) == category], archive.feeds[category])
    by_year: dict[int, list[Page]] = {}
    for item in items:   # in the order of items, as each year's list shows them
        by_year.setdefault(as_datetime(item.date).year, []).append(item)
    for year in sorted(by_year, reverse=True):
        title = text(strings, "news_year_title", "Nyheter {year}", year=year)
        _add_list(site, archive, archive.year_url(year), title,
                  text(strings, "news_year_ingress", "Nyheter från {year}.", year=year),
                  by_year[year], archive.feeds[""])
    for slug, (tag, tagged) in tag_groups(items).items():
        _add_list(site, archive, archive.tag_url(slug), text(strings, "news_tag_title", "Nyheter om {tag}", tag=tag),
                  text(strings, "news_tag_ingress", "Nyheter med taggen {tag}.", tag=tag), tagged,
                  archive.feeds[""])


def _add_list(site: Site, archive: Archive, url: str, title: str, ingress: str, items: list[Page],
              feed: FeedSpec) -> None:
    """A filtered list and its further pages; the first page of the whole archive already exists."""
    for listing, page in listing_pages(site, archive.page, url, items, archive.page_size, title, ingress,
                                       archive.strings, "archive.html"):
        page.contribute("news", NewsListing(
            listing=listing,
            filters=_filters(archive.filter_groups, url, site),
            heading=_count_text(archive.strings, len(items)),
            feed={"rss": site.href(feed.rss), "atom": site.href(feed.atom)},
        ))
        page.alternates.extend(feed_alternates(site, feed))


def _disruption_order(items: list[Page], site: Site) -> list[Page]:
    """Disruptions going on now first (newest first), then planned ones (soonest first)."""
    current = [p for p in items if as_datetime(p.date) <= site.now]
    planned = sorted((p for p in items if as_datetime(p.date) > site.now), key=lambda p: as_datetime(p.date))
    return current + planned


def _disruption_over(build, item: Page) -> bool:
    """Is this a service disruption without ``expires`` whose days on the start page and related
    pages (``news.disruption_days``) have run out? While they have not, the editor is warned that
    it has no end, and the build knows it changes when they run out."""
    if category_of(item) != "driftstorning" or item.meta.get("expires") is not None:
        return False
    site = build.site
    days = site.config.news.get("disruption_days", DEFAULT_DISRUPTION_DAYS)
    ends = as_datetime(item.date) + dt.timedelta(days=days)
    if ends <= site.now:
        return True
    build.changes_at(ends)
    line = item.line_of("category") if "category" in item.lines else 1   # what makes it a disruption
    build.problems.warning(item.source, line, _(
        "this service disruption (driftstorning) has no 'expires': it leaves the start page and related pages "
        "on {day}, {days} days after its date. Give the time it ends, e.g. expires: {example}").format(
        day=ends.date().isoformat(), days=days,
        example=(as_datetime(item.date) + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")), strict=False)
    return False


def _start_blocks(site: Site, archive: Archive, shown: list[Page]) -> None:
    """The three blocks; ``shown``: the listed items that still belong on the start page."""
    strings = archive.strings
    size = site.config.news.get("block_size", DEFAULT_BLOCK_SIZE)
    blocks = []
    for category in CATEGORIES:
        items = [p for p in shown if category_of(p) == category]
        if category == "driftstorning":
            items = _disruption_order(items, site)
        name = text(strings, f"news_category_{category}", category)
        count = sum(1 for p in archive.items if category_of(p) == category)   # what the link leads to
        blocks.append(NewsBlock(
            category, name, items[:size], site.href(archive.category_url(category)), count,
            text(strings, "news_more", "Alla {name} ({count})", name=name.lower(), count=count),
            text(strings, f"news_none_{category}", "Inga {name} just nu.", name=name.lower())))
    site.root.contribute("news", NewsStart(tuple(blocks), site.href(archive.url)))
    site.root.alternates.extend(feed_alternates(site, archive.feeds[""]))


def _item_data(site: Site, archive: Archive, item: Page, tag_pages: set[str]) -> None:
    """What a news item's own page shows besides its text: category, tags as links, JSON-LD."""
    category = category_of(item)
    item.contribute("news", NewsItem(
        category=category,
        category_label=text(archive.strings, f"news_label_{category}", category),
        category_href=site.href(archive.category_url(category)),
        planned=category == "driftstorning" and as_datetime(item.date) > site.now,
        tag_links=tuple((tag, site.href(archive.tag_url(slugify(tag))) if slugify(tag) in tag_pages else "")
                        for tag in item.tags),
        json_ld=json_ld(site, item, "NewsArticle"),
    ))
