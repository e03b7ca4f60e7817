"""``sitegen serve``: the site under its URL path, a save shown at once, errors as an overlay.

The first tests run the real command in a subprocess and talk to it as a browser does: pages,
and livereload's websocket that tells them to reload. The others run the preview in this
process (watcher, rounds, the app's answers) with full builds that can be held, to see what a
save shows before the full rebuild has run; each page shown is compared with what
``sitegen build`` makes of the same files.
"""
from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import html
import json
import logging
import os
import re
import signal
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
from websockets.sync.client import connect

from sitegen import builder, messages
from sitegen.devserver import answer, quiet_server_logs, widened
from sitegen.preview import Preview
from sitegen.problems import Problem
from sitegen.preview_watch import FolderWatcher
from testkit import NOW, REPO, page

BUILD = builder.execute   # the real build, also while a test holds the preview's
SNIPPET = re.compile(r'<script type="text/javascript">(\(function\(\)\{.*?livereload\.js.*?)</script></head>')
POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
LIVERELOAD = "http://livereload.com/protocols/official-7"

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


@contextlib.contextmanager
def open_socket(page_url: str):
    """livereload's websocket, as livereload.js in the page at ``page_url`` opens it: the
    handshake, then the page's address (from then on the page is told to reload)."""
    parts = urlsplit(page_url)
    with connect(f"ws://{parts.netloc}/livereload", open_timeout=WAIT) as websocket:
        websocket.send(json.dumps({"command": "hello", "protocols": [LIVERELOAD]}))
        assert json.loads(websocket.recv(timeout=WAIT))["command"] == "hello"
        websocket.send(json.dumps({"command": "info", "url": page_url, "plugins": {}}))
        # The server answers in order: once it answers this second hello, it has the page's address.
        websocket.send(json.dumps({"command": "hello", "protocols": [LIVERELOAD]}))
        assert json.loads(websocket.recv(timeout=WAIT))["command"] == "hello"
        yield websocket


def told_to_reload(websocket) -> bool:
    message = json.loads(websocket.recv(timeout=WAIT))
    return message["command"] == "reload" and message["path"] == "*"   # the whole page, not a stylesheet


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
    assert SNIPPET.search(body)   # livereload's, at the end of the head
    assert 'action="https://feedback.example.se/feedback"' in body
    status, draft = fetch(base + "utkast/")
    assert status == 200
    assert '<p class="preview-status draft" role="note"><strong>Utkast</strong>' in draft
    assert "preview-status" not in body
    origin = base.split("/demo/")[0]
    with urllib.request.urlopen(origin + "/livereload.js", timeout=5) as response:
        assert "javascript" in response.headers["Content-Type"]
        assert "/livereload" in response.read().decode("utf-8")


def test_the_page_s_policy_lets_in_livereload_s_snippet_and_websocket(served):
    content, base = served
    body = wait_for(base + "om/", "Första texten.")
    snippet = SNIPPET.search(body)[1].encode("utf-8")
    digest = base64.b64encode(hashlib.sha256(snippet).digest()).decode("ascii")
    directives = {d.split()[0]: d.split()[1:] for d in html.unescape(POLICY.search(body)[1]).split("; ")}
    assert directives["script-src"] == ["'self'", f"'sha256-{digest}'"]
    assert directives["connect-src"] == ["'self'", "https://feedback.example.se", f"ws://{urlsplit(base).netloc}"]
    assert directives["default-src"] == ["'none'"]


def test_the_build_s_own_pages_keep_their_policy(served):
    """The preview's additions are in what it serves, never in what the build wrote."""
    content, base = served
    wait_for(base + "om/", "Första texten.")
    written = (content.parent / ".sitegen-cache" / "serve" / "demo" / "om" / "index.html").read_text(encoding="utf-8")
    assert "sha256-" not in written and "ws://" not in written and "livereload" not in written


def test_the_preview_prints_no_english_server_lines(served, tmp_path):
    _, base = served
    wait_for(base, "Start")
    with open_socket(base) as websocket:   # livereload would say "Browser connected"
        save(served[0] / "demo" / "om.md", page("Om oss", "Andra texten."))
        assert told_to_reload(websocket)   # and "Running task", "Reload 1 waiters"
    fetch(base + "saknas/")                # tornado would log the request
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert "preview of demo at" in log   # the preview's own line (English in this test's language)
    assert "livereload" not in log.lower() and "tornado" not in log.lower()
    assert not re.search(r"Serving on|Browser|Running task|Reload \d|waiters|Start watching|GET /", log)


