"""Advice for the slips made in templates, instead of Jinja2's own English words.

A site's page-type templates and shortcodes (``_types/``, ``_shortcodes/``) are written by
editors who know some HTML, rarely Jinja. Jinja2 says "Unexpected end of template. Jinja was
looking for the following tags: 'endfor' or 'else'" where a ``{% for %}`` lost its end tag;
``explain`` turns the syntax errors it recognises into what to do, in the editor's language,
and returns None for anything else (``unreadable`` then says what to look at).

``explain_mistake`` does the same for what goes wrong as a template is shown: a value read from
something the page lacks (``page.date.year`` on a page without a date), a division by zero,
a text and a number added, brackets after a value. It never shows Python's own words or type
names in Swedish; in English they follow the advice in brackets, for whoever keeps the theme.
"""
from __future__ import annotations

import difflib
import re

from sitegen.messages import _, language

_UNCLOSED = re.compile(r"Unexpected end of template\. Jinja was looking for .*?"
                       r"The innermost block that needs to be closed is '(?P<block>\w+)'", re.S)
# Two wordings: "Jinja was looking for" (an end tag of no open block) and "You probably made a
# nesting mistake" (the end tag of a block further out, as {% endblock %} after an open {% for %}).
_WRONG_END = re.compile(r"Encountered unknown tag '(?P<tag>\w+)'\. .*?"
                        r"The innermost block that needs to be closed is '(?P<block>\w+)'", re.S)
_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(?P<tag>\w+)'")
_UNEXPECTED = re.compile(r"unexpected '(?P<char>.{1,2})'$")
_BAD_CHAR = re.compile(r"unexpected char (?P<char>'.'|\".\") at \d+")
_EXPECTED_END = re.compile(r"expected token 'end of (?P<what>print statement|statement block)', got '(?P<got>.*)'")
_OPEN_AT_END = re.compile(r"unexpected end of template, expected 'end of (?P<what>print statement|statement block)'")
_TWICE = re.compile(r"block '(?P<name>\w+)' defined twice", re.I)

_BRACKETS = {"print statement": ("{{ … }}", "}}"), "statement block": ("{% … %}", "%}")}


def explain(message: str) -> str | None:
    """What to do about a Jinja2 syntax error message; None when it is not one we know."""
    if found := _UNCLOSED.search(message):
        block = found["block"]
        return _("the template ends before its '{block}' is closed: write {end} where it should end").format(
            block=block, end=f"{{% end{block} %}}")
    if found := _WRONG_END.search(message):
        tag, block = found["tag"], found["block"]
        return _("'{tag}' does not belong here: the '{block}' opened above is still open. Close it first "
                 "with {end}, or check the order of the tags").format(tag=tag, block=block, end=f"{{% end{block} %}}")
    if found := _UNKNOWN_TAG.search(message):
        return _("'{tag}' is not a template tag: check the spelling (tags are such as if, for, set, "
                 "include and block)").format(tag=found["tag"])
    if found := _EXPECTED_END.search(message):
        brackets, close = _BRACKETS[found["what"]]
        return _("something is missing or too much in the {brackets} on this line, near '{got}': check "
                 "its brackets, quotes and dots, and that it ends with {close}").format(
                     brackets=brackets, got=found["got"], close=close)
    if found := _OPEN_AT_END.search(message):
        brackets, close = _BRACKETS[found["what"]]
        return _("a {brackets} is not closed: end it with {close}").format(brackets=brackets, close=close)
    if found := _UNEXPECTED.search(message) or _BAD_CHAR.search(message):
        return _("{char} is out of place on this line: a value is written {value} and a tag {tag}; check "
                 "the brackets and quotes").format(char=found["char"].strip("'\"").join("''"),
                                                    value="{{ page.title }}", tag="{% if … %}")
    if found := _TWICE.search(message):
        return _("the block '{name}' is there twice: remove one, or give it another name").format(name=found["name"])
    return None


def unreadable(message: str) -> str:
    """A syntax error ``explain`` does not know: where to look, Jinja's words only in English."""
    return _("this line of the template cannot be read{detail}: check its brackets, quotes and tags").format(
        detail=_english_detail(message))


# Jinja2's own words for what a template reads and does not find (its UndefinedError).
_NONE_ATTRIBUTE = re.compile(r"^'None' has no attribute '(?P<name>[^']*)'")
_MISSING_KEY = re.compile(r"^'dict object' has no attribute '(?P<name>[^']*)'")
_NO_ELEMENT = re.compile(r"^'\w+ object' has no element (?P<index>.*)$")
_NO_ATTRIBUTE = re.compile(r"^'[^']*' has no attribute '(?P<name>[^']*)'")
_UNDEFINED = re.compile(r"^'(?P<name>[^']*)' is undefined$")
_UNKNOWN_FILTER = re.compile(r"No filter named '(?P<name>[^']*)'")
_UNKNOWN_TEST = re.compile(r"No test named '(?P<name>[^']*)'")
# Python's words for a value of the wrong kind (its TypeError).
_MIXED = re.compile(r"can only concatenate|unsupported operand|can't multiply|not supported between|"
                    r"must be (str|int|real number)|can't concat")
