"""Editor pages and files at addresses sitegen makes itself: an error at the editor's file,
in check and build alike, never a silent replacement."""
from testkit import NOW, page, run_sitegen

NEWS = page("Nyhet", type="news", date="2026-11-01", tags="[dans]")
BLOG = {"blogg/index.md": page("Blogg"), "blogg/2026-11-01-dans.md": page("Dans", type="blog", tags="[dans]")}


def both(make_site, tmp_path, files: dict) -> list[str]:
    """stderr of check and of build (which must fail) for the same site."""
    content = make_site({"index.md": page("Start"), **files})
    checked = run_sitegen("check", "--content", str(content), "--now", NOW)
    built = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert checked.status == 1 and built.status == 1, built.stderr
    assert not (tmp_path / "o" / "demo").exists()
    return [checked.stderr, built.stderr]


def test_editor_page_at_a_news_year_archive_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"nyheter/2026-11-01-nyhet.md": NEWS, "nyheter/2026.md": page("År")}):
        assert ("demo/nyheter/2026.md:1: error: /demo/nyheter/2026/ is a page sitegen makes itself "
                "('Nyheter 2026'), which this file would replace; rename or move the file") in stderr


def test_editor_page_at_a_blog_tag_archive_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {**BLOG, "blogg/tagg/dans.md": page("Dans")}):
        assert "demo/blogg/tagg/dans.md:1: error: /demo/blogg/tagg/dans/ is a page sitegen makes itself" in stderr


def test_editor_page_at_the_news_archive_still_gives_it_its_text(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "nyheter/index.md": page("Aktuellt", body="Våra nyheter."),
                         "nyheter/2026-11-01-nyhet.md": NEWS})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (tmp_path / "o/demo/nyheter/index.html").read_text(encoding="utf-8")
    assert "Aktuellt" in html and "Våra nyheter." in html and "/demo/nyheter/nyhet/" in html


def test_editor_file_robots_txt_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"robots.txt": "User-agent: *\n"}):
        assert "demo/robots.txt:1: error: /demo/robots.txt is a file sitegen makes itself; rename or move this file" \
            in stderr


def test_editor_file_sitemap_xml_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"sitemap.xml": "<urlset/>\n"}):
        assert "demo/sitemap.xml:1: error: /demo/sitemap.xml is a file sitegen makes itself" in stderr


def test_editor_file_at_a_theme_file_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"assets/css/main.css": "body {}\n"}):
        assert "demo/assets/css/main.css:1: error: /demo/assets/css/main.css is a file sitegen makes itself" in stderr


def test_editor_file_at_a_generated_page_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"404.html": "<p>Borta</p>\n"}):
        assert "demo/404.html:1: error: /demo/404.html is also the address of a page sitegen makes" in stderr


def test_editor_file_at_an_editor_page_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"om.md": page("Om"), "om/index.html": "<p>Om</p>\n"}):
        assert "demo/om/index.html:1: error: /demo/om/index.html is also the address of the page om.md" in stderr


def test_editor_page_in_the_search_index_folder_is_an_error(make_site, tmp_path):
    for stderr in both(make_site, tmp_path, {"pagefind/index.md": page("Sök")}):
        assert ("demo/pagefind/index.md:1: error: /demo/pagefind/ is a folder sitegen fills itself "
                "(the search index); move this file out of it") in stderr
        assert "could not be built" not in stderr


def test_editor_file_in_the_search_index_folder_is_an_error(make_site, tmp_path):
    # (Folder names are slugged, so an editor's _server/ becomes server/: only pagefind/ can clash.)
    for stderr in both(make_site, tmp_path, {"pagefind/extra.js": "// mine\n"}):
        assert "demo/pagefind/extra.js:1: error: /demo/pagefind/ is a folder sitegen fills itself" in stderr
