"""Model stage data: a site of pages in a tree. Plain dataclasses, no behaviour beyond lookups."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.config import SiteConfig
from sitegen.features import CORE_VARIABLES, FeatureError, running
from sitegen.localtime import STOCKHOLM
from sitegen.messages import _
from sitegen.slugs import swedish_sort_key


def as_datetime(value) -> dt.datetime | None:
    """A date or date-time as an aware date-time (dates at midnight, Stockholm time)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=STOCKHOLM)


def day_start(now: dt.datetime, days: int = 0) -> dt.datetime:
    """The start of the day ``days`` after the day of ``now``, in the zone of ``now`` (the zone
    in which the build compares dates)."""
    return dt.datetime.combine(now.date() + dt.timedelta(days=days), dt.time(), tzinfo=now.tzinfo)


def next_day_turn(now: dt.datetime, days: int = 1) -> dt.datetime:
    """When output that depends on today's date may turn: an hour before ``day_start(now, days)``,
    since a daylight-saving change before then moves local midnight by up to an hour."""
    return day_start(now, days) - dt.timedelta(hours=1)


def first_after(moments, now: dt.datetime) -> dt.datetime | None:
    """The earliest of ``moments`` (None ignored) later than ``now``; None when there is none."""
    return min((m for m in moments if m is not None and m > now), default=None)


@dataclass(frozen=True)
class Alternate:
    """A ``<link rel="alternate">``: a feed or download of the page (or of every page)."""

    type: str        # media type, e.g. application/rss+xml
    title: str
    href: str        # root-relative


@dataclass(frozen=True)
class PreviewStatus:
    """Why the preview shows a page visitors cannot see yet (tree.py)."""

    kind: str                          # "draft" or "scheduled"
    date: dt.datetime | None = None    # scheduled: when it is published, Swedish time
    timed: bool = False                # scheduled: at a time of day, not at midnight


def is_contribution(value) -> bool:
    """A frozen dataclass instance: what a feature may give its templates."""
    return (dataclasses.is_dataclass(value) and not isinstance(value, type)
            and type(value).__dataclass_params__.frozen)


