"""Social media: feed cards, hostile posts, bad feeds, images, embeds and `sitegen social fetch`."""
import functools
import http.server
import io
import json
import threading
import time

import pytest
from PIL import Image

from testkit import NOW, page, run_sitegen, run_sitegen_reaching_loopback

SITE_YAML = """\
title: Demo
base_url: https://www.example.se/demo/
social:
  - network: instagram
    name: "@demo"
    url: https://www.instagram.com/demo/
    feed: data/social/instagram.xml
    limit: 2
"""


def jpeg(width=1200, height=800) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


def rss(*items: str) -> str:
    return ('<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
            "<title>Demo</title>" + "".join(items) + "</channel></rss>")


def item(text: str, link="https://www.instagram.com/p/abc/", date="Fri, 20 Nov 2026 10:00:00 +0100",
         image="") -> str:
    media = f'<media:content url="{image}" medium="image"/>' if image else ""
    return (f"<item><title>Inlägg</title><link>{link}</link><description>{text}</description>"
            f"<pubDate>{date}</pubDate>{media}</item>")


def build(make_site, tmp_path, files, site_yaml=SITE_YAML, command="build"):
    make_site({"index.md": page("Start"), **files}, site_yaml=site_yaml)
    args = ["--content", "content", "--now", NOW]
    if command == "build":
        args += ["--out", "out", "-q"]
    result = run_sitegen(command, *args, cwd=tmp_path)
    return result, tmp_path / "out" / "demo"


def all_html(site) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_latest_posts_are_static_cards_with_local_images(make_site, tmp_path):
    feed = rss(item("Äldst", date="Mon, 02 Nov 2026 10:00:00 +0100"),
               item("&lt;p&gt;Julkonsert &lt;strong&gt;snart&lt;/strong&gt;&lt;/p&gt;", image="media/a.jpg"),
               item("Mitten", date="Tue, 10 Nov 2026 10:00:00 +0100"))
    result, site = build(make_site, tmp_path, {"data/social/instagram.xml": feed,
                                               "data/social/media/a.jpg": jpeg()})
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<a href="https://www.instagram.com/demo/">@demo på Instagram</a>' in html
    assert "<p>Julkonsert snart</p>" in html and "Mitten" in html and "Äldst" not in html  # limit 2
    assert html.index("Julkonsert") < html.index("Mitten")  # newest first
    assert '<time datetime="2026-11-20T10:00:00+01:00">20 november 2026</time>' in html
    images = list((site / "assets" / "social").glob("*.jpg"))
    assert len(images) == 1
    with Image.open(images[0]) as image:
        assert image.width == 640
    assert f'src="/demo/assets/social/{images[0].name}"' in html
    assert "instagram.com/p/abc/" in html and "cdninstagram" not in html


def test_hostile_html_never_reaches_a_page(make_site, tmp_path):
    hostile = ("&lt;p onmouseover=\"steal()\"&gt;Hej&lt;/p&gt;&lt;script&gt;alert('x')&lt;/script&gt;"
               "&lt;img src=x onerror=alert(1)&gt;&lt;a href=\"javascript:alert(2)\"&gt;klick&lt;/a&gt;"
               "&lt;iframe src=\"https://evil.example/\"&gt;&lt;/iframe&gt;")
    result, site = build(make_site, tmp_path, {"data/social/instagram.xml": rss(
        item(hostile, link="javascript:alert(3)"))})
    assert result.status == 0, result.stderr
    assert ("content/demo/data/social/instagram.xml:1: warning: a post (javascript:alert(3)) has scripts or "
            "event attributes; only its text is shown") in result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<p>Hej klick</p>" in html
    for bad in ("alert", "onmouseover", "onerror", "javascript:", "evil.example", "<iframe"):
        assert bad not in all_html(site)


def test_hostile_posts_do_not_fail_check(make_site, tmp_path):
    result, _ = build(make_site, tmp_path, {"data/social/instagram.xml": rss(item("&lt;script&gt;x&lt;/script&gt;Hej"))},
                      command="check")
    assert result.status == 0, result.stderr


def test_check_reports_a_hostile_post_as_the_same_warning_as_build(make_site, tmp_path):
    files = {"data/social/instagram.xml": rss(item("&lt;script&gt;x&lt;/script&gt;Hej"))}
    warning = ("content/demo/data/social/instagram.xml:1: warning: a post (https://www.instagram.com/p/abc/) "
               "has scripts or event attributes; only its text is shown")
    built, _ = build(make_site, tmp_path, files)
    checked, _ = build(make_site, tmp_path, files, command="check")
    assert built.status == 0 and checked.status == 0, checked.stderr
    assert warning in built.stderr and warning in checked.stderr


