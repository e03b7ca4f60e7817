"""The persistent build cache in ``.sitegen-cache/`` beside the content folder.

Two things are kept per site and output folder, so a rebuild does only what changed:

- Markdown bodies: the HTML of each body, keyed by its text, plus the lookups the body
  made while rendering (linked pages, images, drafts) and the problems it reported. A hit
  is used only when every recorded lookup still gives the same answer on today's site, so
  renaming or deleting a linked page re-renders the pages that link to it.
- Pages: for each page file, a key, and the manifest of the written output (digest, size,
  mtime), so an unchanged page is neither rendered nor written again. The key (``PageKeys``)
  digests what the render reads: the template files it loads (its ``extends``, ``include``
  and ``import`` chain, found in Jinja2's syntax trees), the values of the context variables
  those templates refer to, as ``render.Renderer.context`` builds them (``now`` only where a
  template names it), and theme strings, theme settings, site.yaml and the rendering code.

Values are walked by the standard JSON encoder: dicts, lists, strings and numbers as they
are, dataclasses by their fields, dates with their zone, sets sorted, pages by their fields
(a page's body and ``contributions`` only where a template reads another page's, the
pages around it only where a template reads ``parent``, ``children``, ``ancestors`` or ``siblings``).
Anything else makes the key None: the page is rendered again, which is slower but never
stale. No pickle, no ``repr``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import pickle
import weakref
from pathlib import Path

from sitegen.model import Page, Site
from sitegen.problems import Problem
from sitegen.render import template_for
from sitegen.theme import TemplateError
from sitegen.theme import template_reads as theme_reads

FORMAT = 4   # bump when the layout of the cache or of a key changes
FOLDER = ".sitegen-cache"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def cache_folder(content_root: Path) -> Path:
    return content_root.resolve().parent / FOLDER


@dataclasses.dataclass
class BodyEntry:
    key: str
    html: str
    lookups: tuple        # ((kind, target, answer), ...) recorded while rendering
    problems: tuple       # Problem items the render reported
    later: tuple = ()     # mdlinks.LaterLink: links to pages and files sitegen makes, checked each build


@dataclasses.dataclass
class SiteCache:
    """What one site's last successful build into one output folder left behind."""

    path: Path
    bodies: dict = dataclasses.field(default_factory=dict)     # source rel -> BodyEntry
    page_keys: dict = dataclasses.field(default_factory=dict)  # output file -> page key
    manifest: dict = dataclasses.field(default_factory=dict)   # output file -> output.Written
    front_matter: dict = dataclasses.field(default_factory=dict)  # YAML text -> parsed, pickled

    def save(self) -> None:
        """Written to a temporary file and renamed, so a killed build never leaves half a cache."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump((FORMAT, self.bodies, self.page_keys, self.manifest, self.front_matter), f,
                        pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)


def load_site_cache(content_root: Path, site_name: str, out_dir: Path, enabled: bool) -> SiteCache:
    """The cache for building ``site_name`` into ``out_dir``; empty when disabled or unreadable."""
    where = digest(str(out_dir.resolve()).encode())[:12]
    cache = SiteCache(cache_folder(content_root) / f"{site_name}-{where}.pickle")
    if not enabled or not cache.path.is_file():
        return cache
    try:
        with open(cache.path, "rb") as f:
            version, *parts = pickle.load(f)
    except Exception:  # a damaged or foreign cache is only a slower build
        return cache
    if version == FORMAT:
        cache.bodies, cache.page_keys, cache.manifest, cache.front_matter = parts
    return cache


# --- Markdown bodies ----------------------------------------------------------------------

def body_key(page: Page, salt: str) -> str:
    text = f"{salt}\0{page.rel}\0{page.body_line}\0{page.body}"
    return digest(text.encode("utf-8", "surrogatepass"))


def body_salt(site: Site) -> str:
    """What every body render depends on besides its text: the parser code, the site's path, and
    the language and catalogue of the problems it reports (they are cached with the body)."""
    import markdown_it

    from sitegen import images, markdown, mdlinks, messages, sanitize, shortcodes
    code = b"".join(Path(m.__file__).read_bytes() for m in (markdown, mdlinks, sanitize, images, shortcodes))
    code += messages.CATALOGUE.read_bytes()
    templates = shortcodes.markup_of(site).digest()   # bodies hold the shortcode and picture templates' HTML
    return digest(code + f"{markdown_it.__version__}\0{site.config.path_prefix}\0{os.getcwd()}"
                         f"\0{messages.language()}\0{templates}".encode())


class _Recording:
    """A read-only view of a dict or set of the site that notes each lookup and its answer."""

    def __init__(self, kind: str, real, answer, log: list):
        self._kind, self._real, self._answer, self._log = kind, real, answer, log

    def _note(self, key):
        self._log.append((self._kind, key, self._answer(self._real, key)))

    def get(self, key, default=None):
        self._note(key)
        return self._real.get(key, default)

    def __contains__(self, key):
        self._note(key)
        return key in self._real

    def __getitem__(self, key):
        self._note(key)
        return self._real[key]


def _page_answer(mapping, key):
    page = mapping.get(key)
    return None if page is None else page.url


def _asset_answer(mapping, key, site_dir: Path):
    target = mapping.get(key)
    if target is None:
        return None
    try:
        st = (site_dir / key).stat()
    except OSError:
        return target, None
    return target, st.st_size, st.st_mtime_ns   # a changed image may change its HTML


class RecordingSite:
    """Stands in for the ``Site`` while one body renders: same answers, every lookup noted."""

    def __init__(self, site: Site):
        self._site = site
        self.log: list = []
        site_dir = site.config.content_dir
        self.by_source = _Recording("page", site.by_source, _page_answer, self.log)
        self.assets = _Recording("asset", site.assets, lambda m, k: _asset_answer(m, k, site_dir), self.log)
        self.hidden = _Recording("hidden", site.hidden, lambda s, k: k in s, self.log)

    def __getattr__(self, name):
        return getattr(self._site, name)


def lookups_hold(site: Site, lookups: tuple) -> bool:
    """Do the lookups a cached body made still give the same answers?"""
    site_dir = site.config.content_dir
    for kind, key, answer in lookups:
        if kind == "page":
            now = _page_answer(site.by_source, key)
        elif kind == "asset":
            now = _asset_answer(site.assets, key, site_dir)
        else:
            now = key in site.hidden
        if now != answer:
            return False
    return True


def render_body(renderer_cls, site: Site, page: Page, strict: bool, root: Path | None,
                md=None) -> BodyEntry:
    """Render one body with a recording site and its own problem list (also in workers)."""
    from sitegen.problems import Problems
    recording = RecordingSite(site)
    problems = Problems(strict=strict, root=root)
    renderer = renderer_cls(recording, problems, md)
    html = renderer.render(page)
    lookups = tuple(dict.fromkeys(recording.log))  # keep order, drop repeats
    return BodyEntry("", html, lookups, tuple(problems.items), tuple(renderer.later))


# --- page keys ------------------------------------------------------------------------------

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
        self._objects: dict[int, tuple] = {}    # id -> (weak reference, how pages are read or None, digest)
        self._field_names: dict[type, tuple] = {}
        self._pages_met = 0                     # pages met so far (does a dataclass hold any?)
        self._busy: dict[int, int] = {}         # id -> depth of the pages and objects being digested
        self._cut = _NONE                       # depth of the outermost object a back reference named
        self._chain = _Chain("", (), True, True, True, True, True, True)   # for the salt: pages read in full
        self._inside = 0                        # > 0 while a page's own fields are walked
        self._reading = (True, True, True, False)   # how pages are read now: dataclass digests hold for this
        self._encoder = json.JSONEncoder(default=self._value, separators=(",", ":"), ensure_ascii=False,
                                         check_circular=False)   # cycles: ``_back``, or a RecursionError
        self.salt = site_salt(build, self._encoder.encode)

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
            self._cut = _NONE
            self._inside = 0
            return None
        return digest(text.encode("utf-8", "surrogatepass"))

    def chain(self, name: str) -> _Chain:
        known = self._chains.get(name)
        if known is None:
            reads = theme_reads(self.renderer.env, name, self._files)
            seen = reads.own | reads.other
            files = digest("\0".join(f"{n}\0{s}" for n, s in reads.files).encode("utf-8", "surrogatepass"))
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
                known = digest(getattr(page, part).encode("utf-8", "surrogatepass"))
            else:
                outside = self._busy, self._cut, self._reading
                self._busy, self._cut = {}, _NONE
                self._reading = self._reading[:3] + (True,)
                self._inside += 1
                self._enter(id(page))
                fields = [page.contributions] if part == "contributions" else [[f, getattr(page, f)] for f in _page_fields()]
                text = self._encoder.encode(fields)
                self._inside -= 1
                self._busy, self._cut, self._reading = outside
                known = digest(text.encode("utf-8", "surrogatepass"))
            self._flat[id(page), part, None if pages == self._pages_met else reading] = known   # None: no page in it
        return known

    def _ancestors(self, page: Page | None) -> str:
        if page is None:
            return ""
        memo = ("up", id(page), self._chain.others_html)
        known = self._around.get(memo)
        if known is None:
            mine = self._fields(page, self._chain.others_html, False)
            known = self._around[memo] = digest(f"{mine}{self._ancestors(page.parent)}".encode())
        return known

    def _children(self, page: Page | None) -> str:
        if page is None:
            return ""
        memo = ("down", id(page), self._chain.others_html)
        known = self._around.get(memo)
        if known is None:
            flats = (self._fields(c, self._chain.others_html, False) for c in page.children)
            known = self._around[memo] = digest(",".join(flats).encode())
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
        depth = self._enter(ident)
        pages = self._pages_met
        fields = [type(value).__qualname__, *[getattr(value, n) for n in names]]
        found = digest(self._encoder.encode(fields).encode("utf-8", "surrogatepass"))
        if self._leave(ident, depth):
            reading = None if pages == self._pages_met else self._reading   # None: it holds no page
            try:
                self._objects[ident] = (weakref.ref(value, self._forget(ident)), reading, found)
            except TypeError:   # no weak references to it (__slots__): walked again where met
                pass
        return ["dataclass", found]

    def _forget(self, ident: int):
        return lambda _gone: self._objects.pop(ident, None)

    def _enter(self, ident: int) -> int:
        depth = self._busy[ident] = len(self._busy) + 1
        return depth

    def _back(self, ident: int) -> int:
        """An object met inside itself (an event page whose data names the page): it stands as
        a reference to the digest being made around it. Digests made between the two are
        incomplete on their own, so they are not kept (``_leave``)."""
        depth = self._busy[ident]
        self._cut = min(self._cut, depth)
        return len(self._busy) - depth

    def _leave(self, ident: int, depth: int) -> bool:
        """Done with an object: may its digest be kept for other pages?"""
        del self._busy[ident]
        if self._cut < depth:
            return False   # it holds a reference to an object around it
        if self._cut == depth:
            self._cut = _NONE   # the references it held were to itself
        return True


_NONE = 1 << 30


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
    return digest(text.encode("utf-8", "surrogatepass") + code)


def _config_fields(config) -> dict:
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "lines"}


def replay(problems, items: tuple) -> None:
    """Problems a cached body reported are reported again: the editor still has to fix them."""
    for item in items:
        if item.check_error:   # cached by check or by build: the severity is this run's
            item = Problem(item.path, item.line, item.message, "error" if problems.strict else "warning",
                           check_error=True)
        problems.items.append(item)
