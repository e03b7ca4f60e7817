"""Every kind of page of the example sites runs under its Content-Security-Policy without one
violation: the policy is in each page's <meta> (csp.py), and the pages' scripts, styles,
search (WebAssembly), menu and click-to-load embeds all keep to it."""
from __future__ import annotations

import pytest

import page_kinds

pytestmark = pytest.mark.browser

# Recorded before any script of the page runs; the event fires for every blocked load or run.
LISTEN = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});"""


@pytest.fixture
def open_with_csp(open_page):
    """A page that records CSP violations, from events and from the console."""
    def open_(url: str):
        tab = open_page(375, enforce_csp=True)   # a phone: the menu is behind its button
        tab.add_init_script(LISTEN)
        tab.console_csp = []
        tab.on("console", lambda msg: "Content Security Policy" in msg.text and tab.console_csp.append(msg.text))
        tab.goto(url)
        tab.wait_for_load_state("networkidle")
        return tab
    return open_


def violations(tab) -> list[str]:
    tab.wait_for_timeout(100)   # let an event of the last action arrive; asserts nothing about speed
    return tab.evaluate("window.__cspViolations") + tab.console_csp


@pytest.mark.parametrize("kind", page_kinds.KINDS)
def test_page_kind_has_a_policy_and_no_violation(example_build, serve_dir, open_with_csp, kind):
    path, reason = page_kinds.find(example_build, kind)
    if path is None:
        pytest.skip(reason)
    tab = open_with_csp(serve_dir(example_build) + path)
    policy = tab.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    tab.locator("summary.menu-button").first.click()   # the menu's script runs
    assert violations(tab) == []


def test_the_search_runs_under_the_policy(example_build, serve_dir, open_with_csp):
    tab = open_with_csp(serve_dir(example_build) + "/kulturskolan/sok/?q=piano")
    tab.locator(".search-results li").first.wait_for(timeout=15000)
    assert violations(tab) == []


def test_a_clicked_embed_frame_is_allowed_and_only_on_its_page(example_build, serve_dir, open_with_csp):
    tab = open_with_csp(serve_dir(example_build) + "/kulturskolan/om-oss/")
    tab.locator("button.embed-load").first.click()
    tab.locator("iframe.embed-frame").wait_for(state="attached")
    assert violations(tab) == []
    other = open_with_csp(serve_dir(example_build) + "/kulturskolan/kurser/")
    assert "frame-src 'none'" in other.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")


def test_an_inline_script_would_be_reported(example_build, serve_dir, open_with_csp):
    """The listener sees a violation when there is one (else the tests above prove nothing)."""
    tab = open_with_csp(serve_dir(example_build) + "/kulturskolan/kurser/")
    tab.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.x = 1';
                           document.body.appendChild(s); }""")
    assert any("script-src" in v for v in violations(tab))