def test_check_reports_a_missing_feed_file_as_a_warning_like_build(make_site, tmp_path):
    warning = "content/demo/site.yaml:3: warning: feed of @demo not found at data/social/instagram.xml"
    built, _ = build(make_site, tmp_path, {})
    checked, _ = build(make_site, tmp_path, {}, command="check")
    assert checked.status == 0, checked.stderr
    assert warning in built.stderr and warning in checked.stderr
    assert "error" not in checked.stderr


def test_check_reports_an_unreadable_feed_as_a_warning_like_build(make_site, tmp_path):
    files = {"data/social/instagram.xml": "Det här är ingen feed {"}
    warning = "content/demo/data/social/instagram.xml:1: warning: not an RSS, Atom or JSON feed"
    built, _ = build(make_site, tmp_path, files)
    checked, _ = build(make_site, tmp_path, files, command="check")
    assert checked.status == 0, checked.stderr
    assert warning in built.stderr and warning in checked.stderr


def test_check_reports_a_missing_post_image_as_a_warning_like_build(make_site, tmp_path):
    files = {"data/social/instagram.xml": rss(item("Hej", image="media/borta.jpg"))}
    warning = "content/demo/data/social/instagram.xml:1: warning: image 'media/borta.jpg' of a post not found"
    built, _ = build(make_site, tmp_path, files)
    checked, _ = build(make_site, tmp_path, files, command="check")
    assert checked.status == 0, checked.stderr
    assert warning in built.stderr and warning in checked.stderr


def test_a_feed_that_is_not_a_feed_is_a_warning(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"data/social/instagram.xml": "Det här är ingen feed {"})
    assert result.status == 0, result.stderr
    assert "content/demo/data/social/instagram.xml:1: warning: not an RSS, Atom or JSON feed" in result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "@demo på Instagram" in html and "social-post" not in html


def test_a_missing_feed_file_is_a_warning_at_site_yaml(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {})
    assert result.status == 0, result.stderr
    assert ("content/demo/site.yaml:3: warning: feed of @demo not found at data/social/instagram.xml: "
            "check 'feed'") in result.stderr


def test_a_missing_image_is_a_warning_and_the_card_has_none(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"data/social/instagram.xml": rss(item("Hej", image="media/borta.jpg"))})
    assert result.status == 0, result.stderr
    assert ("content/demo/data/social/instagram.xml:1: warning: image 'media/borta.jpg' of a post not found; "
            "the card is shown without it") in result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    card = html[html.index('<li class="card social-post">'):]
    assert "<p>Hej</p>" in card and "<img" not in card[:card.index("</li>")]


def test_a_json_feed_works_too(make_site, tmp_path):
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Demo", "items": [
        {"id": "1", "url": "https://www.instagram.com/p/json1/", "content_text": "Från JSON <b>Feed</b>",
         "date_published": "2026-11-21T09:00:00+01:00"}]}
    site_yaml = SITE_YAML.replace("instagram.xml", "instagram.json")
    result, site = build(make_site, tmp_path, {"data/social/instagram.json": json.dumps(feed)}, site_yaml)
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<p>Från JSON &lt;b&gt;Feed&lt;/b&gt;</p>" in html
    assert 'href="https://www.instagram.com/p/json1/"' in html


JSON_YAML = SITE_YAML.replace("instagram.xml", "instagram.json").replace("limit: 2", "limit: 5")


def json_feed(*items: dict) -> str:
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "Demo", "items": list(items)})


def json_item(text: str, date=None, **more) -> dict:
    data = {"id": text, "url": f"https://www.instagram.com/p/{text}/", "content_text": text, **more}
    return {**data, "date_published": date} if date is not None else data


def bomb_png() -> bytes:
    """20000×10000 pixels in a few kilobytes: more than Pillow opens."""
    out = io.BytesIO()
    Image.new("1", (20000, 10000)).save(out, "PNG", optimize=True)
    return out.getvalue()


