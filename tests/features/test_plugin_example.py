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


def build(tmp_path, now=MONDAY, change=None, package_change=None, verbose=False):
    """The example site built with the package's code copied beside it; ``change`` edits a site file,
    ``package_change`` a file of the package (``(path under src/oppettider, old, new)``)."""
    content, source = tmp_path / "content", tmp_path / "src"
    if not content.exists():
        shutil.copytree(PACKAGE / "content", content)
    if not (source / "oppettider").exists():
        shutil.copytree(PACKAGE / "src", source, dirs_exist_ok=True)
    for folder, edit in ((content / "bibliotek", change), (source / "oppettider", package_change)):
        if edit:
            rel, old, new = edit
            path = folder / rel
            text = path.read_text(encoding="utf-8")
            assert old in text
            path.write_text(text.replace(old, new), encoding="utf-8")
    site_packages = tmp_path / "site-packages"
    env = {"PYTHONPATH": f"{source}:{site_packages}"}
    if not any(site_packages.glob("oppettider-*.dist-info")):
        registered(site_packages, source)
    quiet = () if verbose else ("-q",)
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", now, *quiet, env=env)
    return result, tmp_path / "out" / "bibliotek"


def another_package(tmp_path, name: str, files: dict) -> None:
    """A second package with a feature ``name`` (module ``NAME/feature.py``) installed beside the example."""
    for rel, text in files.items():
        path = tmp_path / "src" / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    info = tmp_path / "site-packages" / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[sitegen.features]\n{name} = {name}.feature\n")


FEATURE = 'PHASE = "pages"\nPAGE_TYPES = "types"\n\ndef run(build):\n    pass\n'


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


def test_the_types_value_of_a_wrong_kind_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, change=("oppettider.md", "  - 2026-12-31 10–13\n", "  - [2026-12-31, 10–13]\n"))
    assert result.status == 1
    assert ("content/bibliotek/oppettider.md:11: error: 'undantag' must be a list of texts, not a list"
            in result.stderr)
    assert not out.exists()


def test_the_site_no_longer_holds_the_type_or_its_template():
    assert not (PACKAGE / "content/bibliotek/_types").exists()
    assert (PACKAGE / "src/oppettider/types/oppettider.yaml").is_file()


def test_a_themes_own_template_replaces_the_packages(tmp_path):
    theme = tmp_path / "themes/biblioteket"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("extends: orebro\n", encoding="utf-8")
    (theme / "templates/oppettider.html").write_text(
        '{% extends "page.html" %}{% block main %}<p class="egen">Egna tider: {{ oppettider.today }}</p>'
        '{% endblock %}\n', encoding="utf-8")
    result, out = build(tmp_path, change=("site.yaml", "title: Biblioteket\n", "title: Biblioteket\ntheme: biblioteket\n"))
    assert result.status == 0, result.stderr
    html = (out / "oppettider/index.html").read_text(encoding="utf-8")
    assert '<p class="egen">Egna tider: 10–19</p>' in html
    assert '<table class="oppettider">' not in html


def test_an_edited_template_of_the_package_renders_its_pages_again(tmp_path):
    # The site changes too, so the build runs whatever its stamp says: the page's key must see the template.
    assert build(tmp_path)[0].status == 0
    result, out = build(tmp_path, change=("index.md", "Välkommen in!", "Välkomna in!"),
                        package_change=("types/oppettider.html", "<caption>Öppettider</caption>",
                                        "<caption>Veckans öppettider</caption>"))
    assert result.status == 0, result.stderr
    assert "<caption>Veckans öppettider</caption>" in (out / "oppettider/index.html").read_text(encoding="utf-8")


def test_an_edited_template_of_the_package_is_not_nothing_changed(tmp_path):
    assert build(tmp_path)[0].status == 0
    result, out = build(tmp_path, verbose=True, package_change=(
        "types/oppettider.html", "<caption>Öppettider</caption>", "<caption>Veckans öppettider</caption>"))
    assert result.status == 0, result.stderr
    assert "nothing changed" not in result.stdout + result.stderr
    assert "<caption>Veckans öppettider</caption>" in (out / "oppettider/index.html").read_text(encoding="utf-8")


