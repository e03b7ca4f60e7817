"""The build cache: a rebuild after a change is byte for byte a cold build, nothing stale survives."""
from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from testkit import NOW, REPO, page, run_sitegen

SITE = {
    "index.md": page("Start"),
    "om/index.md": page("Om oss", "Se [kontakt](kontakt.md) och [historia](historia.md)."),
    "om/kontakt.md": page("Kontakt", weight=1),
    "om/historia.md": page("Historia", weight=2),
    "om/arkiv.md": page("Arkiv", weight=3),
    "om/mer/index.md": page("Mer"),
    "om/mer/a.md": page("Aaa"),
    "om/mer/b.md": page("Bbb"),
    "tjanster/index.md": page("Tjänster"),
    "data/fakta.yaml": "antal: 1\n",
}


def build(content: Path, out: Path, *extra: str):
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q", *extra)
    assert result.status == 0, result.stderr
    return out / "demo"


def pages_and_files(out: Path):
    """The files the build writes itself; the search index is rewritten by Pagefind every build."""
    return [p for p in out.rglob("*") if p.is_file() and "pagefind" not in p.relative_to(out).parts]


def same_as_cold(content: Path, cached: Path, tmp_path: Path) -> None:
    cold = build(content, tmp_path / "cold", "--no-cache")
    compared = filecmp.dircmp(cached, cold)
    differing = []

    def walk(cmp, prefix=""):
        if prefix.startswith("pagefind/"):
            return   # Pagefind names its index files itself; the pages it indexes are compared
        differing.extend(prefix + name for name in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            walk(sub, prefix + name + "/")
    walk(compared)
    shutil.rmtree(tmp_path / "cold")
    assert differing == [], f"stale or missing after a cached rebuild: {differing}"


@pytest.fixture
def site(make_site):
    return make_site(SITE)


def test_a_rebuild_with_nothing_changed_keeps_every_file(site, tmp_path):
    out = build(site, tmp_path / "out")
    before = {p: p.stat().st_mtime_ns for p in pages_and_files(out)}
    build(site, tmp_path / "out")
    after = {p: p.stat().st_mtime_ns for p in pages_and_files(out)}
    assert before == after
    assert (site.parent / ".sitegen-cache").is_dir()


def test_a_siblings_title_updates_every_card(site, tmp_path):
    out = build(site, tmp_path / "out")
    kept = (out / "tjanster" / "index.html").stat().st_mtime_ns
    (site / "demo/om/mer/b.md").write_text(page("Nytt namn på b"), encoding="utf-8")
    build(site, tmp_path / "out")
    for sibling in ("om/mer/a", "om/mer"):   # a sibling's cards, the section's child cards
        assert "Nytt namn på b" in (out / sibling / "index.html").read_text(encoding="utf-8")
    assert (out / "tjanster" / "index.html").stat().st_mtime_ns == kept   # untouched page, same file
    same_as_cold(site, out, tmp_path)


def test_a_title_in_the_menu_updates_every_page(site, tmp_path):
    out = build(site, tmp_path / "out")
    (site / "demo/om/historia.md").write_text(page("Vår historia", weight=2), encoding="utf-8")
    build(site, tmp_path / "out")
    assert "Vår historia" in (out / "tjanster" / "index.html").read_text(encoding="utf-8")
    same_as_cold(site, out, tmp_path)


def test_a_changed_template_updates_every_page(site, tmp_path):
    themes = tmp_path / "themes"
    shutil.copytree(REPO / "themes" / "orebro", themes / "orebro")
    build(site, tmp_path / "out", "--themes", str(themes))
    base = themes / "orebro" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<main ", "<main data-test=\"ny\" "),
                    encoding="utf-8")
    out = build(site, tmp_path / "out", "--themes", str(themes))
    for html in out.rglob("index.html"):
        if "<main" in html.read_text(encoding="utf-8"):
            assert 'data-test="ny"' in html.read_text(encoding="utf-8"), html


def test_a_changed_site_yaml_updates_every_page(site, tmp_path):
    out = build(site, tmp_path / "out")
    (site / "demo/site.yaml").write_text("title: Nytt namn\nbase_url: https://www.example.se/demo/\n",
                                         encoding="utf-8")
    build(site, tmp_path / "out")
    for name in ("index.html", "om/kontakt/index.html", "tjanster/index.html"):
        assert "Nytt namn" in (out / name).read_text(encoding="utf-8")
    same_as_cold(site, out, tmp_path)


def test_a_changed_data_file_and_body_rebuild_like_a_cold_build(site, tmp_path):
    out = build(site, tmp_path / "out")
    (site / "demo/data/fakta.yaml").write_text("antal: 2\n", encoding="utf-8")
    (site / "demo/om/kontakt.md").write_text(page("Kontakt", "Ny text här.", weight=1), encoding="utf-8")
    build(site, tmp_path / "out")
    assert "Ny text här." in (out / "om/kontakt/index.html").read_text(encoding="utf-8")
    same_as_cold(site, out, tmp_path)