@pytest.mark.parametrize("command", ["build", "check"])
def test_json_feed_dates_with_and_without_offset_sort_together(make_site, tmp_path, command):
    feed = json_feed(json_item("naiv", "2026-11-20T10:00:00"), json_item("zulu", "2026-11-20T09:30:00Z"),
                     json_item("dag", "2026-11-18"), json_item("utan"), json_item("trasig", "i går"))
    result, site = build(make_site, tmp_path, {"data/social/instagram.json": feed}, JSON_YAML, command)
    assert result.status == 0, result.stderr
    assert "Traceback" not in result.stderr and "error" not in result.stderr
    if command == "build":
        html = (site / "index.html").read_text(encoding="utf-8")
        # Without an offset a time is Swedish: 10:00 in Örebro is before 09:30Z (10:30 in Örebro).
        assert '<time datetime="2026-11-20T10:00:00+01:00">' in html
        assert '<time datetime="2026-11-18T00:00:00+01:00">' in html
        order = [html.index(f"<p>{name}</p>") for name in ("zulu", "naiv", "dag")]
        assert order == sorted(order)


def test_a_decompression_bomb_post_image_is_a_warning_and_the_card_has_none(make_site, tmp_path):
    files = {"data/social/instagram.json": json_feed(json_item("bomb", "2026-11-20T10:00:00", image="media/b.png")),
             "data/social/media/b.png": bomb_png()}
    result, site = build(make_site, tmp_path, files, JSON_YAML)
    assert result.status == 0, result.stderr
    assert ("content/demo/data/social/instagram.json:1: warning: image 'media/b.png' of a post has too many "
            "pixels to read safely") in result.stderr
    assert "Traceback" not in result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert "<p>bomb</p>" in html and not (site / "assets" / "social").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_truncated_json_feed_is_one_warning_not_a_data_error(make_site, tmp_path, command):
    files = {"data/social/instagram.json": json_feed(json_item("hej"))[:60]}
    result, _ = build(make_site, tmp_path, files, JSON_YAML, command)
    assert result.status == 0, result.stderr
    assert "content/demo/data/social/instagram.json:1: warning: not valid JSON" in result.stderr
    assert result.stderr.count("instagram.json") == 1 and "error" not in result.stderr


def test_a_json_feed_with_a_byte_order_mark_is_read(make_site, tmp_path):
    feed = b"\xef\xbb\xbf" + json_feed(json_item("med-bom", "2026-11-20T10:00:00+01:00")).encode()
    result, site = build(make_site, tmp_path, {"data/social/instagram.json": feed}, JSON_YAML)
    assert result.status == 0 and "instagram.json" not in result.stderr, result.stderr
    assert "<p>med-bom</p>" in (site / "index.html").read_text(encoding="utf-8")


def test_a_fetched_json_feed_with_a_byte_order_mark_is_cached_as_json():
    from sitegen.social_feeds import is_json
    assert is_json(b"\xef\xbb\xbf  {\"items\": []}") and not is_json(b"\xef\xbb\xbf<?xml version='1.0'?>")


# --- embeds ------------------------------------------------------------------

EMBED = "Före.\n\n::: embed https://www.instagram.com/p/abc123/\nKören sjunger.\n:::\n\nEfter.\n"


def test_an_embed_is_a_placeholder_that_loads_nothing(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"om.md": page("Om", EMBED)}, site_yaml=None)
    assert result.status == 0, result.stderr
    html = (site / "om" / "index.html").read_text(encoding="utf-8")
    assert 'data-player="https://www.instagram.com/p/abc123/embed/"' in html
    assert "<figcaption><p>Kören sjunger.</p></figcaption>" in html
    assert '<a href="https://www.instagram.com/p/abc123/">Se inlägget på Instagram</a>' in html
    assert "Visa inlägget från Instagram här" in html and "kan då sätta kakor" in html
    assert "<iframe" not in html and "sitegen-embed" not in html
    assert '<script src="/demo/assets/js/embed.js" defer></script>' in html
    assert html.index("Före.") < html.index("social-embed") < html.index("Efter.")


@pytest.mark.parametrize("url, player", [
    ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://youtu.be/dQw4w9WgXcQ", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
    ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
    ("https://www.instagram.com/reel/xyz/", "https://www.instagram.com/reel/xyz/embed/"),
    ("https://x.com/orebrokommun/status/1861234567890123456",
     "https://platform.twitter.com/embed/Tweet.html?id=1861234567890123456&dnt=true"),
    ("https://twitter.com/orebrokommun/status/186123", "https://platform.twitter.com/embed/Tweet.html?id=186123&dnt=true"),
    ("https://www.tiktok.com/@kulturskolan/video/7301234567890", "https://www.tiktok.com/embed/v2/7301234567890"),
    ("https://mastodon.nu/@orebro/113456789", "https://mastodon.nu/@orebro/113456789/embed"),
])
def test_embed_players(url, player):
    from sitegen.features.social import embed_source
    assert embed_source(url)[1] == player


