"""The persistent build cache in ``.sitegen-cache/`` beside the content folder.

Two things are kept in one file per site and output folder, so a rebuild does only what changed:

- Markdown bodies: the HTML of each body, keyed by its text, plus the lookups the body
  made while rendering (linked pages, images, drafts) and the problems it reported. A hit
  is used only when every recorded lookup still gives the same answer on today's site, so
  renaming or deleting a linked page re-renders the pages that link to it.
- Pages: for each page file, a key hashed from everything its template render reads
  (templates, theme strings, site.yaml, the page itself, its ancestors for breadcrumbs,
  its parent's and its own children for cards, the main menu, the data features attached
  to the page, ``Page.feature_data()``), and the manifest of the written output (digest, size, mtime), so an
  unchanged page is neither rendered nor written again.

Beside the pickle, ``site_folder`` gives a feature a folder of its own for products keyed by
their inputs: the search index keeps each part's Pagefind output there under the part's key.

Unknown objects in features' data fingerprint by ``repr``; one whose repr is not stable
just misses the cache, which is slower but never stale.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import pickle
import re
from pathlib import Path

from sitegen.fileio import content_digest, write_atomically
from sitegen.model import Page, Site
from sitegen.problems import Problem

FORMAT = 4   # bump when the layout of the cache or of a key changes
FOLDER = ".sitegen-cache"
_NOW_WORD = re.compile(rb"\bnow\b")
_COMMENT = re.compile(rb"\{#.*?#\}", re.S)
_HTML_READ = re.compile(rb"(?<![\w/\"'.-])([A-Za-z_][\w.]*)\.html\b(?![\"'])")   # x.html, a.b.html


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
        write_atomically(self.path, pickle.dumps(
            (FORMAT, self.bodies, self.page_keys, self.manifest, self.front_matter), pickle.HIGHEST_PROTOCOL))


def _place(site_name: str, out_dir: Path) -> str:
    """The name of what is kept for building ``site_name`` into ``out_dir``."""
    return f"{site_name}-{content_digest(str(out_dir.resolve()).encode())[:12]}"


def site_folder(content_root: Path, site_name: str, out_dir: Path, kind: str) -> Path:
    """A folder kept beside the site's pickle for one kind of build product (the search index's
    parts), which its feature keys by its own inputs; the folder may not exist yet."""
    return cache_folder(content_root) / f"{_place(site_name, out_dir)}.{kind}"


def load_site_cache(content_root: Path, site_name: str, out_dir: Path, enabled: bool) -> SiteCache:
    """The cache for building ``site_name`` into ``out_dir``; empty when disabled or unreadable."""
    cache = SiteCache(cache_folder(content_root) / f"{_place(site_name, out_dir)}.pickle")
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
    return content_digest(text.encode("utf-8", "surrogatepass"))


def body_salt(site: Site) -> str:
    """What every body render depends on besides its text: the parser code, the site's path, and
    the language and catalogue of the problems it reports (they are cached with the body)."""
    from sitegen import images, markdown, mdlinks, messages, sanitize, shortcodes
    code = b"".join(Path(m.__file__).read_bytes() for m in (markdown, mdlinks, sanitize, images, shortcodes))
    code += messages.CATALOGUE.read_bytes()
    templates = shortcodes.markup_of(site).digest()   # bodies hold the shortcode and picture templates' HTML
    return content_digest(code + f"{markdown.PARSER_VERSION}\0{site.config.path_prefix}\0{os.getcwd()}"
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

class Fingerprints:
    """Keys of pages for one build; fingerprints of shared parts are computed once.

    A page is seen in two ways: by its own render (everything, its body HTML too), and from
    other pages' renders: cards, menus and lists show titles, ingresses, images, dates and
    flags, not bodies. So a body edit re-renders the page alone, not its siblings (nor, when
    it sits in the main menu, every page of the site). Only a theme whose templates read
    another page's ``.html`` (``others_html``) makes bodies part of what others see."""

    def __init__(self, site: Site, site_salt: str, others_html: bool = False):
        self.site = site
        self.site_salt = site_salt
        self.others_html = others_html
        self._pages: dict[int, str] = {}
        self._seen: dict[int, str] = {}
        self._children: dict[int, str] = {}
        self._listed: dict[int, str] = {}

    def page_key(self, page: Page) -> str:
        parts = [
            self.site_salt,
            self.page_self(page),
            data_digest(page.feature_data(), self),
            self.children_of(page.parent) if page.parent is not None else "",
            self.children_of(page),
            "|".join(f"{p.url}\0{p.nav_title}" for p in page.ancestors()),
        ]
        return content_digest("\n".join(parts).encode("utf-8", "surrogatepass"))

    def page_self(self, page: Page) -> str:
        """A page's own fields, as its own render sees them."""
        known = self._pages.get(id(page))
        if known is None:
            text = self.page_seen(page) + "\0" + page.html
            known = self._pages[id(page)] = content_digest(text.encode("utf-8", "surrogatepass"))
        return known

    def page_seen(self, page: Page) -> str:
        """A page's fields as other pages' renders see them (cards, menus, lists)."""
        known = self._seen.get(id(page))
        if known is None:
            text = "\0".join([page.url, repr(page.meta), page.html if self.others_html else "", page.template,
                              page.output_path, str(page.expired), str(page.is_section), str(page.in_sitemap),
                              page.rel, str(page.parent.url if page.parent else None)])
            known = self._seen[id(page)] = content_digest(text.encode("utf-8", "surrogatepass"))
        return known

    def page_listed(self, page: Page) -> str:
        """A page in another page's list (news, events): its fields and the data it carries."""
        known = self._listed.get(id(page))
        if known is None:
            text = self.page_seen(page) + data_digest(page.feature_data(), None)
            known = self._listed[id(page)] = content_digest(text.encode("utf-8", "surrogatepass"))
        return known

    def children_of(self, page: Page) -> str:
        """Cards and menus show children's titles, ingresses, images, order and flags."""
        known = self._children.get(id(page))
        if known is None:
            text = "\0".join(self.page_seen(c) + _stable(sorted(c.feature_data())) + str(c.in_cards)
                             + str(c.in_menu) for c in page.children)
            known = self._children[id(page)] = content_digest(text.encode("utf-8", "surrogatepass"))
        return known


