"""``sitegen serve``: the site under its URL path, a save shown within a bounded wait, errors as an overlay."""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from testkit import REPO, page

WAIT = 30   # seconds: the first build and each rebuild must be done well within this


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
        time.sleep(0.2)
    raise AssertionError(f"'{text}' not shown at {url} within {WAIT} s; last answer:\n{body[:2000]}")


@pytest.fixture
def served(make_site):
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss", "Första texten."),
                         "utkast.md": page("Utkast", draft="true")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\n"
                                  "feedback:\n  endpoint: https://feedback.example.se/feedback\n")
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "demo", "--content", str(content),
                                "--port", str(port), "--themes", str(REPO / "themes")],
                               cwd=content.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
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
    assert fetch(base + "utkast/")[0] == 200


def test_a_save_is_shown_and_a_broken_file_shows_the_overlay(served):
    content, base = served
    wait_for(base + "om/", "Första texten.")
    (content / "demo" / "om.md").write_text(page("Om oss", "Andra texten."), encoding="utf-8")
    wait_for(base + "om/", "Andra texten.")
    (content / "demo" / "om.md").write_text("---\ntitle: Om oss\nweight: tung\n---\n", encoding="utf-8")
    overlay = wait_for(base + "om/", "sitegen-problems")
    assert "content/demo/om.md:3: error" in overlay
    assert fetch(base)[0] == 500   # every page shows it until the file is fixed
    (content / "demo" / "om.md").write_text(page("Om oss", "Rättad text."), encoding="utf-8")
    wait_for(base + "om/", "Rättad text.")


def test_a_burst_of_saves_is_one_rebuild(tmp_path):
    import threading

    from sitegen.devserver import Debounced
    calls, saved = [], []
    debounced = Debounced(lambda: calls.append(time.monotonic()), [tmp_path])

    def saves():
        for i in range(5):
            (tmp_path / f"f{i}.md").write_text("x", encoding="utf-8")
            saved.append(time.monotonic())
            time.sleep(0.05)
    writer = threading.Thread(target=saves)
    writer.start()
    debounced()
    writer.join()
    assert len(calls) == 1 and calls[0] > saved[-1]   # built once, after the last save
