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


def test_index_records_hold_only_the_main_content_with_filters_and_ingress(make_site, tmp_path):
    from sitegen.features import search_index

    site = build(make_site, tmp_path, SITE)
    html = (site / "projekt" / "jamstalldhet" / "index.html").read_text(encoding="utf-8")
    marks = '<span hidden data-pagefind-filter="Typ:page"></span>'
    record = search_index.record_html(html, marks)
    assert record.startswith('<!DOCTYPE html><html lang="sv">')
    assert "<title>Jämställd styrning – Demo</title>" in record
    body = record[record.index("<body>"):]
    assert "data-pagefind-body>" + marks in body
    assert '<p class="ingress" data-pagefind-meta="ingress">' in body
    assert "Jämställdheten i budgeten." in body
    assert "main-menu" not in record and "site-footer" not in record and "breadcrumb" not in record
    assert body.endswith("</article></body></html>")


def test_a_page_without_the_main_content_mark_has_no_record():
    from sitegen.features import search_index

    assert search_index.record_html("<html><body><main>Lista</main></body></html>", "") is None


def test_a_nested_element_of_the_same_kind_stays_inside_the_record():
    from sitegen.features import search_index

    html = ('<html lang="sv"><body><article data-pagefind-body><p>Före</p>'
            '<article><p>Inne</p></article><p>Efter</p></article><footer>Fot</footer></body></html>')
    record = search_index.record_html(html, "")
    assert "Efter" in record and "Fot" not in record


def test_filter_marks_name_the_type_and_the_top_level_section():
    from types import SimpleNamespace

    from sitegen.features import search

    section = SimpleNamespace(nav_title="Nyheter", is_section=True)
    item = SimpleNamespace(kind="news", is_root=False, ancestors=lambda: [SimpleNamespace(), section])
    marks = search.filter_marks({}, item)
    assert marks == ('<span hidden data-pagefind-filter="Typ:news"></span>'
                     '<span hidden data-pagefind-filter="Avsnitt:Nyheter"></span>')


def test_an_editors_search_page_keeps_its_text(make_site, tmp_path):
    site = build(make_site, tmp_path, {**SITE, "sok.md": page("Sök på sajten", "Tips: sök på ett ord.")})
    html = (site / "sok" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Sök på sajten</h1>" in html and "Tips: sök på ett ord." in html
    assert 'class="site-search"' in html


def test_archive_and_contact_pages_are_not_search_results(make_site, tmp_path):
    from types import SimpleNamespace

    from sitegen.features import search_index

    archive = SimpleNamespace(source="nyheter/index.md", template="archive.html", in_search=None)
    assert search_index.record_of(SimpleNamespace(), archive) is None
    contact = SimpleNamespace(source="kontakt.md", template="", in_search=False)
    assert search_index.record_of(SimpleNamespace(), contact) is None


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
    # Pagefind's files are all new; sitegen's list of parts keeps its inode while its bytes hold
    pagefinds = {name: inode for name, inode in after.items() if "/sitegen-pagefind.js" not in name}
    assert after != before and set(pagefinds.values()).isdisjoint(before.values())


MANY = {**SITE, **{f"projekt/sida-{n}.md": page(f"Sida {n}", f"Ord nummer {n} om budget.") for n in range(12)}}


def _parts(site):
    import json

    return json.loads((site / "pagefind" / "sitegen-parts.json").read_text(encoding="utf-8"))


def test_a_large_site_is_indexed_in_parts_that_are_listed(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "4")
    site = build(make_site, tmp_path, MANY)
    listing = _parts(site)
    assert listing["parts"] and all(name.startswith("part-") for name in listing["parts"])
    for name in listing["parts"]:
        assert list((site / "pagefind" / name).glob("pagefind.sv_*.pf_meta"))
        assert not (site / "pagefind" / name / "part-1").exists()   # parts are not nested
    assert len(listing["keys"]) == len(listing["parts"]) + 1


def test_the_first_part_has_pages_when_the_hash_leaves_its_slot_empty(make_site, tmp_path, monkeypatch):
    from sitegen.features import search_index

    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "1")   # four pages, four slots
    monkeypatch.setenv("SITEGEN_WORKERS", "1")
    names = [n for n in (f"sida-{i}" for i in range(50)) if search_index.part_of(f"/demo/{n}/", 4)][:3]
    assert search_index.part_of("/demo/", 4) != 0   # so no page falls in slot 0
    site = build(make_site, tmp_path, {"index.md": page("Start"), **{f"{n}.md": page(n.title()) for n in names}})
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()  # the program is there
    listing = _parts(site)
    assert len(listing["keys"]) == len(listing["parts"]) + 1
    assert all((bundle / name / "pagefind-entry.json").is_file() for name in listing["parts"])


