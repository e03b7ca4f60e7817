"""The orebro theme in a real browser: the menu button, the layout from 320 px up, the
feedback form with and without JavaScript, reduced motion and print."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

PAGE = "/kulturskolan/kurser/musik/piano/"


@pytest.fixture(scope="module")
def base(example_build, serve_dir):
    return serve_dir(example_build)


def _menu_links(tab):
    return tab.locator("details.main-menu nav a")


def test_menu_is_hidden_on_a_phone_and_opens_on_click(base, open_page):
    tab = open_page(375)
    tab.goto(base + PAGE)
    button = tab.locator("details.main-menu > summary")
    assert button.is_visible()
    assert not _menu_links(tab).first.is_visible()
    button.click()
    assert _menu_links(tab).first.is_visible()
    button.click()
    assert not _menu_links(tab).first.is_visible()


def test_menu_opens_with_enter_and_closes_with_escape(base, open_page):
    tab = open_page(375)
    tab.goto(base + PAGE)
    tab.locator("details.main-menu > summary").focus()
    tab.keyboard.press("Enter")
    assert _menu_links(tab).first.is_visible()
    tab.keyboard.press("Escape")
    assert not _menu_links(tab).first.is_visible()
    assert tab.evaluate("document.activeElement.tagName") == "SUMMARY"


def test_menu_works_without_javascript(base, open_page):
    tab = open_page(375, javascript=False)
    tab.goto(base + PAGE)
    tab.locator("details.main-menu > summary").focus()
    tab.keyboard.press("Enter")
    assert _menu_links(tab).first.is_visible()


def test_menu_is_an_open_bar_on_a_wide_screen(base, open_page):
    tab = open_page(1280)
    tab.goto(base + PAGE)
    assert not tab.locator("details.main-menu > summary").is_visible()
    links = _menu_links(tab)
    assert links.first.is_visible()
    # every top-level item on one line
    tops = {round(box["y"]) for box in (links.nth(i).bounding_box() for i in range(links.count()))
            if box and box["height"] > 0}
    assert len(tops) == 1


def test_skip_link_is_first_and_moves_focus_to_main(base, open_page):
    tab = open_page(375)
    tab.goto(base + PAGE)
    tab.keyboard.press("Tab")
    focused = tab.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert tab.locator(".skip-link").is_visible()
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("width", [320, 375, 768, 1280, 1920])
def test_no_horizontal_scrolling(width, base, open_page):
    for path in (PAGE, "/stadsarkiv/samlingar/fotografier/", "/fordjupning/"):
        tab = open_page(width)
        tab.goto(base + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, path


def test_text_zoomed_to_200_percent_still_fits(base, open_page):
    tab = open_page(320)
    tab.goto(base + PAGE)
    tab.add_style_tag(content="html { font-size: 200% !important; }")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 320


def test_focus_is_visible(base, open_page):
    tab = open_page(1280)
    tab.goto(base + PAGE)
    link = tab.locator(".body a, .card h3 a").first
    link.focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")
    outline = tab.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    card_outline = tab.evaluate("getComputedStyle(document.activeElement.closest('.card') || document.activeElement).outlineStyle")
    assert "solid" in (outline, card_outline)


def test_feedback_without_javascript_posts_the_form(base, open_page):
    tab = open_page(375, javascript=False)
    tab.goto(base + PAGE)
    form = tab.locator("form.feedback")
    assert form.get_attribute("method") == "post"
    posted = []
    tab.route("**/feedback", lambda route: (posted.append(route.request.post_data), route.fulfill(
        status=303, headers={"Location": base + PAGE + "#tack"})))
    tab.get_by_label("Ja").check()
    tab.get_by_label("Vad kan vi göra bättre? (frivilligt)").fill("Bra sida")
    tab.get_by_role("button", name="Skicka").click()
    tab.wait_for_url("**#tack")
    assert posted and "useful=ja" in posted[0] and "comment=Bra+sida" in posted[0]
    assert tab.locator("#tack").is_visible()


def test_feedback_with_javascript_thanks_in_place(base, open_page):
    tab = open_page(375)
    tab.goto(base + PAGE)
    tab.route("**/feedback", lambda route: route.fulfill(status=200, body="{}",
                                                          headers={"Content-Type": "application/json"}))
    tab.get_by_label("Nej").check()
    tab.get_by_role("button", name="Skicka").click()
    thanks = tab.locator("form.feedback .thanks")
    thanks.wait_for(state="visible")
    assert tab.url.endswith(PAGE)
    assert not tab.locator("form.feedback fieldset").is_visible()


def test_print_hides_navigation_and_forms(base, open_page):
    tab = open_page(1280)
    tab.goto(base + PAGE)
    tab.emulate_media(media="print")
    assert not tab.locator("details.main-menu").is_visible()
    assert not tab.locator("form.feedback").is_visible()
    assert tab.locator("h1").is_visible()


def test_reduced_motion_turns_off_transitions(base, open_page):
    tab = open_page(375)
    tab.emulate_media(reduced_motion="reduce")
    tab.goto(base + PAGE)
    assert tab.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"


def test_screenshots(base, open_page):
    """Saved for a person to look at when SITEGEN_SCREENSHOTS names a folder."""
    folder = os.environ.get("SITEGEN_SCREENSHOTS")
    if not folder:
        pytest.skip("set SITEGEN_SCREENSHOTS=<folder> to save screenshots")
    Path(folder).mkdir(parents=True, exist_ok=True)
    for path in ("/fordjupning/", "/kulturskolan/", "/stadsarkiv/samlingar/fotografier/", PAGE):
        for width in (375, 1280):
            tab = open_page(width)
            tab.goto(base + path)
            name = path.strip("/").replace("/", "_") or "index"
            tab.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)
