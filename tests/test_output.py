"""The write stage: unchanged files keep their inode and mtime; a failed build writes nothing."""
from __future__ import annotations

from pathlib import Path

from testkit import NOW, page, run_sitegen
from sitegen import output, swap


def test_unchanged_bytes_are_linked_not_rewritten(tmp_path):
    out = tmp_path / "out"
    staging = output.stage({"a.html": "A", "b/c.html": "C"}, out, "site")
    swap.swap(staging, out / "site")
    stager = output.Stager(out, "site", {})
    first = {rel: (out / "site" / rel).stat() for rel in ("a.html", "b/c.html")}
    manifest = {rel: output.Written(output.content_digest(text.encode()), st.st_size, st.st_mtime_ns)
                for (rel, st), text in zip(first.items(), ("A", "C"))}
    swap.discard(stager.close())
    staging = output.stage({"a.html": "A", "b/c.html": "changed"}, out, "site", manifest)
    swap.swap(staging, out / "site")
    assert (out / "site/a.html").stat().st_ino == first["a.html"].st_ino
    assert (out / "site/a.html").stat().st_mtime_ns == first["a.html"].st_mtime_ns
    assert (out / "site/b/c.html").read_text() == "changed"
    assert [p.name for p in out.iterdir()] == ["site"]   # no staging or old folder left


