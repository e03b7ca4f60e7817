"""A site's aliases and removed paths on its own host stay out of the host's start page and out
of the other sites of the content folder, also when only this site is built (as a deploy does):
otherwise its server rules would answer for another site's pages."""
from __future__ import annotations

from testkit import page, run_sitegen


def two_sites(tmp_path, alias: str = "", removed: str = ""):
    content = tmp_path / "content"
    for name in ("a", "b"):
        (content / name).mkdir(parents=True)
        extra = f"removed: [{removed}]\n" if removed and name == "a" else ""
        (content / name / "site.yaml").write_text(
            f"title: {name}\nbase_url: https://www.example.se/{name}/\n{extra}", encoding="utf-8")
        meta = {"aliases": f"[{alias}]"} if alias and name == "a" else {}
        (content / name / "index.md").write_text(page("Start", **meta), encoding="utf-8")
        (content / name / "sida.md").write_text(page("Sida"), encoding="utf-8")
    return content


def build_a(tmp_path, content):
    return run_sitegen("build", "a", "--content", str(content), "--out", str(tmp_path / "out"), "--lang", "en")


def test_removed_host_start_page_is_an_error(tmp_path):
    result = build_a(tmp_path, two_sites(tmp_path, removed='"/"'))
    assert result.status == 1
    assert "content/a/site.yaml:3: error: '/' is the start page of the whole host" in result.stderr


def test_removed_path_of_another_site_is_an_error_when_built_alone(tmp_path):
    result = build_a(tmp_path, two_sites(tmp_path, removed="/b/sida/"))
    assert result.status == 1
    assert "content/a/site.yaml:3: error: '/b/sida/' is in the site b (/b/)" in result.stderr


def test_alias_into_another_site_is_an_error_when_built_alone(tmp_path):
    result = build_a(tmp_path, two_sites(tmp_path, alias="/b/"))
    assert result.status == 1
    assert "content/a/index.md:3: error: '/b/' is in the site b (/b/)" in result.stderr


def test_old_paths_outside_every_site_stay_allowed(tmp_path):
    result = build_a(tmp_path, two_sites(tmp_path, alias="/gamla-a/start.aspx", removed="/gammal-sida.html"))
    assert result.status == 0, result.stderr
