"""The records a part of the search index is made from, kept between builds.

Pagefind reads a folder of small HTML records, one per page under its URL path
(``features/search_index.py`` makes them). Writing a part's folder afresh costs more than
Pagefind's own run on an edit: every record of the part read back from the staged pages, cut
and written (1.2 s of a one-page edit at 10,000 pages, 1,430 records). So with the build
cache, each part's folder is kept there and brought up to date: a record whose key (the page
file's digest and its filter marks, ``search_parts.Record.key``) is as listed stays, the others
are written, those of pages gone are removed. The folder then holds what a fresh build would
write, record for record, and Pagefind indexes it in place.

A list of the records and their keys, beside the folder, says what it holds. It is removed
before the folder is changed and written after, so a build stopped half-way leaves a folder
without a list, which the next build empties and fills afresh.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Callable

from sitegen.fileio import write_atomically
from sitegen.search_parts import Record

RecordText = Callable[[Record], "str | None"]   # a record's HTML from its staged page; None: nothing to index


def folder_of(root: Path, count: int, slot: int) -> Path:
    """The kept folder of the part in ``slot`` when the site has ``count`` parts."""
    return root / f"{count}-{slot}"


def forget_other_counts(root: Path, count: int) -> None:
    """The parts of another count hold other pages: their folders go (one index per site)."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    for entry in entries:
        if not entry.name.startswith(f"{count}-"):
            _remove(entry)


def bring_up_to_date(folder: Path, fresh: Path, records: list[Record], text_of: RecordText) -> int:
    """Make ``folder`` hold exactly the records of ``records``; how many it holds.

    ``fresh`` holds the records the render workers wrote in this build (the pages rendered):
    they are moved in. A record listed with its key stays; any other is made by ``text_of``."""
    listed = _take_listing(folder)
    moved_whole = False
    if listed is None:   # never kept, or left half-changed: start afresh
        _remove(folder)
        listed = {}
        moved_whole = _move_folder(fresh, folder)
    holds: dict[str, str] = {}
    for record in records:
        relative = Path(record.url.strip("/"), "index.html")
        target = folder / relative
        if moved_whole and target.is_file():
            pass   # written by a render worker in this build
        elif (fresh / relative).is_file():
            _move_file(fresh / relative, target)
        elif listed.get(record.url) != record.key or not target.is_file():
            html = text_of(record)
            if html is None:   # a template without the main-content mark: nothing to index
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        holds[record.url] = record.key
    for url in listed.keys() - holds.keys():
        (folder / url.strip("/") / "index.html").unlink(missing_ok=True)
    write_atomically(_listing_path(folder), json.dumps(holds, sort_keys=True, ensure_ascii=False))
    return len(holds)


def _listing_path(folder: Path) -> Path:
    return folder.with_name(f"{folder.name}.json")


def _take_listing(folder: Path) -> dict[str, str] | None:
    """The list of what the folder holds, removed from the disk until the folder is up to date;
    None when there is none (or it cannot be read)."""
    path = _listing_path(folder)
    try:
        listed = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
    except (OSError, ValueError):
        return None
    if not isinstance(listed, dict) or not folder.is_dir():
        return None
    return listed


def _move_folder(source: Path, target: Path) -> bool:
    """Rename a folder of fresh records into place; False where that cannot be done (on another
    disk: the records are then moved one by one)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        source.rename(target)
        return True
    except OSError:
        return False


def _move_file(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError:   # another disk
        shutil.copyfile(source, target)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