def test_a_deleted_page_disappears_and_links_to_it_are_errors(site, tmp_path):
    out = build(site, tmp_path / "out")
    (site / "demo/om/arkiv.md").unlink()
    build(site, tmp_path / "out")
    assert not (out / "om/arkiv").exists()
    assert "Arkiv" not in (out / "om/kontakt/index.html").read_text(encoding="utf-8")
    same_as_cold(site, out, tmp_path)
    (site / "demo/om/historia.md").unlink()   # om/index.md links to it: the cached body must not hide that
    result = run_sitegen("build", "--content", str(site), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 1
    assert "content/demo/om/index.md:6: error: link to missing page 'historia.md'" in result.stderr


def test_warnings_of_cached_bodies_are_reported_again(make_site, tmp_path):
    from PIL import Image
    content = make_site({"index.md": page("Start", '<img src="bild.png" alt="" onerror="x()">')})
    Image.new("RGB", (8, 8), "red").save(content / "demo" / "bild.png")
    for _ in range(2):
        result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
        assert result.status == 0, result.stderr
        assert "content/demo/index.md:6: warning: event attribute 'onerror' on <img> removed" in result.stderr


def test_an_output_file_removed_by_hand_is_written_again(site, tmp_path):
    out = build(site, tmp_path / "out")
    expected = (out / "om/kontakt/index.html").read_bytes()
    (out / "om/kontakt/index.html").unlink()
    (out / "om/arkiv/index.html").write_text("edited by hand", encoding="utf-8")
    build(site, tmp_path / "out")
    assert (out / "om/kontakt/index.html").read_bytes() == expected
    assert "edited by hand" not in (out / "om/arkiv/index.html").read_text(encoding="utf-8")


def test_check_uses_the_cache_and_still_reports_every_problem(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": "---\ntitle: Om\n---\n\nText.\n"})
    build(content, tmp_path / "out")
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert result.status == 1
    assert "content/demo/om.md:2: error: 'ingress' missing" in result.stderr


def _execute(content: Path, out: Path):
    import datetime as dt

    from sitegen import builder
    problems, builds = builder.execute(builder.BuildOptions(
        content=content, out=out, now=dt.datetime.fromisoformat(NOW), quiet=True))
    assert not problems.errors
    return builds[0]


def test_a_body_edit_renders_that_page_alone(site, tmp_path):
    _execute(site, tmp_path / "out")
    (site / "demo/om/historia.md").write_text(page("Historia", "Ny text om historien.", weight=2), encoding="utf-8")
    build = _execute(site, tmp_path / "out")
    assert set(build.pending) == {"om/historia/index.html"}   # not its siblings, not the menu's pages
    assert "Ny text om historien." in (tmp_path / "out/demo/om/historia/index.html").read_text(encoding="utf-8")
    same_as_cold(site, tmp_path / "out/demo", tmp_path)


def test_a_title_edit_renders_the_pages_that_show_it(site, tmp_path):
    _execute(site, tmp_path / "out")
    (site / "demo/om/historia.md").write_text(page("Vår historia", weight=2), encoding="utf-8")
    build = _execute(site, tmp_path / "out")
    assert {"om/historia/index.html", "om/kontakt/index.html", "om/index.html"} <= set(build.pending)
    same_as_cold(site, tmp_path / "out/demo", tmp_path)



@pytest.mark.parametrize("how", ["error", "stopped"])
def test_a_build_that_fails_after_its_bodies_are_kept_leaves_nothing_stale(site, tmp_path, monkeypatch, how):
    """The bodies and sources go to the cache before the staged features run; a build that then
    fails or is stopped does not go live, and the builds after it are still a cold build's
    output, whether the page goes back to what is live or on to what the failed build had."""
    import datetime as dt
    from sitegen import builder
    from sitegen.features import precompress
    out = build(site, tmp_path / "out")
    kontakt = site / "demo/om/kontakt.md"
    kontakt.write_text(page("Kontakt", "Ny text från bygget som inte gick.", weight=1), encoding="utf-8")

    def failing(build_):
        if how == "stopped":
            raise KeyboardInterrupt
        build_.problems.error(build_.config.config_path, 1, "a staged feature failed")
    monkeypatch.setattr(precompress, "run", failing)
    options = builder.BuildOptions(content=site, out=tmp_path / "out", now=dt.datetime.fromisoformat(NOW), quiet=True)
    if how == "stopped":
        with pytest.raises(KeyboardInterrupt):
            builder.execute(options)
    else:
        assert builder.execute(options)[0].errors
    monkeypatch.undo()
    assert "Ny text" not in (out / "om/kontakt/index.html").read_text(encoding="utf-8")

    kontakt.write_text(page("Kontakt", weight=1), encoding="utf-8")   # back to what is live
    same_as_cold(site, build(site, tmp_path / "out"), tmp_path)
    kontakt.write_text(page("Kontakt", "Ny text från bygget som inte gick.", weight=1), encoding="utf-8")
    out = build(site, tmp_path / "out")
    assert "Ny text" in (out / "om/kontakt/index.html").read_text(encoding="utf-8")
    same_as_cold(site, out, tmp_path)


def _shard_files(content: Path) -> dict[str, int]:
    folder = content.parent / ".sitegen-cache"
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if ".bodies-" in p.name or ".sources-" in p.name}


def test_a_body_edit_writes_only_the_cache_files_that_hold_it(site, tmp_path):
    build(site, tmp_path / "out")
    before = _shard_files(site)
    (site / "demo/om/historia.md").write_text(page("Historia", "En ny text om historien."), encoding="utf-8")
    build(site, tmp_path / "out")
    after = _shard_files(site)
    changed = [name for name in after if after[name] != before.get(name) and ".bodies-" in name]
    assert len(changed) == 1   # the one file of bodies that holds the edited page's (sources written
    # a moment ago are not kept: their stat may still change within the same clock tick)


def test_a_body_made_again_with_other_lookups_is_not_the_one_loaded():
    from sitegen.cache import BodyEntry, _fingerprints

    loaded = {"om.md": BodyEntry("key", "<p>a</p>", (("page", "kontakt.md", True),), ())}
    again = {"om.md": BodyEntry("key", "<p>b</p>", (("page", "kontakt.md", False),), ())}
    assert _fingerprints("bodies", loaded) != _fingerprints("bodies", again)
    assert _fingerprints("bodies", loaded) == _fingerprints("bodies", dict(loaded))
