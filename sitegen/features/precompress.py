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
from sitegen.webserver import COMPRESSED_SUFFIXES

PHASE = "staged"
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


def run(build) -> None:
    staging = build.staging
    live = build.options.out / build.config.name
    for folder, _dirs, names in os.walk(staging):
        for name in names:
            path = Path(folder, name)
            rel = path.relative_to(staging).as_posix()
            if compressible(rel):
                compress(path, live / rel)


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
