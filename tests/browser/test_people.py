"""The contact page's person filter finds a phone number however the visitor types it."""
from __future__ import annotations

import pytest

from testkit import build_files, page

PEOPLE = """\
- name: Anna Lindqvist
  title: Rektor
  phone: 070-174 06 09
- name: Bo Ek
  title: Lärare
  phone: +46 19 21 40 01
- name: Cecilia Berg
  title: Lärare
  phone: 019-21 40 12
- name: Dan Ahl
  title: Vaktmästare
"""

HIDDEN = "[...document.querySelectorAll('.person')].filter(p => p.hidden).map(p => p.querySelector('h3').textContent)"
SHOWN = "[...document.querySelectorAll('.person')].filter(p => !p.hidden).map(p => p.querySelector('h3').textContent)"


@pytest.fixture(scope="module")
def contact_url(tmp_path_factory, serve_dir):
    site = build_files(tmp_path_factory.mktemp("people"), {
        "site.yaml": "title: Demo\nbase_url: https://www.example.se/demo/\n",
        "index.md": page("Start"), "data/people.yaml": PEOPLE})
    return serve_dir(site.parent) + "/demo/kontakt/"


def filtered(tab, typed: str) -> list[str]:
    """The names shown once the filter has run on ``typed`` (it runs when typing pauses)."""
    tab.fill("#people-q", "ingen-sådan-person")
    tab.wait_for_function(f"{SHOWN}.length === 0")
    tab.fill("#people-q", typed)
    tab.wait_for_function(f"{HIDDEN}.length !== 4")
    return tab.evaluate(SHOWN)


@pytest.mark.parametrize("typed", ["0701740609", "070-174 06 09", "+46 70 174 06 09", "+46 (0)70-174 06 09",
                                   "0046 70 174 06 09", "070 174"])
def test_a_phone_number_is_found_however_it_is_typed(open_page, contact_url, typed):
    tab = open_page(375)
    tab.goto(contact_url)
    assert filtered(tab, typed) == ["Anna Lindqvist"]


@pytest.mark.parametrize("number", ["+46 70 174 06 09", "070-174 06 09"])
def test_the_person_stays_listed_while_the_number_is_typed(open_page, contact_url, number):
    tab = open_page(375)
    tab.goto(contact_url)
    for end in range(1, len(number) + 1):
        assert "Anna Lindqvist" in filtered(tab, number[:end]), number[:end]


def test_a_number_written_internationally_is_found_in_national_form(open_page, contact_url):
    tab = open_page(375)
    tab.goto(contact_url)
    assert filtered(tab, "019-21 40 01") == ["Bo Ek"]
    assert filtered(tab, "019214012") == ["Cecilia Berg"]


def test_names_and_titles_are_still_found_by_their_words(open_page, contact_url):
    tab = open_page(375)
    tab.goto(contact_url)
    assert filtered(tab, "lärare") == ["Bo Ek", "Cecilia Berg"]
    assert filtered(tab, "berg 40 12") == ["Cecilia Berg"]