_NOT_CALLABLE = re.compile(r"is not callable")
_NOT_ITERABLE = re.compile(r"is not iterable|not a container")
_ARGUMENTS = re.compile(r"positional argument|keyword argument|takes no arguments")
_IF_EXAMPLE = "{% if page.date %}…{% endif %}"


def names_unknown(message: str) -> bool:
    """The message is Jinja's for a filter or test that does not exist."""
    return bool(_UNKNOWN_FILTER.search(message) or _UNKNOWN_TEST.search(message))


def explain_mistake(kind: str, message: str, filters) -> str:
    """What to do about an error raised while a template is shown: ``kind`` is the name of the
    exception's class, ``message`` its text, ``filters`` the names of the filters there are."""
    if kind.endswith("UndefinedError") and (advice := _undefined(message)):
        return advice
    if found := _UNKNOWN_FILTER.search(message):
        close = difflib.get_close_matches(found["name"], sorted(filters), n=1, cutoff=0.7)
        meant = _(" (did you mean '{name}'?)").format(name=close[0]) if close else ""
        return _("'{name}' is not a filter{meant}: check the spelling (filters are such as date, default, "
                 "length and upper)").format(name=found["name"], meant=meant)
    if found := _UNKNOWN_TEST.search(message):
        return _("'{name}' is not a test: check the spelling of the word after 'is' (tests are such as "
                 "defined, none, number and string)").format(name=found["name"])
    if kind == "ZeroDivisionError":
        return _("this line divides by zero: test the number first with {example}, or divide by "
                 "another").format(example="{% if antal %}…{% endif %}")
    if kind == "TypeError" and (advice := _wrong_kind(message)):
        return advice
    if kind == "FilterArgumentError":   # a value a filter does not take: round(1, 'x')
        return _wrong_values()
    return _("this line of the template cannot be shown{detail}: check the values, filters and brackets "
             "on it").format(detail=_english_detail(message or kind))


def _undefined(message: str) -> str | None:
    if found := _NONE_ATTRIBUTE.search(message):
        return read_from_nothing(found["name"])
    if found := _MISSING_KEY.search(message):
        return _("'{name}' has no value here (the page or box leaves it out): test it first with {example}, "
                 "or give it a value to use instead with |default('…')").format(
                     name=found["name"], example="{% if … %}")
    if found := _NO_ELEMENT.search(message):
        return _("the list has no item {index} here: test how long it is first with |length, or go "
                 "through it with {example}").format(index=found["index"], example="{% for … %}")
    if found := _NO_ATTRIBUTE.search(message) or _UNDEFINED.search(message):
        return _("'{name}' is not known here: check the spelling; what a template gets is listed in "
                 "docs/architecture.md").format(name=found["name"])
    return None


def read_from_nothing(name: str) -> str:
    """``name`` read from a value the page lacks (``page.date.year`` on a page without a date)."""
    return _("'{name}' is read from a value this page does not have (such as page.date on a page without a "
             "date): show it only when it is there, {example}").format(name=name, example=_IF_EXAMPLE)


def _wrong_kind(message: str) -> str | None:
    if _MIXED.search(message):
        return _("a text and a number (or other values of different kinds) are put together on this line: "
                 "join texts with ~, as in {example}, and make a text a number with |int before "
                 "counting or comparing").format(example="{{ page.title ~ ' ' ~ år }}")
    if _NOT_CALLABLE.search(message):
        return _("a value on this line is followed by brackets (), as if it did something: remove them, "
                 "as in {right} instead of {wrong}").format(right="{{ page.title }}", wrong="{{ page.title() }}")
    if _NOT_ITERABLE.search(message):
        return _("a value on this line is gone through as a list but is not one: use a list, such as "
                 "{example}").format(example="{% for barn in page.children %}")
    if _ARGUMENTS.search(message):
        return _wrong_values()
    return None


def _wrong_values() -> str:
    return _("a filter or function on this line gets the wrong values in its brackets: check how "
             "many it takes and what they are called")


def _english_detail(message: str) -> str:
    """Python's or Jinja's own words, only in English: an editor reading Swedish gets the advice."""
    return f" ({message.strip()})" if language() == "en" and message.strip() else ""