def test_a_failed_build_leaves_the_previous_output_untouched(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om")})
    out = tmp_path / "out"
    assert run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q").status == 0
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    (content / "demo/om.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 1
    assert "content/demo/om.md:2: error" in result.stderr
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    assert before == after
    assert [p.name for p in out.iterdir()] == ["demo"]


def test_the_build_knows_which_files_changed(make_site, tmp_path):
    import datetime as dt

    from sitegen import builder
    content = make_site({"index.md": page("Start"), "om.md": page("Om")})

    def options():
        return builder.BuildOptions(content=content, out=tmp_path / "out", now=dt.datetime.fromisoformat(NOW),
                                    quiet=True)
    problems, builds = builder.execute(options())
    assert not problems.errors
    assert "om/index.html" in builds[0].changed
    (content / "demo/om.md").write_text(page("Om", "Ny text."), encoding="utf-8")
    _, builds = builder.execute(options())
    # and the build record, which holds a digest of each page's text (a moved page is found by it)
    assert builds[0].changed == {"om/index.html", "_server/build.json"}
    (content / "demo/om.md").unlink()
    _, builds = builder.execute(options())
    assert "om/index.html" in builds[0].changed   # gone counts as changed


def _build(content, out):
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    assert result.status == 0, result.stderr


def test_a_rebuild_with_nothing_changed_stages_nothing(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    out = tmp_path / "out"
    _build(content, out)
    folder = (out / "demo").stat()
    _build(content, out)
    assert (out / "demo").stat().st_ino == folder.st_ino   # the same folder: nothing swapped in
    assert [p.name for p in out.iterdir()] == ["demo"]
    (content / "demo/om.md").write_text(page("Om", "Ny text."), encoding="utf-8")
    _build(content, out)
    assert (out / "demo").stat().st_ino != folder.st_ino   # a change is staged and swapped in whole
    assert "Ny text." in (out / "demo/om/index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [".demo.spare", "demo"]   # the tree it replaced


def test_a_removed_search_index_is_built_again_though_no_page_changed(make_site, tmp_path):
    import shutil

    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    out = tmp_path / "out"
    _build(content, out)
    shutil.rmtree(out / "demo/pagefind")
    _build(content, out)
    assert (out / "demo/pagefind/pagefind-entry.json").is_file()
    assert (out / "demo/pagefind/sitegen-parts.json").is_file()


def test_an_asset_changed_in_place_is_copied_though_no_page_changed(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "fil.txt": "första"})
    out = tmp_path / "out"
    _build(content, out)
    (content / "demo/fil.txt").write_text("andra, längre", encoding="utf-8")
    _build(content, out)
    assert (out / "demo/fil.txt").read_text(encoding="utf-8") == "andra, längre"


# --- the spare tree: the next build's staging folder, refreshed -------------------------

def _files(folder) -> dict:
    """Every file's bytes, Pagefind's own index files (hashed names, not the same twice) left out."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and (not p.relative_to(folder).as_posix().startswith("pagefind/")
                                or p.name.startswith("sitegen-parts.json"))}


def _clean(content, tmp_path):
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "clean"), "--now", NOW,
                         "-q", "--no-cache")
    assert result.status == 0, result.stderr
    return _files(tmp_path / "clean/demo")


def test_an_edit_is_staged_in_the_spare_tree_and_the_output_is_as_a_clean_build(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss. " * 30),
                         "bort.md": page("Bort", "Snart borta. " * 30), "fil.txt": "en fil " * 50})
    out = tmp_path / "out"
    _build(content, out)
    (content / "demo/om.md").write_text(page("Om", "Andra texten. " * 30), encoding="utf-8")
    _build(content, out)
    spare = out / ".demo.spare"
    assert (spare / "om/index.html").is_file()     # the first release, kept for the next build
    unchanged = (out / "demo/fil.txt").stat().st_ino
    (content / "demo/om.md").write_text(page("Om", "Tredje texten. " * 30), encoding="utf-8")
    (content / "demo/bort.md").unlink()
    _build(content, out)
    assert not spare.is_dir() or (spare / "om/index.html").is_file()
    assert (out / "demo/fil.txt").stat().st_ino == unchanged
    assert not (out / "demo/bort").exists()        # a removed page leaves nothing, its .gz neither
    assert _files(out / "demo") == _clean(content, tmp_path)


def test_a_file_of_the_live_output_is_never_written_through_its_link_in_the_staging_folder(
        make_site, tmp_path, monkeypatch):
    import os

    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "1")   # parts enough for a listing with a .gz
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Första. " * 40),
                         **{f"sida-{n}.md": page(f"Sida {n}", "Text. " * 40) for n in range(8)}})
    out = tmp_path / "out"
    _build(content, out)
    live = ["om/index.html", "om/index.html.gz", "pagefind/sitegen-parts.json", "pagefind/sitegen-parts.json.gz"]
    for number, text in enumerate(["Andra. ", "Tredje. "]):   # from an empty folder, then from the spare
        held = {}
        for rel in live:   # as a visitor's server has them open
            os.link(out / "demo" / rel, tmp_path / f"held-{number}-{rel.replace('/', '-')}")
            held[rel] = (tmp_path / f"held-{number}-{rel.replace('/', '-')}").read_bytes()
        (content / "demo/om.md").write_text(page("Om", text * 40), encoding="utf-8")
        _build(content, out)
        assert text in (out / "demo/om/index.html").read_text(encoding="utf-8")
        assert (out / "demo/pagefind/sitegen-parts.json").read_bytes() != held["pagefind/sitegen-parts.json"]
        for rel in live:
            assert (tmp_path / f"held-{number}-{rel.replace('/', '-')}").read_bytes() == held[rel], rel


def test_a_page_that_becomes_a_folder_and_a_stray_file_are_put_right_in_the_spare_tree(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "a.md": page("A"), "fil.txt": "en fil"})
    out = tmp_path / "out"
    _build(content, out)
    (content / "demo/index.md").write_text(page("Start", "Ändrad."), encoding="utf-8")
    _build(content, out)
    (out / ".demo.spare/a/index.html").unlink()          # the spare tree is not trusted
    (out / ".demo.spare/a/index.html").mkdir()
    (out / ".demo.spare/okänd.txt").write_text("kvar från förr", encoding="utf-8")
    (content / "demo/fil.txt").unlink()
    (content / "demo/fil.txt").mkdir()
    (content / "demo/fil.txt/index.md").write_text(page("Fil"), encoding="utf-8")
    _build(content, out)
    assert _files(out / "demo") == _clean(content, tmp_path)


def test_without_the_cache_no_spare_tree_is_kept(make_site, tmp_path):
    content = make_site({"index.md": page("Start")})
    out = tmp_path / "out"
    for text in ("Ett.", "Två."):
        (content / "demo/index.md").write_text(page("Start", text), encoding="utf-8")
        result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q",
                             "--no-cache")
        assert result.status == 0, result.stderr
    assert [p.name for p in out.iterdir()] == ["demo"]


def test_every_file_a_build_plans_is_one_of_the_documented_kinds(make_site, tmp_path):
    import datetime as dt

    from sitegen.builder import BuildOptions, prepare_site
    from sitegen.problems import Problems
    from testkit import page

    content = make_site({"index.md": page("Start"), "bild.png": b"\x89PNG\r\n\x1a\n"})
    build = prepare_site(content / "demo", BuildOptions(content=content, out=tmp_path / "out", cache=False,
                                                        now=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)), Problems())
    kinds = {type(value) for value in build.files.values()}
    assert all(isinstance(value, output.FileContent) for value in build.files.values()), kinds
    assert isinstance(build.files["index.html"], output.ToRender) and isinstance(build.files["robots.txt"], str)
    assert isinstance(build.files["bild.png"], Path)