def site_salt(build, now_matters: bool, others_html: bool = False) -> str:
    """Everything every page's render may read: templates, theme strings, config, the menu."""
    from sitegen.navigation import main_menu
    site, theme = build.site, build.theme
    parts = [str(FORMAT), theme.name, _stable(theme.strings), _stable(theme.settings),
             _stable(dataclasses.asdict(build.renderer.view)), _stable(_config_fields(site.config)),
             site.now.isoformat() if now_matters else "", str(site.drafts)]
    fps = Fingerprints(site, "", others_html)
    parts += [fps.page_seen(p) + fps.children_of(p) for p in main_menu(site)]
    parts += [f"{rel}\0{out}\0{_asset_answer(site.assets, rel, site.config.content_dir)}"
              for rel, out in sorted(site.assets.items())]   # cards show images in sizes read from the file
    parts += [f"{name}\0{content_digest(data)}" for name, data in template_sources(theme)]
    return content_digest("\n".join(parts).encode("utf-8", "surrogatepass"))


def _config_fields(config) -> dict:
    return {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name != "lines"}


def template_sources(theme) -> list[tuple[str, bytes]]:
    """Every template file of the theme chain and the site (and the Python code that renders them)."""
    from sitegen import images, navigation, render, theme as theme_module
    found = [(m.__name__, Path(m.__file__).read_bytes()) for m in (render, navigation, theme_module, images)]
    for folder in theme.chain:
        templates = folder / "templates"
        for path in sorted(templates.rglob("*")) if templates.is_dir() else []:
            if path.is_file():
                found.append((f"{folder.name}/{path.relative_to(templates).as_posix()}", path.read_bytes()))
    site = getattr(theme, "site", None)
    if site is not None:   # the site's own templates (theme.SiteLoader)
        for name in site.templates():
            found.append((f"site/{name}", (site.folder / name).read_bytes()))
    return found