def test_a_mistake_in_the_packages_type_file_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, package_change=("types/oppettider.yaml", "  lordag: str", "  lordag: text"))
    assert result.status == 1
    assert ("\nsrc/oppettider/types/oppettider.yaml:8: error: 'fields.lordag' must be one of str, int, "
            "bool, date, datelist, strlist, url, email, phone, not 'text'") in result.stderr
    assert not out.exists()


def test_a_mistake_in_the_packages_template_is_an_error_at_its_line(tmp_path):
    result, out = build(tmp_path, package_change=("types/oppettider.html", "{% endfor %}</table>", "</table>"))
    assert result.status == 1
    assert ("\nsrc/oppettider/types/oppettider.html:13: error: 'endblock' does not belong here: the 'for' opened "
            "above is still open") in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_a_sites_own_type_of_the_features_name_is_an_error_at_its_file(tmp_path):
    shutil.copytree(PACKAGE / "content", tmp_path / "content")
    (tmp_path / "content/bibliotek/_types").mkdir()
    (tmp_path / "content/bibliotek/_types/oppettider.yaml").write_text("fields:\n  mandag: str\n", encoding="utf-8")
    result, out = build(tmp_path)
    assert result.status == 1
    assert ("content/bibliotek/_types/oppettider.yaml:1: error: 'oppettider' is a page type the feature "
            "'oppettider' brings: give the file another name, or delete it and use the feature's type") in result.stderr
    assert not out.exists()


def test_a_sites_own_template_for_the_features_type_is_a_warning_and_not_used(tmp_path):
    shutil.copytree(PACKAGE / "content", tmp_path / "content")
    (tmp_path / "content/bibliotek/_types").mkdir()
    (tmp_path / "content/bibliotek/_types/oppettider.html").write_text(
        '{% extends "page.html" %}{% block main %}<p class="egen">Egna</p>{% endblock %}\n', encoding="utf-8")
    result, out = build(tmp_path)
    assert result.status == 0, result.stderr
    assert ("content/bibliotek/_types/oppettider.html:1: warning: the page type 'oppettider' is the feature "
            "'oppettider''s, with its template: this file is not used. To change how its pages look, add "
            "templates/oppettider.html to the site's theme") in result.stderr
    assert '<table class="oppettider">' in (out / "oppettider/index.html").read_text(encoding="utf-8")


def test_a_feature_bringing_a_type_of_a_built_in_name_stops_the_run(tmp_path):
    another_package(tmp_path, "nyheter", {"__init__.py": "", "feature.py": FEATURE, "types/news.yaml": "fields: {}\n"})
    result, out = build(tmp_path)
    assert result.status == 2
    assert result.stderr.strip() == (
        f"sitegen: error: feature 'nyheter' brings the page type 'news' ({tmp_path}/src/nyheter/types/news.yaml), "
        "the name of a built-in page type: rename the file in the package")
    assert not out.exists()


def test_two_features_bringing_the_same_type_stop_the_run(tmp_path):
    another_package(tmp_path, "timmar", {"__init__.py": "", "feature.py": FEATURE,
                                         "types/oppettider.yaml": "fields: {}\n"})
    result, out = build(tmp_path)
    assert result.status == 2
    assert result.stderr.strip() == (
        "sitegen: error: features 'oppettider' and 'timmar' both bring the page type 'oppettider': a page's type "
        "must be one, so rename one of the files in its package")
    assert not out.exists()


def test_page_types_naming_no_folder_of_the_package_stops_the_run(tmp_path):
    another_package(tmp_path, "timmar", {"__init__.py": "", "feature.py": FEATURE.replace('"types"', '"../typer"')})
    result, out = build(tmp_path)
    assert result.status == 2
    assert result.stderr.strip().startswith(
        "sitegen: error: feature 'timmar' (timmar.feature) gives PAGE_TYPES '../typer', which is not a folder inside "
        "its package:")
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
