"""Shortcodes in a real browser: a video asks nothing of YouTube until clicked; a dragspel opens
without JavaScript."""
from urllib.parse import urlsplit

import pytest
from testkit import build_files, page

pytestmark = pytest.mark.browser

BODY = ('::: video src="https://www.youtube.com/watch?v=dQw4w9WgXcQ" title="Vårkonserten"\nKören sjunger.\n:::\n\n'
        "::: dragspel Vad kostar en kurs?\nTerminsavgiften är 800 kronor.\n:::\n")


@pytest.fixture(scope="module")
def shortcode_build(tmp_path_factory):
    files = {"site.yaml": "title: Demo\nbase_url: https://www.orebro.se/demo/\n", "index.md": page("Start", body=BODY)}
    return build_files(tmp_path_factory.mktemp("shortcodes"), files).parent


def test_a_video_loads_nothing_from_youtube_until_clicked(shortcode_build, serve_dir, open_page):
    base = serve_dir(shortcode_build)
    tab = open_page()
    own = urlsplit(base).netloc
    tab.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).netloc == own
              else route.abort())  # the test never reaches the real network
    tab.goto(f"{base}/demo/")
    tab.wait_for_load_state("networkidle")
    assert {urlsplit(url).netloc for url in tab.requests} == {own}
    assert tab.locator("iframe").count() == 0
    tab.click("text=Spela filmen från YouTube här")
    frame = tab.locator("figure.video iframe")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert frame.get_attribute("title") == "Vårkonserten"
    assert any(urlsplit(url).netloc == "www.youtube-nocookie.com" for url in tab.requests)


def test_a_dragspel_opens_without_javascript(shortcode_build, serve_dir, open_page):
    base = serve_dir(shortcode_build)
    tab = open_page(javascript=False)
    tab.goto(f"{base}/demo/")
    assert not tab.locator("text=Terminsavgiften är 800 kronor.").is_visible()
    tab.click("summary:has-text('Vad kostar en kurs?')")
    assert tab.locator("text=Terminsavgiften är 800 kronor.").is_visible()
