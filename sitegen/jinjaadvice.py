"""Advice for the slips made in templates, instead of Jinja2's own English words.

A site's page-type templates and shortcodes (``_types/``, ``_shortcodes/``) are written by
editors who know some HTML, rarely Jinja. Jinja2 says "Unexpected end of template. Jinja was
looking for the following tags: 'endfor' or 'else'" where a ``{% for %}`` lost its end tag;
``explain`` turns the syntax errors it recognises into what to do, in the editor's language,
and returns None for anything else, which keeps Jinja's words (``theme.template_problem``).
"""
from __future__ import annotations

import re

from sitegen.messages import _

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