def templates_read_now(theme) -> bool:
    return any(_NOW_WORD.search(data) for name, data in template_sources(theme) if "/" in name)


def templates_read_others_html(theme) -> bool:
    """Does a template show the body of a page other than its own (``child.html``, ``p.html``)?
    ``page.html`` and template file names ("partials/cards.html") do not count."""
    return any(found.group(1) != b"page" for name, data in template_sources(theme) if "/" in name
               for found in _HTML_READ.finditer(_COMMENT.sub(b"", data)))


def _page_stand_in(fingerprint: str) -> str:
    """What a page inside pickled data stands for (referenced by the pickle, never called)."""
    return fingerprint


class _KeyPickler(pickle.Pickler):
    """Pickles data for a key; pages inside it stand in as their own fingerprints.

    A ``dispatch_table`` entry for ``Page`` rather than ``persistent_id``: the pickler asks
    the table only about class instances, but calls ``persistent_id`` for every object."""

    def __init__(self, file, fps: "Fingerprints | None"):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = {Page: self._reduce_page}
        self.fps = fps

    def _reduce_page(self, page: Page):
        return _page_stand_in, (f"page:{page.url}" if self.fps is None else self.fps.page_listed(page),)


def data_digest(value, fps: "Fingerprints | None") -> str:
    """Fingerprint of data features attached to pages: pickled (fast, in C), or walked when
    something in it cannot be pickled. Unordered sets may pickle in another order in another
    process: a cache miss, never a stale page."""
    if isinstance(value, dict) and not value:
        return _EMPTY   # most pages carry no feature data
    buffer = io.BytesIO()
    try:
        _KeyPickler(buffer, fps).dump(value)
    except Exception:
        return content_digest(fingerprint(value, fps).encode("utf-8", "surrogatepass"))
    return content_digest(buffer.getvalue())


_EMPTY = content_digest(b"{}")


def _stable(value) -> str:
    return fingerprint(value, None)


def fingerprint(value, fps: Fingerprints | None, depth: int = 0) -> str:
    """A text that changes when anything a template could show of ``value`` changes."""
    if depth > 12:
        return f"<deep {id(value)}>"   # never equal across builds: a miss, never stale
    if value is None or isinstance(value, (bool, int, float, str, bytes, dt.date, dt.time, Path)):
        return f"{type(value).__name__}:{value!r}"
    if isinstance(value, Page):
        return f"page:{value.url}" if fps is None else fps.page_listed(value)
    if isinstance(value, dict):
        inner = ",".join(f"{fingerprint(k, fps, depth + 1)}={fingerprint(v, fps, depth + 1)}"
                         for k, v in value.items())
        return f"{type(value).__name__}{{{inner}}}"
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[{','.join(fingerprint(v, fps, depth + 1) for v in value)}]"
    if isinstance(value, (set, frozenset)):
        return "set[" + ",".join(sorted(fingerprint(v, fps, depth + 1) for v in value)) + "]"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return type(value).__name__ + fingerprint(fields, fps, depth + 1)
    if hasattr(value, "__dict__") and not callable(value):
        return type(value).__name__ + fingerprint(vars(value), fps, depth + 1)
    return f"{type(value).__name__}:{value!r}"


def replay(problems, items: tuple) -> None:
    """Problems a cached body reported are reported again: the editor still has to fix them."""
    for item in items:
        if item.check_error:   # cached by check or by build: the severity is this run's
            item = Problem(item.path, item.line, item.message, "error" if problems.strict else "warning",
                           check_error=True)
        problems.items.append(item)
