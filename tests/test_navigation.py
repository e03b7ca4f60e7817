"""Menus, breadcrumbs and cards (navigation.py)."""
import datetime as dt

import pytest

from sitegen import navigation
from sitegen.builder import BuildOptions, prepare_site
from sitegen.problems import Problems
from testkit import page

FOLDER = {
    "index.md": page("Start"),
    "projekt/index.md": page("Projekt"),
    "projekt/a.md": page("Alfa"),
    "projekt/b.md": page("Beta"),
    "projekt/c.md": "---\ntitle: Gamma\nexpires: 2026-01-01\n---\nText.\n",   # expired: no card
    "projekt/d.md": page("Delta"),
    "projekt/2026-11-01-nytt.md": page("Nytt", type="news"),
}


@pytest.fixture
def build(make_site, tmp_path):
    content = make_site(FOLDER)
    options = BuildOptions(content=content, out=tmp_path / "out", now=dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC),
                           cache=False)
    problems = Problems()
    found = prepare_site(content / "demo", options, problems)
    assert found is not None and not problems.errors, problems.items
    return found


def _titles(cards):
    return [card.title for card in cards]


def test_a_pages_cards_are_those_of_its_siblings_that_get_one(build):
    site, menu = build.site, build.renderer.menu
    shared = navigation.sibling_cards(site, site.page_at("projekt/b/"), menu)
    alone = navigation.sibling_cards(site, site.page_at("projekt/b/"))   # made one by one, without the menu
    assert _titles(shared) == _titles(alone) == ["Alfa", "Delta"]
    assert shared == alone and len(shared) == 2 and shared[0].title == "Alfa" and _titles(shared[-1:]) == ["Delta"]


def test_a_page_without_a_card_sees_all_its_folders_cards(build):
    """An expired page and a news item have no card of their own among their folder's."""
    site, menu = build.site, build.renderer.menu
    pages = [p for p in site.page_at("projekt/").children if p.title in ("Gamma", "Nytt")]
    assert len(pages) == 2
    for found in pages:
        cards = navigation.sibling_cards(site, found, menu)
        assert cards.own is None and _titles(cards) == _titles(navigation.sibling_cards(site, found))


def test_the_pages_of_a_folder_share_its_cards(build):
    site, menu = build.site, build.renderer.menu
    first = navigation.sibling_cards(site, site.page_at("projekt/a/"), menu)
    second = navigation.sibling_cards(site, site.page_at("projekt/d/"), menu)
    assert first.everyone is second.everyone   # made once for the folder
    assert _titles(first) == ["Beta", "Delta"] and _titles(second) == ["Alfa", "Beta"]


def test_the_cards_render_as_a_list_in_a_template(build):
    html = build.renderer.render_page(build.site.page_at("projekt/b/"))
    assert "Alfa" in html and "Delta" in html and "Gamma" not in html.split('id="same-level"')[-1]
