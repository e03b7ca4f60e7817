"""The render context: core variables, and what features contribute, each under its own name."""
import dataclasses
import datetime as dt

import pytest

from sitegen.builder import BuildOptions, prepare_site
from sitegen.features import CORE_VARIABLES, FeatureError
from sitegen.model import Alternate, Page
from sitegen.problems import Problems
from sitegen.render import site_view
from testkit import page


@dataclasses.dataclass(frozen=True)
class Weather:
    forecast: str


@dataclasses.dataclass
class Loose:
    forecast: str


@pytest.fixture
def build(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss")})
    options = BuildOptions(content=content, out=tmp_path / "out", now=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC),
                           cache=False)
    problems = Problems()
    found = prepare_site(content / "demo", options, problems)
    assert found is not None and not problems.errors, problems.items
    return found


def about(build) -> Page:
    return build.site.page_at("om/")


def test_a_contribution_is_a_template_variable_of_the_features_name(build):
    about(build).contribute("vader", Weather("Sol"))
    context = build.renderer.context(about(build))
    assert context["vader"] == Weather("Sol")
    assert context["page"] is about(build) and context["canonical"] == "https://www.example.se/demo/om/"


def test_the_context_of_a_page_cannot_be_changed(build):
    context = build.renderer.context(about(build))
    with pytest.raises(TypeError):
        context["menu"] = []


def test_every_core_variable_is_one_no_feature_may_take(build):
    assert set(build.renderer.context(about(build))) <= CORE_VARIABLES


@pytest.mark.parametrize("name", ["menu", "page", "canonical", "site", "t"])
def test_a_feature_cannot_contribute_under_a_core_variables_name(build, name):
    with pytest.raises(FeatureError, match=f"feature '{name}' cannot give templates a variable of that name"):
        about(build).contribute(name, Weather("Sol"))
    assert name not in about(build).contributions


def test_a_core_variable_put_straight_into_the_contributions_is_refused_at_render(build):
    about(build).contributions["menu"] = Weather("Sol")   # past contribute(): render still refuses it
    with pytest.raises(FeatureError, match="feature 'menu' cannot give templates"):
        build.renderer.context(about(build))


def test_a_dict_is_refused_as_a_contribution(build):
    with pytest.raises(FeatureError, match=r"feature 'vader' gave the page 'om/' a dict: a feature gives its "
                                           r"templates a frozen dataclass"):
        about(build).contribute("vader", {"forecast": "Sol"})


def test_a_dataclass_that_is_not_frozen_is_refused_as_a_contribution(build):
    with pytest.raises(FeatureError, match="gave the page 'om/' a Loose"):
        about(build).contribute("vader", Loose("Sol"))


def test_a_contribution_needs_a_name_a_template_can_use(build):
    with pytest.raises(FeatureError, match="feature 'orebro-vader' cannot give templates"):
        about(build).contribute("orebro-vader", Weather("Sol"))


def test_site_wide_alternates_come_before_the_pages_own(build):
    site = build.site
    site.alternates.append(Alternate("application/rss+xml", "Allt", "/demo/rss.xml"))
    about(build).alternates.append(Alternate("text/calendar", "Om oss", "/demo/om.ics"))
    build.renderer.view = site_view(site)
    assert [a.href for a in build.renderer.context(about(build))["alternates"]] == ["/demo/rss.xml", "/demo/om.ics"]
    assert [a.href for a in build.renderer.context(site.root)["alternates"]] == ["/demo/rss.xml"]


def test_well_known_links_are_root_relative_and_empty_when_no_feature_set_them(build):
    links = build.renderer.view.links
    assert links.search == "/demo/sok/" and links.contact == "/demo/kontakt/"
    assert links.news == "" and links.calendar == ""


def test_the_not_found_page_has_no_canonical_address(build):
    missing = build.site.page_at("404/")
    assert build.renderer.context(missing)["canonical"] is None
