"""The editorial desk in Chromium, end to end: a built site served on 127.0.0.1, the feedback
service with its desk on another port, a visitor, an editor.

The editor signs in, reads a visitor's comment and marks it handled, approves a blog
comment and sees it on the public page (published by the service's publish command, no
terminal), copies the suggested alias of a missing page, cannot open another site's desk
nor send a desk form from another origin; every desk page passes axe.
"""
from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from sitegen.feedback.store import Store, utc_now
from testkit import StaticSiteHandler

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOW = "2026-11-23T12:00:00+01:00"
PASSWORD = "ett långt lösenord för test"


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_site(content: Path, name: str, page_port: int, service_port: int) -> None:
    site = content / name
    (site / "blogg").mkdir(parents=True)
    (site / "kurser").mkdir()
    (site / "site.yaml").write_text(
        f"title: Kulturskolan\nbase_url: http://127.0.0.1:{page_port}/{name}/\n"
        f"feedback:\n  endpoint: http://127.0.0.1:{service_port}/feedback\n", "utf-8")
    files = {
        "index.md": "title: Start\ningress: Startsidan.\n",
        "om.md": "title: Om oss\ningress: Om skolan.\n",
        "kurser/index.md": "title: Kurser\ningress: Våra kurser.\n",
        "kurser/gitarr.md": "title: Gitarr\ningress: Gitarrkursen.\n",
        "blogg/index.md": "title: Blogg\ningress: Vår blogg.\n",
        "blogg/2026-11-20-konsert.md": "title: Konsert\ningress: Om konserten.\ntype: blog\n"
                                       "author: Anna\ncomments: true\n",
    }
    for path, front in files.items():
        (site / path).write_text(f"---\n{front}---\nText.\n", "utf-8")


