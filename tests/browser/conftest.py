"""Browser fixtures: Debian's Chromium driven by Playwright, and a static server on 127.0.0.1.

The server serves a build folder under each site's URL path (``/kulturskolan/...``), as
production does, and records every request so tests can prove nothing left 127.0.0.1.
"""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

from testkit import StaticSiteHandler

CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def serve_dir():
    """Start a static server for a folder; returns its base URL (http://127.0.0.1:PORT)."""
    servers = []

    def serve(folder: Path) -> str:
        handler = functools.partial(StaticSiteHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()


# Per module, not per session: a running sync Playwright holds an event loop in the main
# thread, and tests elsewhere (the feedback service's) start their own loops.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """A new page at a given viewport width; ``page.requests`` lists every URL it asked for."""
    contexts = []

    def open_(width: int = 1280, javascript: bool = True, enforce_csp: bool = False):
        # Playwright's wait_for_function evaluates its text as script, which the pages'
        # Content-Security-Policy forbids; test_csp_in_browser.py enforces the policy.
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                      bypass_csp=not enforce_csp)
        contexts.append(context)
        # Nothing may leave the machine: requests to other hosts are recorded, then aborted.
        context.route(lambda url: not url.startswith(("http://127.0.0.1", "data:", "blob:")),
                      lambda route: route.abort())
        tab = context.new_page()
        tab.requests = []
        tab.on("request", lambda request: tab.requests.append(request.url))
        return tab

    yield open_
    for context in contexts:
        context.close()
