"""The full-text search index, written with Pagefind into ``<site>/pagefind/``.

Runs on the staged folder (the site as written, before it is swapped in), so the
index describes exactly the pages that go live. Only the main content is indexed:
the theme marks ``<article class="content">`` with ``data-pagefind-body``, so menus,
cards and footers stay out. Pagefind picks the Swedish stemmer from ``<html lang>``,
so "jämställdhet" also finds "jämställd" and "jämställdheten".

Filters (section, type) and the ingress shown in results are marked in the copy of
the HTML handed to Pagefind, not in the published page, which stays small.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

PHASE = "staged"
BUNDLE = "pagefind"
INGRESS_TAG = '<p class="ingress">'


def run(build) -> None:
    site = build.site
    if _reuse_previous_index(build):
        return
    records = [record for page in site.pages if (record := index_record(build, page)) is not None]
    if not records:
        return  # nothing an editor wrote to search in (Pagefind refuses an empty site)
    try:
        _write_index(records, build.staging / BUNDLE)
    except Exception as exc:  # the Pagefind service is a separate program; report, don't crash
        build.problems.error(site.config.config_path, 0, f"the search index could not be built: {exc}")


def _reuse_previous_index(build) -> bool:
    """When no page changed, the live index is still right: link it into the staging folder
    instead of indexing every page again (the slowest step of a no-change rebuild)."""
    if build.changed is None or any(rel.endswith(".html") for rel in build.changed):
        return False
    previous = build.options.out / build.config.name / BUNDLE
    if not previous.is_dir():
        return False
    try:
        shutil.copytree(previous, build.staging / BUNDLE, copy_function=os.link)
    except OSError:
        shutil.rmtree(build.staging / BUNDLE, ignore_errors=True)
        return False
    return True


def index_record(build, page) -> tuple[str, str] | None:
    """(URL, HTML to index) for a page an editor wrote, or None when it is not to be searched."""
    if page.source is None or page.template or page.extra.get("search_exclude") or build.staging is None:
        return None  # generated pages, and pages a feature fills with lists of other pages (archives)
    path = build.staging / page.file_path()
    if not path.is_file():
        return None
    html = path.read_text(encoding="utf-8")
    if "data-pagefind-body" not in html:
        return None  # a template without the main-content mark: nothing to index
    body_start = html.index(">", html.index("data-pagefind-body")) + 1
    html = html[:body_start] + _filter_marks(build, page) + html[body_start:]
    html = html.replace(INGRESS_TAG, '<p class="ingress" data-pagefind-meta="ingress">', 1)
    return build.site.href(page), html


def _filter_marks(build, page) -> str:
    """Empty elements carrying one Pagefind filter each: type, and the top-level section."""
    strings = build.theme.strings
    filters = {strings.get("search_filter_type", "Typ"): strings.get(f"search_type_{page.kind}", page.kind)}
    section = section_of(page)
    if section is not None:
        filters[strings.get("search_filter_section", "Avsnitt")] = section.nav_title
    return "".join(f'<span hidden data-pagefind-filter="{escape(name)}:{escape(value)}"></span>'
                   for name, value in filters.items())


def section_of(page):
    """The top-level section a page belongs to (itself for a top-level page); None for the start page."""
    chain = page.ancestors()[1:] + [page]
    return chain[0] if not page.is_root else None


def _write_index(records: list[tuple[str, str]], output: Path) -> None:
    """Index the marked copies with the Pagefind program in one run.

    The copies are laid out under their URL paths, so the index holds the URLs visitors
    use (``/kulturskolan/kurser/``). One program run indexes a thousand pages in about a
    second; Pagefind's Python service answers one request per 0.1 s poll instead.
    """
    with tempfile.TemporaryDirectory(prefix="sitegen-search-") as folder:
        root = Path(folder)
        for url, html in records:
            target = root / url.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(root), "--output-path",
                               str(output), "--silent"], capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError((done.stderr or done.stdout).strip() or f"pagefind exited {done.returncode}")
    for unused in output.glob("pagefind-*ui.*"):
        unused.unlink()  # Pagefind's ready-made UIs: the theme's search.js is used instead
