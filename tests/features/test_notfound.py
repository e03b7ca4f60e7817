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
