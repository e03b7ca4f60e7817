"""``sitegen serve`` in Chromium with the pages' Content-Security-Policy enforced: a save reloads
the open page by itself (the reload script and its event stream are let through), and a
mistake in a saved page is shown in the browser as the overlay until it is fixed."""
from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
import uvicorn

from sitegen import builder
from sitegen.devserver import Reloads, make_app, open_port
from sitegen.preview import Preview
from sitegen.preview_watch import FolderWatcher
from testkit import NOW, REPO, page

pytestmark = pytest.mark.browser

WAIT = 30_000   # milliseconds
SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\n"


def save(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


@pytest.fixture
def preview_url(make_site, tmp_path):
    """The preview of a small site, served as ``sitegen serve`` serves it, in this process."""
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss", "Första texten.")},
                        site_yaml=SITE_YAML)
    options = builder.BuildOptions(content=content, out=tmp_path / "serve", sites=["demo"], drafts=True,
                                   themes=[REPO / "themes"], quiet=True)
    reloads = Reloads()
    preview = Preview(options, "demo", "/demo/", now=dt.datetime.fromisoformat(NOW), reload=reloads.tell)
    assert preview.rebuild(), preview.problems
    watcher = FolderWatcher([content / "demo"], preview.queue).start()
    preview.start()
    listener = open_port(0)
    server = uvicorn.Server(uvicorn.Config(make_app(preview, reloads), log_config=None, log_level="error",
                                           lifespan="off", timeout_graceful_shutdown=1))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    assert watcher.ready.wait(WAIT / 1000)
    yield content / "demo", f"http://127.0.0.1:{listener.getsockname()[1]}/demo/"
    server.should_exit = True
    thread.join(timeout=10)
    watcher.stop()
    preview.stop()
    listener.close()


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
