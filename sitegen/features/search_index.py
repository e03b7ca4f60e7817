"""The full-text search index, written with Pagefind into ``<site>/pagefind/``.

Runs on the staged folder (the site as written, before it is swapped in), so the
index describes exactly the pages that go live. Only the main content is indexed:
the theme marks ``<article class="content">`` with ``data-pagefind-body``, and Pagefind
is handed a small record per page holding just that element (plus ``<html lang>`` and
``<title>``), so menus and footers are neither indexed nor parsed; lists of other pages
inside it (cards, the start page's blocks) carry ``data-pagefind-ignore``. Pagefind picks
the Swedish stemmer from ``<html lang>``, so "jämställdhet" also finds "jämställd" and
"jämställdheten". Filters (section, type) and the ingress shown in results are marked in
the record, not in the published page, which stays small.

Sites are indexed in parts (a page's part follows from its URL, so it stays in the same part
from build to build; ``search_parts.py`` plans them). Each part is one Pagefind run, so the
program's memory is bounded by a part, not the site; parts are as large as one run beside the
rest of the build fits in the memory budget (every part costs a visitor's search three
requests), and run side by side only where the budget holds two. A rebuild indexes again only
the parts whose records changed, linking the others from the build cache (``.sitegen-cache/``),
where each part's Pagefind output is kept under its key, a hash of its records: never from the
live output, so the index is a function of the pages alone, and a build after the output folder
was deleted reuses the same parts. ``pagefind/`` is the first part; the others are
``pagefind/part-N/``, listed in ``pagefind/sitegen-parts.json`` (with each part's key) and in
``pagefind/sitegen-pagefind.js`` (Pagefind's program with the list added), which the theme's
search script loads and merges into one search (Pagefind's ``mergeIndex``; the program code and
the word-stemming WebAssembly are loaded once, from the first part).
"""
from __future__ import annotations

import json
import os
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sitegen import cache, pagefind_cli, parallel, search_records
from sitegen.features.search import filter_marks, searchable
from sitegen.messages import N_, _
from sitegen.search_parts import (NotEnoughMemory, Part, Record, inputs_folder, part_key, part_of, parts_for,
                                  runs_at_once)

PHASE = "staged"
PROVIDES = ("search index", "staged files")
NEEDS = ("pages",)
BUNDLE = "pagefind"
OUTPUT_FOLDERS = {f"{BUNDLE}/": N_("the search index")}   # no editor page or file may go there
PARTS_FILE = "sitegen-parts.json"   # the parts and their keys, for the next build
PROGRAM = "pagefind.js"              # Pagefind's program, in the first part
PROGRAM_WITH_PARTS = "sitegen-pagefind.js"   # the same with the parts listed: what the search page loads
INGRESS_TAG = '<p class="ingress">'
BODY_MARK = "data-pagefind-body"


def run(build) -> None:
    parts = plan(build)
    if parts is None:
        _remove(build.staging / BUNDLE)   # the staging folder may start as a copy of the live output
        return  # nothing an editor wrote to search in (Pagefind refuses an empty site)
    store = part_store(build)
    kept = _kept_keys(store)
    todo = [p for p in parts if p.key not in kept]
    try:
        _assemble(build, todo, [p for p in parts if p.key in kept], runs_at_once(todo), store)
    except NotEnoughMemory as short:
        build.problems.error(build.config.config_path, 0, _(
            "there is not enough memory to build the search index: a part of {pages} pages needs about "
            "{need} MB and {free} MB are free, so the build stopped rather than make the computer swap. "
            "Close other programs, or set SITEGEN_SEARCH_PART_SIZE to fewer pages than {size}"
        ).format(pages=short.pages, need=short.need, free=short.free, size=short.pages))
        return
    except (pagefind_cli.PagefindFailed, OSError) as exc:  # a separate program; report, don't crash
        build.problems.error(build.config.config_path, 0, _("the search index could not be built: {exc}").format(
                                                              exc=exc))
        return
    _forget_others(store, {p.key for p in parts})
    if store is not None:
        search_records.forget_other_counts(_records_root(store), part_count(build))
    bundle, live = build.staging / BUNDLE, build.options.out / build.config.name / BUNDLE
    listing = {"parts": [f"{p.folder}/" for p in parts if p.folder and (bundle / p.folder).is_dir()],
               "keys": {p.folder: p.key for p in parts}}
    text = json.dumps(listing, indent=0)
    _write_or_link(bundle / PARTS_FILE, live / PARTS_FILE, text)
    if (bundle / PROGRAM).is_file():
        _write_or_link(bundle / PROGRAM_WITH_PARTS, live / PROGRAM_WITH_PARTS,
                       program_with_parts((bundle / PROGRAM).read_text(encoding="utf-8"), listing["parts"]))


