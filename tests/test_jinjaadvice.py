"""Advice for template slips, from Jinja2's real syntax errors (the messages of the installed Jinja2)."""
import jinja2
import pytest

from sitegen import jinjaadvice, messages


@pytest.fixture(autouse=True)
def english():
    before = messages.language()
    messages.set_language("en")
    yield
    messages.set_language(before)


def advice(template: str) -> str | None:
    with pytest.raises(jinja2.TemplateSyntaxError) as raised:
        jinja2.Environment().parse(template)
    return jinjaadvice.explain(raised.value.message)


def test_a_block_left_open_says_which_end_tag_to_write():
    assert advice("{% for item in page.items %}<li>{{ item }}</li>") == (
        "the template ends before its 'for' is closed: write {% endfor %} where it should end")


def test_the_wrong_end_tag_names_the_block_still_open():
    assert advice("{% if page.image %}<img>{% endfor %}") == (
        "'endfor' does not belong here: the 'if' opened above is still open. Close it first with "
        "{% endif %}, or check the order of the tags")


def test_the_end_of_an_outer_block_names_the_inner_block_still_open():
    assert advice("{% block main %}{% for d in page.meta.datum %}<li>{{ d }}</li>{% endblock %}") == (
        "'endblock' does not belong here: the 'for' opened above is still open. Close it first with "
        "{% endfor %}, or check the order of the tags")


def test_a_misspelt_tag_is_named():
    assert advice("{% iff page.image %}{% endif %}").startswith("'iff' is not a template tag")


def test_a_stray_bracket_shows_how_values_and_tags_are_written():
    assert advice("<p>{{ page.title }</p>") == (
        "'}' is out of place on this line: a value is written {{ page.title }} and a tag {% if … %}; "
        "check the brackets and quotes")


def test_a_character_jinja_does_not_know():
    assert advice("{{ page.title ! }}").startswith("'!' is out of place on this line")


def test_two_words_in_a_value_point_at_the_second():
    assert advice("{{ page title }}") == (
        "something is missing or too much in the {{ … }} on this line, near 'title': check its "
        "brackets, quotes and dots, and that it ends with }}")


def test_two_words_in_a_tag():
    assert "the {% … %} on this line, near 'b'" in advice("{% if a b %}x{% endif %}")


def test_a_value_left_open_at_the_end():
    assert advice("<p>{{ page.title") == "a {{ … }} is not closed: end it with }}"


def test_an_error_it_does_not_know_keeps_jinjas_words():
    assert advice("{% for %}{% endfor %}") is None


def test_the_advice_is_swedish_by_default():
    messages.set_language("sv")
    assert advice("{% for x in y %}") == (
        "mallen tar slut innan dess 'for' är stängt. Skriv {% endfor %} där det ska sluta")