def sitegen(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("desk")
    content, out = tmp / "content", tmp / "build"
    out.mkdir()
    pages = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(StaticSiteHandler, directory=str(out)))
    threading.Thread(target=pages.serve_forever, daemon=True).start()
    # Another origin with a form aimed at the desk (a forged request).
    evil_dir = tmp / "evil"
    evil_dir.mkdir()
    evil = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler,
                                            directory=str(evil_dir)))
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    page_port, port = pages.server_address[1], free_port()
    write_site(content, "e2e", page_port, port)
    write_site(content, "annan", page_port, port)
    built = sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert built.returncode == 0, built.stderr
    config = tmp / "desk.yaml"
    config.write_text(
        "secure_cookies: false   # plain http on 127.0.0.1 in this test\n"
        "publish:\n  e2e:\n"
        f"    - [{sys.executable}, -m, sitegen, build, '{{site}}', --content, '{{content}}',"
        f" --out, '{out}', --now, '{NOW}']\n", "utf-8")
    db = str(tmp / "feedback.sqlite3")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    log = open(tmp / "service.log", "ab")
    service = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "feedback", "serve", "--content", str(content),
         "--db", db, "--port", str(port), "--desk-config", str(config), "--build", str(out),
         "--allow-origin", f"http://127.0.0.1:{page_port}"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    desk = f"http://127.0.0.1:{port}"
    wait_for(lambda: healthy(desk))
    added = sitegen("feedback", "user", "add", "anna", "--site", "e2e", "--password-stdin",
                    "--db", db, "--content", str(content), stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    yield {"site": f"http://127.0.0.1:{page_port}", "desk": desk, "db": db,
           "evil": f"http://127.0.0.1:{evil.server_address[1]}", "evil_dir": evil_dir}
    service.terminate()
    service.wait(10)
    log.close()
    pages.shutdown()
    evil.shutdown()


def healthy(base: str) -> bool:
    try:
        return httpx.get(base + "/health", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(check, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    raise AssertionError("waited in vain")


def axe(tab) -> list[str]:
    tab.add_script_tag(path=str(AXE))
    found = tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                         ".then(r => r.violations.map(v => v.id + ': ' + v.nodes.map("
                         "n => n.target.join(' ')).join(', ')))", TAGS)
    return found


def sign_in(tab, world) -> None:
    tab.goto(world["desk"] + "/desk/")
    tab.get_by_label("Användarnamn").fill("anna")
    tab.get_by_label("Lösenord").fill(PASSWORD)
    tab.get_by_role("button", name="Logga in").click()
    tab.wait_for_url("**/desk/e2e/")


@pytest.fixture
def open_page(browser):
    """A tab whose context bypasses the desk's CSP only so that axe can be injected."""
    contexts = []

    def open_(javascript: bool = True):
        context = browser.new_context(java_script_enabled=javascript, bypass_csp=True,
                                      locale="sv-SE")
        context.route(lambda url: not url.startswith(("http://127.0.0.1", "data:")),
                      lambda route: route.abort())
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def test_the_editors_day(world, open_page):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` in the repository")
    visitor = open_page(javascript=False)
    # A visitor answers "Nej" with a comment, and writes a blog comment.
    visitor.goto(world["site"] + "/e2e/om/")
    visitor.locator("form.feedback input[name=useful][value=nej]").check()
    visitor.locator("form.feedback textarea[name=comment]").fill("Öppettiderna saknas, ring 070-123 45 67")
    visitor.locator("form.feedback button[type=submit]").click()
    visitor.wait_for_url("**/e2e/om/#tack")
    visitor.goto(world["site"] + "/e2e/blogg/konsert/")
    form = visitor.locator("form[action$='/comments']").first
    form.locator("[name=name]").fill("Bo")
    form.locator("[name=text]").fill("Tack för en fin kväll!")
    form.locator("[type=submit]").click()
    visitor.wait_for_url("**/e2e/blogg/konsert/#kommentar-tack")
    store = Store(world["db"])
    store.add_missing("e2e", "/e2e/gitar/", "https://www.google.com/search?q=gitarr")
    store.add_missing("annan", "/annan/hemlig/", "")
    for days, useful in [(40, True), (70, False), (100, True)]:   # a trend to draw
        store.add_feedback("e2e", "/e2e/om/", useful, "", utc_now() - timedelta(days=days))
    store.close()

    # The editor works without JavaScript; a second tab with it runs axe on each page seen.
    auditor = open_page()
    auditor.goto(world["desk"] + "/desk/")
    assert axe(auditor) == [], "sign-in page"
    sign_in(auditor, world)

    def audit(what: str) -> None:
        auditor.goto(editor.url)
        assert axe(auditor) == [], what

    editor = open_page(javascript=False)
    sign_in(editor, world)
    assert editor.locator("svg.trend").count() == 1
    audit("usefulness page")

    # Reads the visitor's comment (the phone number masked) and marks it handled.
    editor.get_by_role("link", name="Synpunkter").click()
    comment = editor.locator("li.comment").first
    assert "Öppettiderna saknas, ring [telefonnummer]" in comment.inner_text()
    assert "Innehåller personuppgifter" in comment.inner_text()
    audit("comments page")
    comment.get_by_label("Hanterad").check()
    comment.get_by_label("Anteckning").fill("Lagt till öppettiderna")
    comment.get_by_role("button", name="Spara").click()
    editor.get_by_text("Sparat.").wait_for()
    assert editor.locator("li.comment").first.get_by_label("Hanterad").is_checked()
    audit("comments page after saving")

    # Approves the blog comment; it appears on the public page without a terminal.
    editor.get_by_role("link", name="Granska kommentarer").click()
    audit("moderation page")
    editor.get_by_role("button", name="Godkänn").click()
    editor.get_by_text("Kommentaren är godkänd.").wait_for()
    audit("moderation page after approval")

    def published() -> bool:
        visitor.goto(world["site"] + "/e2e/blogg/konsert/")
        return visitor.get_by_text("Tack för en fin kväll!").count() > 0
    wait_for(published, 60)

    # Copies the suggested alias for a missing page: selectable without JavaScript,
    # a button with it.
    editor.get_by_role("link", name="Sidor som inte finns (404)").click()
    item = editor.locator("li", has_text="/e2e/gitar/")
    line = item.locator("input.alias").input_value()
    assert line == 'aliases: ["/e2e/gitar/"]'
    assert item.get_by_role("button", name="Kopiera raden").count() == 0
    assert "www.google.com (1)" in editor.content() and "q=gitarr" not in editor.content()
    assert "e2e/kurser/gitarr.md" in editor.content()
    audit("missing pages")
    item = auditor.locator("li", has_text="/e2e/gitar/")
    item.get_by_role("button", name="Kopiera raden").click()
    item.get_by_text("Kopierat.").wait_for()
    assert auditor.evaluate("navigator.clipboard.readText()") == line
    assert axe(auditor) == [], "missing pages after copying"

    # Another site's data cannot be reached.
    answer = editor.goto(world["desk"] + "/desk/annan/saknade-sidor")
    assert answer.status == 404 and "/annan/hemlig/" not in editor.content()
    audit("not found page")

    # A form from another origin is refused, even in the signed-in browser.
    store = Store(world["db"])
    pending = store.add_comment("e2e", "/e2e/blogg/konsert/", "Spam", "Köp nu")
    store.close()
    (world["evil_dir"] / "index.html").write_text(
        f'<!doctype html><html lang="sv"><title>x</title><form method="post" '
        f'action="{world["desk"]}/desk/e2e/kommentarer/{pending}">'
        '<input name="beslut" value="godkann"><button>Skicka</button></form></html>', "utf-8")
    editor.goto(world["evil"] + "/")
    with editor.expect_navigation():
        editor.get_by_role("button", name="Skicka").click()
    assert "Formuläret kunde inte skickas" in editor.content()
    store = Store(world["db"])
    assert [c.status for c in store.comments() if c.id == pending] == ["pending"]
    store.close()


def test_an_administrators_pages_pass_axe(world, open_page):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm ci` in the repository")
    added = sitegen("feedback", "user", "add", "chef", "--admin", "--password-stdin",
                    "--db", world["db"], stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    tab = open_page()
    tab.goto(world["desk"] + "/desk/")
    tab.get_by_label("Användarnamn").fill("chef")
    tab.get_by_label("Lösenord").fill(PASSWORD)
    tab.get_by_role("button", name="Logga in").click()
    tab.get_by_role("heading", name="Dina webbplatser").wait_for()
    assert axe(tab) == [], "the list of sites"
    tab.get_by_role("navigation", name="Webbplatser").get_by_role("link", name="annan").click()
    tab.get_by_role("link", name="Sidor som inte finns (404)").click()
    assert "/annan/hemlig/" in tab.content()
    assert axe(tab) == [], "another site's missing pages, for an administrator"
