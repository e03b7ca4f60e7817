"""The Content-Security-Policy made from a site's config."""
from pathlib import Path

from sitegen import csp
from sitegen.config import SiteConfig
from sitegen.model import Page


def config(endpoint: str = "") -> SiteConfig:
    return SiteConfig(name="demo", content_dir=Path("."), title="Demo", base_url="https://www.example.se/demo/",
                      feedback_endpoint=endpoint)


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split("; "))}


def test_a_page_without_embeds_or_search_is_locked_down():
    policy = directives(csp.page_policy(config(), Page(url="a/", meta={})))
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-src"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "frame-ancestors" not in policy   # browsers ignore it in <meta>


def test_the_feedback_endpoints_origin_may_receive_forms_and_fetches():
    policy = directives(csp.policy(config("https://feedback.example.se:8443/api/feedback")))
    assert policy["connect-src"] == ["'self'", "https://feedback.example.se:8443"]
    assert policy["form-action"] == ["'self'", "https://feedback.example.se:8443"]


def test_an_endpoint_on_the_sites_own_origin_adds_nothing():
    assert directives(csp.policy(config("https://www.example.se/feedback")))["connect-src"] == ["'self'"]


def test_frames_only_from_the_pages_players():
    page = Page(url="a/", meta={}, frame_origins=["https://www.instagram.com/p/x/embed/",
                                            "https://player.vimeo.com/video/1?dnt=1"])
    assert directives(csp.page_policy(config(), page))["frame-src"] == ["https://player.vimeo.com",
                                                                         "https://www.instagram.com"]


def test_a_hostile_frame_origin_is_left_out():
    page = Page(url="a/", meta={}, frame_origins=["https://evil.se; script-src *", "javascript:alert(1)"])
    assert directives(csp.page_policy(config(), page))["frame-src"] == ["'none'"]


def test_only_the_search_page_may_compile_webassembly():
    search = Page(url="sok/", meta={}, needs_wasm=True)
    assert "'wasm-unsafe-eval'" in csp.page_policy(config(), search)
    assert "wasm" not in csp.page_policy(config(), Page(url="a/", meta={}))


def test_the_site_policy_allows_what_any_page_needs_and_forbids_framing():
    pages = [Page(url="sok/", meta={}, needs_wasm=True),
             Page(url="a/", meta={}, frame_origins=["https://www.youtube-nocookie.com/embed/a"])]
    policy = directives(csp.site_policy(config(), pages))
    assert policy["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert "'wasm-unsafe-eval'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
