"""What the templates need to find their way: the main menu, breadcrumbs, cards."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from posixpath import dirname, join, normpath

from sitegen import images
from sitegen.model import Page, Site


@dataclass
class Link:
    title: str
    href: str
    current: bool = False
    children: list["Link"] = field(default_factory=list)


@dataclass
class Card:
    title: str
    href: str
    ingress: str
    image: str = ""
    image_alt: str = ""
    date: object = None
    picture: str = ""      # the image as responsive <picture> HTML (images.card_html)


class SiblingCards(Sequence):
    """The cards to a page's siblings: its folder's cards but its own. The folder's cards are
    made once and shared by its pages (a folder of 50 pages costs 50 cards, not 2,500), and a
    page's key digests them once per folder (``pagekeys``). Templates read it as a list."""

    __slots__ = ("everyone", "own")

    def __init__(self, everyone: tuple[Card, ...], own: int | None):
        self.everyone = everyone   # the cards of the folder's pages that get one, in order
        self.own = own             # where the page's own card is among them; None: it has none

    def _cards(self) -> list[Card]:
        if self.own is None:
            return list(self.everyone)
        return [*self.everyone[:self.own], *self.everyone[self.own + 1:]]

    def __len__(self) -> int:
        return len(self.everyone) - (self.own is not None)

    def __getitem__(self, index):
        return self._cards()[index]

    def __iter__(self):
        return iter(self._cards())

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (SiblingCards, list)) else NotImplemented

    def __repr__(self) -> str:
        return f"SiblingCards({self._cards()!r})"


def main_menu(site: Site) -> list[Page]:
    """Top-level pages in the main menu, in sibling order; ``menu: false`` leaves one out."""
    return [p for p in site.root.children if p.meta.get("menu", True) and not p.expired
            and p.in_menu]


def menu_links(site: Site, current: Page) -> list[Link]:
    trail = {id(p) for p in current.ancestors()} | {id(current)}
    links = []
    for page in main_menu(site):
        link = Link(page.nav_title, site.href(page), id(page) in trail)
        if site.config.menu_depth > 1:
            link.children = [Link(c.nav_title, site.href(c), id(c) in trail) for c in page.children
                             if c.meta.get("menu", True) and not c.expired and c.kind == "page"]
        links.append(link)
    return links


class Menu:
    """The main menu worked out once per site; each page gets it with its own trail marked.

    Items off the page's trail are shared between pages (templates only read them), so a
    page costs a copy of one or two items instead of the whole menu.
    """

    def __init__(self, site: Site):
        self.pages = main_menu(site)
        self.shared = menu_links(site, site.root)
        self.site = site
        # Made once and shared by pages (pages are final by now): cards and breadcrumbs by the
        # id of their page, menu items on a trail by (item, the trail's page below it).
        self._cards: dict[int, Card] = {}
        self._crumbs: dict[int, Link] = {}
        self._trails: dict[tuple, Link] = {}
        self._folders: dict[int, tuple[list[Page], tuple[Card, ...]]] = {}   # folder id -> its carded pages, their cards

    def forget(self) -> None:
        """Drop the shared items (after the keys are made: the render workers make their own
        for the pages they render, instead of copying the whole site's from the parent)."""
        self._cards.clear()
        self._crumbs.clear()
        self._trails.clear()
        self._folders.clear()

    def sibling_cards(self, page: Page) -> SiblingCards:
        folder = page.parent
        known = self._folders.get(id(folder))
        if known is None:
            carded = [p for p in folder.children if p.kind == "page" and not p.expired and p.in_cards]
            known = self._folders[id(folder)] = (carded, tuple(self.card(p) for p in carded))
        carded, everyone = known
        own = next((i for i, p in enumerate(carded) if p is page), None)
        return SiblingCards(everyone, own)

    def card(self, page: Page) -> Card:
        known = self._cards.get(id(page))
        if known is None:
            known = self._cards[id(page)] = card(self.site, page)
        return known

    def links_for(self, current: Page) -> list[Link]:
        chain = current.ancestors() + [current]
        if len(chain) < 2:
            return self.shared   # the start page: nothing in the menu is on its trail
        links = list(self.shared)
        below = self.site.href(chain[2]) if len(chain) > 2 else None
        for i, page in enumerate(self.pages):
            if page is chain[1]:
                item = self._trails.get((i, below))
                if item is None:
                    shared = links[i]
                    item = self._trails[i, below] = Link(shared.title, shared.href, True, [
                        Link(c.title, c.href, c.href == below) for c in shared.children])
                links[i] = item
        return links

    def crumb(self, page: Page) -> Link:
        known = self._crumbs.get(id(page))
        if known is None:
            known = self._crumbs[id(page)] = Link(page.nav_title, self.site.href(page))
        return known


def breadcrumbs(site: Site, page: Page, menu: Menu | None = None) -> list[Link]:
    crumb = menu.crumb if menu is not None else lambda p: Link(p.nav_title, site.href(p))
    return [crumb(p) for p in page.ancestors()] + [Link(page.nav_title, site.href(page), True)]


def image_of(site: Site, page: Page) -> str | None:
    """The site-relative path of the page's ``image`` (cards, Open Graph); None without one."""
    image = page.meta.get("image", "")
    if not image or not page.rel:
        return None
    target = normpath(join(dirname(page.rel), image))
    return target if target in site.assets else None


def card(site: Site, page: Page) -> Card:
    alt = page.meta.get("image_alt", "")
    target = image_of(site, page)
    image = site.href(site.assets[target]) if target else ""
    picture = images.card_html(site, target, image, alt) if target else ""
    return Card(page.nav_title, site.href(page), page.ingress, image, alt, page.date, picture)


def cards(site: Site, pages: list[Page], menu: Menu | None = None) -> list[Card]:
    """Cards to ``pages``; with the ``menu``, each page's card is made once and shared."""
    make = menu.card if menu is not None else lambda p: card(site, p)
    return [make(p) for p in pages if not p.expired and p.in_cards]


def sibling_cards(site: Site, page: Page, menu: Menu | None = None) -> list[Card] | SiblingCards:
    """Cards to the pages on the same level; news and events are listed elsewhere."""
    if page.is_root:
        return []
    if menu is not None:
        return menu.sibling_cards(page)
    return cards(site, [p for p in page.siblings() if p.kind == "page"], menu)


def child_cards(site: Site, page: Page, menu: Menu | None = None) -> list[Card]:
    return cards(site, [p for p in page.children if p.kind == "page"], menu)
