"""The parts of a site's search index: how many, which page goes in which, and how many
Pagefind runs go side by side (``features/search_index.py`` makes the index from them).

Sites are indexed in parts (a page's part follows from its URL, so it stays in the same
part from build to build). Each part is one Pagefind run, so the program's memory is bounded
by a part, not the site; parts are as large as one run beside the rest of the build fits in
the memory budget (every part costs a visitor's search three requests), and run side by side
only where the budget holds two. A part's key, a hash of its records, says whether it must be
indexed again.
"""
from __future__ import annotations

import hashlib
import os
import zlib
from dataclasses import dataclass

from sitegen import memory, pagefind_cli, parallel

PART_SIZE = 400    # the fewest pages a part gets; SITEGEN_SEARCH_PART_SIZE sets the part size instead
# One Pagefind run holds about 10 MB and 0.2 MB a page until it writes (measured on the small
# records of the benchmark corpus: 87 MB for 400 pages, 252 for 1,250, 502 for 2,500, 987 for 5,000).
PAGEFIND_BASE_MB, PAGEFIND_PAGE_MB = 10, 0.2
# The rest of the build while the index is made, its pages' texts let go by then
# (builder.release_texts; measured on the benchmark corpus: 66 MB at 1,000 pages, 81 MB at
# 2,000, 197 MB at 10,000).
BUILD_BASE_MB, BUILD_PAGE_MB = 50, 0.015


@dataclass(frozen=True)
class Record:
    """One page to index: where it is served, its staged file and what makes its record."""

    url: str
    rel: str      # the page's file in the staging folder
    marks: str    # the filter marks put into its record
    key: str      # the page file's digest and the marks: an equal key, an equal record


@dataclass
class Part:
    """One part of the index: one Pagefind run, its own folder in the bundle."""

    number: int              # its place in the bundle: 0 for the first part with pages, and on
    slot: int                # which of the URL hash's slots it holds (names its folder of records)
    key: str                 # changes when any of its records changes
    records: list[Record]

    @property
    def folder(self) -> str:
        """Where it goes in the bundle: the first part is the bundle folder itself."""
        return "" if self.number == 0 else f"part-{self.number}"

    @property
    def inputs(self) -> str:
        return inputs_folder(self.slot)


def inputs_folder(slot: int) -> str:
    """A part's folder of records in the build's scratch folder."""
    return f"part-{slot}"


class NotEnoughMemory(Exception):
    """Not even one Pagefind run fits in the memory left: building on would swap."""

    def __init__(self, pages: int, need: int, free: int) -> None:
        super().__init__(f"{need} MB needed, {free} MB free")
        self.pages, self.need, self.free = pages, need, free


def runs_at_once(todo: list[Part]) -> int:
    """How many Pagefind runs go side by side: one per core, as many as the memory left holds
    (checked just before they start, with the rest of the build already in memory)."""
    if not todo:
        return 1
    pages = max(len(part.records) for part in todo)
    need = round(pagefind_mb(pages))
    free = memory.available_mb()
    if free is not None and need > free:
        raise NotEnoughMemory(pages, need, free)
    # Beyond what the machine has free, the build keeps under its peak budget: a second run
    # side by side only when it fits there too (a part sized to the budget runs alone).
    room = memory.budget_mb() - (memory.used_mb() or 0)
    if free is not None:
        room = min(room, free)
    return max(1, min(parallel.workers(), room // need))


def pagefind_mb(pages: int) -> float:
    """About what one Pagefind run over ``pages`` records holds at its peak."""
    return PAGEFIND_BASE_MB + PAGEFIND_PAGE_MB * pages


def rest_mb(pages: int) -> float:
    """About what the rest of a build of ``pages`` searchable pages holds while the index is made."""
    return BUILD_BASE_MB + BUILD_PAGE_MB * pages


def parts_for(pages: int, cores: int) -> int:
    """As few parts as the memory budget allows: each part costs a visitor's first search three
    requests (entry, metadata, the chunk with the word), so parts are as large as one Pagefind
    run beside the rest of the build fits in ``memory.PEAK_MB``. It depends on nothing but the
    page count and the settings, so render workers and rebuilds cut the same parts."""
    count = max(1, -(-pages // part_size(pages)))
    # Parts small enough to run one per core (a set part size, a huge site): a count the cores
    # divide ends with every core busy. A site with fewer parts than cores is not split further.
    if count >= cores > 1 and cores * pagefind_mb(-(-pages // count)) + rest_mb(pages) <= memory.PEAK_MB:
        count = -(-count // cores) * cores
    return count


def part_of(url: str, count: int) -> int:
    """A page's part depends only on its URL and the count, so it stays put between builds."""
    return zlib.crc32(url.encode("utf-8")) % count


def part_size(pages: int = 0) -> int:
    """Pages a part may hold: what one Pagefind run can take beside the rest of a build of
    ``pages`` searchable pages within the memory budget, never fewer than ``PART_SIZE``."""
    value = os.environ.get("SITEGEN_SEARCH_PART_SIZE", "")
    if value.isdigit():
        return max(1, int(value))
    room = memory.PEAK_MB - rest_mb(pages) - PAGEFIND_BASE_MB
    return max(PART_SIZE, int(room / PAGEFIND_PAGE_MB))


def part_key(records: list[Record], count: int) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{pagefind_cli.version()}\n{count}\n".encode())
    for record in sorted(records, key=lambda r: r.url):
        digest.update(f"{record.url}\n{record.key}\n".encode("utf-8"))
    return digest.hexdigest()
