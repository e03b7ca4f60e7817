"""End to end through the command line: what every built site contains."""
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from testkit import NOW, page, run_sitegen

SITE_YAML = """title: Demo
base_url: https://www.example.se/demo/
organization: Exempel kommun
feedback:
  endpoint: https://feedback.example.se/feedback
removed:
  - /demo/borttagen.html
"""


@pytest.fixture
def built(make_site, tmp_path):
    content = make_site({
        "index.md": page("Start"),
        "om/index.md": page("Om oss", weight=1),
        "om/historia.md": page("Historia", aliases="[/demo/gammal-historia.aspx, https://gamla.example.se/historia.html]"),
        "om/personal.md": page("Personal", nav_title="Vi som jobbar här"),
        "tyst.md": page("Tyst", feedback="false"),
        "gammal.md": page("Gammal", expires="2026-11-01"),
    }, site_yaml=SITE_YAML)
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 0, result.stderr
    return out / "demo"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_files_land_at_their_urls(built):
    for rel in ["index.html", "om/index.html", "om/historia/index.html", "om/personal/index.html",
                "404.html", "sitemap.xml", "robots.txt", "tillganglighet/index.html", "assets/css/main.css"]:
        assert (built / rel).is_file(), rel


def test_page_head_has_lang_title_canonical_description_and_open_graph(built):
    html = read(built / "om/historia/index.html")
    assert '<html lang="sv">' in html
    assert "<title>Historia – Demo</title>" in html
    assert '<link rel="canonical" href="https://www.example.se/demo/om/historia/">' in html
    assert '<meta name="description" content="Om historia.">' in html
    assert '<meta property="og:title" content="Historia">' in html
    assert '<meta property="og:url" content="https://www.example.se/demo/om/historia/">' in html


def test_page_body_has_breadcrumbs_menu_ingress_and_cards(built):
    html = read(built / "om/historia/index.html")
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S).group(0)
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/demo/", "/demo/om/", "/demo/om/historia/"]
    assert '<details class="main-menu">' in html
    assert '<p class="ingress">Om historia.</p>' in html
    cards = re.search(r'<section class="nav-cards".*?</section>', html, re.S).group(0)
    assert "Vi som jobbar här" in cards and "/demo/om/personal/" in cards
    assert "/demo/om/historia/" not in cards  # not a card to itself


def test_section_page_has_cards_to_its_children(built):
    html = read(built / "om/index.html")
    assert html.count('class="nav-cards"') >= 1
    assert 'href="/demo/om/historia/"' in html and 'href="/demo/om/personal/"' in html


def test_feedback_form_posts_page_useful_comment(built):
    html = read(built / "om/index.html")
    form = re.search(r'<form class="feedback".*?</form>', html, re.S).group(0)
    assert 'method="post"' in form and 'action="https://feedback.example.se/feedback"' in form
    assert 'name="page" value="https://www.example.se/demo/om/"' in form
    assert 'name="useful" value="ja"' in form and 'name="useful" value="nej"' in form
    assert 'name="comment"' in form


def test_feedback_false_hides_the_form(built):
    assert 'class="feedback"' not in read(built / "tyst/index.html")


def test_expired_page_stays_with_a_notice(built):
    html = read(built / "gammal/index.html")
    assert 'class="notice expired"' in html


