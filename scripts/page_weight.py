"""Page weight: the HTML, CSS and JavaScript a visitor downloads for one page, gzip-compressed.

    python scripts/page_weight.py build/kulturskolan/kurser/musik/piano/index.html

Images are left out (they load lazily and differ per page); the goal for the rest is under
30 KB compressed, and every page works with no JavaScript at all.
"""
from __future__ import annotations

import argparse
import gzip
import re
import sys
from dataclasses import dataclass
from pathlib import Path

GOAL = 30 * 1024
# Stylesheets and scripts the page loads from its own site (root-relative URLs).
ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="(/[^"]+)"')


@dataclass
class Weight:
    files: dict[str, tuple[int, int]]   # name -> (bytes, gzip bytes)

    @property
    def raw(self) -> int:
        return sum(raw for raw, _ in self.files.values())

    @property
    def compressed(self) -> int:
        return sum(packed for _, packed in self.files.values())


def _sizes(data: bytes) -> tuple[int, int]:
    return len(data), len(gzip.compress(data, compresslevel=9, mtime=0))


def measure(page: Path, build_root: Path) -> Weight:
    """``build_root`` is the folder that holds the site folders (URL paths start there)."""
    html = page.read_bytes()
    files = {page.relative_to(build_root).as_posix(): _sizes(html)}
    for url in ASSET.findall(html.decode("utf-8")):
        path = build_root / url.lstrip("/")
        if path.is_file():
            files[url] = _sizes(path.read_bytes())
    return Weight(files)


def _build_root(page: Path) -> Path:
    """The folder that holds the site folder: the parent of the first folder with an assets/."""
    for parent in page.resolve().parents:
        if (parent / "assets").is_dir():
            return parent.parent
    raise SystemExit(f"{page}: not inside a built site (no assets/ folder above it)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="+", type=Path, help="built HTML files")
    args = parser.parse_args(argv)
    over = False
    for page in args.pages:
        weight = measure(page.resolve(), _build_root(page))
        for name, (raw, packed) in weight.files.items():
            print(f"  {name}: {raw / 1024:.1f} KB, {packed / 1024:.1f} KB gzip")
        verdict = "within" if weight.compressed <= GOAL else "OVER"
        print(f"{page}: {weight.compressed / 1024:.1f} KB gzip ({weight.raw / 1024:.1f} KB raw), "
              f"{verdict} the goal of {GOAL // 1024} KB")
        over |= weight.compressed > GOAL
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
