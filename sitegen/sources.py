"""Load stage: read a site's Markdown files and split off their front matter."""
from __future__ import annotations

import pickle
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


def split_front_matter(text: str, path: Path, problems: Problems,
                       memo: FrontMatterMemo | None = None) -> tuple[MarkedDict | None, str, int]:
    """Return (front matter, body, line of body). Front matter sits between '---' lines."""
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
            try:
                meta = memo.load(yaml_text) if memo is not None else yamlload.load(yaml_text, line_offset=1)
            except yamlload.YamlError as exc:
                problems.error(path, exc.line, exc.message)
                return None, body, index + 2
            if meta is None:
                meta = MarkedDict()
                meta.line = 1
            if not isinstance(meta, dict):
                problems.error(path, 2, _("front matter must be 'key: value' lines"))
                return None, body, index + 2
            return meta, body, index + 2
    problems.error(path, 1, _("front matter is not closed: add a line '---' after it"))
    return None, text, 1


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
                 broken: set[str] | None = None) -> tuple[list[SourceFile], list[Asset]]:
    """The site's pages and assets; the rel path of a page that cannot be read (its problem
    reported) goes into ``broken``, so a link to it is not reported as missing too."""
    broken = set() if broken is None else broken
    sources: list[SourceFile] = []
    assets: list[Asset] = []
    for path, rel in _site_files(site_dir, problems):
        if path.suffix.lower() != ".md":
            assets.append(Asset(path, rel))
            continue
        text = read_text(path, problems)
        if text is None:
            broken.add(rel.as_posix())
            continue
        meta, body, body_line = split_front_matter(text, path, problems, memo)
        if meta is not None:
            sources.append(SourceFile(path, rel, meta, body, body_line))
        else:
            broken.add(rel.as_posix())
    return sources, assets