def _part_files(site, name):
    folder = site / "pagefind" / name
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*")
            if p.is_file() and not p.relative_to(folder).as_posix().startswith("part-")
            and not p.name.startswith("sitegen-parts.json")}   # the listing (and its .gz) names the new key


def test_only_the_part_with_a_changed_page_is_indexed_again(make_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "4")
    site = build(make_site, tmp_path, MANY)
    before = _parts(site)
    files_before = {name: _part_files(site, name) for name in before["keys"]}
    (tmp_path / "content/demo/projekt/sida-3.md").write_text(page("Sida 3", "Helt ny text."), encoding="utf-8")
    again = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert again.status == 0, again.stderr
    after = _parts(site)
    changed = [name for name in before["keys"] if before["keys"][name] != after["keys"][name]]
    assert len(changed) == 1   # the edited page's part
    for name in before["keys"]:
        files_after = _part_files(site, name)
        if name in changed:
            assert set(files_after.values()).isdisjoint(files_before[name].values())
        else:
            assert files_after == files_before[name]   # linked from the build cache


def test_a_rendered_page_leaves_its_record_in_its_part(make_site, tmp_path, monkeypatch):
    import datetime as dt

    from sitegen import builder
    from sitegen.features import search_index

    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "2")
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    content = make_site(SITE)
    problems, builds = builder.execute(builder.BuildOptions(
        content=content, out=tmp_path / "out", now=dt.datetime.fromisoformat(NOW), quiet=True))
    assert not problems.errors
    build = builds[0]
    assert build.scratch is not None and not build.scratch.exists()   # removed when the build ended
    build.scratch = tmp_path / "scratch"
    page_ = build.site.page_at("projekt/jamstalldhet/")
    html = (tmp_path / "out/demo/projekt/jamstalldhet/index.html").read_text(encoding="utf-8")
    search_index.page_written(build, page_, "projekt/jamstalldhet/index.html", html)
    count = search_index.part_count(build)
    # six pages to search (four an editor wrote, the contact page, the accessibility
    # statement), two per part: three parts, four on two cores
    assert count == 4
    part = search_index.part_of("/demo/projekt/jamstalldhet/", count)
    record = build.scratch / "pagefind" / f"part-{part}" / "demo/projekt/jamstalldhet/index.html"
    assert 'data-pagefind-filter="Avsnitt:Projekt"' in record.read_text(encoding="utf-8")
    search_index.page_written(build, build.site.page_at("sok/"), "sok/index.html", "<html></html>")
    assert len(list(build.scratch.rglob("*.html"))) == 1   # generated pages leave no record


def test_the_part_count_is_rounded_up_to_keep_every_core_busy_on_large_sites(make_site, tmp_path, monkeypatch):
    import datetime as dt

    from sitegen import builder
    from sitegen.features import search_index

    content = make_site(SITE)   # four pages an editor wrote
    options = builder.BuildOptions(content=content, out=tmp_path / "out", now=dt.datetime.fromisoformat(NOW),
                                   quiet=True, check_only=True)
    counts = {}
    for size, cores in (("3", "1"), ("1", "3"), ("3", "3"), ("9", "3")):
        monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", size)
        monkeypatch.setenv("SITEGEN_WORKERS", cores)
        problems, builds = builder.execute(options)
        assert not problems.errors
        counts[size, cores] = search_index.part_count(builds[0])
    # two parts of three pages; four parts of one page on three cores become six; fewer parts
    # than cores, and one part, stay as they are (each part is requests for every search)
    assert counts == {("3", "1"): 2, ("1", "3"): 6, ("3", "3"): 2, ("9", "3"): 1}


def test_the_search_page_carries_its_filter_choices(make_site, tmp_path):
    import html as html_lib
    import json
    import re

    site = build(make_site, tmp_path, SITE)
    page_html = (site / "sok" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'data-filters="([^"]*)"', page_html)
    choices = json.loads(html_lib.unescape(found.group(1)))
    assert choices == {"Typ": ["Nyhet", "Sida"], "Avsnitt": ["Nyheter", "Projekt"]}