def program_with_parts(program: str, parts: list[str]) -> str:
    """Pagefind's program module with the list of the other parts added as one more export, so
    the search page learns the parts with the program (one request) instead of asking first."""
    return f"{program.rstrip()}\nexport const sitegenParts = {json.dumps(parts)};\n"


def _write_or_link(target: Path, live: Path, text: str) -> None:
    """Write ``text`` at ``target``, or link the live file when it holds that text already (so
    an unchanged file keeps its inode and mtime, as the pages do). The staging folder may hold
    links to the live files (the spare tree): they are replaced, never written through."""
    try:
        if live.read_text(encoding="utf-8") == text:
            if not (target.exists() and os.path.samefile(live, target)):
                _remove(target)
                os.link(live, target)
            return
    except OSError:
        pass
    for path in (target, target.with_name(f"{target.name}.gz")):
        _remove(path)
    target.write_text(text, encoding="utf-8")


def keeps(build, rel: str) -> bool:
    """The index in the live output is this feature's to keep up to date (``_assemble``)."""
    return rel.startswith(f"{BUNDLE}/")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def intact(build) -> bool:
    """Is the live index exactly what this build would make? (Then nothing needs staging.)"""
    parts = plan(build)
    bundle = build.options.out / build.config.name / BUNDLE
    if parts is None:
        return not bundle.exists()
    try:
        listing = json.loads((bundle / PARTS_FILE).read_text(encoding="utf-8"))
        listed = ["", *listing["parts"]]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (listing.get("keys") == {p.folder: p.key for p in parts} and (bundle / PROGRAM_WITH_PARTS).is_file()
            and all((bundle / folder / "pagefind-entry.json").is_file() for folder in listed))


def plan(build) -> list[Part] | None:
    """The index parts of this build; None when there is nothing to index."""
    records = [record for page in build.site.pages if (record := record_of(build, page)) is not None]
    if not records:
        return None
    count = part_count(build)
    grouped: list[list[Record]] = [[] for _ in range(count)]
    for record in records:
        grouped[part_of(record.url, count)].append(record)
    # A slot the hash gave no page makes no part: the first part carries Pagefind's program
    # files for the whole search, so it must be one that has pages.
    filled = [(slot, group) for slot, group in enumerate(grouped) if group]
    return [Part(number, slot, part_key(group, count), group) for number, (slot, group) in enumerate(filled)]


def page_written(build, page, rel: str, html: str) -> None:
    """(In a render worker.) The record of a page just rendered, written while its HTML is at hand
    into this build's scratch folder, in the part it belongs to; ``run`` indexes from there."""
    if build.scratch is None or not searchable(page):
        return
    record = record_html(html, filter_marks(build.theme.strings, page))
    if record is not None:
        url = build.site.href(page)
        _write_record(build.scratch / BUNDLE / inputs_folder(part_of(url, part_count(build))), url, record)


def part_count(build) -> int:
    """How many parts: from the number of searchable pages, known before any page is rendered."""
    count = build.search_parts
    if count is None:
        count = parts_for(sum(1 for page in build.site.pages if searchable(page)), parallel.workers())
        build.search_parts = count
    return count


