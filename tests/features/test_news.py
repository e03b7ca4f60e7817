"""News: the archive and its filter pages, start page blocks, related news, expiry, bad input."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from testkit import build_files, NOW, REPO, page, run_sitegen

GOLDEN = REPO / "tests" / "golden"
SITE_YAML = ("title: Demo\nbase_url: https://www.example.se/demo/\norganization: Demo kommun\n"
             "news:\n  page_size: 2\n  block_size: 2\n")

NEWS = {
    "om.md": page("Om oss"),
    "nyheter/index.md": "---\ntitle: Aktuellt\ningress: Det senaste från Demo.\ncascade:\n  type: news\n---\n\nVälkommen.\n",
    "nyheter/2026-11-20-avbrott.md": page("Avbrott i e-tjänsten", category="driftstorning",
                                          expires="2026-11-30", related="\n  - ../om.md"),
    "nyheter/2026-11-01-gammalt-avbrott.md": page("Gammalt avbrott", category="driftstorning", expires="2026-11-05"),
    "nyheter/2026-11-25-underhall.md": page("Planerat underhåll", category="driftstorning"),
    "nyheter/2026-10-10-oppettider.md": page("Nya öppettider", category="servicenyhet", tags="[Öppettider]",
                                             related="[../om.md]"),
    "nyheter/2026-06-01-sommarlov.md": page("Sommarlov", tags="[lov, öppettider]"),
    "nyheter/2025-12-01-julmarknad.md": page("Julmarknad", category="nyhet", tags="[jul]"),
    "nyheter/2025-05-05-varkonsert.md": page("Vårkonsert <i>live</i>", tags="[musik]"),
    "nyheter/2026-11-22-kommande.md": page("Kommande", publish="2026-12-01"),
}


def build(make_site, tmp_path: Path, files: dict, now: str = NOW, site_yaml: str = SITE_YAML) -> Path:
    content = make_site(files, site_yaml=site_yaml)
    out = tmp_path / f"out-{now[:10]}"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", now, "-q")
    assert result.status == 0, result.stderr
    return out / "demo"


def check(make_site, files: dict, site_yaml: str = SITE_YAML):
    content = make_site(files, site_yaml=site_yaml)
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent)


def titles(html: str, within: str = "") -> list[str]:
    """Titles of the news items listed, in order (optionally inside one block's id)."""
    if within:
        html = html.split(f'id="{within}"', 1)[1].split("</section>", 1)[0]
    return [re.sub(r"<[^>]+>", "", t).replace("&lt;", "<").replace("&gt;", ">")
            for t in re.findall(r'<li class="news-item[^"]*">\s*<h3><a href="[^"]+">(.*?)</a>', html)]


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.fixture(scope="module")
def news_site(tmp_path_factory):
    """One build of NEWS for the tests that only read it."""
    return build_files(tmp_path_factory.mktemp("news"), {"site.yaml": SITE_YAML, **NEWS})


@pytest.mark.parametrize("url, expected", [
    ("nyheter/", ["Planerat underhåll", "Avbrott i e-tjänsten"]),
    ("nyheter/sida/2/", ["Nya öppettider", "Sommarlov"]),
    ("nyheter/sida/3/", ["Julmarknad", "Vårkonsert <i>live</i>"]),
    ("nyheter/kategori/driftstorning/", ["Planerat underhåll", "Avbrott i e-tjänsten"]),
    ("nyheter/kategori/servicenyhet/", ["Nya öppettider"]),
    ("nyheter/kategori/nyhet/", ["Sommarlov", "Julmarknad"]),
    ("nyheter/kategori/nyhet/sida/2/", ["Vårkonsert <i>live</i>"]),
    ("nyheter/2026/", ["Planerat underhåll", "Avbrott i e-tjänsten"]),
    ("nyheter/2026/sida/2/", ["Nya öppettider", "Sommarlov"]),
    ("nyheter/2025/", ["Julmarknad", "Vårkonsert <i>live</i>"]),
    ("nyheter/tagg/oppettider/", ["Nya öppettider", "Sommarlov"]),
    ("nyheter/tagg/lov/", ["Sommarlov"]),
    ("nyheter/tagg/jul/", ["Julmarknad"]),
    ("nyheter/tagg/musik/", ["Vårkonsert <i>live</i>"]),
])
def test_archive_and_filter_pages_list_exactly_the_right_items(news_site, url, expected):
    html = (news_site / url / "index.html").read_text(encoding="utf-8")
    assert titles(main_of(html)) == expected


def test_archive_has_no_other_pages(news_site):
    archive = news_site / "nyheter"
    assert not (archive / "sida" / "4").exists()
    assert not (archive / "kategori" / "servicenyhet" / "sida").exists()
    assert not (archive / "2024").exists()
    assert sorted(p.name for p in (archive / "tagg").iterdir()) == ["jul", "lov", "musik", "oppettider"]


def test_filters_show_counts_and_mark_the_current_list(news_site):
    html = main_of((news_site / "nyheter/kategori/driftstorning/index.html").read_text(encoding="utf-8"))
    links = re.findall(r'<li><a href="([^"]+)"( aria-current="page")?>([^<]+) <span class="count">\((\d+)\)', html)
    found = {(label.strip(), int(count)): bool(current) for href, current, label, count in links}
    assert found == {
        ("Alla nyheter", 6): False, ("Driftstörningar", 2): True, ("Servicenyheter", 1): False,
        ("Övriga nyheter", 3): False, ("2026", 4): False, ("2025", 2): False,
        ("jul", 1): False, ("lov", 1): False, ("musik", 1): False, ("Öppettider", 2): False,
    }


def test_pagination_links_without_javascript(news_site):
    html = main_of((news_site / "nyheter/sida/2/index.html").read_text(encoding="utf-8"))
    assert '<a rel="prev" href="/demo/nyheter/">' in html
    assert '<a rel="next" href="/demo/nyheter/sida/3/">' in html
    assert 'href="/demo/nyheter/sida/2/" aria-label="Sida 2" aria-current="page"' in html
    head = (news_site / "nyheter/sida/2/index.html").read_text(encoding="utf-8").split("</head>")[0]
    assert "<title>Aktuellt, sida 2 – Demo</title>" in head
    assert '<meta name="description" content="Det senaste från Demo.">' in head   # the archive's ingress
    assert '<p class="ingress">Det senaste från Demo.</p>' in html


def test_editors_index_gives_the_archive_its_title_and_text(news_site):
    html = (news_site / "nyheter/index.html").read_text(encoding="utf-8")
    assert "<h1>Aktuellt</h1>" in html and "<p>Välkommen.</p>" in html
    assert '<p class="ingress">Det senaste från Demo.</p>' in html


def test_archive_page_matches_golden_file(news_site):
    actual = main_of((news_site / "nyheter/index.html").read_text(encoding="utf-8"))
    golden = GOLDEN / "news__archive-main.html"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_start_page_has_three_blocks_linking_to_filtered_archive(news_site):
    html = (news_site / "index.html").read_text(encoding="utf-8")
    # current disruptions first, then planned ones; the expired one is gone
    assert titles(html, "news-block-driftstorning") == ["Avbrott i e-tjänsten", "Planerat underhåll"]
    assert titles(html, "news-block-servicenyhet") == ["Nya öppettider"]
    assert titles(html, "news-block-nyhet") == ["Sommarlov", "Julmarknad"]
    for category, more in [("driftstorning", "Alla driftstörningar (2)"), ("servicenyhet", "Alla servicenyheter (1)"),
                           ("nyhet", "Alla övriga nyheter (3)")]:
        assert f'<a href="/demo/nyheter/kategori/{category}/">{more}</a>' in html
    assert "Gammalt avbrott" not in html and "Kommande" not in html
    assert "Planerad" in html.split('id="news-block-driftstorning"')[1].split("</section>")[0]


def test_start_page_block_matches_golden_file(news_site):
    html = (news_site / "index.html").read_text(encoding="utf-8")
    actual = html[html.index('<div class="news-blocks"'):].split("</div>", 1)[0] + "</div>\n"
    golden = GOLDEN / "news__start-blocks.html"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1":
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_related_news_shown_on_the_pages_they_name(news_site):
    html = main_of((news_site / "om/index.html").read_text(encoding="utf-8"))
    assert titles(html, "related-news-heading") == ["Avbrott i e-tjänsten", "Nya öppettider"]


def test_disruption_disappears_after_expiry_and_its_page_stays_with_notice(make_site, tmp_path):
    before = build(make_site, tmp_path, NEWS, now="2026-11-29T12:00:00+01:00")
    after = build(make_site, tmp_path, NEWS, now="2026-11-30T00:00:00+01:00")
    assert "Avbrott i e-tjänsten" in (before / "index.html").read_text(encoding="utf-8")
    assert "Avbrott i e-tjänsten" in (before / "nyheter/rss.xml").read_text(encoding="utf-8")
    for rel in ["index.html", "nyheter/index.html", "nyheter/kategori/driftstorning/index.html",
                "om/index.html", "nyheter/rss.xml", "nyheter/atom.xml",
                "nyheter/kategori/driftstorning/rss.xml", "nyheter/kategori/driftstorning/atom.xml"]:
        assert "Avbrott i e-tjänsten" not in (after / rel).read_text(encoding="utf-8"), rel
    item = (after / "nyheter/avbrott/index.html").read_text(encoding="utf-8")
    assert '<p class="notice expired">Den här informationen gäller inte längre.</p>' in item


def test_unpublished_item_appears_once_published(make_site, tmp_path):
    later = build(make_site, tmp_path, NEWS, now="2026-12-02T12:00:00+01:00")
    assert "Kommande" in (later / "nyheter/index.html").read_text(encoding="utf-8")
    assert (later / "nyheter/kommande/index.html").is_file()


def test_news_item_page_shows_category_tags_date_and_json_ld(news_site):
    html = (news_site / "nyheter/oppettider/index.html").read_text(encoding="utf-8")
    assert '<a class="category category-servicenyhet" href="/demo/nyheter/kategori/servicenyhet/">Servicenyhet</a>' in html
    assert '<time datetime="2026-10-10">10 oktober 2026</time>' in html
    assert '<a href="/demo/nyheter/tagg/oppettider/" rel="tag">Öppettider</a>' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "NewsArticle" and data["headline"] == "Nya öppettider"
    assert data["url"] == "https://www.example.se/demo/nyheter/oppettider/"
    assert data["datePublished"].startswith("2026-10-10")


def test_json_ld_cannot_break_out_of_its_script(news_site):
    html = (news_site / "nyheter/varkonsert/index.html").read_text(encoding="utf-8")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in script
    assert json.loads(script)["headline"] == "Vårkonsert <i>live</i>"


def test_archive_is_a_well_known_link_and_stays_out_of_menus_and_cards(news_site):
    html = (news_site / "om/index.html").read_text(encoding="utf-8")
    assert "/demo/nyheter/kategori/" not in html and "/demo/nyheter/sida/" not in html
    sitemap = (news_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "nyheter/kategori/nyhet/</loc>" in sitemap and "sida/2/" not in sitemap


def test_news_folder_from_site_yaml_and_default_titles(make_site, tmp_path):
    files = {f"aktuellt/2026-11-0{n}-{name}.md": page(name, type="news") for n, name in [(3, "A"), (2, "B"), (1, "C")]}
    site = build(make_site, tmp_path, files, site_yaml=SITE_YAML.replace("news:\n", "news:\n  folder: aktuellt\n"))
    html = (site / "aktuellt/index.html").read_text(encoding="utf-8")
    assert "<h1>Nyheter</h1>" in html and titles(main_of(html)) == ["A", "B"]
    assert titles(main_of((site / "aktuellt/sida/2/index.html").read_text(encoding="utf-8"))) == ["C"]


def test_site_without_news_has_no_archive(make_site, tmp_path):
    site = build(make_site, tmp_path, {"om.md": page("Om")})
    assert not (site / "nyheter").exists()
    assert 'class="news-blocks"' not in (site / "index.html").read_text(encoding="utf-8")


# --- bad input: each a check error at its own line ---------------------------------------

def test_unknown_category_is_an_error_at_its_line(make_site):
    result = check(make_site, {"nyheter/2026-11-01-x.md": page("X", type="news", category="storning")})
    assert result.status == 1
    assert ("content/demo/nyheter/2026-11-01-x.md:4: error: 'category' must be one of driftstorning, "
            "servicenyhet, nyhet, not 'storning'") in result.stderr


def test_related_link_to_missing_page_is_an_error_at_the_item_line(make_site):
    result = check(make_site, {"om.md": page("Om"),
                               "nyheter/2026-11-01-x.md": page("X", type="news",
                                                               related="\n  - ../om.md\n  - ../borta.md")})
    assert result.status == 1
    assert ("content/demo/nyheter/2026-11-01-x.md:6: error: 'related' names a missing page '../borta.md': it leads "
            "to content/demo/borta.md, which does not exist; check the path") in result.stderr
    assert ":5: error" not in result.stderr


def test_related_in_flow_style_is_reported_at_the_key_line(make_site):
    result = check(make_site, {"nyheter/2026-11-01-x.md": page("X", type="news", related="[../borta.md]")})
    assert "content/demo/nyheter/2026-11-01-x.md:4: error: 'related' names a missing page '../borta.md'" \
        in result.stderr


def test_expires_before_publish_is_an_error(make_site):
    result = check(make_site, {"nyheter/2026-11-01-x.md": page("X", type="news", publish="2026-11-01",
                                                               expires="2026-10-01")})
    assert result.status == 1
    assert "content/demo/nyheter/2026-11-01-x.md:5: error: 'expires' must come after 'publish'" in result.stderr


def test_news_without_date_is_an_error(make_site):
    result = check(make_site, {"nyheter/utan-datum.md": page("X", type="news")})
    assert result.status == 1
    assert "content/demo/nyheter/utan-datum.md:2: error: 'date' is required for type 'news'" in result.stderr


def test_bad_news_folder_in_site_yaml_is_an_error(make_site):
    result = check(make_site, {"nyheter/2026-11-01-x.md": page("X", type="news")},
                   site_yaml=SITE_YAML.replace("news:\n", "news:\n  folder: '///'\n"))
    assert result.status == 1
    assert "content/demo/site.yaml:4: error: 'news.folder'" in result.stderr


# --- a service disruption without an end; news dated ahead --------------------------------

OPEN_ENDED = {
    "om.md": page("Om oss"),
    "nyheter/index.md": "---\ntitle: Aktuellt\ningress: Det senaste.\ncascade:\n  type: news\n---\n",
    "nyheter/2026-11-20-avbrott.md": page("Avbrott utan slut", category="driftstorning",
                                          related="[../om.md]"),
}


def build_with_output(make_site, tmp_path, files, now, site_yaml=SITE_YAML):
    content = make_site(files, site_yaml=site_yaml)
    out = tmp_path / f"out-{now[:10]}"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", now, cwd=tmp_path)
    assert result.status == 0, result.stderr
    return out / "demo", result


def test_disruption_without_expires_is_shown_with_a_warning_while_it_lasts(make_site, tmp_path):
    site, result = build_with_output(make_site, tmp_path, OPEN_ENDED, "2026-12-03T23:00:00+01:00")
    assert titles((site / "index.html").read_text(encoding="utf-8"), "news-block-driftstorning") == \
        ["Avbrott utan slut"]
    assert "Avbrott utan slut" in main_of((site / "om/index.html").read_text(encoding="utf-8"))
    assert ("content/demo/nyheter/2026-11-20-avbrott.md:3: warning: this service disruption (driftstorning) "
            "has no 'expires': it leaves the start page and related pages on 2026-12-04, 14 days after its date"
            in result.stderr)
    assert "expires: 2026-11-21T00:00" in result.stderr


def test_disruption_without_expires_leaves_start_and_related_pages_after_14_days(make_site, tmp_path):
    site, result = build_with_output(make_site, tmp_path, OPEN_ENDED, "2026-12-04T00:00:00+01:00")
    start = (site / "index.html").read_text(encoding="utf-8")
    assert titles(start, "news-block-driftstorning") == []
    assert "Avbrott utan slut" not in main_of((site / "om/index.html").read_text(encoding="utf-8"))
    assert "Alla driftstörningar (1)" in start   # the archive still lists it: the link says so
    assert "Avbrott utan slut" in (site / "nyheter/kategori/driftstorning/index.html").read_text(encoding="utf-8")
    assert (site / "nyheter/avbrott/index.html").is_file()
    assert "service disruption" not in result.stderr   # once off the start page, nothing to remind of


def test_disruption_days_come_from_site_yaml(make_site, tmp_path):
    site, result = build_with_output(make_site, tmp_path, OPEN_ENDED, "2026-11-23T00:00:00+01:00",
                                     site_yaml=SITE_YAML + "  disruption_days: 3\n")
    assert titles((site / "index.html").read_text(encoding="utf-8"), "news-block-driftstorning") == []
    assert "service disruption" not in result.stderr


def test_disruption_with_expires_gives_no_warning(make_site, tmp_path):
    files = {**OPEN_ENDED, "nyheter/2026-11-20-avbrott.md": page("Avbrott", category="driftstorning",
                                                                  expires="2026-11-25")}
    _, result = build_with_output(make_site, tmp_path, files, NOW)
    assert "service disruption" not in result.stderr


def test_disruption_without_expires_is_a_warning_not_an_error_in_check(make_site):
    result = check(make_site, OPEN_ENDED)
    assert result.status == 0 and "warning: this service disruption" in result.stderr


def test_disruption_days_zero_is_an_error_at_its_line(make_site):
    result = check(make_site, OPEN_ENDED, site_yaml=SITE_YAML + "  disruption_days: 0\n")
    assert result.status == 1 and "site.yaml:7: error:" in result.stderr and "disruption_days" in result.stderr


def test_news_dated_ahead_is_not_published_before_its_date(make_site, tmp_path):
    files = {**OPEN_ENDED, "nyheter/2026-12-24-julhalsning.md": page("Julhälsning")}
    before = build(make_site, tmp_path, files, now="2026-12-23T23:00:00+01:00")
    assert not (before / "nyheter/julhalsning").exists()
    assert "Julhälsning" not in (before / "nyheter/index.html").read_text(encoding="utf-8")
    assert "Julhälsning" not in (before / "nyheter/rss.xml").read_text(encoding="utf-8")
    on_the_day = build(make_site, tmp_path, files, now="2026-12-24T00:00:00+01:00")
    assert (on_the_day / "nyheter/julhalsning/index.html").is_file()
    assert "Julhälsning" in (on_the_day / "index.html").read_text(encoding="utf-8")


def test_a_planned_disruption_is_announced_before_its_date(make_site, tmp_path):
    files = {**OPEN_ENDED, "nyheter/2026-11-30-underhall.md": page("Underhåll", category="driftstorning",
                                                                    expires="2026-12-01")}
    site = build(make_site, tmp_path, files)
    assert "Underhåll" in titles((site / "index.html").read_text(encoding="utf-8"), "news-block-driftstorning")