def test_ctrl_c_stops_the_preview_with_pages_open(make_site, tmp_path):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "demo", "--content", str(content),
                                "--port", str(port), "--themes", str(REPO / "themes")],
                               cwd=content.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))   # as from a terminal
    try:
        base = f"http://127.0.0.1:{port}/demo/"
        wait_for(base, "Start")
        with open_socket(base):
            process.send_signal(signal.SIGINT)
            output, _ = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 130
    assert output.rstrip().endswith("interrupted")
    assert "Traceback" not in output and "Shutting down" not in output


def head_and_get(url: str):
    """The HEAD and GET answers for ``url``: (status, headers without Date, body) of each."""
    answers = []
    for method in ("HEAD", "GET"):
        try:
            response = urllib.request.urlopen(urllib.request.Request(url, method=method), timeout=5)
        except urllib.error.HTTPError as error:   # 404 and 500 are answers too
            response = error
        with response:
            headers = sorted((name, value) for name, value in response.headers.items() if name != "Date")
            answers.append((response.status, headers, response.read()))
    return answers


def test_a_head_request_gets_the_headers_of_the_page(served):
    _, base = served
    wait_for(base, "Start")
    (head_status, head_headers, head_body), (status, headers, body) = head_and_get(base + "om/")
    assert head_status == status == 200 and head_body == b""
    assert head_headers == headers
    assert dict(head_headers)["Content-Length"] == str(len(body)) != "0"   # with livereload's snippet counted


def test_a_head_request_of_a_missing_page_gets_the_headers_of_its_answer(served):
    _, base = served
    wait_for(base, "Start")
    (head_status, head_headers, head_body), (status, headers, body) = head_and_get(base + "saknas/")
    assert head_status == status == 404 and head_body == b""
    assert head_headers == headers and dict(headers)["Content-Length"] == str(len(body))


def test_a_save_is_shown_and_a_broken_file_shows_the_overlay(served):
    content, base = served
    wait_for(base + "om/", "Första texten.")
    save(content / "demo" / "om.md", page("Om oss", "Andra texten."))
    wait_for(base + "om/", "Andra texten.")
    save(content / "demo" / "om.md", "---\ntitle: Om oss\nweight: tung\n---\n")
    # (Under load the watcher may see the file half-written first and show that error; the
    # rest of the write is a change too, so the overlay settles on the real mistake.)
    overlay = wait_for(base + "om/", "content/demo/om.md:3: error")
    assert "sitegen-problems" in overlay and SNIPPET.search(overlay)   # the overlay reloads too
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
    """livereload's websocket says "reload"; by then the page has the new text."""
    content, base = served
    wait_for(base + "om/", "Första texten.")
    with open_socket(base + "om/") as websocket:
        save(content / "demo" / "om.md", page("Om oss", "Andra texten."))
        assert told_to_reload(websocket)
        assert "Andra texten." in fetch(base + "om/")[1]


def test_saves_soon_after_each_other_each_reload_the_browser(served):
    """livereload left alone drops a reload within 3 s of the last one; the preview's are not."""
    content, base = served
    wait_for(base + "om/", "Första texten.")
    with open_socket(base + "om/") as websocket:
        for text in ("Andra texten.", "Tredje texten."):
            save(content / "demo" / "om.md", page("Om oss", text))
            assert told_to_reload(websocket)
            assert text in fetch(base + "om/")[1]


def test_an_internal_error_of_the_server_is_one_line_in_the_preview_s_words(capsys):
    names = ("livereload", "tornado.access", "tornado.general", "tornado.application")
    before = {name: (logging.getLogger(name).disabled, logging.getLogger(name).propagate,
                     logging.getLogger(name).handlers[:]) for name in names}
    quiet_server_logs()
    try:
        try:
            raise ValueError("trasig")
        except ValueError:   # as tornado logs a bug of the app
            logging.getLogger("tornado.application").error("Uncaught exception GET /demo/", exc_info=True)
        logging.getLogger("livereload").warning("Browser Connected: http://127.0.0.1/demo/")
    finally:
        for name, (disabled, propagate, handlers) in before.items():
            logger = logging.getLogger(name)
            logger.disabled, logger.propagate, logger.handlers[:] = disabled, propagate, handlers
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("internal error of the preview server: ValueError('trasig'); ")
    assert "Traceback" not in captured.err


