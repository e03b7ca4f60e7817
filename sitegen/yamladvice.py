"""Advice for the YAML slips editors make, instead of the parser's words.

The parser says "mapping values are not allowed here" where an editor wrote a colon in a
title, and often notices a missing colon or an unclosed quote a line later. ``explain`` looks
at the parser's verdict and at the text itself, and returns the line to point at and what to
do there; None for anything else, which keeps the parser's words (``yamlload``).
"""
from __future__ import annotations

import re

from sitegen.messages import _

KEY = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?(?P<key>[^\s:#'\"][^:#]*?)\s*:(?:\s+(?P<value>.*))?$")


def explain(problem: str, context: str, problem_line: int | None, context_line: int | None,
            text: str) -> tuple[int, str] | None:
    """(0-based line in ``text``, message) for a slip we recognise, else None."""
    lines = text.split("\n")
    for check in (_tab, _indented_key, _unclosed_flow, _list_item_as_value, _colon_in_value, _unclosed_quote,
                  _text_after_quote, _missing_colon):
        found = check(problem, context, problem_line, context_line, lines)
        if found is not None:
            return found
    return None


def _line(lines: list[str], index: int | None) -> str:
    return lines[index] if index is not None and 0 <= index < len(lines) else ""


def _quoted(value: str) -> str:
    """``value`` in double quotes, as the editor should write it (single quotes when it holds ")."""
    if '"' not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _above(lines: list[str], index: int) -> str:
    """The nearest line above ``index`` that holds something."""
    return next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")


def _under_a_value(lines: list[str], index: int) -> str | None:
    """The key on line ``index`` when the setting above it already has its value on its own
    line, so nothing can be indented beneath it: the editor meant a setting of its own."""
    text = _line(lines, index)
    found = KEY.match(text.lstrip(" \t"))
    above = KEY.match(_above(lines, index))
    if not found or found["dash"] or text[:1] not in " \t" or not above or not above["value"]:
        return None
    return found["key"]


def _tab(problem, context, problem_line, context_line, lines):
    if "'\\t'" not in problem:
        return None
    key = _under_a_value(lines, problem_line) if _line(lines, problem_line)[:1] == "\t" else None
    if key is not None:
        return problem_line, _("a tab is at the start of this line: remove it, so that {key}: is first on "
                               "the line").format(key=key)
    return problem_line, _("a tab indents this line: use spaces to indent settings (two per level)")


def _indented_key(problem, context, problem_line, context_line, lines):
    """``ingress: ...`` indented below a setting that has its value: the parser sees a colon
    inside that value, but the line only needs to start at the left edge."""
    if not problem.startswith("mapping values are not allowed") or problem_line is None:
        return None
    key = _under_a_value(lines, problem_line)
    if key is None:
        return None
    return problem_line, _("'{key}' is indented, but the setting above it already has a value: remove the "
                           "spaces at the start of the line, so that {key}: is first on the line").format(key=key)


def _colon_in_value(problem, context, problem_line, context_line, lines):
    if not problem.startswith("mapping values are not allowed"):
        return None
    found = KEY.match(_line(lines, problem_line))
    if not found or not found["value"]:
        return None
    key, value = found["key"], found["value"].rstrip()
    fixed = f"{found['dash'] or ''}{key}: {_quoted(value)}"
    if key == "title" and not found["indent"]:
        return problem_line, _("the title contains a colon: put quotes around the value: {fixed}").format(fixed=fixed)
    return problem_line, _("the value of '{key}' contains a colon: put quotes around the value: {fixed}").format(
        key=key, fixed=fixed)


CLOSERS = {"[": "]", "{": "}"}


def _unclosed_flow(problem, context, problem_line, context_line, lines):
    """``tags: [skola, musik`` without its ``]``: the parser notices at the end of the text."""
    if not context.startswith("while parsing a flow") or context_line is None:
        return None
    text = _line(lines, context_line).rstrip()
    opener = next((c for c in text if c in CLOSERS), None)
    if opener is None or CLOSERS[opener] in text:
        return None
    return context_line, _("the list that starts with {opener} is never closed: add {closer} at the end of "
                           "the line: {fixed}").format(opener=opener, closer=CLOSERS[opener],
                                                       fixed=text.strip() + CLOSERS[opener])


def _list_item_as_value(problem, context, problem_line, context_line, lines):
    """``ingress: - punkt ett``: a list item where a value is expected."""
    if not problem.startswith("sequence entries are not allowed") or problem_line is None:
        return None
    found = KEY.match(_line(lines, problem_line))
    if not found or not (found["value"] or "").startswith("-"):
        return None
    key, value = found["key"], found["value"].rstrip()
    return problem_line, _("the value of '{key}' starts with '- ', which makes a list item: put quotes around "
                           "the value ({fixed}), or write each list item on its own line below {key}:").format(
        key=key, fixed=f"{key}: {_quoted(value)}")


def _unclosed_quote(problem, context, problem_line, context_line, lines):
    if "quoted scalar" not in context or context_line is None:
        return None
    text = _line(lines, context_line)
    found = KEY.match(text)
    quote = next((c for c in (found["value"] or "")[:1] if found and c in "'\""), None) if found else None
    quote = quote or ('"' if '"' in text else "'")
    return context_line, _("the quote ({quote}) that starts the value is never closed: end the value with "
                           "{quote} on the same line").format(quote=quote)


def _text_after_quote(problem, context, problem_line, context_line, lines):
    if not problem.startswith("expected <block end>, but found '<scalar>'"):
        return None
    found = KEY.match(_line(lines, problem_line))
    value = (found["value"] or "") if found else ""
    if not value[:1] in ("'", '"'):
        return None
    return problem_line, _("text follows the closing quote: put the whole value in quotes: {fixed}").format(
        fixed=f"{found['dash'] or ''}{found['key']}: {_quoted(value.replace(value[0], ''))}")


def _missing_colon(problem, context, problem_line, context_line, lines):
    """A line without a colon among settings: a list item without its '- ', or a setting
    without its colon. The parser notices at the next line; point at this one."""
    if not problem.startswith("could not find expected ':'") or context_line is None:
        return None
    text = _line(lines, context_line)
    indent = len(text) - len(text.lstrip())
    above = next((lines[i] for i in range(context_line - 1, -1, -1) if lines[i].strip()), "")
    if above.lstrip().startswith("- ") and len(above) - len(above.lstrip()) <= indent:
        return context_line, _("this list item has no '- ': start the line with '- ', as the items above it: "
                               "- {item}").format(item=text.strip().lstrip("-").lstrip())   # "-b": the dash is there, the space not
    word = text.strip().split()[0] if text.strip() else ""
    return context_line, _("'{key}' has no colon: write the setting as {key}: value").format(key=word)
