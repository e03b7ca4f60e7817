"""The worked example of a feature from another package (tests/fixtures/oppettider): opening
hours as another municipality would add them, with the contract as docs/architecture.md gives
it. Registered from the package's own pyproject.toml, nothing installed."""
import json
import shutil
import tomllib

from testkit import REPO, run_sitegen

PACKAGE = REPO / "tests/fixtures/oppettider"
MONDAY = "2026-11-23T12:00:00+01:00"
CHRISTMAS_EVE = "2026-12-24T12:00:00+01:00"


def registered(folder, source=PACKAGE / "src") -> dict:
    """The package on the path with metadata naming its entry points, as pip would write them
    (``source``: where its code is, as ``pip install -e`` leaves it)."""
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    info = folder / f"{project['name']}-{project['version']}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n")
    lines = [f"{name} = {value}" for name, value in project["entry-points"]["sitegen.features"].items()]
    (info / "entry_points.txt").write_text("[sitegen.features]\n" + "\n".join(lines) + "\n")
    return {"PYTHONPATH": f"{source}:{folder}"}


def build(tmp_path, now=MONDAY, change=None):
    content = tmp_path / "content"
    shutil.copytree(PACKAGE / "content", content)
    if change:
        rel, old, new = change
        path = content / "bibliotek" / rel
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", now, "-q", env=registered(tmp_path / "site-packages"))
    return result, tmp_path / "out" / "bibliotek"


def test_the_hours_page_shows_the_week_and_todays_hours(tmp_path):
    result, out = build(tmp_path)
    assert result.status == 0, result.stderr
    html = (out / "oppettider/index.html").read_text(encoding="utf-8")
    assert '<p class="idag">I dag: 10–19</p>' in html
    assert '<tr><th scope="row">Lördag</th><td>11–15</td></tr>' in html
    assert '<tr><th scope="row">Söndag</th><td>stängt</td></tr>' in html
    assert "<li>2026-12-24: stängt</li><li>2026-12-31: 10–13</li>" in html


def test_a_deviation_is_todays_hours_on_its_day(tmp_path):
    result, out = build(tmp_path, now=CHRISTMAS_EVE)
    assert result.status == 0, result.stderr
    assert '<p class="idag">I dag: stängt</p>' in (out / "oppettider/index.html").read_text(encoding="utf-8")


def test_the_generated_file_lists_every_hours_page(tmp_path):
    result, out = build(tmp_path)
    assert result.status == 0, result.stderr
    listed = json.loads((out / "oppettider.json").read_text(encoding="utf-8"))
    assert listed == {"/bibliotek/oppettider/": {
        "title": "Öppettider",
        "week": {"Måndag": "10–19", "Tisdag": "10–19", "Onsdag": "10–19", "Torsdag": "10–19", "Fredag": "10–17",
                 "Lördag": "11–15", "Söndag": "stängt"},
        "deviations": {"2026-12-24": "stängt", "2026-12-31": "10–13"}}}


def test_the_box_links_to_the_hours_on_any_page(tmp_path):
    result, out = build(tmp_path)
    assert result.status == 0, result.stderr
    assert ('<aside class="box oppettider"><p><a href="/bibliotek/oppettider/">Öppettider</a></p><p>Välkommen in!</p>'
            in (out / "index.html").read_text(encoding="utf-8"))


def test_a_deviation_without_a_date_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, change=("oppettider.md", "  - 2026-12-31 10–13", "  - nyårsafton 10–13"))
    assert result.status == 1
    assert ("content/bibliotek/oppettider.md:13: error: 'nyårsafton 10–13' does not start with a date: write the "
            "date first, e.g. 2026-12-24 stängt") in result.stderr
    assert not out.exists()


def test_the_box_without_its_page_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, change=("index.md", '::: oppettider sida="/bibliotek/oppettider/"', "::: oppettider"))
    assert result.status == 1
    assert ('content/bibliotek/index.md:6: error: the box oppettider needs the hours page: ::: oppettider '
            'sida="/bibliotek/oppettider/"') in result.stderr
    assert not out.exists()


def test_the_types_key_with_a_typo_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, change=("oppettider.md", "lordag:", "lördag:"))
    assert result.status == 1
    assert "content/bibliotek/oppettider.md:10: error: unknown key 'lördag' (did you mean 'lordag'?)" in result.stderr
    assert not out.exists()


def test_the_template_reading_a_misspelt_value_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, change=("_types/oppettider.html", "oppettider.today", "oppettider.todya"))
    assert result.status == 1
    assert ("content/bibliotek/_types/oppettider.html:5: error: 'todya' is not known here (did you mean 'today'?)"
            in result.stderr)
    assert not out.exists()


def test_a_feature_edited_in_place_builds_again_instead_of_nothing_changed(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(PACKAGE / "src", source)
    content = tmp_path / "content"
    shutil.copytree(PACKAGE / "content", content)
    env = registered(tmp_path / "site-packages", source)
    args = ("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", MONDAY, "-q")
    assert run_sitegen(*args, env=env).status == 0
    feature = source / "oppettider/feature.py"
    feature.write_text(feature.read_text(encoding="utf-8").replace('"Lördag"', '"Lördagar"'), encoding="utf-8")
    assert run_sitegen(*args, env=env).status == 0
    html = (tmp_path / "out/bibliotek/oppettider/index.html").read_text(encoding="utf-8")
    assert '<th scope="row">Lördagar</th>' in html


def test_an_edited_box_of_a_feature_renders_the_pages_using_it_again(tmp_path):
    # The box's HTML is kept in the build cache with the page's text: its Python side is in its key.
    source = tmp_path / "src"
    shutil.copytree(PACKAGE / "src", source)
    content = tmp_path / "content"
    shutil.copytree(PACKAGE / "content", content)
    env = registered(tmp_path / "site-packages", source)
    args = ("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", MONDAY, "-q")
    assert run_sitegen(*args, env=env).status == 0
    feature = source / "oppettider/feature.py"
    feature.write_text(feature.read_text(encoding="utf-8").replace('{"href": args["sida"]}',
                                                                   '{"href": args["sida"] + "#tider"}'),
                       encoding="utf-8")
    assert run_sitegen(*args, env=env).status == 0
    html = (tmp_path / "out/bibliotek/index.html").read_text(encoding="utf-8")
    assert '<a href="/bibliotek/oppettider/#tider">' in html
