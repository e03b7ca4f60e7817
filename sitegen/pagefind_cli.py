"""The Pagefind program, run once per index part: the only module that starts it.

The ``pagefind`` PyPI package ships the Pagefind binary; it is run directly (``python -m
pagefind`` would start a Python interpreter first, once per part). One program run over a folder of HTML files indexes a thousand small pages in about a
second; Pagefind's own Python service answers one request per 0.1 s poll instead, which
made a thousand pages take minutes.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TIMEOUT = 900   # seconds for one part; a part is at most a few thousand pages


class PagefindFailed(Exception):
    """The program could not index a folder; the message is what it printed."""


def index_folder(site: Path, output: Path) -> None:
    """Index every HTML file under ``site`` into the bundle folder ``output``."""
    try:
        done = subprocess.run([*_program(), "--site", str(site), "--output-path", str(output), "--silent"],
                              capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as exc:
        raise PagefindFailed(str(exc)) from None
    if done.returncode != 0:
        raise PagefindFailed((done.stderr or done.stdout).strip() or f"pagefind exited {done.returncode}")
    for unused in output.glob("pagefind-*ui.*"):
        unused.unlink()  # Pagefind's ready-made UIs: the theme's search.js is used instead


def _program() -> list[str]:
    try:
        from pagefind.service import get_executable
        binary = get_executable()
    except ImportError:
        binary = None
    return [str(binary)] if binary is not None else [sys.executable, "-m", "pagefind"]


def version() -> str:
    """The installed Pagefind package's version (part of an index part's key)."""
    try:
        from importlib.metadata import version as installed
        return installed("pagefind")
    except Exception:   # not installed as a distribution: the key just never matches an old one
        return "unknown"
