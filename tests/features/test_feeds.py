"""Feeds: RSS 2.0 and Atom of all news and per category, parsed with feedparser."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from testkit import build_files, NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\norganization: Demo kommun\n"
FILES = {
    "om.md": page("Om"),
    "nyheter/index.md": "---\ntitle: Nyheter\ningress: Det senaste.\ncascade:\n  type: news\n---\n",
    "nyheter/2026-11-20-avbrott.md": page("Avbrott", category="driftstorning", expires="2026-11-30"),
    "nyheter/2026-11-01-gammalt.md": page("Gammalt avbrott", category="driftstorning", expires="2026-11-05"),
    "nyheter/2026-10-10-oppettider.md": page("Öppettider & annat", category="servicenyhet",
                                             updated="2026-10-12T09:30", tags="[service]"),
    "nyheter/2025-12-01-julmarknad.md": page("Julmarknad", tags="[jul]"),
    "nyheter/2026-11-22-kommande.md": page("Kommande", publish="2026-12-01"),
    "nyheter/2026-11-21-utkast.md": page("Utkast", draft="true"),
    "blogg/index.md": "---\ntitle: Bloggen\ningress: Vi skriver.\ncascade:\n  type: blog\n---\n",
    "blogg/2026-11-02-forsta.md": page("Första inlägget", author="Anna Lind"),
}
ALL = ["Avbrott", "Öppettider & annat", "Julmarknad"]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_files(tmp_path_factory.mktemp("feeds"), {"site.yaml": SITE_YAML, **FILES})


def parse(site: Path, rel: str):
    feed = feedparser.parse((site / rel).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


FEEDS = [("nyheter/rss.xml", "rss20", ALL), ("nyheter/atom.xml", "atom10", ALL),
         ("nyheter/kategori/driftstorning/rss.xml", "rss20", ["Avbrott"]),
         ("nyheter/kategori/driftstorning/atom.xml", "atom10", ["Avbrott"]),
         ("nyheter/kategori/servicenyhet/rss.xml", "rss20", ["Öppettider & annat"]),
         ("nyheter/kategori/servicenyhet/atom.xml", "atom10", ["Öppettider & annat"]),
         ("nyheter/kategori/nyhet/rss.xml", "rss20", ["Julmarknad"]),
         ("nyheter/kategori/nyhet/atom.xml", "atom10", ["Julmarknad"]),
         ("blogg/rss.xml", "rss20", ["Första inlägget"]), ("blogg/atom.xml", "atom10", ["Första inlägget"])]


@pytest.mark.parametrize("rel, version, expected", FEEDS)
def test_feed_parses_with_one_entry_per_listed_item(site, rel, version, expected):
    feed = parse(site, rel)
    assert feed.version == version
    assert [entry.title for entry in feed.entries] == expected   # expired, unpublished, drafts left out


@pytest.mark.parametrize("rel, version, expected", FEEDS)
def test_feed_links_are_absolute_and_dates_valid(site, rel, version, expected):
    feed = parse(site, rel)
    assert urlsplit(feed.feed.link).scheme == "https"
    self_links = [link.href for link in feed.feed.get("links", []) if link.rel == "self"]
    assert self_links == [f"https://www.example.se/demo/{rel}"]
    assert feed.feed.language == "sv"
    for entry in feed.entries:
        assert entry.link.startswith("https://www.example.se/demo/")
        assert entry.id == entry.link
        assert entry.published_parsed is not None
        assert entry.summary == f"Om {entry.title.lower()}."   # the ingress
    assert (feed.feed.get("updated_parsed") or feed.feed.get("published_parsed")) is not None


def test_entry_dates_are_the_items_dates(site):
    feed = parse(site, "nyheter/atom.xml")
    by_title = {entry.title: entry for entry in feed.entries}
    published = dt.datetime.fromisoformat(by_title["Öppettider & annat"].published)
    updated = dt.datetime.fromisoformat(by_title["Öppettider & annat"].updated)
    assert published == dt.datetime(2026, 10, 10, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert updated == dt.datetime(2026, 10, 12, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert feed.feed.updated == "2026-11-20T00:00:00+01:00"   # the newest item, not the build time
    assert [t.term for t in by_title["Öppettider & annat"].tags] == ["servicenyhet", "service"]


def test_feeds_are_the_same_for_the_same_content(site, tmp_path):
    again = tmp_path / "again"
    content = site.parent.parent / "content"
    assert run_sitegen("build", "--content", str(content), "--out", str(again), "--now", NOW, "-q").status == 0
    for rel, _, _ in FEEDS:
        assert (again / "demo" / rel).read_bytes() == (site / rel).read_bytes()


@pytest.mark.parametrize("rel, feed_base", [("index.html", "nyheter/"), ("nyheter/index.html", "nyheter/"),
                                            ("nyheter/kategori/driftstorning/index.html",
                                             "nyheter/kategori/driftstorning/"),
                                            ("blogg/index.html", "blogg/")])
def test_pages_link_their_feeds_with_link_rel_alternate(site, rel, feed_base):
    head = (site / rel).read_text(encoding="utf-8").split("</head>")[0]
    assert '<link rel="alternate" type="application/rss+xml" title="' in head
    assert f'href="/demo/{feed_base}rss.xml">' in head
    assert f'href="/demo/{feed_base}atom.xml">' in head


def test_page_without_feed_has_no_alternate(site):
    head = (site / "om/index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert "application/rss+xml" not in head


def test_a_feed_holds_the_newest_fifty_items(tmp_path):
    from sitegen.features.feeds import FEED_ITEMS

    news = {f"nyheter/2026-{1 + n // 28:02d}-{1 + n % 28:02d}-nytt-{n}.md": page(f"Nytt {n}")
            for n in range(FEED_ITEMS + 5)}
    site = build_files(tmp_path, {"site.yaml": SITE_YAML, "nyheter/index.md": FILES["nyheter/index.md"], **news})
    feed = parse(site, "nyheter/rss.xml")
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == FEED_ITEMS
    assert titles[0] == f"Nytt {FEED_ITEMS + 4}" and f"Nytt {4}" not in titles   # the oldest five are left out
