"""The search page (``sok/``) and the site map page (``webbplatskarta/``).

The full-text index itself is written after the site is staged (search_index.py);
this module adds the page that queries it. Search needs JavaScript, so the page
says so without it and links to the site map, which lists every page as plain links.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape

from sitegen.model import Page, sort_pages
from sitegen.slugs import swedish_sort_key

PHASE = "pages"
PROVIDES = ("pages", "links")
NEEDS = ("pages",)   # its site map and index list every page the others add
URL = "sok/"
SITEMAP_URL = "webbplatskarta/"


@dataclass(frozen=True)
class SearchPage:
    """What the search page's template gets as ``search``."""

    pagefind_bundle: str      # where the index is, root-relative
    filters: str              # the filter choices as JSON, for the script
    sitemap_href: str         # the site map, for visitors without JavaScript


@dataclass(frozen=True)
class SiteMap:
    """What the site map page's template gets as ``search``."""

    entries: tuple             # MapEntry, the start page first


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
                            parent=site.root, editable=True)
    search = site.add_page(_utility_page(URL, strings.get("search_title", "Sök"),
                                         strings.get("search_ingress", ""), "search.html"),
                           parent=site.root, editable=True)
    for page in (search, sitemap):
        page.in_cards, page.in_search = False, False
    search.needs_wasm = True
    # The filter choices are known now, so the search page offers them without asking the
    # index: nothing of the index is loaded until a visitor searches.
    search.contribute("search", SearchPage(
        pagefind_bundle=site.href("pagefind/"),
        filters=json.dumps(filter_choices(strings, site.pages), ensure_ascii=False),
        sitemap_href=site.href(sitemap)))
    sitemap.contribute("search", SiteMap(tuple(site_map(site))))
    site.links.search = URL
    site.links.sitemap = SITEMAP_URL


def searchable(page) -> bool:
    """Pages an editor wrote, and generated pages of text a visitor may look for (contact, the
    accessibility statement, school menus: their feature sets ``in_search``); not pages a
    feature fills with lists of other pages (archives, calendars, tag pages)."""
    if page.in_search is not None:
        return page.in_search
    return page.source is not None and not page.template


def page_filters(strings: dict, page) -> dict[str, str]:
    """The search filters of a page: its type, and its top-level section."""
    filters = {strings.get("search_filter_type", "Typ"): strings.get(f"search_type_{page.kind}", page.kind)}
    section = section_of(page)
    if section is not None and section.is_section:   # not a lone page such as the contact page
        filters[strings.get("search_filter_section", "Avsnitt")] = section.nav_title
    return filters


def filter_marks(strings: dict, page) -> str:
    """Empty elements carrying one Pagefind filter each, for the page's index record."""
    return "".join(f'<span hidden data-pagefind-filter="{escape(name)}:{escape(value)}"></span>'
                   for name, value in page_filters(strings, page).items())


def filter_choices(strings: dict, pages) -> dict[str, list[str]]:
    """Every value each filter takes among the searchable pages, in Swedish order."""
    choices: dict[str, set] = {}
    for page in pages:
        if searchable(page):
            for name, value in page_filters(strings, page).items():
                choices.setdefault(name, set()).add(value)
    return {name: sorted(values, key=swedish_sort_key) for name, values in choices.items()}


def section_of(page):
    """The top-level section a page belongs to (itself for a top-level page); None for the start page."""
    chain = page.ancestors()[1:] + [page]
    return chain[0] if not page.is_root else None


def _utility_page(url: str, title: str, ingress: str, template: str) -> Page:
    return Page(url=url, meta={"title": title, "ingress": ingress, "menu": False}, template=template)


def site_map(site) -> list[MapEntry]:
    """The page tree below the start page, in menu order; expired and hidden pages left out."""
    def entries(pages) -> list[MapEntry]:
        shown = [p for p in sort_pages(pages) if not p.expired and p.in_search is not False
                 and p.in_sitemap]
        return [MapEntry(p.nav_title, site.href(p), entries(p.children)) for p in shown]
    return [MapEntry(site.root.nav_title or site.config.title, site.href(site.root), entries(site.root.children))]
