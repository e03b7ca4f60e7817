"""`sitegen deploy` refuses a build that would drop an address the release online answers, and a
build made with --drafts unless --allow-drafts; real builds, real deploys (local and through ssh)."""
from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

from test_deploy import FAKE_RSYNC, FAKE_SSH, ROOT
from testkit import NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\ncontact: {email: demo@example.se}\n"
PIANO = page("Piano", "Du spelar 20 minuter i veckan med en egen lärare.")


def build(make_site, tmp_path, files: dict, *args: str):
    """Build ``files`` as they are (no ledger: only the release online protects its addresses)."""
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    make_site(files, site_yaml=SITE_YAML)
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "build"), "--now", NOW, "-q",
                         *args)
    assert result.status == 0, result.stderr


def deploy(tmp_path, dest: str, *args: str, env: dict | None = None):
    return run_sitegen("deploy", "demo", "--out", "build", "--to", dest, *args, cwd=tmp_path, env=env)


def online(dest) -> set[str]:
    current = dest / "current"
    return {p.relative_to(current).as_posix() for p in current.rglob("*") if p.is_file()}


def test_deploy_refuses_to_drop_an_address_and_names_the_page_that_has_it_now(make_site, tmp_path):
    dest = tmp_path / "www"
    build(make_site, tmp_path, {"index.md": page("Start"), "kurser/piano.md": PIANO, "b.md": page("B")})
    assert deploy(tmp_path, "www").status == 0
    build(make_site, tmp_path, {"index.md": page("Start"), "musik/tangenter.md": page("Tangenter", PIANO.split("---")[-1])})
    result = deploy(tmp_path, "www")
    assert result.status == 1
    assert "error: build/demo would no longer answer 2 addresses that the release online at www/current answers:" \
        in result.stderr, result.stderr
    assert ("  /demo/b/: add it to the page that has its content now (aliases: [/demo/b/]), or, if it is gone "
            "for good, as a removed page in site.yaml (removed: [/demo/b/])" in result.stderr)
    assert ("  /demo/kurser/piano/: the page musik/tangenter.md has its text now: add the address to it as an old "
            "address that leads there (aliases: [/demo/kurser/piano/])" in result.stderr)
    assert "'sitegen adresser uppdatera demo'" in result.stderr
    assert "kurser/piano/index.html" in online(dest)   # the release online stays


def test_deploy_with_the_decisions_made_goes_online(make_site, tmp_path):
    dest = tmp_path / "www"
    build(make_site, tmp_path, {"index.md": page("Start"), "kurser/piano.md": PIANO, "b.md": page("B")})
    assert deploy(tmp_path, str(dest)).status == 0
    build(make_site, tmp_path, {"index.md": page("Start"), "b.md": page("B", draft="true"),
                                "site.yaml": SITE_YAML + "removed: [/demo/kurser/piano/]\n"})
    result = deploy(tmp_path, str(dest))
    assert result.status == 0, result.stderr
    assert "kurser/piano/index.html" not in online(dest)


def test_deploy_over_a_release_without_a_record_compares_nothing(make_site, tmp_path):
    dest = tmp_path / "www"
    build(make_site, tmp_path, {"index.md": page("Start"), "b.md": page("B")})
    assert deploy(tmp_path, str(dest)).status == 0
    os.remove(os.path.realpath(dest / "current" / "_server/build.json"))   # as a release of an older sitegen
    build(make_site, tmp_path, {"index.md": page("Start")})
    assert deploy(tmp_path, str(dest)).status == 0


def test_deploy_of_a_build_without_a_record_over_one_with_is_refused(make_site, tmp_path):
    dest = tmp_path / "www"
    build(make_site, tmp_path, {"index.md": page("Start")})
    assert deploy(tmp_path, str(dest)).status == 0
    (tmp_path / "build/demo/_server/build.json").unlink()
    (tmp_path / "build/demo/ny.html").write_text("ny", encoding="utf-8")
    result = deploy(tmp_path, str(dest))
    assert result.status == 1
    assert "holds no list of the addresses it publishes (_server/build.json)" in result.stderr, result.stderr


def test_deploy_refuses_a_build_with_drafts(make_site, tmp_path):
    build(make_site, tmp_path, {"index.md": page("Start"), "plan.md": page("Plan", draft="true")}, "--drafts")
    result = deploy(tmp_path, "www")
    assert result.status == 1
    assert ("error: build/demo was built with --drafts: its drafts and pages not yet published would go online. "
            "Build again without --drafts, or deploy with --allow-drafts if they are meant to be seen"
            in result.stderr), result.stderr
    assert not (tmp_path / "www").exists()


@pytest.mark.parametrize("option", ["--allow-drafts", "--med-utkast"])
def test_deploy_with_drafts_when_told(make_site, tmp_path, option):
    build(make_site, tmp_path, {"index.md": page("Start"), "plan.md": page("Plan", draft="true")}, "--drafts")
    result = deploy(tmp_path, str(tmp_path / "www"), option)
    assert result.status == 0, result.stderr
    assert "plan/index.html" in online(tmp_path / "www")
    assert json.loads((tmp_path / "www/current/_server/build.json").read_text(encoding="utf-8"))["drafts"] is True


def test_remote_deploy_compares_with_the_release_on_the_server(make_site, tmp_path):
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "ssh").write_text(FAKE_SSH)
    (bin_dir / "ssh").chmod(0o755)
    if shutil.which("rsync") is None:   # the same copy in Python, as test_deploy does
        (bin_dir / "rsync").write_text(FAKE_RSYNC.format(python=sys.executable, root=str(ROOT)))
        (bin_dir / "rsync").chmod(0o755)
    env = {"PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    dest = tmp_path / "srv"
    build(make_site, tmp_path, {"index.md": page("Start"), "b.md": page("B")})
    assert deploy(tmp_path, f"web1:{dest}", env=env).status == 0
    build(make_site, tmp_path, {"index.md": page("Start")})
    result = deploy(tmp_path, f"web1:{dest}", env=env)
    assert result.status == 1
    assert f"would no longer answer 1 addresses that the release online at web1:{dest}/current answers" \
        in result.stderr, result.stderr
    assert "b/index.html" in online(dest)


def test_deploy_names_the_first_fifty_lost_addresses_and_counts_the_rest(make_site, tmp_path):
    dest = tmp_path / "www"
    build(make_site, tmp_path, {"index.md": page("Start"), **{f"s{n:02}.md": page(f"Sida {n}") for n in range(60)}})
    assert deploy(tmp_path, "www").status == 0
    build(make_site, tmp_path, {"index.md": page("Start")})
    result = deploy(tmp_path, "www")
    assert result.status == 1
    assert "would no longer answer 60 addresses" in result.stderr
    assert "  /demo/s49/:" in result.stderr and "/demo/s50/" not in result.stderr
    assert "  … and 10 more" in result.stderr