def test_a_policy_without_the_directives_gets_them_from_default_src():
    assert widened("default-src 'self'", "sha256-abc", "ws://127.0.0.1:8000") == (
        "default-src 'self'; script-src 'self' 'sha256-abc'; connect-src 'self' ws://127.0.0.1:8000")
    assert widened("script-src 'none'; img-src 'self'", "sha256-abc", "ws://h:1") == (
        "script-src 'sha256-abc'; img-src 'self'")   # no connect-src nor default-src: not limited


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
        """The preview's answer, as the browser gets it."""
        status, _headers, body = answer(self.preview, self.preview.prefix + path)
        return status, body.decode("utf-8")

    def shows(self, path: str, text: str) -> str:
        def shown() -> str:
            body = self.get(path)[1]
            return body if text in body else ""
        return until(shown, f"'{text}' at {path}; last answer:\n{self.get(path)[1][:2000]}")

    def built(self, count: int) -> None:
        until(lambda: self.preview.builds >= count and self.preview.idle, f"{count} full builds")
        assert self.preview.builds == count

    def page_as_built(self, path: str, out: Path) -> str:
        """The page as the preview shows it, without the reload script; it must be what
        ``sitegen build --drafts`` makes of the same files (built into ``out``)."""
        shown = self.get(path)[1]
        assert shown == self.build(out).joinpath(path, "index.html").read_text(encoding="utf-8")
        return shown

    def build(self, out: Path) -> Path:
        options = self.preview.options
        problems, _builds = BUILD(builder.BuildOptions(content=options.content, out=out, sites=["demo"],
                                                       drafts=True, themes=options.themes, quiet=True,
                                                       now=self.preview.now, cache=False))
        assert not problems.errors, [p.format() for p in problems.errors]
        return out / "demo"

    def build_problems(self, out: Path) -> list[str]:
        options = self.preview.options
        problems, _builds = BUILD(builder.BuildOptions(content=options.content, out=out, sites=["demo"],
                                                       drafts=True, themes=options.themes, quiet=True,
                                                       now=self.preview.now, cache=False))
        return [p.format() for p in problems.sorted() if p.severity == "error"]


@pytest.fixture
def live(make_site, tmp_path, monkeypatch):
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss", "Första texten."),
                         "hitta.md": page("Hitta hit", "Ta bussen."),
                         "kurser/index.md": page("Kurser", "Våra kurser."),
                         "kurser/piano.md": page("Piano", "Spela piano.")}, site_yaml=SITE_YAML)
    held = HeldBuilds(monkeypatch)
    options = builder.BuildOptions(content=content, out=tmp_path / "serve", sites=["demo"], drafts=True,
                                   themes=[REPO / "themes"], quiet=True)
    preview = Preview(options, "demo", "/demo/", now=dt.datetime.fromisoformat(NOW))
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


def overlay_problems(overlay: str) -> list[str]:
    return [html.unescape(line) for line in re.findall(r"<li><code>(.*?)</code></li>", overlay, re.DOTALL)]


def test_a_saved_body_is_the_page_the_build_makes(live, tmp_path):
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Andra *texten*, se [hitta hit](hitta.md)."))
    live.shows("om/", "Andra <em>texten</em>")
    assert (live.preview.builds, live.preview.fast_updates) == (1, 1)
    live.page_as_built("om/", tmp_path / "build")


def test_the_fast_path_leaves_the_build_and_its_folder_as_they_were(live):
    kept = live.preview.last.site.by_source["om.md"]
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Andra texten."))
    live.shows("om/", "Andra texten.")
    assert "Första texten." in (live.preview.folder / "om" / "index.html").read_text(encoding="utf-8")
    assert (kept.body, kept.html) == ("", "") and kept.frame_origins == []
    live.held.open.set()
    live.built(2)
    assert "Andra texten." in (live.preview.folder / "om" / "index.html").read_text(encoding="utf-8")
    assert live.preview.shown == {}   # served from the build's folder again


def test_a_cascade_change_shows_the_pages_below_as_the_build_makes_them(live, tmp_path):
    form = 'action="https://feedback.example.se/feedback"'
    assert form in live.get("kurser/piano/")[1]
    save(live.site / "kurser" / "index.md", page("Kurser", "Våra kurser.", cascade="{feedback: false}"))
    until(lambda: form not in live.get("kurser/piano/")[1], "the cascade on the page below")
    live.built(2)
    assert live.preview.fast_updates == 0   # front matter: the full build alone
    live.page_as_built("kurser/piano/", tmp_path / "build")


