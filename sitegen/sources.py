"""Load stage: read a site's Markdown files and split off their front matter."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sitegen import yamlload
from sitegen.problems import Problems
from sitegen.yamlload import MarkedDict

# Folders under a site that hold no pages.
NON_PAGE_DIRS = {"data"}


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


def split_front_matter(text: str, path: Path, problems: Problems) -> tuple[MarkedDict | None, str, int]:
    """Return (front matter, body, line of body). Front matter sits between '---' lines."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.error(path, 1, "front matter missing: start the file with a line '---', "
                                "then 'title: ...', then another '---'")
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            try:
                meta = yamlload.load(yaml_text, line_offset=1)
            except yamlload.YamlError as exc:
                problems.error(path, exc.line, exc.message)
                return None, body, index + 2
            if meta is None:
                meta = MarkedDict()
                meta.line = 1
            if not isinstance(meta, dict):
                problems.error(path, 2, "front matter must be 'key: value' lines")
                return None, body, index + 2
            return meta, body, index + 2
    problems.error(path, 1, "front matter is not closed: add a line '---' after it")
    return None, text, 1


def read_sources(site_dir: Path, problems: Problems) -> tuple[list[SourceFile], list[Asset]]:
    sources: list[SourceFile] = []
    assets: list[Asset] = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_dir() or path.name.startswith("."):
            continue
        rel = PurePosixPath(unicodedata.normalize("NFC", path.relative_to(site_dir).as_posix()))
        if rel.parts[0] in NON_PAGE_DIRS or rel.as_posix() == "site.yaml":
            continue
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.suffix.lower() != ".md":
            assets.append(Asset(path, rel))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.error(path, 1, "the file is not UTF-8 text")
            continue
        meta, body, body_line = split_front_matter(text, path, problems)
        if meta is not None:
            sources.append(SourceFile(path, rel, meta, body, body_line))
    return sources, assets