@dataclass(eq=False)
class Page:
    url: str                          # relative to the site: '' for the start page, 'a/b/' otherwise
    meta: dict                        # validated front matter, cascade applied
    source: Path | None = None        # None for pages a feature generates
    rel: str = ""                     # source path relative to the site folder
    lines: dict = field(default_factory=dict)   # front matter key -> line
    item_lines: dict = field(default_factory=dict)  # list key -> line of each item
    body: str = ""
    body_line: int = 1
    is_section: bool = False
    parent: "Page | None" = None
    children: list["Page"] = field(default_factory=list)
    html: str = ""                    # the rendered Markdown body
    template: str = ""                # set by features for generated pages
    expired: bool = False
    output_path: str = ""             # where the HTML goes; default url + index.html
    in_sitemap: bool = True
    # What features say about a page that core modules read (navigation, search, csp, render):
    in_menu: bool = True              # False: a generated list page, reached from its list
    in_cards: bool = True             # False: left out of sibling and child cards
    in_search: bool | None = None     # None: editors' pages yes, generated pages no (features/search.py)
    own_address: bool = True          # False: served at any missing address (404), no canonical
    alternates: list[Alternate] = field(default_factory=list)   # <link rel="alternate"> of this page
    frame_origins: list[str] = field(default_factory=list)      # players embedded (csp.py frame-src)
    needs_wasm: bool = False          # the page runs the search's WebAssembly (csp.py)
    preview_status: PreviewStatus | None = None   # set by the preview's tree only
    # Data a feature gives its own templates: feature name -> frozen dataclass, in the
    # template context under that name (``news.items``). Set through ``contribute``.
    contributions: dict[str, object] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    @property
    def nav_title(self) -> str:
        return self.meta.get("nav_title") or self.title

    @property
    def ingress(self) -> str:
        return self.meta.get("ingress", "")

    @property
    def kind(self) -> str:
        return self.meta.get("type", "page")

    @property
    def weight(self) -> int | None:
        return self.meta.get("weight")

    @property
    def date(self):
        return self.meta.get("date")

    @property
    def tags(self) -> list[str]:
        return self.meta.get("tags", [])

    @property
    def is_root(self) -> bool:
        return self.parent is None

    @property
    def generated(self) -> bool:
        return self.source is None

    def contribute(self, feature: str, data) -> None:
        """Attach ``data`` (a frozen dataclass) for the templates, as the variable ``feature``.
        A core variable's name, anything else than a frozen dataclass, and (while a feature
        runs) another name than the running feature's are refused."""
        if feature in CORE_VARIABLES or not feature.isidentifier():
            raise FeatureError(_("feature '{name}' cannot give templates a variable of that name: "
                                 "it is a core variable or not a name").format(name=feature))
        if not is_contribution(data):
            raise FeatureError(_("feature '{name}' gave the page '{url}' a {kind}: a feature gives its "
                                 "templates a frozen dataclass (@dataclass(frozen=True))").format(
                name=feature, url=self.url or "/", kind=type(data).__name__))
        owner = running()
        if owner is not None and feature != owner:   # it would replace another feature's data
            raise FeatureError(_("feature '{owner}' gave the page '{url}' data under the name '{name}': a feature "
                                 "gives its templates data under its own name, page.contribute(\"{owner}\", …), "
                                 "read as {owner}.… in the templates").format(
                owner=owner, url=self.url or "/", name=feature))
        self.contributions[feature] = data

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    def line_of_item(self, key: str, index: int) -> int:
        """Line of item ``index`` of a list in the front matter (``related``, ``aliases``)."""
        items = self.item_lines.get(key, [])
        return items[index] if index < len(items) else self.line_of(key)

    def ancestors(self) -> list["Page"]:
        chain = []
        page = self.parent
        while page is not None:
            chain.append(page)
            page = page.parent
        return list(reversed(chain))

    def siblings(self) -> list["Page"]:
        if self.parent is None:
            return []
        return [p for p in self.parent.children if p is not self]

    def file_path(self) -> str:
        return self.output_path or f"{self.url}index.html"


def sort_pages(pages: list[Page]) -> list[Page]:
    """Siblings order: weight first (pages without weight last), then Swedish title order."""
    return sorted(pages, key=lambda p: (p.weight is None, p.weight or 0, swedish_sort_key(p.nav_title)))


@dataclass
class WellKnownLinks:
    """Site-relative URLs of the pages the theme links from header and footer (None when the
    site has none; "" is the start page); each is set by the feature that makes the page."""

    contact: str | None = None
    search: str | None = None
    sitemap: str | None = None
    accessibility: str | None = None
    news: str | None = None
    calendar: str | None = None


@dataclass
class FeedSpec:
    """One feed in two formats: ``<base>rss.xml`` and ``<base>atom.xml``; news and blog
    register theirs in ``Site.feeds``, the ``feeds`` feature writes them."""

    base: str                  # site-relative folder URL, e.g. 'nyheter/kategori/driftstorning/'
    title: str
    description: str
    link: str                  # site-relative URL of the page the feed belongs to
    items: list[Page] = field(default_factory=list)

    @property
    def rss(self) -> str:
        return f"{self.base}rss.xml"

    @property
    def atom(self) -> str:
        return f"{self.base}atom.xml"


