"""Is an incremental build's output what a clean build of the same sources makes?

    python bench/same_output.py BUILT CLEAN     # two site folders; exit status 1 when they differ

Every file is compared byte for byte, except Pagefind's own index files: Pagefind names them by
hashes that differ from run to run even for the same records, so for those the check is that
both folders list the same files once hexadecimal names are masked, that the index parts were
built from the same pages (``pagefind/sitegen-parts.json``, a key per part hashed from its pages'
output, is compared byte for byte), and that each ``.gz`` holds its file's bytes.
"""
from __future__ import annotations

import gzip
import os
import re
import sys
from pathlib import Path

BUNDLE = "pagefind/"
PARTS_FILE = "pagefind/sitegen-parts.json"
_HEX = re.compile(r"[0-9a-f]{7,}")


def files_of(top: Path) -> dict[str, Path]:
    found = {}
    for folder, _dirs, names in os.walk(top):
        for name in names:
            path = Path(folder, name)
            found[path.relative_to(top).as_posix()] = path
    return found


def pagefind_own(rel: str) -> bool:
    return rel.startswith(BUNDLE) and rel not in (PARTS_FILE, f"{PARTS_FILE}.gz")


def differences(built: Path, clean: Path) -> list[str]:
    """What differs, one line each (empty: the same output)."""
    ours, theirs = files_of(built), files_of(clean)
    out = []
    plain = lambda files: {rel for rel in files if not pagefind_own(rel)}   # noqa: E731
    for rel in sorted(plain(ours) ^ plain(theirs)):
        out.append(f"only in {'the incremental' if rel in ours else 'the clean'} build: {rel}")
    for rel in sorted(plain(ours) & plain(theirs)):
        if ours[rel].read_bytes() != theirs[rel].read_bytes():
            out.append(f"differs: {rel}")
    masked = lambda files: sorted(_HEX.sub("#", rel) for rel in files if pagefind_own(rel))   # noqa: E731
    if masked(ours) != masked(theirs):
        out.append("the search index files differ (names with hashes masked)")
    for rel, path in ours.items():
        if rel.endswith(".gz") and rel[:-3] in ours:
            if gzip.decompress(path.read_bytes()) != ours[rel[:-3]].read_bytes():
                out.append(f"stale .gz: {rel}")
    return out


def main(argv: list[str]) -> int:
    found = differences(Path(argv[0]), Path(argv[1]))
    for line in found[:20]:
        print(line)
    print("identical" if not found else f"{len(found)} differences")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
