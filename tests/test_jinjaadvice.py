"""Advice for template slips, from Jinja2's real syntax errors (the messages of the installed Jinja2)
and the real errors of templates shown (Jinja2's and Python's)."""
import re

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


# --- what goes wrong as a template is shown (the errors of the installed Jinja2 and Python) ---

FILTERS = sorted(jinja2.Environment().filters)


def mistake(template: str, **context) -> str:
    """The advice for the error ``template`` raises when it is shown."""
    with pytest.raises(Exception) as raised:
        jinja2.Environment(undefined=jinja2.ChainableUndefined).from_string(template).render(**context)
    return jinjaadvice.explain_mistake(type(raised.value).__name__, str(raised.value), FILTERS)


class Page:
    title = "Kupan"
    date = None
    meta: dict = {}
    children: list = []


def test_an_attribute_of_a_value_the_page_lacks_says_to_show_it_only_when_there():
    assert mistake("{{ page.date.year + 1 }}", page=Page()) == (
        "'year' is read from a value this page does not have (such as page.date on a page without a date): "
        "show it only when it is there, {% if page.date %}…{% endif %}")


def test_a_key_the_page_leaves_out_says_to_test_it_or_give_a_default():
    assert mistake("{{ page.meta.byggar + 1 }}", page=Page()) == (
        "'byggar' has no value here (the page or box leaves it out): test it first with {% if … %}, "
        "or give it a value to use instead with |default('…')")


def test_an_unknown_name_counted_with_is_not_known_here():
    assert mistake("{{ sida.title + 1 }}").startswith("'sida' is not known here: check the spelling")


def test_a_division_by_zero():
    assert mistake("{{ 10 / antal }}", antal=0) == (
        "this line divides by zero: test the number first with {% if antal %}…{% endif %}, or divide by another")


def test_a_text_and_a_number_added_says_to_join_with_a_tilde():
    assert mistake("{{ page.title + 1 }}", page=Page()).startswith(
        "a text and a number (or other values of different kinds) are put together on this line: join texts with ~")


def test_a_number_and_a_text_compared():
    assert mistake("{{ 1 < page.title }}", page=Page()).startswith("a text and a number")


def test_brackets_after_a_value_say_to_remove_them():
    assert mistake("{{ page.title() }}", page=Page()) == (
        "a value on this line is followed by brackets (), as if it did something: remove them, as in "
        "{{ page.title }} instead of {{ page.title() }}")


def test_a_loop_over_a_number():
    assert mistake("{% for x in 5 %}{% endfor %}").startswith(
        "a value on this line is gone through as a list but is not one")


def test_a_filter_given_too_many_values():
    assert mistake("{{ 'x'|int(1, 2, 3) }}").startswith(
        "a filter or function on this line gets the wrong values in its brackets")


def test_an_unknown_filter_at_run_time_names_the_nearest():
    assert mistake("{% if x %}{{ x|uper }}{% endif %}", x=1) == (
        "'uper' is not a filter (did you mean 'upper'?): check the spelling (filters are such as date, "
        "default, length and upper)")


def test_an_unknown_filter_far_from_any_gets_no_guess():
    assert mistake("{% if x %}{{ x|okand }}{% endif %}", x=1).startswith("'okand' is not a filter: check")


def test_an_unknown_test():
    assert mistake("{% if x is datum %}{% endif %}", x=1).startswith("'datum' is not a test")


def test_another_mistake_keeps_pythons_words_in_english_only():
    assert jinjaadvice.explain_mistake("KeyError", "'x'", FILTERS) == (
        "this line of the template cannot be shown ('x'): check the values, filters and brackets on it")
    messages.set_language("sv")
    assert jinjaadvice.explain_mistake("KeyError", "'x'", FILTERS) == (
        "raden i mallen går inte att visa. Kontrollera värdena, filtren och parenteserna på raden")


@pytest.mark.parametrize("template, context", [
    ("{{ page.date.year + 1 }}", {"page": Page()}), ("{{ 1 / 0 }}", {}), ("{{ page.title() }}", {"page": Page()}),
    ("{{ page.title + 1 }}", {"page": Page()}), ("{% for x in 5 %}{% endfor %}", {}),
    ("{{ [1][5] + 1 }}", {}), ("{{ 'x'|int(1, 2, 3) }}", {})])
def test_the_swedish_advice_names_no_python_type(template, context):
    messages.set_language("sv")
    advice = mistake(template, **context)
    assert not re.search(r"\b(None|str|dict|list|object|\w*Error)\b|\bint\b(?<!\|int)", advice), advice


def test_a_value_a_filter_does_not_take():
    assert mistake("{{ 1.5|round(1, 'x') }}").startswith(
        "a filter or function on this line gets the wrong values in its brackets")