@pytest.mark.parametrize("url", ["https://x.com/orebrokommun", "https://x.com/orebrokommun/status/abc",
                                 "https://www.tiktok.com/@kulturskolan", "https://example.se/nyheter/2026",
                                 "http://mastodon.nu/@orebro/113456789"])
def test_addresses_that_are_not_one_post_are_not_embedded(url):
    from sitegen.features.social import embed_source
    assert embed_source(url) is None


def test_an_embed_of_an_unknown_url_is_an_error_at_its_line(make_site, tmp_path):
    body = "Text.\n\n::: embed http://example.com/film\n:::\n"
    result, _ = build(make_site, tmp_path, {"om.md": page("Om", body)}, site_yaml=None, command="check")
    assert result.status == 1
    assert "content/demo/om.md:8: error: cannot embed 'http://example.com/film'" in result.stderr


# --- sitegen social fetch ----------------------------------------------------

FETCH_YAML = """\
title: Demo
base_url: https://www.example.se/demo/
social:
  - network: instagram
    name: demo
    url: https://www.instagram.com/demo/
    feed_url: {url}
"""


@pytest.fixture
def feed_server():
    """A local server: /feed.xml, /bild.jpg, /trasig (not a feed), /seg (answers too late)."""
    routes = {"/feed.xml": rss(item("Hämtad", image="/bild.jpg")).encode(), "/bild.jpg": jpeg(),
              "/trasig": b"<html><body>Fel</body></html oops"}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path == "/seg":
                time.sleep(2)
            body = routes.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.end_headers()
            self.wfile.write(body)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch(make_site, tmp_path, url, files=None):
    content = make_site(files or {"index.md": page("Start")}, site_yaml=FETCH_YAML.format(url=url))
    result = run_sitegen_reaching_loopback("social", "fetch", "--content", "content", "--timeout", "0.5",
                                           cwd=tmp_path)
    return result, content / "demo" / "data" / "social"


def test_fetch_caches_the_feed_and_its_images_for_offline_builds(make_site, tmp_path, feed_server):
    result, cache = fetch(make_site, tmp_path, f"{feed_server}/feed.xml")
    assert result.status == 0, result.stderr
    assert "Hämtad" in (cache / "instagram-demo.xml").read_text(encoding="utf-8")
    assert len(list((cache / "media").glob("*.jpg"))) == 1
    built = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert built.status == 0, built.stderr
    html = (tmp_path / "out" / "demo" / "index.html").read_text(encoding="utf-8")
    assert "<p>Hämtad</p>" in html and "/demo/assets/social/" in html


@pytest.mark.parametrize("path, reason", [("/seg", "timed out"), ("/trasig", "is not an RSS, Atom or JSON feed"),
                                          ("/saknas", "HTTP 404")])
def test_a_failed_fetch_is_a_warning_and_keeps_the_cache(make_site, tmp_path, feed_server, path, reason):
    old = rss(item("Gammal"))
    result, cache = fetch(make_site, tmp_path, f"{feed_server}{path}",
                          {"index.md": page("Start"), "data/social/instagram-demo.xml": old})
    assert result.status == 0, result.stderr
    assert "content/demo/site.yaml:3: warning:" in result.stderr and reason in result.stderr
    assert "the cached feed is kept" in result.stderr
    assert (cache / "instagram-demo.xml").read_text(encoding="utf-8") == old
    assert [p.name for p in cache.iterdir()] == ["instagram-demo.xml"]  # no half-written file left


def test_an_image_host_that_is_not_a_host_name_is_an_error_in_site_yaml(make_site):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML.replace(
        "    limit: 2\n", "    limit: 2\n    image_hosts: ['*', scontent.cdninstagram.com]\n"))
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert result.status == 1
    assert ("content/demo/site.yaml:3: error: '*' in 'image_hosts' is not a host name: write a host such as "
            "scontent.cdninstagram.com") in result.stderr, result.stderr
    assert "'scontent.cdninstagram.com' in 'image_hosts'" not in result.stderr