def record_of(build, page) -> Record | None:
    """The record of a page to search, or None when it is not searched or was not written."""
    if not searchable(page):
        return None
    rel = page.file_path()
    written = build.cache.manifest.get(rel)
    if written is None:
        return None  # not written (a template error is reported elsewhere)
    marks = filter_marks(build.theme.strings, page)
    return Record(build.site.href(page), rel, marks, f"{written.digest}:{marks}")


def record_html(html: str, marks: str) -> str | None:
    """The small document Pagefind indexes for a published page, or None when nothing in it is
    marked as main content. It keeps ``<html lang>`` (the stemmer), ``<title>`` and the marked
    element, with the filter marks inside it and the ingress marked as result text."""
    mark = html.find(BODY_MARK)
    if mark < 0:
        return None
    start = html.rfind("<", 0, mark)
    tag = re.match(r"<([a-zA-Z][a-zA-Z0-9]*)", html[start:])
    if tag is None:
        return None
    end = _element_end(html, start, tag.group(1).lower())
    opened = html.index(">", mark) + 1
    element = html[start:opened] + marks + html[opened:end]
    element = element.replace(INGRESS_TAG, '<p class="ingress" data-pagefind-meta="ingress">', 1)
    root = re.search(r"<html\b[^>]*>", html)
    title = re.search(r"<title>.*?</title>", html, re.S)
    return (f"<!DOCTYPE html>{root.group(0) if root else '<html>'}<head><meta charset=\"utf-8\">"
            f"{title.group(0) if title else ''}</head><body>{element}</body></html>")


def _element_end(html: str, start: int, tag: str) -> int:
    """Index just after the end tag that closes the element opened at ``start``."""
    depth = 0
    for found in re.finditer(rf"<(/?){tag}\b[^>]*>", html[start:], re.I):
        depth += -1 if found.group(1) else 1
        if depth == 0:
            return start + found.end()
    return len(html)


def part_store(build) -> Path | None:
    """Where the parts' Pagefind output is kept between builds, one folder per part key
    (None with ``--no-cache``: every part is indexed afresh and nothing is kept)."""
    if not build.options.cache or build.options.check_only:
        return None
    return cache.site_folder(build.options.content, build.config.name, build.options.out, BUNDLE)


def _kept_keys(store: Path | None) -> set[str]:
    """The keys of the parts kept in the build cache (a half-written one has no such name)."""
    try:
        return {entry.name for entry in store.iterdir() if entry.is_dir() and "." not in entry.name}
    except (OSError, AttributeError):   # no cache yet, or none wanted
        return set()


def _keep(store: Path | None, key: str, output: Path) -> None:
    """Keep a part just indexed under its key: linked into a temporary name, then renamed, so a
    killed build leaves no half a part under a key. A cache that cannot be written only makes
    the next build slower."""
    if store is None or not output.is_dir():
        return
    temporary = store / f"{key}.tmp{os.getpid()}"
    try:
        store.mkdir(parents=True, exist_ok=True)
        shutil.copytree(output, temporary, copy_function=_link)
        temporary.rename(store / key)
    except OSError:
        shutil.rmtree(temporary, ignore_errors=True)


def _forget_others(store: Path | None, keys: set[str]) -> None:
    """Remove the kept parts this build does not have, so the cache holds one index per site."""
    if store is None or not store.is_dir():
        return
    for entry in store.iterdir():
        if entry.name not in keys:
            shutil.rmtree(entry, ignore_errors=True)


