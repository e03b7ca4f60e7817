"""The 404 page: generated, or given its title, ingress and text by an editor's 404.md."""
import re

from testkit import NOW, page, run_sitegen


def test_editor_404_md_gives_the_404_page_its_title_and_text(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om"),
                         "404.md": page("Hittades inte", body="Prova sökningen.", ingress="Sidan är borta.")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    site = tmp_path / "o/demo"
    html = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Hittades inte</h1>" in html and "Sidan är borta." in html and "Prova sökningen." in html
    assert 'class="feedback' not in html
    assert not (site / "404").exists()
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "Hittades inte" not in start          # in no menu or card list
    assert "404" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_generated_404_page_has_the_theme_text(make_site, tmp_path):
    content = make_site({"index.md": page("Start")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (tmp_path / "o/demo/404.html").read_text(encoding="utf-8")
    assert re.search(r"<h1>Sidan finns inte</h1>", html) and "Gå till startsidan" in html


def test_generated_410_page_has_the_theme_text_and_the_ways_on(make_site, tmp_path):
    content = make_site({"index.md": page("Start")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (tmp_path / "o/demo/410.html").read_text(encoding="utf-8")
    assert "<h1>Sidan är borttagen</h1>" in html and "har tagits bort" in html
    assert '<a href="/demo/">Startsida</a>' in html and '<a href="/demo/sok/">Sök på webbplatsen</a>' in html
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html
    assert 'class="feedback' not in html


def test_the_410_page_sends_no_missing_page_report(make_site, tmp_path):
    # The 404 page of the same site does (data-missing-endpoint and missing.js): a removed
    # page is gone on purpose, and no editor needs to hear of it.
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\n"
                                  "feedback:\n  endpoint: https://feedback.example.se/feedback\n")
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    site = tmp_path / "o/demo"
    assert "data-missing-endpoint" in (site / "404.html").read_text(encoding="utf-8")
    gone = (site / "410.html").read_text(encoding="utf-8")
    assert "data-missing-endpoint" not in gone and "missing.js" not in gone and "missing-report" not in gone


def test_editor_410_md_gives_the_410_page_its_title_and_text(make_site, tmp_path):
    content = make_site({"index.md": page("Start"),
                         "410.md": page("Borttagen", body="Kurserna finns nu hos Kulturskolan.", ingress="Borta.")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    site = tmp_path / "o/demo"
    html = (site / "410.html").read_text(encoding="utf-8")
    assert "<h1>Borttagen</h1>" in html and "Kurserna finns nu hos Kulturskolan." in html
    assert '<a href="/demo/">Startsida</a>' in html
    assert not (site / "410").exists()
    assert "Borttagen" not in (site / "index.html").read_text(encoding="utf-8")
    assert "410" not in (site / "sitemap.xml").read_text(encoding="utf-8")
