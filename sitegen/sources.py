"""Load stage: read a site's Markdown files and split off their front matter."""
from __future__ import annotations

import os
import pickle
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen import confine, leftovers, yamlload
from sitegen.problems import Problems, read_text
from sitegen.yamlload import MarkedDict
from sitegen.messages import _

# Folders under a site that hold no pages.
NON_PAGE_DIRS = {"data", "_types", "_shortcodes"}   # _types, _shortcodes: the site's page types and boxes (pagetypes.py, shortcodes.py)
# The ledger of a site's published addresses (``ledger.py``): read, never published.
LEDGER = "publicerade-adresser.txt"
# Files at the top of a site that are read as settings, not published.
SITE_FILES = {"site.yaml", LEDGER}


@dataclass
class SourceFile:
    path: Path               # the file on disk
    rel: PurePosixPath       # relative to the site folder, NFC-normalised
    meta: MarkedDict         # raw front matter with line marks
    body: str
    body_line: int           # line of the body's first line in the file


@dataclass
class Asset:
    path: Path
    rel: PurePosixPath


class FrontMatterMemo:
    """Parsed front matter by its text, kept between builds in the build cache: parsing YAML
    is the slowest part of loading a large site, and most front matter does not change.
    Each use gets its own copy (unpickled), so nothing a build does to it can leak into the next."""

    def __init__(self, previous: dict | None = None):
        self.previous = previous or {}
        self.used: dict[str, bytes] = {}   # what this build parsed or reused: what the cache keeps

    def load(self, text: str):
        data = self.used.get(text) or self.previous.get(text)
        if data is not None:
            self.used[text] = data
            return pickle.loads(data)
        meta = yamlload.load(text, line_offset=1)   # YamlError: not remembered, reported again
        self.used[text] = pickle.dumps(meta, pickle.HIGHEST_PROTOCOL)
        return meta


@dataclass(frozen=True)
class KnownSource:
    """A Markdown file as the last build split it, and the stat it had then."""

    stat: tuple           # (size, mtime_ns, ctime_ns, inode)
    yaml_text: str
    body: str
    body_line: int


# A file changed less than this long before it was read is read again next time: within one
# tick of the file system's clock a second write could leave size and times as they were.
SETTLED_NS = 1_000_000_000


class KnownSources:
    """Each Markdown file's front matter text and body by its stat, kept between builds in the
    build cache: a file whose size, mtime, ctime and inode are as recorded is not read again.
    The ctime cannot be set back, so an edit that keeps the size and restores the mtime is seen;
    a file whose stat changed is read, and its content decides (the front matter and body caches
    are keyed by text, so a file touched with the same bytes renders nothing again)."""

    def __init__(self, previous: dict | None = None):
        self.previous = previous or {}
        self.used: dict[str, KnownSource] = {}   # what this build read or reused: what the cache keeps

    @staticmethod
    def stat_of(path: Path) -> tuple | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino

    def get(self, rel: str, stat: tuple | None) -> KnownSource | None:
        known = self.previous.get(rel)
        if known is None or stat is None or known.stat != stat:
            return None
        self.used[rel] = known
        return known

    def stale(self) -> int:
        """How many files of the last build were read again or are gone (their texts are let go)."""
        return sum(1 for rel, known in self.previous.items() if self.used.get(rel) is not known)

    def remember(self, rel: str, stat: tuple | None, yaml_text: str, body: str, body_line: int) -> None:
        if stat is not None and time.time_ns() - stat[2] > SETTLED_NS:
            self.used[rel] = KnownSource(stat, yaml_text, body, body_line)


def split_front_matter(text: str, path: Path, problems: Problems,
                       memo: FrontMatterMemo | None = None,
                       parts: list | None = None) -> tuple[MarkedDict | None, str, int]:
    """Return (front matter, body, line of body). Front matter sits between '---' lines. The
    front matter's text, the body and its line go into ``parts`` when the split succeeds."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.error(path, 1, _("front matter missing: start the file with a line '---', then 'title: "
                                  "...', then another '---'"))
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            meta = parse_front_matter(yaml_text, path, problems, memo)
            if meta is not None and parts is not None:
                parts.extend((yaml_text, body, index + 2))
            return meta, body, index + 2
    problems.error(path, 1, _("front matter is not closed: add a line '---' after it"))
    return None, text, 1


def parse_front_matter(yaml_text: str, path: Path, problems: Problems,
                       memo: FrontMatterMemo | None = None) -> MarkedDict | None:
    """The front matter as a mapping with line marks; None (reported) when it is not one."""
    try:
        meta = memo.load(yaml_text) if memo is not None else yamlload.load(yaml_text, line_offset=1)
    except yamlload.YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return None
    if meta is None:
        meta = MarkedDict()
        meta.line = 1
    if not isinstance(meta, dict):
        problems.error(path, 2, _("front matter must be 'key: value' lines"))
        return None
    return meta


def _site_files(site_dir: Path, problems: Problems) -> list[tuple[Path, PurePosixPath]]:
    """Every file of the site that may be a page or an asset, in path order: not site.yaml (nor
    the list of published addresses), not data/, nothing hidden (a name starting with '.'), no editor leftover, nothing a
    symlink brings in from outside the site (``confine``)."""
    found = []
    for parts, path, rel in confine.walk(site_dir, site_dir, problems):
        if parts[0] in NON_PAGE_DIRS and len(parts) > 1 or rel in SITE_FILES:
            continue
        if leftovers.is_leftover(parts[-1]):
            leftovers.report(path, parts[-1], problems)
            continue
        found.append((Path(path), PurePosixPath(unicodedata.normalize("NFC", rel))))
    return found


def read_sources(site_dir: Path, problems: Problems, memo: FrontMatterMemo | None = None,
                 broken: set[str] | None = None,
                 known: KnownSources | None = None) -> tuple[list[SourceFile], list[Asset]]:
    """The site's pages and assets; the rel path of a page that cannot be read (its problem
    reported) goes into ``broken``, so a link to it is not reported as missing too. With
    ``known``, a file whose stat is as the last build recorded is not read again."""
    broken = set() if broken is None else broken
    sources: list[SourceFile] = []
    assets: list[Asset] = []
    for path, rel in _site_files(site_dir, problems):
        if path.suffix.lower() != ".md":
            assets.append(Asset(path, rel))
            continue
        meta, body, body_line = _read_page(path, rel.as_posix(), problems, memo, known)
        if meta is not None:
            sources.append(SourceFile(path, rel, meta, body, body_line))
        else:
            broken.add(rel.as_posix())
    return sources, assets


def _read_page(path: Path, rel: str, problems: Problems, memo: FrontMatterMemo | None,
               known: KnownSources | None) -> tuple[MarkedDict | None, str, int]:
    """One Markdown file's front matter, body and body line: from ``known`` when its stat is as
    recorded, else read and split (and recorded)."""
    stat = known.stat_of(path) if known is not None else None
    hit = known.get(rel, stat) if known is not None else None
    if hit is not None:
        return parse_front_matter(hit.yaml_text, path, problems, memo), hit.body, hit.body_line
    text = read_text(path, problems)
    if text is None:
        return None, "", 1
    parts: list = []
    meta, body, body_line = split_front_matter(text, path, problems, memo, parts)
    if known is not None and parts:
        known.remember(rel, stat, *parts)
    return meta, body, body_line
