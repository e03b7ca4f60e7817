"""End to end: a built site served locally, a visitor in headless Chromium, an editor's report.

A click on "Nej" with a comment ends up in the report; a comment on a blog post
appears on the page after approval, export and a rebuild; a visit to a missing
page is reported by missing.js (after a click: the service is on another origin).
"""
from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sitegen.feedback.store import Store
from testkit import StaticSiteHandler

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
NOW = "2026-11-23T12:00:00+01:00"
COMMENT = "Öppettiderna för gitarrlektionerna saknas <b>helt</b>."


def sitegen(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=REPO,
                          capture_output=True, text=True, timeout=600)


def write_site(content: Path, page_port: int, service_port: int) -> None:
    site = content / "e2e"
    (site / "blogg").mkdir(parents=True)
    (site / "site.yaml").write_text(
        f"title: Kulturskolan\nbase_url: http://127.0.0.1:{page_port}/e2e/\n"
        f"feedback:\n  endpoint: http://127.0.0.1:{service_port}/feedback\n", "utf-8")
    (site / "index.md").write_text("---\ntitle: Start\ningress: Startsidan.\n---\nHej.\n", "utf-8")
    (site / "om.md").write_text("---\ntitle: Om oss\ningress: Om skolan.\n---\nText.\n", "utf-8")
    (site / "blogg" / "index.md").write_text(
        "---\ntitle: Blogg\ningress: Vår blogg.\n---\n", "utf-8")
    (site / "blogg" / "2026-11-20-konsert.md").write_text(
        "---\ntitle: Konsert\ningress: Om konserten.\ntype: blog\nauthor: Anna\n"
        "comments: true\n---\nDet var en fin konsert.\n", "utf-8")


@pytest.fixture
def world(tmp_path, bench_module):
    content, out = tmp_path / "content", tmp_path / "build"
    out.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(StaticSiteHandler, directory=str(out)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page_port, service_port = server.server_address[1], bench_module.free_port()
    write_site(content, page_port, service_port)
    built = sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert built.returncode == 0, f"sitegen build failed:\n{built.stderr}"
    db = str(tmp_path / "feedback.sqlite3")
    service = bench_module.start_service(content, db, service_port, tmp_path / "service.log")
    bench_module.wait_healthy(service_port, service)
    yield {"content": content, "out": out, "db": db, "site": f"http://127.0.0.1:{page_port}",
           "tmp": tmp_path}
    bench_module.stop(service)
    server.shutdown()


@pytest.fixture(scope="module")
def bench_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("feedback_load_e2e",
                                                  REPO / "bench" / "feedback_load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def wait_for(check, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def test_nej_with_comment_reaches_the_report(world, browser):
    page = browser.new_page()
    page.goto(world["site"] + "/e2e/om/")
    form = page.locator("form.feedback")
    form.locator("input[name=useful][value=nej]").check()
    form.locator("textarea[name=comment]").fill(COMMENT)
    form.locator("button[type=submit]").click()
    page.locator("#tack").wait_for(state="visible")

    store = Store(world["db"])
    assert wait_for(lambda: store.count("feedback", page="/e2e/om/", useful=0) == 1)
    store.close()
    report = world["tmp"] / "rapport.html"
    done = sitegen("feedback", "report", "--content", str(world["content"]), "--db", world["db"],
                   "--build", str(world["out"]), "--format", "html", "--output", str(report))
    assert done.returncode == 0, done.stderr
    html = report.read_text("utf-8")
    assert "/e2e/om/" in html and "0 %" in html
    assert "Öppettiderna för gitarrlektionerna saknas &lt;b&gt;helt&lt;/b&gt;." in html


def test_nej_without_javascript_comes_back_to_the_thanks_anchor(world, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(world["site"] + "/e2e/om/")
    page.locator("form.feedback input[name=useful][value=nej]").check()
    page.locator("form.feedback button[type=submit]").click()
    page.wait_for_url("**/e2e/om/#tack")
    store = Store(world["db"])
    assert store.count("feedback", page="/e2e/om/", useful=0) == 1
    store.close()
    context.close()


def test_an_answer_sent_again_after_a_lost_reply_is_stored_once(world, browser):
    """The service stores the fetch post but its reply is lost (a 503 from a proxy in
    between): the script sends the form again, with the same idempotency key."""
    page = browser.new_page()
    sent = []

    def lose_the_first_reply(route):
        sent.append(route.request.post_data or "")
        if len(sent) == 1:
            route.fetch()              # reaches the service and is stored
            route.fulfill(status=503, body="")
        else:
            route.continue_()          # the plain form post that follows

    page.route("**/feedback", lose_the_first_reply)
    page.goto(world["site"] + "/e2e/om/")
    page.locator("form.feedback input[name=useful][value=ja]").check()
    page.locator("form.feedback button[type=submit]").click()
    page.wait_for_url("**/e2e/om/#tack")
    assert len(sent) == 2 and "idempotency_key=" in sent[0]
    assert sent[0] == sent[1]
    store = Store(world["db"])
    assert store.count("feedback", page="/e2e/om/", useful=1) == 1
    store.close()


def test_missing_page_is_reported(world, browser):
    page = browser.new_page()
    page.goto(world["site"] + "/e2e/gitarrkurs/")
    page.click("text=Berätta för oss att sidan saknas")   # the service is on another port: another origin
    store = Store(world["db"])
    assert wait_for(lambda: store.count("missing", path="/e2e/gitarrkurs/") == 1)
    store.close()


def test_approved_comment_appears_after_export_and_rebuild(world, browser):
    page = browser.new_page()
    page.goto(world["site"] + "/e2e/blogg/konsert/")
    form = page.locator("form.comments, form#kommentera, form[action$='/comments']").first
    form.locator("[name=name]").fill("Bo")
    form.locator("[name=text]").fill("Tack för en fin kväll!")
    form.locator("[type=submit]").click()
    store = Store(world["db"])
    assert wait_for(lambda: store.count("comments", status="pending") == 1)
    [comment] = store.comments()
    store.close()
    approved = sitegen("feedback", "moderate", "--db", world["db"], "approve", str(comment.id))
    assert approved.returncode == 0, approved.stderr
    exported = sitegen("feedback", "export", "--content", str(world["content"]),
                       "--db", world["db"])
    assert exported.returncode == 0, exported.stderr
    rebuilt = sitegen("build", "--content", str(world["content"]), "--out", str(world["out"]),
                      "--now", NOW)
    assert rebuilt.returncode == 0, rebuilt.stderr
    page.goto(world["site"] + "/e2e/blogg/konsert/")
    page.get_by_text("Tack för en fin kväll!").wait_for(state="visible")
