"""``sitegen serve``: the site under its URL path, a save shown at once, errors as an overlay.

The first tests run the real command in a subprocess. The others run the preview in this
process (watcher, rounds, WSGI app) with full builds that can be held, to see what a save
shows before the full rebuild has run.
"""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sitegen import builder
from sitegen.devserver import make_app
from sitegen.preview import Preview
from sitegen.preview_watch import FolderWatcher
from testkit import REPO, page

WAIT = 30   # seconds: the first build and each rebuild must be done well within this
SITE_YAML = ("title: Demo\nbase_url: https://www.example.se/demo/\n"
             "feedback:\n  endpoint: https://feedback.example.se/feedback\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_for(url: str, text: str) -> str:
    deadline, body = time.monotonic() + WAIT, ""
    while time.monotonic() < deadline:
        try:
            _, body = fetch(url)
            if text in body:
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"'{text}' not shown at {url} within {WAIT} s; last answer:\n{body[:2000]}")


def until(condition, what: str):
    """Poll ``condition`` until it gives something true; fail after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.02)
    raise AssertionError(f"not within {WAIT} s: {what}")


def save(path: Path, text: str) -> None:
    """Save as most editors do: a hidden temporary file renamed over the old one, so the watcher
    never sees the file half-written (a plain write can be seen truncated on a busy machine)."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


# --- the real command -----------------------------------------------------------------------

@pytest.fixture
def served(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss", "Första texten."),
                         "utkast.md": page("Utkast", draft="true")}, site_yaml=SITE_YAML)
    port = free_port()
    with open(tmp_path / "serve.log", "wb") as log:   # a file: a full pipe would stop the server
        process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "demo", "--content", str(content),
                                    "--port", str(port), "--themes", str(REPO / "themes")],
                                   cwd=content.parent, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield content, f"http://127.0.0.1:{port}/demo/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serves_under_the_site_path_with_drafts_and_live_reload(served):
    content, base = served
    body = wait_for(base + "om/", "Första texten.")
    assert "livereload" in body
    assert 'action="https://feedback.example.se/feedback"' in body
    status, draft = fetch(base + "utkast/")
    assert status == 200
    assert '<p class="preview-status draft" role="note"><strong>Utkast</strong>' in draft
    assert "preview-status" not in body


def test_a_head_request_gets_the_headers_of_the_page(served):
    _, base = served
    wait_for(base, "Start")
    with urllib.request.urlopen(urllib.request.Request(base + "om/", method="HEAD"), timeout=5) as response:
        assert response.status == 200 and response.read() == b""
        assert response.headers["Content-Type"].startswith("text/html")


def test_a_save_is_shown_and_a_broken_file_shows_the_overlay(served):
    content, base = served
    wait_for(base + "om/", "Första texten.")
    save(content / "demo" / "om.md", page("Om oss", "Andra texten."))
    wait_for(base + "om/", "Andra texten.")
    save(content / "demo" / "om.md", "---\ntitle: Om oss\nweight: tung\n---\n")
    # (Under load the watcher may see the file half-written first and show that error; the
    # rest of the write is a change too, so the overlay settles on the real mistake.)
    overlay = wait_for(base + "om/", "content/demo/om.md:3: error")
    assert "sitegen-problems" in overlay
    assert fetch(base)[0] == 500   # every page shows it until the file is fixed
    save(content / "demo" / "om.md", page("Om oss", "Rättad text."))
    wait_for(base + "om/", "Rättad text.")


def test_a_renamed_page_shows_its_lost_address_until_the_list_lets_it_go(served):
    content, base = served
    wait_for(base + "om/", "Första texten.")
    save(content / "demo" / "publicerade-adresser.txt", "/demo/\n/demo/om/  Om oss\n")
    (content / "demo" / "om.md").rename(content / "demo" / "om-oss.md")
    overlay = wait_for(base, "content/demo/om-oss.md:2: error: the address /demo/om/ was published")
    assert "aliases: [/demo/om/]" in overlay
    (content / "demo" / "publicerade-adresser.txt").unlink()   # the editor lets the address go
    wait_for(base + "om-oss/", "Första texten.")