def test_sitemap_lists_pages_with_absolute_urls(built):
    root = ET.fromstring(read(built / "sitemap.xml"))
    locs = {el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert "https://www.example.se/demo/om/historia/" in locs
    assert all(loc.startswith("https://www.example.se/demo/") for loc in locs)
    assert not any("404" in loc for loc in locs)


def test_robots_points_to_the_sitemap(built):
    assert "Sitemap: https://www.example.se/demo/sitemap.xml" in read(built / "robots.txt")


def test_alias_under_the_site_gets_a_forwarding_page(built):
    html = read(built / "gammal-historia.aspx")
    target = "https://www.example.se/demo/om/historia/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
    assert f'<link rel="canonical" href="{target}">' in html
    assert f'<a href="{target}">' in html


def test_server_rules_for_every_alias_and_removed_path(built):
    nginx = read(built / "_server/nginx-redirects.conf")
    assert "location = /demo/gammal-historia.aspx { return 301 https://www.example.se/demo/om/historia/; }" in nginx
    assert "server_name gamla.example.se;" in nginx and "location = /historia.html" in nginx
    assert "location = /demo/borttagen.html { return 410; }" in nginx
    apache = read(built / "_server/apache-redirects.conf")
    assert 'Redirect permanent "/demo/gammal-historia.aspx" "https://www.example.se/demo/om/historia/"' in apache
    assert "%{HTTP_HOST} == 'gamla.example.se'" in apache
    assert 'Redirect gone "/demo/borttagen.html"' in apache


def test_failed_build_leaves_previous_output_untouched(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "a.md": page("A")})
    out = tmp_path / "out"
    assert run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW).status == 0
    before = read(out / "demo/a/index.html")
    (content / "demo/a.md").write_text(page("A ändrad", weight="tung"), encoding="utf-8")
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 1
    assert "demo/a.md:3: error: 'weight' must be a whole number" in result.stderr
    assert read(out / "demo/a/index.html") == before
    assert sorted(p.name for p in out.iterdir()) == ["demo"]  # no staging folder left behind


def test_successful_rebuild_replaces_removed_pages(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "a.md": page("A")})
    out = tmp_path / "out"
    run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    (content / "demo/a.md").unlink()
    assert run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW).status == 0
    assert not (out / "demo/a").exists()


def test_duplicate_alias_is_an_error(make_site, tmp_path):
    content = make_site({"a.md": page("A", aliases="[/demo/x/]"), "b.md": page("B", aliases="[/demo/x/]")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 1
    assert "alias '/demo/x/' is also an alias of a.md" in result.stderr


def test_alias_that_is_no_path_or_url_is_an_error(make_site, tmp_path):
    content = make_site({"a.md": page("A", aliases="[gammal-sida]")})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert "demo/a.md:3: error: alias 'gammal-sida' must start with '/'" in result.stderr


def test_unknown_theme_is_an_error_at_its_line(make_site):
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: finns-inte\n")
    result = run_sitegen("check", "--content", str(content))
    assert result.status == 1
    assert "demo/site.yaml:3: error: theme 'finns-inte' not found" in result.stderr


def test_theme_extends_another_and_overrides_one_block(make_site, tmp_path):
    themes = tmp_path / "mina-teman"
    (themes / "eget/templates").mkdir(parents=True)
    (themes / "eget/static/css").mkdir(parents=True)
    (themes / "eget/theme.yaml").write_text("extends: orebro\n")
    (themes / "eget/templates/base.html").write_text(
        '{% extends "orebro/base.html" %}{% block logo %}<a class="site-name" href="{{ site.prefix }}">EGEN LOGGA</a>{% endblock %}')
    (themes / "eget/static/css/extra.css").write_text("body{}")
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: eget\n")
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--themes", str(themes), "--now", NOW)
    assert result.status == 0, result.stderr
    html = read(out / "demo/index.html")
    assert "EGEN LOGGA" in html and '<p class="ingress">' in html
    assert (out / "demo/assets/css/extra.css").is_file() and (out / "demo/assets/css/main.css").is_file()


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_example_sites_link_up(example_build):
    """Every root-relative link of every built example page leads to a file that exists."""
    broken = []
    for html in example_build.rglob("*.html"):
        parser = _Links()
        parser.feed(html.read_text(encoding="utf-8"))
        for link in parser.links:
            if not link.startswith("/") or link.startswith("//"):
                continue
            path = link.split("#")[0].split("?")[0]
            target = example_build / path.lstrip("/")
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{html.relative_to(example_build)} → {link}")
    assert broken == []


def test_example_sites_are_all_built(example_build):
    assert {p.name for p in example_build.iterdir() if not p.name.startswith(".")} >= {
        "fordjupning", "kulturskolan", "stadsarkiv"}


def test_alias_error_names_the_line_of_the_list_item(make_site):
    content = make_site({"a.md": "---\ntitle: A\ningress: x\naliases:\n  - /demo/ok/\n  - fel\n---\n"})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert "demo/a.md:6: error: alias 'fel' must start with '/'" in result.stderr