def test_a_build_without_memory_for_the_search_index_stops_and_says_so(make_site, tmp_path):
    make_site(SITE)
    result = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path,
                         env={"SITEGEN_MEMORY_MB": "5"})
    assert result.status != 0
    assert "not enough memory to build the search index" in result.stderr
    assert "SITEGEN_SEARCH_PART_SIZE" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "demo").exists()   # nothing half-written went live


def test_the_memory_message_is_in_swedish_for_editors_and_operators(make_site, tmp_path):
    make_site(SITE)
    result = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path,
                         env={"SITEGEN_MEMORY_MB": "5", "SITEGEN_LANG": "sv"})
    assert result.status != 0
    assert "inte tillräckligt med minne för att bygga sökindexet" in result.stderr


def test_the_search_page_learns_the_parts_with_pagefinds_program(make_site, tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "4")
    site = build(make_site, tmp_path, MANY)
    program = (site / "pagefind" / "pagefind.js").read_text(encoding="utf-8")
    module = (site / "pagefind" / "sitegen-pagefind.js").read_text(encoding="utf-8")
    assert module.startswith(program.rstrip())
    listed = module[len(program.rstrip()):].strip()
    assert listed.startswith("export const sitegenParts = ") and listed.endswith(";")
    assert json.loads(listed[len("export const sitegenParts = "):-1]) == _parts(site)["parts"]
    assert json.loads(listed[len("export const sitegenParts = "):-1])   # this site has parts


def test_a_site_of_one_part_lists_no_other_parts(make_site, tmp_path):
    site = build(make_site, tmp_path, SITE)
    assert (site / "pagefind" / "sitegen-pagefind.js").read_text(encoding="utf-8").endswith(
        "\nexport const sitegenParts = [];\n")


def _pagefinds_files(site):
    """The files Pagefind wrote (not sitegen's listings, sitegen-parts.json and sitegen-pagefind.js,
    nor the .gz that precompress adds beside them)."""
    return {name: inode for name, inode in _index_files(site).items()
            if not name.endswith(".gz") and not name.startswith("pagefind/sitegen-")}


def test_parts_are_reused_from_the_build_cache_when_the_output_was_deleted(make_site, tmp_path):
    import shutil

    site = build(make_site, tmp_path, SITE)
    before = _pagefinds_files(site)
    shutil.rmtree(tmp_path / "out")
    site = build(make_site, tmp_path, SITE)
    assert _pagefinds_files(site) == before   # the same files, linked from .sitegen-cache/


def test_parts_are_not_reused_from_the_output_when_the_cache_was_deleted(make_site, tmp_path):
    import shutil

    site = build(make_site, tmp_path, SITE)
    before = _pagefinds_files(site)
    shutil.rmtree(tmp_path / ".sitegen-cache")
    site = build(make_site, tmp_path, SITE)
    after = _pagefinds_files(site)
    assert set(after.values()).isdisjoint(before.values())   # indexed afresh, nothing taken from out/


def test_the_cache_keeps_only_the_parts_of_the_last_build(make_site, tmp_path):
    build(make_site, tmp_path, SITE)
    site = build(make_site, tmp_path, SITE | {"projekt/jamstalldhet.md": page("Jämställd styrning", "Ny text.")})
    kept = [p.name for p in (tmp_path / ".sitegen-cache").glob("*.pagefind/*")]
    assert kept == list(_parts(site)["keys"].values())


def _kept_records(tmp_path):
    folders = list((tmp_path / ".sitegen-cache").glob("*.pagefind-records"))
    assert len(folders) == 1
    return {p.relative_to(folders[0]).as_posix(): p.read_bytes() for p in folders[0].rglob("*") if p.is_file()}


def test_the_records_kept_after_edits_are_those_a_clean_build_makes(make_site, tmp_path, monkeypatch):
    import shutil

    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "4")
    build(make_site, tmp_path, MANY)
    content = tmp_path / "content/demo/projekt"
    (content / "sida-3.md").write_text(page("Sida 3", "Helt ny text."), encoding="utf-8")
    (content / "sida-5.md").unlink()
    (content / "sida-20.md").write_text(page("Sida 20", "En ny sida."), encoding="utf-8")
    again = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert again.status == 0, again.stderr
    edited = _kept_records(tmp_path)
    assert any("sida-20" in name for name in edited) and not any("sida-5/" in name for name in edited)
    shutil.rmtree(tmp_path / ".sitegen-cache")
    shutil.rmtree(tmp_path / "out")
    clean = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert clean.status == 0, clean.stderr
    assert _kept_records(tmp_path) == edited
