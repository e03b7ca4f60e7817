"""The search page (``sok/``) and the site map page (``webbplatskarta/``).

The full-text index itself is written after the site is staged (search_index.py);
this module adds the page that queries it. Search needs JavaScript, so the page
says so without it and links to the site map, which lists every page as plain links.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sitegen.model import Page, sort_pages

PHASE = "pages"
URL = "sok/"
SITEMAP_URL = "webbplatskarta/"


@dataclass
class MapEntry:
    """One page in the site map, with the pages below it."""

    title: str
    href: str
    children: list["MapEntry"] = field(default_factory=list)


def run(build) -> None:
    site = build.site
    strings = build.theme.strings
    sitemap = site.add_page(_utility_page(SITEMAP_URL, strings.get("sitemap_title", "Webbplatskarta"),
                                          strings.get("sitemap_ingress", ""), "sitemap.html"),
                            parent=site.root)
    search = site.add_page(_utility_page(URL, strings.get("search_title", "Sök"),
                                         strings.get("search_ingress", ""), "search.html"),
                           parent=site.root)
    for page in (search, sitemap):
        page.extra.update(hidden_from_cards=True, search_exclude=True)
    search.extra["pagefind_bundle"] = site.href("pagefind/")
    search.extra["sitemap_href"] = site.href(sitemap)
    sitemap.extra["site_map"] = site_map(site)
    links = site.root.extra.setdefault("links", {})
    links["search"] = URL
    links["sitemap"] = SITEMAP_URL


def _utility_page(url: str, title: str, ingress: str, template: str) -> Page:
    return Page(url=url, meta={"title": title, "ingress": ingress, "menu": False}, template=template)


def site_map(site) -> list[MapEntry]:
    """The page tree below the start page, in menu order; expired and hidden pages left out."""
    def entries(pages) -> list[MapEntry]:
        shown = [p for p in sort_pages(pages) if not p.expired and not p.extra.get("search_exclude")
                 and p.in_sitemap]
        return [MapEntry(p.nav_title, site.href(p), entries(p.children)) for p in shown]
    return [MapEntry(site.root.nav_title or site.config.title, site.href(site.root), entries(site.root.children))]
