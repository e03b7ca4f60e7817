"""YAML loading that keeps line marks.

Mappings load as ``MarkedDict`` and sequences as ``MarkedList``; both remember the
1-based line of each key or item, so a validator can point at the exact line.
"""
from __future__ import annotations

import datetime as dt

import yaml

from sitegen import yamladvice
from sitegen.messages import _


class MarkedDict(dict):
    """A dict that knows the line of each key (``lines``) and of itself (``line``)."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}

    def line_of(self, key, default: int | None = None) -> int:
        return self.lines.get(key, default if default is not None else self.line)


class MarkedList(list):
    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


class InvalidDate(str):
    """A date-shaped value that is no real date (``2026-02-30``, an offset of ``+99:00``).

    It loads as this text, so the rest of the file still loads and the validator reports
    it at its line together with every other mistake in the file (``schema.py``).
    """


class YamlError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    line_offset = 0


def _line(loader: _Loader, node: yaml.Node) -> int:
    return node.start_mark.line + 1 + loader.line_offset


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> MarkedDict:
    loader.flatten_mapping(node)
    result = MarkedDict()
    result.line = _line(loader, node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool, dt.date)) or key is None:
            raise YamlError(_line(loader, key_node), _("a setting's name must be plain text, such as title"))
        if key in result:
            raise YamlError(_line(loader, key_node), _("key '{key}' is given twice: keep one of them").format(key=key))
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = _line(loader, key_node)
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> MarkedList:
    result = MarkedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = _line(loader, node)
    result.lines = [_line(loader, child) for child in node.value]
    return result


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    # PyYAML raises a bare ValueError for 2026-13-01: keep the text, the validator reports it.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return InvalidDate(node.value)


# libyaml parses about ten times faster; used for text that loads cleanly. Any error is
# reported by the pure-Python loader, whose messages and lines the tests pin down.
_FastLoader = type("_FastLoader", (getattr(yaml, "CSafeLoader", _Loader),), {"line_offset": 0})

for _loader_class in {_Loader, _FastLoader}:
    _loader_class.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    _loader_class.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _loader_class.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlError:
    """The line an editor should look at: where the broken construct started when the
    parser only noticed at the end of the text (an unclosed bracket or quote)."""
    advice = _advice(exc, text, line_offset)
    if advice is not None:
        return advice
    mark = exc.problem_mark or exc.context_mark
    last_line = max(text.count("\n"), 1)
    if exc.context_mark and (mark is None or mark.line >= last_line):
        mark = exc.context_mark
    line = (mark.line + 1 + line_offset) if mark else line_offset + 1
    problem = (exc.problem or exc.context or "").replace("'<stream end>'", "the end")
    return YamlError(line, _("invalid YAML: {problem}").format(problem=problem))


def _advice(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlError | None:
    """What to do about a slip editors make (a colon in a title, a tab, ...): ``yamladvice``."""
    found = yamladvice.explain(exc.problem or "", exc.context or "",
                               exc.problem_mark.line if exc.problem_mark else None,
                               exc.context_mark.line if exc.context_mark else None, text)
    return None if found is None else YamlError(found[0] + 1 + line_offset, found[1])


def load(text: str, line_offset: int = 0):
    """Parse YAML text; ``line_offset`` is added to every line (front matter starts at line 2).

    Raises ``YamlError`` with the line of the syntax error.
    """
    fast = _FastLoader(text)
    fast.line_offset = line_offset
    try:
        return fast.get_single_data()
    except (YamlError, yaml.YAMLError, ValueError):
        pass   # the slow loader below says what is wrong, and where
    finally:
        fast.dispose()
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, line_offset) from None
    except yaml.YAMLError as exc:
        raise YamlError(line_offset + 1, _("invalid YAML: {problem}").format(problem=exc)) from None
    finally:
        loader.dispose()
