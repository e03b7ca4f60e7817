"""A ``.gz`` beside every text file of the written site, for the servers to send as they are
(nginx ``gzip_static``, Apache's rewrite to the ``.gz``; sitegen/webserver/).

Compressed once at build time at the highest level, instead of on every request at a low
one. A file linked unchanged from the live output keeps its ``.gz`` too (linked, not
compressed again), so a rebuild compresses only what changed and the ``.gz`` keeps its
mtime (``Last-Modified`` and ``ETag`` stay the same for caches).

No ``.br``: Brotli at its best level took 31 times as long as gzip -9 on the example sites for
16 % fewer bytes (docs/deploy.md), and Debian's nginx needs an extra module to send it.
"""
from __future__ import annotations

import gzip
import os
from pathlib import Path

from sitegen.features.redirects import RULES_DIR
from sitegen.features.search_index import BUNDLE
from sitegen.webserver import COMPRESSED_SUFFIXES

PHASE = "staged"
PROVIDES = ()
NEEDS = ("staged files",)   # last: a .gz beside every text file the others wrote
MIN_SIZE = 256          # smaller files gain nothing worth a second file
_SUFFIXES = tuple(f".{suffix}" for suffix in COMPRESSED_SUFFIXES)


def compressible(rel: str) -> bool:
    return rel.endswith(_SUFFIXES) and not rel.startswith(f"{RULES_DIR}/")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def compress(source: Path, live: Path) -> None:
    """Write ``source.gz``: linked from the live output when ``source`` is the live file itself."""
    target = source.with_name(source.name + ".gz")
    live_gz = live.with_name(live.name + ".gz")
    if _same_file(source, live) and live_gz.is_file():
        try:
            os.link(live_gz, target)
            return
        except OSError:
            pass
    data = source.read_bytes()
    if len(data) < MIN_SIZE:
        return
    # mtime 0: the same bytes every build. Written even in the rare case it is not smaller, so
    # that every file of MIN_SIZE or more has its .gz (intact() relies on it).
    target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))


def page_written(build, page, rel: str, html: str) -> None:
    """(In a render worker.) The ``.gz`` of a page just written anew, made while its HTML is at
    hand: compressing the pages is most of this feature's work, and the workers share it
    across the cores. A page linked from the live output is left to ``run`` (its ``.gz`` is linked)."""
    if build.staging is None or not compressible(rel) or f"{rel}.gz" in build.files:
        return
    path = os.path.join(build.staging, rel)
    if _same_file(path, build.options.out / build.config.name / rel):
        return
    data = html.encode("utf-8")   # as output.Stager wrote it
    _unlink(path + ".gz")   # maybe a link to the live one: never written through
    if len(data) >= MIN_SIZE:
        with open(path + ".gz", "wb") as f:
            f.write(gzip.compress(data, compresslevel=9, mtime=0))


def _written_here(gz: str, live_gz: Path) -> bool:
    """Is this ``.gz`` in the staging folder the one ``page_written`` made (not the live one's link)?"""
    return os.path.isfile(gz) and not _same_file(Path(gz), live_gz)


def keeps(build, rel: str) -> bool:
    """The ``.gz`` of a file this build writes is this feature's to keep up to date (``run``)."""
    return rel.endswith(".gz") and rel[:-3] in build.files and compressible(rel[:-3])


def run(build) -> None:
    """A ``.gz`` beside each text file that has none or was written anew by this build; the
    ``.gz`` of a file that is gone goes too. A staging folder made from the spare tree holds the
    live files with their ``.gz`` already (``output.Stager``): then only the files this build
    changed and the search index are looked at, not every folder of the site."""
    staging = str(build.staging)
    live = build.options.out / build.config.name
    changed = build.changed or set()
    if not build.refreshed:
        _compress_folder(staging, staging, live, changed, build.files)
        return
    for rel in sorted(changed):
        if not compressible(rel) or f"{rel}.gz" in build.files:
            continue
        path = os.path.join(staging, rel)
        if _written_here(path + ".gz", live / f"{rel}.gz"):
            continue
        _unlink(path + ".gz")   # maybe a link to the live one: never written through
        if os.path.isfile(path):
            compress(Path(path), live / rel)
    bundle = os.path.join(staging, BUNDLE)
    if os.path.isdir(bundle):
        _compress_folder(bundle, staging, live, changed, build.files)


def _compress_folder(top: str, staging: str, live: Path, changed: set, files: dict) -> None:
    for folder, _dirs, names in os.walk(top):
        present = set(names)
        prefix = os.path.relpath(folder, staging).replace(os.sep, "/") + "/" if folder != staging else ""
        for name in names:
            rel = prefix + name
            if name.endswith(".gz"):
                if name[:-3] not in present and rel not in files and compressible(rel[:-3]):
                    os.unlink(os.path.join(folder, name))   # its file is gone
                continue
            if not compressible(rel):
                continue
            if name + ".gz" in present and f"{rel}.gz" not in files:
                if rel not in changed or _written_here(os.path.join(folder, name + ".gz"), live / f"{rel}.gz"):
                    continue   # the live file with its own .gz, or compressed as it was written
                os.unlink(os.path.join(folder, name + ".gz"))   # maybe a link to the live one
            compress(Path(folder, name), live / rel)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def intact(build) -> bool:
    """Every text file of the live output has its .gz (as when this build would leave it)."""
    live = build.options.out / build.config.name
    for rel in build.files:
        rel = str(rel)
        if not compressible(rel):
            continue
        try:
            if os.stat(live / rel).st_size >= MIN_SIZE and not os.path.exists(live / (rel + ".gz")):
                return False
        except OSError:
            return False
    return True
