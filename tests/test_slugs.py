import pytest

from sitegen.slugs import slugify, split_date_prefix, swedish_sort_key


@pytest.mark.parametrize("text,slug", [
    ("Jämställd styrning", "jamstalld-styrning"),
    ("Åre & Öland", "are-oland"),
    ("Café Élan", "cafe-elan"),
    ("Über Smørrebrød", "uber-smorrebrod"),
    ("Æble", "aeble"),
    ("  Två  mellanslag  ", "tva-mellanslag"),
    ("KAPITAL", "kapital"),
    ("a---b", "a-b"),
    ("2026 års budget", "2026-ars-budget"),
    ("!!!", ""),
    ("Ελλάδα", "ellada"),              # other letters are transliterated (SPEC), not dropped
    ("Привет мир", "privet-mir"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_normalises_decomposed_letters():
    decomposed = "Ja\u0308mfo\u0308r"  # ä and ö written as letter + combining mark (macOS file names)
    assert slugify(decomposed) == "jamfor"


def test_date_prefix_is_split_off():
    assert split_date_prefix("2026-11-23-Ny skola") == ("2026-11-23", "Ny skola")
    assert split_date_prefix("Ny skola") == (None, "Ny skola")


def test_swedish_order_puts_a_ring_a_umlaut_o_umlaut_last():
    words = ["Öst", "Zeta", "Ärlig", "Åsa", "abc", "Émile"]
    assert sorted(words, key=swedish_sort_key) == ["abc", "Émile", "Zeta", "Åsa", "Ärlig", "Öst"]


def test_swedish_order_puts_u_umlaut_with_y():
    words = ["Yxa", "Über", "Utan", "Zeta"]
    assert sorted(words, key=swedish_sort_key) == ["Utan", "Über", "Yxa", "Zeta"]
