"""The features' one registry: entry points, order from NEEDS/PROVIDES, setup mistakes as errors."""
import pathlib
import re
import tomllib
import types

import pytest

from sitegen.features import Feature, FeatureError, features, order
from testkit import NOW, REPO, page, run_sitegen


def feature(name, phase="pages", needs=(), provides=()):
    return Feature(name, types.ModuleType(name), phase, tuple(needs), tuple(provides))


def names(found):
    return [f.name for f in found]


def test_a_feature_runs_after_what_it_needs_whatever_its_name():
    found = order([feature("a", needs=["menu"]), feature("z", provides=["menu"]), feature("m")])
    assert names(found) == ["m", "z", "a"]


def test_phases_come_in_their_order_and_a_need_may_be_met_earlier():
    found = order([feature("s", "staged", needs=["pages"]), feature("f", "files", needs=["pages"]),
                   feature("p", provides=["pages"])])
    assert names(found) == ["p", "f", "s"]


def test_a_need_nobody_provides_is_an_error():
    with pytest.raises(FeatureError, match="feature 'a' needs 'menu', which no feature provides"):
        order([feature("a", needs=["menu"])])


def test_a_need_provided_only_in_a_later_phase_is_an_error():
    with pytest.raises(FeatureError, match=r"feature 'a' \(phase pages\) needs 'feeds', which 'b' provides "
                                           r"only later \(phase files\)"):
        order([feature("a", needs=["feeds"]), feature("b", "files", provides=["feeds"])])


def test_a_cycle_is_an_error_naming_the_features():
    with pytest.raises(FeatureError, match="features 'a', 'b' need each other"):
        order([feature("a", needs=["x"], provides=["y"]), feature("b", needs=["y"], provides=["x"]), feature("c")])


def test_a_cycle_says_what_each_feature_needs_from_the_other():
    # The trap of a feature that adds pages and needs links: search provides links after every page.
    with pytest.raises(FeatureError) as caught:
        order([feature("vader", needs=["links"], provides=["pages"]),
               feature("search", needs=["pages"], provides=["pages", "links"])])
    assert str(caught.value) == ("features 'search', 'vader' need each other: no order can run them ('search' "
                                 "needs 'pages' from 'vader'; 'vader' needs 'links' from 'search'); take out of "
                                 "NEEDS what a feature can do without")


def test_a_need_nobody_provides_lists_what_the_features_provide():
    with pytest.raises(FeatureError) as caught:
        order([feature("a", needs=["vader"]), feature("b", provides=["pages", "links"])])
    assert str(caught.value) == ("feature 'a' needs 'vader', which no feature provides (what the features "
                                 "provide: 'links', 'pages'): install the package that provides it, or take it "
                                 "out of NEEDS")


def test_the_built_in_features_are_registered_and_ordered_as_before():
    assert names(features()) == ["accessibility", "blog", "calendar", "contact", "meals", "news", "notfound",
                                 "search", "social", "feeds", "sitemap", "redirects", "server_rules", "ledger", "search_index",
                                 "precompress"]


def test_every_feature_module_is_registered_in_pyproject():
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["entry-points"]["sitegen.features"]
    modules = {p.stem for p in (REPO / "sitegen/features").glob("*.py")
               if re.search(r'^PHASE = "(pages|files|staged)"', p.read_text(encoding="utf-8"), re.M)}
    assert set(declared) == modules
    assert all(value == f"sitegen.features.{name}" for name, value in declared.items())


def _installed_package(folder: pathlib.Path, source: str, name: str = "halsning", module: str = "halsning") -> dict:
    """A package installed beside sitegen: its module and the metadata that registers it as
    the feature ``name`` (at ``module``, its entry point's value)."""
    (folder / "halsning.py").write_text(source, encoding="utf-8")
    info = folder / "halsning-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: halsning\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[sitegen.features]\n{name} = {module}\n")
    return {"PYTHONPATH": str(folder)}


def _check_with(tmp_path, make_site, env):
    content = make_site({"index.md": page("Start")})
    return run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                       "--now", NOW, env=env)


