"""Page keys: a page is rendered again only when something its render reads has changed.

A page's key digests the template files its render loads (its ``extends``, ``include`` and
``import`` chain, found in Jinja2's syntax trees by ``theme.template_reads``), the values of
the context variables those templates refer to, as ``render.Renderer.context`` builds them
(``now`` only where a template names it), and theme strings, theme settings, site.yaml and
the rendering code. ``cache.py`` keeps the keys between builds.

Values are walked by the standard JSON encoder: dicts, lists, strings and numbers as they
are, dataclasses by their fields, dates with their zone, sets sorted, pages by their fields
(a page's body and ``contributions`` only where a template reads another page's, the
pages around it only where a template reads ``parent``, ``children``, ``ancestors`` or
``siblings``). Anything else makes the key None: the page is rendered again, which is slower
but never stale. No pickle, no ``repr``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import weakref
from pathlib import Path

from sitegen.cache import FORMAT
from sitegen.fileio import content_digest
from sitegen.model import Page
from sitegen.navigation import SiblingCards
from sitegen.render import template_for
from sitegen.theme import TemplateError
from sitegen.theme import template_reads as theme_reads


class Unstable(Exception):
    """A value the key cannot digest so that equal digests mean equal output: the page misses."""


_UP = frozenset({"parent", "ancestors", "siblings"})   # what reaches a page's ancestors


@dataclasses.dataclass(frozen=True)
class _Chain:
    """One template's part of its pages' keys: its files, the variables and how far it reads."""

    files: str                 # digest of every template the render may load
    names: tuple               # context variables the templates may refer to, sorted
    bodies: frozenset          # of ``html`` and ``body``, those a template reads (of any page)
    others_html: bool          # a template reads another page's ``html`` or ``body`` (``child.html``)
    others_extra: bool         # a template reads another page's ``contributions`` (features' data)
    up: bool                   # a template reads ``parent``, ``ancestors`` or ``siblings`` (of any page)
    down: bool                 # a template reads ``children``
    siblings: bool             # ... ``siblings``, or both ``parent`` and ``children``


class PageKeys:
    """The keys of one build's pages.

    A page's key digests the template files its render loads and the values of the context
    variables those templates refer to, as ``Renderer.context`` builds them. Values are walked
    by the standard JSON encoder; what it cannot write itself comes to ``_value``: dataclasses
    by their fields, dates by their ISO form and zone, sets sorted, pages as ``_page`` says.
    Anything else, and any cycle, is ``Unstable``: the page is rendered again (a miss, never
    a stale page)."""

    def __init__(self, build):
        self.site, self.renderer = build.site, build.renderer
        self.reads_now = False        # some page's templates show the clock
        self._files: dict = {}                  # template name -> theme.TemplateReads of that file
        self._chains: dict[str, _Chain] = {}
        self._flat: dict[tuple, str] = {}       # (id, part) -> digest of a part of a page's own fields
        self._around: dict[tuple, str] = {}     # (kind, id, bodies) -> ancestors' or children's digest
        self._folders: dict[tuple, tuple] = {}  # (id, reading) -> (a folder's cards, their digest)
        self._objects: dict[int, tuple] = {}    # id -> (weak reference, how pages are read or None, digest)
        self._field_names: dict[type, tuple] = {}
        self._pages_met = 0                     # pages met so far (does a dataclass hold any?)
        self._busy: dict[int, int] = {}         # id -> depth of the pages and objects being digested
        self._backs = 0                         # back references made so far (cycles)
        self._chain = _Chain("", (), True, True, True, True, True, True)   # for the salt: pages read in full
        self._inside = 0                        # > 0 while a page's own fields are walked
        self._reading = (True, True, True, False)   # how pages are read now: dataclass digests hold for this
        self._encoder = json.JSONEncoder(default=self._value, separators=(",", ":"), ensure_ascii=False,
                                         check_circular=False)   # cycles: ``_back``, or a RecursionError
        self.salt = site_salt(build, self._encoder.encode)

    def forget(self) -> None:
        """Drop what keying kept (the encoder refers back to this object, so without this the
        digests of every page and value would stay until a full garbage collection: through
        the rendering, in every worker)."""
        self._encoder = None
        for memo in (self._files, self._chains, self._flat, self._around, self._folders, self._objects,
                     self._busy):
            memo.clear()

    def key(self, page: Page) -> str | None:
        """The page's key; None when something it reads cannot be digested stably."""
        name = template_for(page, self.renderer.env)
        if self.salt is None:
            return None
        try:
            chain = self.chain(name)
        except TemplateError:
            return None   # the render reports the broken template
        context = self.renderer.context(page)
        self._chain = chain
        self._reading = (chain.others_html, chain.others_extra, (chain.up, chain.down, chain.siblings), False)
        try:
            values = [[n, self._rendered(page) if context[n] is page else context[n]]
                      for n in chain.names if n in context]
            text = self._encoder.encode([self.salt, name, chain.files, values])
        except (Unstable, ValueError, TypeError, RecursionError):   # ValueError: a list holds itself
            self._busy.clear()
            self._inside = 0
            return None
        return content_digest(text.encode("utf-8", "surrogatepass"))

    def chain_of(self, name: str) -> _Chain | None:
        """The template's chain (None when the template is broken: its pages report it)."""
        try:
            return self.chain(name)
        except TemplateError:
            return None

    def chain(self, name: str) -> _Chain:
        known = self._chains.get(name)
        if known is None:
            reads = theme_reads(self.renderer.env, name, self._files)
            seen = reads.own | reads.other
            files = content_digest("\0".join(f"{n}\0{s}" for n, s in reads.files).encode("utf-8", "surrogatepass"))
            known = self._chains[name] = _Chain(
                files, tuple(sorted(reads.names)), frozenset({"html", "body"} & (reads.own | reads.other)),
                bool({"html", "body"} & reads.other),
                "contributions" in reads.other, bool(_UP & seen), "children" in seen,
                "siblings" in seen or (bool(_UP & seen) and "children" in seen))
            self.reads_now = self.reads_now or "now" in reads.names
        return known

    def _value(self, value):
        """What the JSON encoder writes for a value it does not know (called by the encoder)."""
        names = self._field_names.get(type(value))
        if names is not None:
            return self._dataclass(value, names)
        if isinstance(value, Page):
            return self._page(value)
        if isinstance(value, SiblingCards):
            return ["sibling-cards", self._folder_cards(value.everyone), value.own]
        if isinstance(value, (dt.datetime, dt.time)):
            return [type(value).__name__, value.isoformat(), str(value.tzinfo)]
        if isinstance(value, dt.date):
            return ["date", value.isoformat()]
        if isinstance(value, (dt.tzinfo, dt.timedelta)):
            return [type(value).__name__, str(value)]   # a zone by its name (Europe/Stockholm)
        if isinstance(value, (set, frozenset)):
            return ["set", sorted(self._encoder.encode(v) for v in value)]
        if isinstance(value, Path):
            return ["path", str(value)]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = self._field_names[type(value)] = tuple(f.name for f in dataclasses.fields(value))
            return self._dataclass(value, names)
        raise Unstable(type(value).__name__)

    def _folder_cards(self, everyone: tuple) -> str:
        """A folder's cards, digested once for all its pages (the memo holds the tuple, so its id
        stays its own while the memo lasts)."""
        memo = (id(everyone), self._reading)
        known = self._folders.get(memo)
        if known is None:
            self._folders[memo] = known = (everyone, content_digest(
                self._encoder.encode(list(everyone)).encode("utf-8", "surrogatepass")))
        return known[1]

    def _rendered(self, page: Page) -> list:
        """The page being rendered, as ``page``: all its fields, its body where a template reads it."""
        return ["rendered", self._fields(page, self._chain.bodies, True), *self._around_page(page)]

    def _page(self, page: Page) -> list:
        """Any other page, and the page being rendered met in data: its fields, with its body
        and ``contributions`` only where a template reads those of pages other than ``page``. A page a
        template is given comes with the pages around it when a template reads ``parent``,
        ``children``, ``ancestors`` or ``siblings``: its ancestors, its siblings and its children,
        by their own fields. Pages in the data of pages are read by their own fields."""
        self._pages_met += 1
        if id(page) in self._busy:
            return ["back", self._back(id(page))]
        flat = self._fields(page, self._chain.others_html, self._chain.others_extra)
        return ["page", flat] if self._inside else ["page", flat, *self._around_page(page)]

    def _around_page(self, page: Page) -> list:
        chain, parent = self._chain, page.parent
        return [self._ancestors(parent) if chain.up else "", self._children(parent) if chain.siblings else "",
                self._children(page) if chain.down else ""]

    def _fields(self, page: Page, bodies, extra: bool) -> str:
        """A page's own fields; of ``html`` and ``body`` those in ``bodies`` (True: both), and
        its ``contributions`` or not. Each part is digested once per page."""
        parts = [self._part(page, "core")]
        if extra:
            parts.append(self._part(page, "contributions"))
        for name in ("html", "body"):
            if bodies is True or (bodies and name in bodies):
                parts.append(self._part(page, name))
        return ",".join(parts)

    def _part(self, page: Page, part: str) -> str:
        """A part of a page's own fields, digested from the page (the same wherever the page is
        met first): references back to the page in its data are references to it."""
        reading = (self._chain.others_html, self._chain.others_extra)
        known = self._flat.get((id(page), part, None)) or self._flat.get((id(page), part, reading))
        if known is None:
            pages = self._pages_met
            if part in ("html", "body"):
                known = content_digest(getattr(page, part).encode("utf-8", "surrogatepass"))
            else:
                outside = self._busy, self._reading
                self._busy = {}
                self._reading = self._reading[:3] + (True,)
                self._inside += 1
                self._enter(id(page))
                fields = [page.contributions] if part == "contributions" else [[f, getattr(page, f)] for f in _page_fields()]
                text = self._encoder.encode(fields)
                self._inside -= 1
                self._busy, self._reading = outside
                known = content_digest(text.encode("utf-8", "surrogatepass"))
            self._flat[id(page), part, None if pages == self._pages_met else reading] = known   # None: no page in it
        return known

    def _ancestors(self, page: Page | None) -> str:
        if page is None:
            return ""
        memo = ("up", id(page), self._chain.others_html)
        known = self._around.get(memo)
        if known is None:
            mine = self._fields(page, self._chain.others_html, False)
            known = self._around[memo] = content_digest(f"{mine}{self._ancestors(page.parent)}".encode())
        return known

    def _children(self, page: Page | None) -> str:
        if page is None:
            return ""
        memo = ("down", id(page), self._chain.others_html)
        known = self._around.get(memo)
        if known is None:
            flats = (self._fields(c, self._chain.others_html, False) for c in page.children)
            known = self._around[memo] = content_digest(",".join(flats).encode())
        return known

    def _dataclass(self, value, names: tuple) -> list:
        """As the digest of its fields, wherever it is met: an instance many pages share (the
        site, the menu, the cards of a folder) is walked once. The memo forgets an instance
        when it is gone (a weak reference), so an id met again is surely the same object."""
        ident = id(value)
        known = self._objects.get(ident)
        if known is not None and known[1] in (None, self._reading):
            return ["dataclass", known[2]]
        if ident in self._busy:
            return ["back", self._back(ident)]
        self._enter(ident)
        pages, backs = self._pages_met, self._backs
        fields = [type(value).__qualname__, *[getattr(value, n) for n in names]]
        found = content_digest(self._encoder.encode(fields).encode("utf-8", "surrogatepass"))
        del self._busy[ident]
        if backs == self._backs:   # in no cycle: the same digest wherever it is met first
            reading = None if pages == self._pages_met else self._reading   # None: it holds no page
            try:
                self._objects[ident] = (weakref.ref(value, self._forget(ident)), reading, found)
            except TypeError:   # no weak references to it (__slots__): walked again where met
                pass
        return ["dataclass", found]

    def _forget(self, ident: int):
        return lambda _gone: self._objects.pop(ident, None)

    def _enter(self, ident: int) -> None:
        self._busy[ident] = len(self._busy) + 1

    def _back(self, ident: int) -> int:
        """An object met inside itself (an event page whose data names the page, an event and
        its occurrences): it stands as a reference to the digest being made around it. What
        holds such a reference is digested from where it is met, never kept: a digest kept
        would depend on which object of the cycle was met first."""
        self._backs += 1
        return len(self._busy) + 1 - self._busy[ident]


@functools.cache
def _page_fields() -> tuple:
    """Every field of a page a template can read, whatever fields ``Page`` gains; the pages
    around it are ``PageKeys._page``'s."""
    return tuple(f.name for f in dataclasses.fields(Page) if f.name not in ("parent", "children", "html", "body", "contributions"))


def site_salt(build, encode) -> str | None:
    """What every page's render reads besides its context: theme strings and settings (the
    ``t`` and ``theme`` globals), site.yaml, and the code that renders; None when one of them
    cannot be digested stably (every page is rendered)."""
    from sitegen import images, navigation, render, theme as theme_module
    site, theme = build.site, build.theme
    try:
        text = encode([FORMAT, theme.name, theme.strings, theme.settings, _config_fields(site.config), site.drafts])
    except (Unstable, ValueError, TypeError, RecursionError):
        return None
    code = b"".join(Path(m.__file__).read_bytes() for m in (render, navigation, theme_module, images))
    return content_digest(text.encode("utf-8", "surrogatepass") + code)


def _config_fields(config) -> dict:
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "lines"}
