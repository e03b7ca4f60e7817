"""Limits on what a site's own template may make (the sandbox of ``site_templates.py``): no
value longer than ``MAX_OUTPUT`` characters, no range, list or width larger than ``MAX_SIZE``,
at most ``MAX_STEPS`` loop steps in one render. A template that doubles a text in a loop, pads
to a huge width or runs loops in loops stops with an error at its line instead of filling the
memory or running for ever.
"""
from __future__ import annotations

import contextvars
import functools
import re

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SecurityError
from jinja2.visitor import NodeTransformer

from sitegen.messages import _

MAX_SIZE = 100_000   # the longest range, list or text a template may make (Jinja's own MAX_RANGE)
MAX_OUTPUT = 5_000_000   # the most a template, or any value in it, may make: far above the largest page
MAX_STEPS = 10_000_000   # the most loop steps one render may take (a few seconds): loops in loops end
WIDTHS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs", "indent", "wordwrap"})   # pad to a width
SIZED_FILTER = "sitegen_sized"       # checks a value made with '~' (_Limits)
COUNTED_FILTER = "sitegen_counted"   # counts a loop's steps (_Limits)


class Refused(SecurityError):
    """A limit of the sandbox: the message is already sitegen's advice, in the run's language."""


_steps: contextvars.ContextVar[list | None] = contextvars.ContextVar("template_steps", default=None)


class LimitedTemplate(jinja2.Template):
    """A template whose render counts its loop steps from nothing (``counted``)."""

    def render(self, *args, **kwargs):
        token = _steps.set([0])
        try:
            return super().render(*args, **kwargs)
        finally:
            _steps.reset(token)


class Limits(NodeTransformer):
    """Each '~' through ``sized``, each loop's steps through ``counted``: a template that doubles a
    text in a loop, or runs loops in loops, stops with an error instead of filling the memory or
    running for ever."""

    def visit_Concat(self, node):
        self.generic_visit(node)
        return nodes.Filter(node, SIZED_FILTER, [], [], None, None, lineno=node.lineno)

    def visit_For(self, node):
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, COUNTED_FILTER, [], [], None, None, lineno=node.lineno)
        return node


def counted(values):
    steps = _steps.get()
    return values if steps is None else _counting(values, steps)


def _counting(values, steps: list):
    for value in values:
        steps[0] += 1
        if steps[0] > MAX_STEPS:
            raise Refused(_("the loops of this template take more than {limit} steps: loop over "
                                  "fewer values").format(limit=MAX_STEPS))
        yield value


def sized(value):
    """``value``, unless it is longer than ``MAX_OUTPUT``."""
    if isinstance(value, (str, list, tuple, dict)) and len(value) > MAX_OUTPUT:
        raise too_long()
    return value


def too_long() -> Refused:
    return Refused(_("this template makes a text longer than {limit} characters: make it "
                           "shorter").format(limit=MAX_OUTPUT))


def no_wide(args, kwargs) -> None:
    """A width larger than ``MAX_SIZE`` is refused before the text is made (it would fill the memory)."""
    if any(type(arg) is int and arg > MAX_SIZE for arg in (*args, *kwargs.values())):
        raise Refused(_("a width of more than {limit} characters: use a smaller one").format(limit=MAX_SIZE))


_FORMAT_SPECS = re.compile(r"\{[^{}]*?:([^{}]*)\}|%[-+ #0]*([\d.]+)")   # '{:>20}', '%20.2f'


def no_wide_format(text: str) -> None:
    """A format (``'{:>20}'.format(x)``, ``'%20s' % x``, ``|format``) that pads to a width larger
    than ``MAX_SIZE`` is refused before the text is made."""
    for spec in _FORMAT_SPECS.finditer(text):
        if any(int(number) > MAX_SIZE for number in re.findall(r"\d+", spec[1] or spec[2])):
            raise Refused(_("a width of more than {limit} characters: use a smaller one").format(
                limit=MAX_SIZE))


def sized_filter(name: str, function):
    @functools.wraps(function)
    def checked(*args, **kwargs):
        if name in WIDTHS:
            no_wide(args, kwargs)
        if name == "format" and args and isinstance(args[0], str):
            no_wide_format(args[0])
        return sized(function(*args, **kwargs))
    return checked


def limited_range(*args):
    values = range(*args)
    if len(values) > MAX_SIZE:
        raise Refused(_("range() of more than {limit} numbers: count to fewer").format(limit=MAX_SIZE))
    return values
