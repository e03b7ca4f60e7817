"""The search page (sok/), the site map page and the Pagefind index."""
from testkit import NOW, page, run_sitegen


def build(make_site, tmp_path, files):
    make_site(files)
    result = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert result.status == 0, result.stderr
    return tmp_path / "out" / "demo"


SITE = {
    "index.md": page("Start"),
    "projekt/index.md": page("Projekt"),
    "projekt/jamstalldhet.md": page("Jämställd styrning", "Jämställdheten i budgeten."),
    "nyheter/2026-11-01-nytt.md": page("Nytt projekt", type="news"),
}


def test_search_page_needs_javascript_and_says_so(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    html = (site / "sok" / "index.html").read_text(encoding="utf-8")
    assert '<form class="site-search" role="search" action="/demo/sok/" method="get" hidden' in html
    assert 'data-bundle="/demo/pagefind/"' in html
    assert "<noscript>" in html and "Sökningen behöver JavaScript" in html
    assert '<a href="/demo/webbplatskarta/">webbplatskartan</a>' in html
    assert "/demo/assets/js/search.js" in html
    assert "data-pagefind-body" not in html  # the search page itself is not a search result


def test_site_map_lists_every_page_as_links(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    html = (site / "webbplatskarta" / "index.html").read_text(encoding="utf-8")
    tree = html[html.index('<nav class="site-map"'):]
    tree = tree[:tree.index("</nav>")]
    for href in ("/demo/", "/demo/projekt/", "/demo/projekt/jamstalldhet/", "/demo/nyheter/nytt/"):
        assert f'<a href="{href}">' in tree
    assert '<a href="/demo/sok/">' not in tree


def test_index_is_written_in_swedish_into_the_site(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert list(bundle.glob("pagefind.sv_*.pf_meta")), sorted(p.name for p in bundle.iterdir())
    assert not list(bundle.glob("pagefind-*ui.*"))  # the theme brings its own search UI


def test_only_the_main_content_is_marked_for_the_index(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    html = (site / "projekt" / "jamstalldhet" / "index.html").read_text(encoding="utf-8")
    assert html.count("data-pagefind-body") == 1
    start, end = html.index("<article"), html.index("</article>")
    assert "data-pagefind-body" in html[start:html.index(">", start)]
    assert "site-footer" not in html[start:end] and "main-menu" not in html[start:end]


def test_index_records_carry_section_type_and_ingress(make_site, tmp_path):
    from types import SimpleNamespace

    from sitegen.features import search_index

    site_dir = build(make_site, tmp_path, SITE)
    item = SimpleNamespace(kind="news", nav_title="Nytt projekt", source="x.md", template="", extra={}, is_root=False,
                           file_path=lambda: "nyheter/nytt/index.html")
    section = SimpleNamespace(nav_title="Nyheter")
    item.ancestors = lambda: [SimpleNamespace(), section]
    fake = SimpleNamespace(staging=site_dir, theme=SimpleNamespace(strings={}),
                           site=SimpleNamespace(href=lambda p: "/demo/nyheter/nytt/"))
    url, html = search_index.index_record(fake, item)
    assert url == "/demo/nyheter/nytt/"
    assert '<span hidden data-pagefind-filter="Typ:news"></span>' in html
    assert '<span hidden data-pagefind-filter="Avsnitt:Nyheter"></span>' in html
    assert '<p class="ingress" data-pagefind-meta="ingress">' in html


def test_an_editors_search_page_keeps_its_text(make_site, tmp_path):
    site = build(make_site, tmp_path, {**SITE, "sok.md": page("Sök på sajten", "Tips: sök på ett ord.")})
    html = (site / "sok" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Sök på sajten</h1>" in html and "Tips: sök på ett ord." in html
    assert 'class="site-search"' in html


def test_archive_and_contact_pages_are_not_search_results(make_site, tmp_path):
    from types import SimpleNamespace

    from sitegen.features import search_index

    site_dir = build(make_site, tmp_path, SITE)
    archive = SimpleNamespace(source="nyheter/index.md", template="archive.html", extra={})
    assert search_index.index_record(SimpleNamespace(staging=site_dir), archive) is None


def _index_files(site):
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in (site / "pagefind").rglob("*") if p.is_file()}


def test_index_is_reused_when_no_page_changed(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    before = _index_files(site)
    again = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert again.status == 0, again.stderr
    assert _index_files(site) == before  # the same files, linked, not indexed again


def test_index_is_rebuilt_when_a_page_changed(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    before = _index_files(site)
    (tmp_path / "content/demo/projekt/jamstalldhet.md").write_text(
        page("Jämställd styrning", "Nu med kulturbudget."), encoding="utf-8")
    again = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert again.status == 0, again.stderr
    after = _index_files(site)
    assert after != before and set(after.values()).isdisjoint(before.values())
