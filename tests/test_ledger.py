"""The ledger's format and how addresses compare (sitegen/ledger.py)."""
from __future__ import annotations

import yaml

from sitegen import ledger
from sitegen.problems import Problems


def test_folder_with_and_without_slash_is_one_address_on_the_sites_host():
    assert ledger.key("/k/a", "") == ledger.key("/k/a/", "") == ("", "/k/a")
    assert ledger.key("https://www.orebro.se/k/a/", "www.orebro.se") == ("", "/k/a")
    assert ledger.key("/k/", "") == ledger.key("/k", "")
    assert ledger.key("/k/a.html", "") != ledger.key("/k/a.html/", "")


def test_old_hosts_compare_the_exact_path():
    assert ledger.key("https://gamla.orebro.se/a", "www.orebro.se") == ("gamla.orebro.se", "/a")
    assert ledger.key("https://gamla.orebro.se/a/", "www.orebro.se") == ("gamla.orebro.se", "/a/")


def test_encoded_and_plain_spellings_are_one_address():
    assert ledger.key("/k/a%20b/", "") == ledger.key("/k/a b/", "")
    assert ledger.written("/k/a b/100%/") == "/k/a%20b/100%25/"
    assert ledger.key(ledger.written("/k/a b/100%/"), "") == ledger.key("/k/a b/100%/", "")


def test_text_that_is_no_address_has_no_key():
    assert ledger.key("kurser/piano/", "") is None
    assert ledger.key("mailto:x@example.se", "") is None


def test_ledger_written_is_read_back_as_it_was(tmp_path):
    notes = {"/k/": "Kulturskolan", "/k/x.pdf": "", "/k/gammal.aspx": "→ /k/ny/",
             "https://gamla.orebro.se/a.html": "→ /k/"}
    (tmp_path / ledger.LEDGER).write_text(ledger.ledger_text("Kulturskolan", "k", notes), encoding="utf-8")
    problems = Problems()
    entries = ledger.read_ledger(tmp_path, problems)
    assert not problems.items
    assert {e.address: e.note for e in entries} == notes
    assert [e.address for e in entries] == sorted(notes)


def test_note_of_an_old_address_says_where_it_led():
    assert ledger.note_target("→ /k/ny/") == "/k/ny/"
    assert ledger.note_target("Piano") == ""


def test_suggested_lines_are_yaml_that_gives_the_address_back():
    for address in ("/k/a/", "/k/a b, c/", "/k/\"x\"", "https://gamla.orebro.se/sida.aspx", "/k/å/"):
        assert yaml.safe_load(ledger.flow_list("aliases", ["/k/b/", address])) == {"aliases": ["/k/b/", address]}


def test_a_moved_page_is_found_only_when_one_page_fits():
    one = ledger.Published("/k/ny/", "page", title="Piano", body="abc")
    two = ledger.Published("/k/annan/", "page", title="Piano", body="def")
    assert ledger.moved_to(ledger.Hint(title="piano"), [one], [one], "") == (one, "title")
    assert ledger.moved_to(ledger.Hint(title="Piano"), [one, two], [one, two], "") is None
    assert ledger.moved_to(ledger.Hint(title="Piano", body="def"), [one, two], [one, two], "") == (two, "text")
    assert ledger.moved_to(ledger.Hint(target="/k/ny"), [], [one], "") == (one, "led")
