"""Known pages of a site, and the closest one to a missing path (a suggested alias).

Pages come from the built site's sitemap.xml when there is one (it is what is
really published); otherwise from the Markdown files, slugged by the rules in
the specification.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from difflib import SequenceMatcher
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.slugs import slugify, split_date_prefix

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Below this similarity a suggestion would mislead more than help.
MIN_SCORE = 0.6


def pages_from_sitemap(sitemap: Path) -> list[str]:
    try:
        root = ET.parse(sitemap).getroot()
    except (ET.ParseError, OSError):
        return []
    paths = []
    for loc in root.iter(f"{SITEMAP_NS}loc"):
        if loc.text:
            paths.append(urlsplit(loc.text.strip()).path)
    return paths


def pages_from_content(content_dir: Path, prefix: str) -> list[str]:
    paths = []
    for md in sorted(content_dir.rglob("*.md")):
        rel = md.relative_to(content_dir)
        parts = [slugify(p) for p in rel.parent.parts]
        stem = split_date_prefix(md.stem)[1]
        if stem not in ("index", "_index"):
            parts.append(slugify(stem))
        if all(parts):
            paths.append(prefix + "".join(p + "/" for p in parts))
    return paths


def known_pages(prefix: str, content_dir: Path | None, build_dir: Path | None) -> list[str]:
    if build_dir and (build_dir / "sitemap.xml").is_file():
        found = pages_from_sitemap(build_dir / "sitemap.xml")
        if found:
            return found
    if content_dir and content_dir.is_dir():
        return pages_from_content(content_dir, prefix)
    return []


def words(path: str, prefix: str) -> str:
    """The part of a path that names the page, as a slug: ``Gitarr%20Kurs`` -> ``gitarr-kurs``."""
    rest = unquote(path, errors="replace")
    if rest.startswith(prefix):
        rest = rest[len(prefix):]
    rest = re.sub(r"(index)?\.(html?|php|aspx?)$", "", rest)
    return "/".join(s for s in (slugify(seg) for seg in rest.split("/")) if s)


def suggest(missing: str, pages: list[str], prefix: str) -> str:
    """The existing page most like ``missing``, or "" when none is close enough."""
    target = words(missing, prefix)
    if not target:
        return ""
    last = target.rsplit("/", 1)[-1]
    best, best_score = "", 0.0
    for page in pages:
        if page == missing:
            continue
        candidate = words(page, prefix)
        if not candidate:
            continue
        whole = SequenceMatcher(None, target, candidate).ratio()
        tail = SequenceMatcher(None, last, candidate.rsplit("/", 1)[-1]).ratio()
        # A moved page keeps its last segment; a renamed one keeps its folders.
        score = max(whole, tail * 0.95)
        if score > best_score or (score == best_score and len(page) < len(best)):
            best, best_score = page, score
    return best if best_score >= MIN_SCORE else ""