def test_a_shortcode_and_an_embed_in_a_saved_page_are_what_the_build_makes(live, tmp_path):
    live.held.open.clear()
    body = ("::: faktaruta Bra att veta\nDu behöver inget eget piano.\n:::\n\n"
            "::: embed https://www.youtube.com/watch?v=abc123\n:::\n")
    save(live.site / "om.md", page("Om oss", body))
    shown = live.shows("om/", "Du behöver inget eget piano.")
    assert live.preview.fast_updates == 1 and "data-player=" in shown
    assert "frame-src https://www.youtube-nocookie.com" in live.page_as_built("om/", tmp_path / "with")
    live.held.open.set()
    live.built(2)   # the kept build has the player now
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Ingen film längre."))   # the player's frame goes too
    shown = live.shows("om/", "Ingen film längre.")
    assert live.preview.fast_updates == 2 and "youtube" not in shown
    live.page_as_built("om/", tmp_path / "without")


def test_a_new_page_is_shown_with_its_section_as_the_build_makes_them(live, tmp_path):
    save(live.site / "kurser" / "orgel.md", page("Orgel", "Spela orgel."))
    live.shows("kurser/orgel/", "Spela orgel.")
    live.built(2)
    assert live.preview.fast_updates == 0
    live.page_as_built("kurser/orgel/", tmp_path / "build")
    assert "Orgel" in live.page_as_built("kurser/", tmp_path / "build")   # its card


def test_a_removed_page_answers_410_once_site_yaml_says_so(live, tmp_path):
    (live.site / "hitta.md").unlink()
    until(lambda: live.get("hitta/")[0] == 404, "the deleted page gone")
    save(live.site / "site.yaml", SITE_YAML + "removed: [/demo/hitta/]\n")
    until(lambda: live.get("hitta/")[0] == 410, "410 for the removed page")
    live.built(3)
    status, body = live.get("hitta/")
    built = live.build(tmp_path / "build")
    assert body == (built / "410.html").read_text(encoding="utf-8")   # the site's own 410 page
    assert "Sidan är borttagen" in body
    assert 'location = "/demo/hitta/" { return 410; }' in (built / "_server" / "nginx-location.conf").read_text()
    assert live.get("om/")[0] == 200


def test_a_front_matter_error_shows_the_build_s_problems(live, tmp_path):
    save(live.site / "om.md", "---\ntitle: Om oss\nweight: tung\n---\n")
    overlay = live.shows("hitta/", "sitegen-problems")
    assert live.get("hitta/")[0] == 500
    assert overlay_problems(overlay) == live.build_problems(tmp_path / "build")
    assert "content/demo/om.md:3: error" in overlay


def test_a_body_error_shown_by_the_fast_path_is_the_build_s_problem(live, tmp_path):
    live.held.open.clear()
    save(live.site / "om.md", page("Om oss", "Läs [mer](saknas.md)."))
    overlay = live.shows("om/", "sitegen-problems")
    assert live.preview.builds == 1 and live.preview.fast_updates == 1
    assert overlay_problems(overlay) == live.build_problems(tmp_path / "build")


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


# --- the app's answers without a build --------------------------------------------------------

def failed_first_build(tmp_path) -> Preview:
    """A preview whose first build failed: no site folder yet, only the errors."""
    options = builder.BuildOptions(content=tmp_path / "content", out=tmp_path / "serve", sites=["demo"], quiet=True)
    preview = Preview(options, "demo", "/demo/")
    preview.errors = [Problem("content/demo/om.md", 3, "rubriken saknas")]
    return preview


@pytest.mark.parametrize("path", ["/demo/", "/demo", "/demo/om/", "/demo/kurser/piano/index.html"])
def test_a_first_build_that_failed_shows_the_overlay_at_every_page(tmp_path, path):
    status, headers, body = answer(failed_first_build(tmp_path), path)
    assert status == 500 and ("Content-Type", "text/html; charset=utf-8") in headers
    assert "content/demo/om.md:3: " in body.decode("utf-8") and b"sitegen-problems" in body


def test_a_missing_file_without_a_404_page_says_so_in_the_editor_s_language(tmp_path):
    preview = failed_first_build(tmp_path)
    preview.errors = []
    before = messages.language()
    messages.set_language("sv")
    try:
        status, _headers, body = answer(preview, "/demo/bild.jpg")
    finally:
        messages.set_language(before)
    assert status == 404 and body.decode("utf-8") == "Sidan finns inte"
