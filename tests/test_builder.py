"""End to end through the command line: what every built site contains."""
import re
from html.parser import HTMLParser
from pathlib import Path

from testkit import NOW, page, run_sitegen


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


def test_two_sites_at_one_address_is_an_error(make_site, tmp_path):
    yaml = "title: Arkiv\nbase_url: https://www.example.se/arkiv/\n"
    make_site({"index.md": page("Start")}, name="arkiv", site_yaml=yaml)
    content = make_site({"index.md": page("Start")}, name="arkiv2", site_yaml=yaml.replace("www.", "WWW."))
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert result.status == 1
    assert "arkiv2/site.yaml:2: error: base_url 'https://WWW.example.se/arkiv/' is also the address of the site 'arkiv'" \
        in result.stderr


def test_a_build_stopped_half_way_leaves_no_working_folder(make_site, tmp_path, monkeypatch):
    import datetime as dt

    import pytest

    from sitegen import builder

    content = make_site({"index.md": page("Start"), "a.md": page("A")})
    out = tmp_path / "out"

    def stopped(build, stager):
        (stager.folder / "halv.html").write_text("halv", encoding="utf-8")   # some pages written
        raise KeyboardInterrupt   # Ctrl+C

    monkeypatch.setattr(builder, "render_pending", stopped)
    with pytest.raises(KeyboardInterrupt):
        builder.execute(builder.BuildOptions(content=content, out=out, now=dt.datetime.fromisoformat(NOW), quiet=True))
    assert [p.name for p in out.iterdir()] == []   # no staging or scratch folder left beside the output


def test_now_is_swedish_time_whatever_offset_it_is_given_in():
    import datetime as dt

    from sitegen.model import site_now

    late = site_now(dt.datetime.fromisoformat("2026-11-30T23:30:00+00:00"))   # a server on UTC
    assert (late.date(), late.hour, late.utcoffset()) == (dt.date(2026, 12, 1), 0, dt.timedelta(hours=1))
    summer = site_now(dt.datetime.fromisoformat("2026-07-01T12:00:00"))   # no offset: Swedish time
    assert summer.utcoffset() == dt.timedelta(hours=2) and summer.hour == 12
    assert site_now(None).tzinfo is not None


def test_this_month_is_the_month_in_sweden(make_site, tmp_path):
    content = make_site({"index.md": page("Start"),
                         "kalender/a.md": page("Advent", type="event", start="2026-11-30 18:00", end="2026-11-30 19:00"),
                         "kalender/b.md": page("Lucia", type="event", start="2026-12-13 08:00", end="2026-12-13 09:00")})
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", "2026-11-30T23:30:00Z")
    assert result.status == 0, result.stderr
    html = (out / "demo/kalender/index.html").read_text(encoding="utf-8")
    months = html.split('class="calendar-months"', 1)[1].split("</nav>", 1)[0]
    assert "2026/12/" in months and "2026/11/" not in months   # 00:30 on 1 December in Örebro