def test_an_installed_package_adds_a_feature(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "files"\nNEEDS = ("pages",)\nPROVIDES = ("files",)\n\n'
                                       'def run(build):\n    build.files["halsning.txt"] = "Hej!"\n')
    content = make_site({"index.md": page("Start")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW, "-q",
                         env=env)
    assert result.status == 0, result.stderr
    assert (tmp_path / "out/demo/halsning.txt").read_text() == "Hej!"


def test_an_installed_feature_that_cannot_be_ordered_stops_the_run_with_a_clear_error(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\nNEEDS = ("vader",)\n\ndef run(build):\n    pass\n')
    content = make_site({"index.md": page("Start")})
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", NOW, env=env)
    assert result.status == 2
    assert result.stderr.startswith("sitegen: error: feature 'halsning' needs 'vader', which no feature provides (")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_feature_whose_dependency_is_missing_stops_the_run_naming_it_and_its_line(tmp_path, make_site):
    env = _installed_package(tmp_path, 'import smhi_klient\nPHASE = "pages"\n\ndef run(build):\n    pass\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert result.stderr.strip() == (
        "sitegen: error: feature 'halsning' of the package halsning cannot be loaded from halsning: "
        f"ModuleNotFoundError: No module named 'smhi_klient' ({tmp_path / 'halsning.py'}:1). Check the entry point "
        "in the package's pyproject.toml and what the module imports, or remove the package (pip uninstall halsning)")
    assert not (tmp_path / "out").exists()


def test_a_feature_with_a_syntax_error_stops_the_run_at_its_line(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\n\ndef run(build)\n    pass\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert f"SyntaxError: expected ':' ({tmp_path / 'halsning.py'}:3)" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_entry_point_naming_a_module_that_is_not_there_stops_the_run(tmp_path, make_site):
    # Not skipped as one of sitegen's own modules left out of an installation: the package is installed.
    env = _installed_package(tmp_path, 'PHASE = "pages"\n\ndef run(build):\n    pass\n', module="halsnig.feature")
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert result.stderr.startswith("sitegen: error: feature 'halsning' of the package halsning cannot be loaded "
                                    "from halsnig.feature: ModuleNotFoundError: No module named 'halsnig'. Check")
    assert not (tmp_path / "out").exists()


def test_a_feature_named_like_a_built_in_one_stops_the_run_instead_of_replacing_it(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\n\ndef run(build):\n    pass\n', name="contact")
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert result.stderr.strip() == (
        "sitegen: error: two features are named 'contact' (halsning, sitegen.features.contact): a feature's name "
        "is its template variable and can be taken once, so rename one entry point in its package's pyproject.toml")
    assert not (tmp_path / "out").exists()


def test_two_features_preparing_the_same_shortcode_stop_the_run(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\n\ndef run(build):\n    pass\n\n'
                                       'SHORTCODES = {"video": lambda text, args: {}}\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert result.stderr.strip() == ("sitegen: error: features 'halsning' and 'social' both prepare the shortcode "
                                     "'video': a shortcode has one Python side, so rename one of them")
    assert not (tmp_path / "out").exists()


def test_a_feature_named_like_a_core_template_variable_stops_the_run(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\n\ndef run(build):\n    pass\n', name="menu")
    content = make_site({"index.md": page("Start")})
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", NOW, env=env)
    assert result.status == 2
    assert result.stderr.strip() == ("sitegen: error: feature 'menu' (halsning) needs another name: its templates "
                                     "get what it contributes as the variable 'menu', which is a core template "
                                     "variable")
    assert not (tmp_path / "out").exists()


def test_a_feature_giving_its_templates_a_dict_stops_the_run_with_a_clear_error(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\n\ndef run(build):\n'
                                       '    build.site.root.contribute("halsning", {"text": "Hej!"})\n')
    content = make_site({"index.md": page("Start")})
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", NOW, env=env)
    assert result.status == 2
    assert result.stderr.strip() == ("sitegen: error: feature 'halsning' gave the page '/' a dict: a feature gives "
                                     "its templates a frozen dataclass (@dataclass(frozen=True))")
    assert not (tmp_path / "out" / "demo").exists()


def test_a_feature_contributing_under_another_features_name_stops_the_run(tmp_path, make_site):
    # It would replace the news feature's data on the start page: its blocks would be gone.
    env = _installed_package(tmp_path, 'import dataclasses\nPHASE = "pages"\nNEEDS = ("pages",)\n\n'
                                       '@dataclasses.dataclass(frozen=True)\nclass Greeting:\n    text: str\n\n'
                                       'def run(build):\n    build.site.root.contribute("news", Greeting("Hej!"))\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert result.stderr.strip() == (
        "sitegen: error: feature 'halsning' gave the page '/' data under the name 'news': a feature gives its "
        "templates data under its own name, page.contribute(\"halsning\", …), read as halsning.… in the templates")
    assert not (tmp_path / "out").exists()


def test_a_features_frozen_dataclass_reaches_the_template_under_its_name(tmp_path, make_site):
    env = _installed_package(tmp_path, 'import dataclasses\nPHASE = "pages"\n\n'
                                       '@dataclasses.dataclass(frozen=True)\nclass Greeting:\n    text: str\n\n'
                                       'def run(build):\n    build.site.root.contribute("halsning", Greeting("Hej!"))\n')
    themes = tmp_path / "themes" / "halsa"
    (themes / "templates").mkdir(parents=True)
    (themes / "theme.yaml").write_text("extends: orebro\n", encoding="utf-8")
    (themes / "templates" / "start.html").write_text(
        '{% extends "orebro/start.html" %}{% block meta %}<p class="greeting">{{ halsning.text }}</p>{% endblock %}',
        encoding="utf-8")
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: halsa\n")
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW, "-q",
                         "--themes", str(tmp_path / "themes"), env=env)
    assert result.status == 0, result.stderr
    assert '<p class="greeting">Hej!</p>' in (tmp_path / "out/demo/index.html").read_text()


def test_a_features_page_whose_template_no_theme_has_is_an_error_at_the_sites_theme(tmp_path, make_site):
    env = _installed_package(tmp_path, 'from sitegen.model import Page\nPHASE = "pages"\nPROVIDES = ("pages",)\n\n'
                                       'def run(build):\n    site = build.site\n'
                                       '    for url in ("vader/", "vader/imorgon/"):\n'
                                       '        site.add_page(Page(url=url, meta={"title": "Väder"}, template="vader.html"), '
                                       'parent=site.root)\n')
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: orebro\n")
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", NOW, env=env)
    assert result.status == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["content/demo/site.yaml:3: error: a feature's pages need the template 'vader.html', which the "
                      "theme 'orebro' and the themes it extends do not have: add templates/vader.html to the site's "
                      "theme (a theme of your own can say extends: orebro)"]
    assert not (tmp_path / "out" / "demo").exists()


def test_a_feature_writing_a_file_another_feature_writes_stops_the_run(tmp_path, make_site):
    # The sitemap feature writes robots.txt in the same phase: the last one would win in silence.
    env = _installed_package(tmp_path, 'PHASE = "files"\nNEEDS = ("pages", "files")\nPROVIDES = ()\n\n'
                                       'def run(build):\n    build.files["robots.txt"] = "User-agent: *\\nDisallow: /\\n"\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert result.stderr.strip().startswith("sitegen: error: features 'sitemap' and 'halsning' both write the file "
                                            "'robots.txt'"), result.stderr
    assert not (tmp_path / "out").exists()


def test_a_feature_may_write_the_same_file_twice(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "files"\nNEEDS = ("pages",)\nPROVIDES = ("files",)\n\n'
                                       'def run(build):\n    build.files["halsning.txt"] = "Hej"\n'
                                       '    build.files["halsning.txt"] = "Hej!"\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 0, result.stderr
    assert (tmp_path / "out/demo/halsning.txt").read_text() == "Hej!"


def test_a_feature_that_fails_stops_the_run_in_one_line_naming_it_and_where(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\nNEEDS = ("pages",)\n\n'
                                       'def run(build):\n    return {}["oppet"]\n')
    result = _check_with(tmp_path, make_site, env)
    assert result.status == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith(
        f"sitegen: error: feature 'halsning' stopped with an error of its own: KeyError: 'oppet' "
        f"({tmp_path / 'halsning.py'}:5); nothing was published."), result.stderr
    assert not (tmp_path / "out").exists()


def test_the_whole_traceback_of_a_failing_feature_is_there_on_request(tmp_path, make_site):
    env = _installed_package(tmp_path, 'PHASE = "pages"\nNEEDS = ("pages",)\n\n'
                                       'def run(build):\n    return {}["oppet"]\n')
    result = _check_with(tmp_path, make_site, {**env, "SITEGEN_TRACEBACK": "1"})
    assert result.status != 0 and "Traceback" in result.stderr and "KeyError: 'oppet'" in result.stderr
