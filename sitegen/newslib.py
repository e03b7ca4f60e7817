"""What news, blog and feeds share: order of items, listings split into pages, feed
descriptions and structured data (JSON-LD).

The ``pages`` features (news, blog) decide what is listed and register a ``FeedSpec`` in
``site.feeds``; the ``files`` feature (feeds) only writes them, so a feed
and the page that links it can never disagree.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from sitegen.model import Alternate, FeedSpec, Page, Site, as_datetime
from sitegen.schemas import NEWS_CATEGORIES
from sitegen.slugs import slugify, swedish_sort_key

DEFAULT_FOLDER = "nyheter"
DEFAULT_PAGE_SIZE = 10
DEFAULT_BLOCK_SIZE = 3
DEFAULT_CATEGORY = "nyhet"
# A service disruption without 'expires' leaves the start page and related pages this many
# days after its date (site.yaml: news.disruption_days): a forgotten "Driftstörning" must not
# stay on top of the start page for ever, and two weeks covers a long disruption.
DEFAULT_DISRUPTION_DAYS = 14
CATEGORIES = NEWS_CATEGORIES


@dataclass
class Listing:
    """One page of a paginated list."""

    url: str
    number: int
    count: int                 # how many pages the list has
    items: list[Page]
    pages: list[tuple[int, str]] = field(default_factory=list)   # (number, url) of every page

    @property
    def prev_url(self) -> str:
        return self.pages[self.number - 2][1] if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.pages[self.number][1] if self.number < self.count else ""


def text(strings: dict, key: str, default: str, **values) -> str:
    """A UI string of the theme, with a fallback so a theme without the key still builds."""
    value = str(strings.get(key, default))
    return value.format(**values) if values else value


def category_of(page: Page) -> str:
    return page.meta.get("category", DEFAULT_CATEGORY)


def newest_first(pages: list[Page]) -> list[Page]:
    """Newest date first; the same date in Swedish title order."""
    by_title = sorted(pages, key=lambda p: swedish_sort_key(p.title))
    return sorted(by_title, key=lambda p: as_datetime(p.date) or as_datetime(p.meta.get("publish")),
                  reverse=True)


def listed_of_kind(site: Site, kind: str) -> list[Page]:
    """Pages of a type that belong in lists and feeds (not expired), newest first."""
    return newest_first([p for p in site.listed() if p.kind == kind and p.date is not None])


def paginate(base_url: str, items: list[Page], size: int) -> list[Listing]:
    """Split a list into pages: ``base_url`` first, then ``base_url + 'sida/2/'``, ..."""
    size = max(1, size)
    chunks = [items[i:i + size] for i in range(0, len(items), size)] or [[]]
    urls = [base_url if n == 1 else f"{base_url}sida/{n}/" for n in range(1, len(chunks) + 1)]
    numbered = list(enumerate(urls, start=1))
    return [Listing(url, n, len(chunks), chunk, numbered)
            for (n, url), chunk in zip(numbered, chunks)]


def listing_pages(site: Site, first: Page, url: str, items: list[Page], size: int, title: str, ingress: str,
                  strings: dict, template: str) -> Iterator[tuple[Listing, Page]]:
    """The pages of one paginated list at ``url``, each with its ``Listing``: ``first`` (the
    archive's or blog's own page) where the list starts at its URL, else a page of its own
    ("{title}, sida {n}" after the first); only a list's first page is in the sitemap, and its
    further pages are its children, hidden from navigation."""
    parent = first
    for listing in paginate(url, items, size):
        if listing.url == first.url:
            page = first
        else:
            page_title = title if listing.number == 1 else text(
                strings, "page_title_n", "{title}, sida {n}", title=title, n=listing.number)
            page = Page(url=listing.url, meta={"title": page_title, "ingress": ingress}, template=template,
                        in_sitemap=listing.number == 1)
            page = site.add_page(page, parent=parent)
            hide_from_navigation(page)
        page.template = template
        yield listing, page
        if listing.number == 1:
            parent = page


def tag_groups(pages: list[Page]) -> dict[str, tuple[str, list[Page]]]:
    """Tags by slug: (the spelling used first, pages with it); 'Musik' and 'musik' are one tag."""
    groups: dict[str, tuple[str, list[Page]]] = {}
    for page in pages:
        for tag in dict.fromkeys(page.tags):
            slug = slugify(tag)
            if slug:
                groups.setdefault(slug, (tag, []))[1].append(page)
    return dict(sorted(groups.items(), key=lambda kv: swedish_sort_key(kv[1][0])))


def most_common_folder(pages: list[Page]) -> str | None:
    """The folder URL that holds most of the pages (the shorter one on a tie)."""
    folders = Counter(p.parent.url for p in pages if p.parent is not None)
    if not folders:
        return None
    return sorted(folders.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[0][0]


def feed_alternates(site: Site, spec: FeedSpec) -> list[Alternate]:
    return [
        Alternate("application/rss+xml", f"{spec.title} (RSS)", site.href(spec.rss)),
        Alternate("application/atom+xml", f"{spec.title} (Atom)", site.href(spec.atom)),
    ]


def register_feed(site: Site, spec: FeedSpec) -> None:
    site.feeds.append(spec)


def hide_from_navigation(page: Page) -> None:
    """Generated list pages are reached from their list, not from menus and cards."""
    page.meta.setdefault("menu", False)
    page.in_cards = False
    page.in_menu = False


def json_ld(site: Site, page: Page, kind: str) -> str:
    """schema.org NewsArticle/BlogPosting as JSON that is safe inside a <script> element."""
    published = as_datetime(page.date)
    modified = as_datetime(page.meta.get("updated")) or published
    organization = {"@type": "Organization", "name": site.config.organization or site.config.title}
    data = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": page.title,
        "description": page.ingress,
        "url": site.absolute_url(page),
        "mainEntityOfPage": site.absolute_url(page),
        "inLanguage": site.config.language,
        "datePublished": published.isoformat() if published else None,
        "dateModified": modified.isoformat() if modified else None,
        "author": ({"@type": "Person", "name": page.meta["author"]} if page.meta.get("author")
                   else organization),
        "publisher": organization,
        "keywords": ", ".join(page.tags) or None,
    }
    encoded = json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False, separators=(",", ":"))
    # "<" never appears raw, so neither "</script>" nor "<!--" can end or confuse the element.
    return encoded.replace("<", "\\u003c")