def test_a_save_reloads_the_browser_once_the_page_is_served(served):
    """livereload's socket tells the browser to reload; by then the page has the new text."""
    from tornado.websocket import websocket_connect

    content, base = served
    wait_for(base + "om/", "Första texten.")

    async def reload_after_save() -> dict:
        socket = await websocket_connect(f"ws://127.0.0.1:{urlsplit(base).port}/livereload")
        hello = {"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}
        socket.write_message(json.dumps(hello))
        assert json.loads(await socket.read_message())["command"] == "hello"
        socket.write_message(json.dumps({"command": "info", "url": base + "om/", "plugins": {}}))
        socket.write_message(json.dumps(hello))   # answered once the server has taken the info
        await socket.read_message()
        save(content / "demo" / "om.md", page("Om oss", "Andra texten."))
        message = json.loads(await asyncio.wait_for(socket.read_message(), WAIT))
        socket.close()
        return message

    assert asyncio.run(reload_after_save())["command"] == "reload"
    assert "Andra texten." in fetch(base + "om/")[1]


# --- the preview in this process ------------------------------------------------------------

class HeldBuilds:
    """``builder.execute`` that waits while ``open`` is clear: what does a save show before the
    full rebuild is done?"""

    def __init__(self, monkeypatch):
        self.open = threading.Event()
        self.open.set()
        real = builder.execute

        def execute(options):
            assert self.open.wait(WAIT), "a held build was never let go"
            return real(options)
        monkeypatch.setattr(builder, "execute", execute)


@dataclass
class Live:
    preview: Preview
    site: Path
    held: HeldBuilds
    reloads: list

    def get(self, path: str) -> tuple[int, str]:
        """The answer of the preview's WSGI app, as the browser gets it."""
        status = []
        body = make_app(self.preview)({"PATH_INFO": self.preview.prefix + path},
                                      lambda line, headers: status.append(line))
        return int(status[0].split()[0]), b"".join(body).decode("utf-8")

    def shows(self, path: str, text: str) -> str:
        def answer() -> str:
            body = self.get(path)[1]
            return body if text in body else ""
        return until(answer, f"'{text}' at {path}; last answer:\n{self.get(path)[1][:2000]}")

    def built(self, count: int) -> None:
        until(lambda: self.preview.builds >= count and self.preview.idle, f"{count} full builds")
        assert self.preview.builds == count


@pytest.fixture
def live(make_site, tmp_path, monkeypatch):
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss", "Första texten."),
                         "hitta.md": page("Hitta hit", "Ta bussen.")}, site_yaml=SITE_YAML)
    held = HeldBuilds(monkeypatch)
    options = builder.BuildOptions(content=content, out=tmp_path / "serve", sites=["demo"], drafts=True,
                                   themes=[REPO / "themes"], quiet=True)
    preview = Preview(options, "demo", "/demo/")
    reloads = []
    preview.reload = lambda: reloads.append(time.monotonic())
    assert preview.rebuild(), preview.problems
    watcher = FolderWatcher([content / "demo"], preview.queue).start()
    assert watcher.ready.wait(WAIT)
    preview.start()
    yield Live(preview, content / "demo", held, reloads)
    held.open.set()
    until(lambda: preview.idle, "the last round done")
    watcher.stop()
    preview.stop()


def test_a_body_save_is_shown_before_the_full_rebuild(live):
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Andra texten."))
    live.shows("om/", "Andra texten.")
    assert (live.preview.builds, live.preview.fast_updates, len(live.reloads)) == (1, 1, 1)
    live.held.open.set()
    live.built(2)
    assert "Andra texten." in live.get("om/")[1]
    assert len(live.reloads) == 1   # the rebuild changed no other page: no second reload


def test_a_title_change_takes_the_full_rebuild_and_updates_the_cards(live):
    assert "Om oss" in live.get("hitta/")[1]
    save(live.site / "om.md", page("Om föreningen", "Första texten."))
    live.shows("hitta/", "Om föreningen")   # the card on the sibling page
    live.built(2)
    assert live.preview.fast_updates == 0 and len(live.reloads) == 1


