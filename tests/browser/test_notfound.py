"""The 404 page in a real browser: a missing page is reported to the feedback service, at once
when the service is on the site's own host, after a click when it is on another."""
from urllib.parse import urlsplit

import pytest
from testkit import build_files, page

pytestmark = pytest.mark.browser


def site_with(tmp_path, feedback: str):
    yaml = "title: Demo\nbase_url: https://www.example.se/demo/\n" + feedback
    return build_files(tmp_path, {"site.yaml": yaml, "index.md": page("Start")}).parent


def test_a_service_on_another_host_is_told_only_when_the_visitor_asks(tmp_path, serve_dir, open_page):
    base = serve_dir(site_with(tmp_path, "feedback:\n  endpoint: https://feedback.example.se/feedback\n"))
    tab = open_page(375)
    tab.goto(f"{base}/demo/finns-inte/")
    tab.wait_for_load_state("networkidle")
    assert {urlsplit(url).netloc for url in tab.requests} == {urlsplit(base).netloc}   # nothing sent by itself
    tab.click("text=Berätta för oss att sidan saknas")
    tab.wait_for_function("document.querySelector('.missing-thanks').textContent.length > 0")
    assert "https://feedback.example.se/missing" in tab.requests
    assert not tab.locator(".missing-report").is_visible()


def test_a_service_on_the_sites_own_host_is_told_at_once(tmp_path, serve_dir, open_page):
    base = serve_dir(site_with(tmp_path, ""))   # no endpoint: the forms post to /demo/... on the site's host
    tab = open_page()
    tab.goto(f"{base}/demo/finns-inte/")
    tab.wait_for_function("window.performance.getEntriesByType('resource').length > 0")
    tab.wait_for_load_state("networkidle")
    assert f"{base}/demo/missing" in tab.requests
    assert not tab.locator(".missing-report").is_visible()


def test_the_410_page_of_a_removed_page_reports_nothing(tmp_path, serve_dir, open_page):
    # The same site's 404 page tells the service on its own host at once (above); the 410
    # page is answered at a removed page's address, gone on purpose: no report.
    base = serve_dir(site_with(tmp_path, ""))
    tab = open_page()
    tab.goto(f"{base}/demo/410.html")
    tab.wait_for_load_state("networkidle")
    assert tab.locator("h1").inner_text() == "Sidan är borttagen"
    assert not any(url.endswith("/missing") for url in tab.requests), tab.requests
    assert {urlsplit(url).netloc for url in tab.requests} == {urlsplit(base).netloc}
