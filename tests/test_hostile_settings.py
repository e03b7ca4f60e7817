"""site.yaml settings that would take the build outside its place: a theme named by a path
(its templates would run as code from the content), a calendar or news folder that climbs out
of the site's output. Each is an error at site.yaml, in check and build, and nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import output
from testkit import page, run_sitegen

SITE = "title: Demo\nbase_url: https://www.example.se/demo/\n"
EVENT = {"kalender/konsert.md": page("Konsert", type="event", start="2026-12-10 18:00")}


def run(make_site, tmp_path: Path, site_yaml: str, files: dict, command: str = "build"):
    content = make_site(files, site_yaml=site_yaml)
    return run_sitegen(command, "--content", str(content), "--out", str(tmp_path / "out"),
                       "--now", "2026-12-04T12:00", "--lang", "en")


@pytest.mark.parametrize("folder", ["../../escaped", "../sibling", "kalender/./x", "kalender/../../x", "a\\\\b"])
def test_a_calendar_folder_outside_the_site_is_an_error_and_nothing_is_written(make_site, tmp_path, folder):
    result = run(make_site, tmp_path, SITE + f'calendar:\n  folder: "{folder}"\n', EVENT)
    assert result.status == 1
    assert "content/demo/site.yaml:3: error: 'calendar.folder'" in result.stderr
    assert not (tmp_path / "escaped").exists() and not (tmp_path / "out" / "sibling").exists()
    assert not (tmp_path / "out" / "demo").exists()


def test_a_news_folder_that_climbs_is_an_error_in_check(make_site, tmp_path):
    result = run(make_site, tmp_path, SITE + 'news:\n  folder: "../nyheter"\n', {}, command="check")
    assert result.status == 1
    assert "content/demo/site.yaml:3: error: 'news.folder' '../nyheter'" in result.stderr


@pytest.mark.parametrize("theme", ["../../content/demo/data/t", "/tmp/t", "orebro/../orebro", "."])
def test_a_theme_named_by_a_path_is_refused_before_any_template_runs(make_site, tmp_path, theme):
    own = {"data/t/theme.yaml": "extends: orebro\n",
           "data/t/templates/page.html": "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
           "index.md": page("Start")}
    result = run(make_site, tmp_path, SITE + f'theme: "{theme}"\n', own)
    assert result.status == 1
    assert f"content/demo/site.yaml:3: error: theme '{theme}' is not a theme's name" in result.stderr
    assert not list(tmp_path.rglob("PWNED")) and not Path("PWNED").exists()


@pytest.mark.parametrize("rel", ["../x.html", "/etc/x", "a/../../x", "a//b", "a/./b", "a\\b", "a\nb", ""])
def test_the_stager_never_takes_a_path_outside_the_site(rel):
    with pytest.raises(output.OutsideOutput):
        output.inside_output(rel)


def test_ordinary_output_paths_pass():
    assert output.inside_output("kalender/2026/12/index.html") == "kalender/2026/12/index.html"
    assert output.inside_output("Bild på kursen.jpg") == "Bild på kursen.jpg"