def test_a_link_to_a_missing_page_shows_the_overlay_before_the_full_rebuild(live):
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Läs [mer](saknas.md)."))
    overlay = live.shows("hitta/", "sitegen-problems")
    assert "content/demo/om.md:6: error: link to missing page &#x27;saknas.md&#x27;" in overlay
    assert live.get("hitta/")[0] == 500 and live.preview.builds == 1
    live.held.open.set()
    live.built(2)   # the full build finds the same mistake
    assert "content/demo/om.md:6: error: link to missing page" in live.get("om/")[1]
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Läs [mer](hitta.md)."))
    assert 'href="/demo/hitta/"' in live.shows("om/", "Läs <a")   # fixed: shown by the fast path again
    assert live.preview.builds == 2 and live.preview.fast_updates == 2


def test_a_link_to_a_made_page_is_shown_by_the_fast_path(live):
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Se [kontakt](kontakt.md) och [sök](/demo/sok/)."))
    shown = live.shows("om/", "Se <a")
    assert 'href="/demo/kontakt/"' in shown and 'href="/demo/sok/"' in shown
    assert live.preview.fast_updates == 1 and not live.preview.errors


def test_a_save_during_a_full_rebuild_is_shown_at_once(live):
    live.held.open.clear()
    save(live.site / "hitta.md", page("Hitta hit", "Ta bussen.", weight=1))   # front matter: a full build
    until(lambda: not live.preview.idle, "the round started")
    save(live.site / "om.md", page("Om oss", "Under bygget."))
    live.shows("om/", "Under bygget.")
    assert live.preview.builds == 1
    live.held.open.set()
    live.built(3)   # the held build did not see the save; the next one does
    assert "Under bygget." in live.get("om/")[1]


def test_a_burst_of_saves_is_one_round(live):
    live.held.open.clear()
    for name, title in (("index.md", "Start"), ("om.md", "Om oss"), ("hitta.md", "Hitta hit")):
        save(live.site / name, page(title, f"Ny text om {title.lower()}."))
    live.shows("hitta/", "Ny text om hitta hit.")
    live.held.open.set()
    live.built(2)
    assert live.preview.fast_updates == 1
    assert "Ny text om start." in live.get("")[1] and "Ny text om om oss." in live.get("om/")[1]


def test_the_watcher_hands_on_a_burst_as_one_set(tmp_path):
    quiet = 0.2
    batches, saved = [], []
    watcher = FolderWatcher([tmp_path], lambda paths: batches.append((time.monotonic(), paths)), quiet=quiet)
    watcher.start()
    assert watcher.ready.wait(WAIT)
    try:
        for i in range(5):   # gaps shorter than the quiet time: one burst
            save(tmp_path / f"f{i}.md", "x")
            saved.append(time.monotonic())
            time.sleep(quiet / 4)
        until(lambda: batches, "a batch of changes")
        time.sleep(3 * quiet)   # long enough for a second batch, if there were one
    finally:
        watcher.stop()
    assert len(batches) == 1
    when, paths = batches[0]
    assert when > saved[-1] and {p.name for p in paths} == {f"f{i}.md" for i in range(5)}


# --- a port that is taken ----------------------------------------------------------------

def test_a_busy_port_is_one_line_that_suggests_another(make_site, tmp_path):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "sitegen", "serve", "demo", "--content", str(content),
                               "--port", str(port)], capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 1
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
    assert f"port {port} is already in use" in done.stderr and f"--port {port + 1}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_port_out_of_range_is_refused_without_traceback(make_site, tmp_path):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    done = subprocess.run([sys.executable, "-m", "sitegen", "serve", "demo", "--content", str(content),
                           "--port", "99999"], capture_output=True, text=True, timeout=WAIT)
    assert done.returncode == 2 and "not a port number" in done.stderr and "Traceback" not in done.stderr
