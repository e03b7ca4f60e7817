"""``sitegen serve`` in Chromium with the pages' Content-Security-Policy enforced: a save reloads
the open page by itself (livereload's snippet, its livereload.js and its websocket are let
through), and a mistake in a saved page is shown in the browser as the overlay until it is fixed."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from testkit import REPO, page

pytestmark = pytest.mark.browser

WAIT = 30_000   # milliseconds
SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\n"


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_served(url: str) -> None:
    deadline = time.monotonic() + WAIT / 1000
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"{url} not served within {WAIT / 1000} s")


@pytest.fixture
def preview_url(make_site, tmp_path):
    """``sitegen serve`` of a small site: the real command, with livereload's server."""
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss", "Första texten.")},
                        site_yaml=SITE_YAML)
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "demo", "--content", str(content),
                                    "--port", str(port), "--themes", str(REPO / "themes")],
                                   cwd=content.parent, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/demo/"
        wait_until_served(base)
        yield content / "demo", base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_save_reloads_the_open_page_and_a_mistake_shows_the_overlay(preview_url, open_page):
    site, base = preview_url
    tab = open_page(enforce_csp=True)
    refused = []
    tab.on("console", lambda message: refused.append(message.text)
           if "Content Security Policy" in message.text else None)
    tab.goto(base + "om/")
    tab.get_by_text("Första texten.").wait_for(timeout=WAIT)
    tab.wait_for_load_state("networkidle")

    save(site / "om.md", page("Om oss", "Andra texten."))
    tab.get_by_text("Andra texten.").wait_for(timeout=WAIT)   # reloaded by itself: no goto

    save(site / "om.md", "---\ntitle: Om oss\nweight: tung\n---\n")
    problems = tab.locator(".sitegen-problems")
    problems.wait_for(timeout=WAIT)
    assert "content/demo/om.md:3: error" in problems.inner_text()

    save(site / "om.md", page("Om oss", "Rättad text."))
    tab.get_by_text("Rättad text.").wait_for(timeout=WAIT)
    assert refused == []
    assert all(url.startswith(base.split("/demo/")[0]) for url in tab.requests)