@dataclass
class Site:
    config: SiteConfig
    root: Page
    pages: list[Page]                 # every page built, content and generated
    now: dt.datetime
    drafts: bool = False
    assets: dict = field(default_factory=dict)     # asset rel path (str) -> output rel path
    data: dict = field(default_factory=dict)       # data/ files by stem
    by_source: dict = field(default_factory=dict)  # source rel path (str) -> Page
    hidden: set = field(default_factory=set)       # source rel paths left out (drafts, not yet published)
    broken: set = field(default_factory=set)       # source rel paths of pages that failed to load (reported)
    next_change: dt.datetime | None = None         # when a scheduled page is published or a page expires
    clashes: list = field(default_factory=list)    # (editor's page, generated page) at one URL
    image_cache: Path | None = None                # resized images: None for .sitegen-cache/images
    markup: object | None = None                   # the theme's shortcodes and picture (shortcodes.ThemeMarkup)
    links: WellKnownLinks = field(default_factory=WellKnownLinks)   # header and footer links
    alternates: list[Alternate] = field(default_factory=list)       # linked from every page
    feeds: list[FeedSpec] = field(default_factory=list)              # RSS/Atom the feeds feature writes

    def href(self, page_or_url) -> str:
        """Root-relative link, e.g. '/kulturskolan/om/'."""
        url = page_or_url.url if isinstance(page_or_url, Page) else page_or_url
        return self.config.path_prefix + url

    def absolute_url(self, page_or_url) -> str:
        url = page_or_url.url if isinstance(page_or_url, Page) else page_or_url
        return self.config.base_url + url

    def page_at(self, url: str) -> Page | None:
        # An index by URL, kept up to date as pages are appended (features add thousands).
        count, index = self.__dict__.get("_by_url", (0, {}))
        if count > len(self.pages):
            count, index = 0, {}
        for page in self.pages[count:]:
            index.setdefault(page.url, page)   # the first page at a URL wins, as before
        self.__dict__["_by_url"] = (len(self.pages), index)
        page = index.get(url)
        return page if page is not None and page.url == url else None

    def add_page(self, page: Page, parent: Page | None = None, editable: bool = False) -> Page:
        """Features add generated pages here. An editor's page at the same URL gives an
        ``editable`` page (SPEC: news archive, calendar, search, contact...) its title, ingress
        and text; at any other generated page (a year archive, a tag list) it is a clash,
        noted in ``clashes`` for the builder to report, as the editor's text would hide the list."""
        existing = self.page_at(page.url)
        if existing is not None:
            if existing.source is not None and not editable:
                self.clashes.append((existing, page))
            existing.template = page.template or existing.template
            _take_feature_fields(existing, page)
            existing.output_path = page.output_path or existing.output_path   # 404.html
            existing.in_sitemap = existing.in_sitemap and page.in_sitemap
            return existing
        if parent is not None:
            page.parent = parent
            parent.children.append(page)
        self.pages.append(page)
        return page

    def listed(self, pages=None) -> list[Page]:
        """Pages that belong in lists and feeds: not expired."""
        return [p for p in (self.pages if pages is None else pages) if not p.expired]


def _take_feature_fields(existing: Page, page: Page) -> None:
    """An editor's page at a generated page's URL takes what the feature said of its page."""
    existing.in_menu = existing.in_menu and page.in_menu
    existing.in_cards = existing.in_cards and page.in_cards
    existing.in_search = page.in_search if page.in_search is not None else existing.in_search
    existing.own_address = existing.own_address and page.own_address
    existing.alternates.extend(page.alternates)
    existing.frame_origins.extend(f for f in page.frame_origins if f not in existing.frame_origins)
    existing.needs_wasm = existing.needs_wasm or page.needs_wasm
    existing.contributions.update(page.contributions)


def site_now(now: dt.datetime | None) -> dt.datetime:
    """The moment of the build in Swedish time, whatever the machine's zone or the offset
    ``--now`` was written with: "today", this month and this week are Stockholm's (a server
    on UTC would otherwise show yesterday's menu until one or two in the morning)."""
    moment = now if now is not None else dt.datetime.now(dt.timezone.utc)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=STOCKHOLM)
    return moment.astimezone(STOCKHOLM)