def _link(source: str, target: str) -> None:
    """A hard link, as the output's unchanged pages are; a copy where the cache lies on another disk."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _assemble(build, todo: list[Part], reuse: list[Part], at_once: int, store: Path | None) -> None:
    """Index the parts in ``todo`` (one Pagefind run per part, ``at_once`` at a time) and keep
    them in ``store``; link the parts in ``reuse`` from there; all into ``staging/pagefind/``."""
    bundle = build.staging / BUNDLE
    scratch = build.scratch / BUNDLE

    def index(part: Part) -> None:
        fresh, kept_records = scratch / part.inputs, _records_folder(build, store, part)
        if kept_records is None:   # no cache: the part's records are completed where the workers wrote them
            records, count = fresh, _complete_records(build.staging, part.records, fresh)
        else:
            records, count = kept_records, search_records.bring_up_to_date(
                kept_records, fresh, part.records, lambda record: _record_text(build.staging, record))
        if count:
            pagefind_cli.index_folder(records, scratch / f"out-{part.inputs}")
            _keep(store, part.key, scratch / f"out-{part.inputs}")
        shutil.rmtree(fresh, ignore_errors=True)   # the scratch inputs go as soon as they are indexed

    with build.progress.step(_("Search index"), sum(len(part.records) for part in todo)) as advance, \
            ThreadPoolExecutor(max_workers=at_once) as pool:
        for part, _done in zip(todo, pool.map(index, todo)):   # re-raises the first failure
            advance(len(part.records))
    # The first part is the bundle folder itself; the others go inside it. The staging folder
    # may hold the live bundle already (output.Stager): a part the live output holds under the
    # same key stays as it is, everything else there is replaced.
    first = next((scratch / f"out-{part.inputs}" for part in todo if part.number == 0), None)
    live = _live_keys(build.options.out / build.config.name / BUNDLE) if bundle.is_dir() else {}
    kept = {part.folder for part in reuse if live.get(part.folder) == part.key}
    if bundle.is_dir():
        for entry in list(bundle.iterdir()):
            if entry.name not in kept and (entry.name.startswith("part-") or "" not in kept):
                _remove(entry)
    if any(part.number == 0 for part in reuse) and "" not in kept:
        shutil.copytree(store / next(p.key for p in reuse if p.number == 0), bundle, copy_function=_link,
                        dirs_exist_ok=True)
    elif first is not None and first.is_dir():
        if bundle.is_dir():
            for entry in first.iterdir():
                entry.rename(bundle / entry.name)
        else:
            first.rename(bundle)
    else:
        bundle.mkdir(exist_ok=True)
    for part in todo:
        if part.number and (scratch / f"out-{part.inputs}").is_dir():
            (scratch / f"out-{part.inputs}").rename(bundle / part.folder)
    for part in reuse:
        if part.number and part.folder not in kept:
            shutil.copytree(store / part.key, bundle / part.folder, copy_function=_link)


def _live_keys(bundle: Path) -> dict:
    """The key of each part folder in the live output's index (empty when there is none)."""
    try:
        keys = json.loads((bundle / PARTS_FILE).read_text(encoding="utf-8")).get("keys", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return keys if isinstance(keys, dict) else {}


def _records_folder(build, store: Path | None, part: Part) -> Path | None:
    """Where the part's records are kept between builds (``search_records``); None without a cache."""
    if store is None:
        return None
    return search_records.folder_of(_records_root(store), part_count(build), part.slot)


def _records_root(store: Path) -> Path:
    return store.with_name(f"{store.name}-records")


def _record_text(staging: Path, record: Record) -> str | None:
    """The record of a page from its staged file (a page linked unchanged from the live output)."""
    return record_html((staging / record.rel).read_text(encoding="utf-8"), record.marks)


def _complete_records(staging: Path, part: list[Record], folder: Path) -> int:
    """Add the records the render workers did not write (pages linked unchanged from the live
    output) from the staged files; how many records the part has."""
    count = 0
    for record in part:
        target = folder / record.url.strip("/") / "index.html"
        if target.is_file():
            count += 1
            continue
        html = _record_text(staging, record)
        if html is not None:   # None: a template without the main-content mark, nothing to index
            _write_record(folder, record.url, html)
            count += 1
    return count


def _write_record(folder: Path, url: str, html: str) -> None:
    """A record under its URL path, so the index holds the URLs visitors use."""
    target = folder / url.strip("/") / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
