"""The persistent build cache in ``.sitegen-cache/`` beside the content folder.

Two things are kept in one file per site and output folder, so a rebuild does only what changed:

- Markdown bodies: the HTML of each body, keyed by its text, plus the lookups the body
  made while rendering (linked pages, images, drafts) and the problems it reported. A hit
  is used only when every recorded lookup still gives the same answer on today's site, so
  renaming or deleting a linked page re-renders the pages that link to it.
- Pages: for each page file, its key (``pagekeys.py``: a digest of the template files its
  render loads and the values of the context variables they refer to), and the manifest of
  the written output (digest, size, mtime), so an unchanged page is neither rendered nor
  written again.

Beside the pickle, ``site_folder`` gives a feature a folder of its own for products keyed by
their inputs: the search index keeps each part's Pagefind output there under the part's key.
"""
from __future__ import annotations

import dataclasses
import os
import pickle
import zlib
from pathlib import Path

from sitegen.fileio import content_digest, write_atomically
from sitegen.model import Page, Site
from sitegen.problems import Problem

FORMAT = 5   # bump when the layout of the cache or of a key changes
FOLDER = ".sitegen-cache"


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
    # Markdown file -> sources.KnownSource (its stat, front matter text and body).
    sources: dict = dataclasses.field(default_factory=dict)
    # What the bodies and sources were as loaded, one dict per shard file (name -> fingerprint): a
    # shard is written only when it changed. Fingerprints, not the entries: a build that makes
    # its bodies or reads its sources anew lets the old ones go (they are half a large site's memory).
    loaded: dict = dataclasses.field(default_factory=dict)

    def shard_path(self, kind: str, number: int) -> Path:
        return self.path.with_suffix(f".{kind}-{number}")

    def save(self) -> None:
        """Each file written to a temporary file and renamed, so a killed build never leaves
        half a cache."""
        self.save_shards()
        self.save_index()

    def save_shards(self) -> None:
        """The bodies and sources: what any build of these sources may reuse, whether or not
        the build that made them went live (they are keyed by what they were made from)."""
        self._folder()
        for kind in SHARDED:
            loaded = self.loaded.get(kind, [])
            for number, shard in enumerate(shards(getattr(self, kind))):
                before = loaded[number] if number < len(loaded) else None
                if before is None or _fingerprints(kind, shard) != before:
                    _dump(self.shard_path(kind, number), (FORMAT, shard))

    def save_index(self) -> None:
        """The page keys, the manifest and the front matter: what says the live output holds
        this build's pages, so only kept once it does."""
        self._folder()
        _dump(self.path, (FORMAT, self.page_keys, self.manifest, self.front_matter))

    def release_shards(self) -> None:
        """Let go of the bodies and sources (saved already): most of what a large build holds."""
        self.bodies, self.sources, self.loaded = {}, {}, {}

    def _folder(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")

    def load_shards(self) -> None:
        for kind in SHARDED:
            self.loaded[kind] = []
            for number in range(SHARDS):
                shard = _load(self.shard_path(kind, number))
                self.loaded[kind].append(_fingerprints(kind, shard[0]) if shard is not None else None)
                getattr(self, kind).update(shard[0] if shard is not None else {})


# The bodies' HTML and the sources' text are most of the cache (70 and 50 MB for 10,000 pages):
# each is kept in this many files by a hash of the page's path, so a build that changes a few
# pages writes a few files, not all.
SHARDS = 16
SHARDED = ("bodies", "sources")


def shards(entries: dict) -> list[dict]:
    found: list[dict] = [{} for _ in range(SHARDS)]
    for name, entry in entries.items():
        found[zlib.crc32(name.encode("utf-8", "surrogatepass")) % SHARDS][name] = entry
    return found


def _fingerprints(kind: str, shard: dict) -> dict:
    """What says an entry is the same as the one loaded: a body by its key and what its render
    recorded (an entry made again after its lookups failed has the same key), a source by its
    stat (the same stat, the same text: as ``sources.KnownSources`` reads them)."""
    if kind == "bodies":
        return {name: (e.key, e.lookups, e.problems, e.later) for name, e in shard.items()}
    return {name: e.stat for name, e in shard.items()}


def _dump(path: Path, value) -> None:
    write_atomically(path, pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _load(path: Path):
    """The cache file's parts after its format number; None when missing, damaged or foreign."""
    try:
        with open(path, "rb") as f:
            version, *parts = pickle.load(f)
    except Exception:  # a damaged or foreign cache is only a slower build
        return None
    return parts if version == FORMAT else None


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
    parts = _load(cache.path)
    if parts is not None:
        cache.page_keys, cache.manifest, cache.front_matter = parts
        cache.load_shards()
    return cache


# --- Markdown bodies ----------------------------------------------------------------------

def body_key(page: Page, salt: str) -> str:
    text = f"{salt}\0{page.rel}\0{page.body_line}\0{page.body}"
    return content_digest(text.encode("utf-8", "surrogatepass"))


def body_salt(site: Site) -> str:
    """What every body render depends on besides its text: the parser code and the code of the
    features' boxes, the site's path, and the language and catalogue of the problems it
    reports (they are cached with the body)."""
    from sitegen import images, markdown, mdlinks, messages, sanitize, shortcodes
    from sitegen.features import code_of, feature_modules
    code = b"".join(Path(m.__file__).read_bytes() for m in (markdown, mdlinks, sanitize, images, shortcodes))
    # A box's Python side (SHORTCODES) and body_rendered run as a body is made: their code too.
    code += b"".join(code_of(m) for m in feature_modules() if hasattr(m, "SHORTCODES") or hasattr(m, "body_rendered"))
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


def replay(problems, items: tuple) -> None:
    """Problems a cached body reported are reported again: the editor still has to fix them."""
    for item in items:
        if item.check_error:   # cached by check or by build: the severity is this run's
            item = Problem(item.path, item.line, item.message, "error" if problems.strict else "warning",
                           check_error=True)
        problems.items.append(item)
