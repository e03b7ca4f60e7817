"""YAML loading that keeps line marks.

Mappings load as ``MarkedDict`` and sequences as ``MarkedList``; both remember the
1-based line of each key or item, so a validator can point at the exact line.
"""
from __future__ import annotations

import datetime as dt
import re

import yaml

from sitegen import yamladvice
from sitegen.messages import _, language


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


# Limits that keep a hostile or mistaken file from running a build out of time or memory
# (docs/security.md). An alias (``*name``) repeats what its anchor (``&name``) holds; one
# that repeats another alias grows the data exponentially ("billion laughs"), so that is
# refused outright and the number of aliases is capped: the loaded data is at most
# MAX_ALIASES + 1 times the size of the text. Nesting past MAX_DEPTH is no real content.
MAX_ALIASES = 20
MAX_DEPTH = 40
# Characters YAML does not allow (control characters other than tab and newline). They
# come in unseen by copying text from another program; the reader would only say "special
# characters are not allowed", with no line.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL"}


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


class _LimitedLoader(_Loader):
    """The pure-Python loader, counting aliases and depth while it composes, so a file past the
    limits is refused before its data is built (and before Python's recursion limit is met)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0
        self._alias_below = False          # an alias met inside the node being composed
        self._holding_alias: set[int] = set()  # ids of nodes that hold an alias
        self._open: list[str | None] = []       # anchors of the nodes being composed

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._check_alias(self.peek_event())
            self._alias_below = True
            return super().compose_node(parent, index)
        event = self.peek_event()
        self._depth += isinstance(event, yaml.CollectionStartEvent)   # a value in a list is no deeper
        if self._depth > MAX_DEPTH:
            raise YamlError(event.start_mark.line + 1 + self.line_offset,
                            _("nested more than {limit} levels deep: write the data flatter").format(
                                limit=MAX_DEPTH))
        outer, self._alias_below = self._alias_below, False
        self._open.append(getattr(event, "anchor", None))
        node = super().compose_node(parent, index)
        self._open.pop()
        if self._alias_below:
            self._holding_alias.add(id(node))
        self._alias_below = self._alias_below or outer
        self._depth -= isinstance(node, yaml.CollectionNode)
        return node

    def _check_alias(self, event) -> None:
        line = event.start_mark.line + 1 + self.line_offset
        self._aliases += 1
        if self._aliases > MAX_ALIASES:
            raise YamlError(line, _("more than {limit} aliases (*name) in one file: write the values out "
                                    "instead").format(limit=MAX_ALIASES))
        if event.anchor in self._open:
            raise YamlError(line, _("the alias *{name} repeats the value it is in: write the values out "
                                    "instead").format(name=event.anchor))
        target = self.anchors.get(event.anchor)
        if target is not None and id(target) in self._holding_alias:
            raise YamlError(line, _("the alias *{name} repeats a value that holds an alias itself: "
                                    "write the values out instead").format(name=event.anchor))


def _within_limits(node: yaml.Node | None) -> bool:
    """Whether a composed document has no alias and no nesting past MAX_DEPTH: what the fast
    path loads. Anything else goes to ``_LimitedLoader``, which says what is wrong and where."""
    seen: set[int] = set()
    stack = [(node, 1)] if node is not None else []
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            return False   # a node met twice is an alias
        seen.add(id(current))
        if isinstance(current, yaml.CollectionNode) and depth > MAX_DEPTH:
            return False
        if isinstance(current, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend(((key, depth + 1), (value, depth + 1)))
    return True


def _check_characters(text: str, line_offset: int) -> None:
    """A control character YAML does not allow, as a problem at its line."""
    found = CONTROL.search(text)
    if found is None:
        return
    char = found.group()
    name = CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
    line = text.count("\n", 0, found.start()) + 1 + line_offset
    raise YamlError(line, _("an invisible control character ({name}) is on this line, often brought in "
                            "by copying from another program: delete it").format(name=name))


# libyaml parses about ten times faster; used for text that loads cleanly. Any error is
# reported by the pure-Python loader, whose messages and lines the tests pin down.
_FastLoader = type("_FastLoader", (getattr(yaml, "CSafeLoader", _Loader),), {"line_offset": 0})

for _loader_class in {_Loader, _FastLoader, _LimitedLoader}:
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
    return YamlError(line, _unreadable(problem))


def _unreadable(problem: str) -> str:
    """A slip ``yamladvice`` does not know. The parser's own words are English and name the
    format, so only the English message shows them."""
    if language() == "en":
        return _("invalid YAML: {problem}").format(problem=problem)
    return _("the settings cannot be read from this line: check its colons, quotes and indentation")


def _advice(exc: yaml.MarkedYAMLError, text: str, line_offset: int) -> YamlError | None:
    """What to do about a slip editors make (a colon in a title, a tab, ...): ``yamladvice``."""
    found = yamladvice.explain(exc.problem or "", exc.context or "",
                               exc.problem_mark.line if exc.problem_mark else None,
                               exc.context_mark.line if exc.context_mark else None, text)
    return None if found is None else YamlError(found[0] + 1 + line_offset, found[1])


def load_plain(text: str):
    """YAML as plain Python values, for an operator's own settings file (the desk's): no line
    marks, the usual YAML types. Raises ``YamlError`` with the line of the mistake (0 when
    YAML names none)."""
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlError(mark.line + 1 if mark else 0, str(exc)) from None


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every mapping key, by its path of keys (for ``load_plain``'s values, which
    keep no lines); {} for text that is not YAML."""
    lines: dict[tuple[str, ...], int] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = path + (str(key.value),)
                lines[here] = key.start_mark.line + 1
                walk(value, here)

    try:
        walk(yaml.compose(text), ())
    except yaml.YAMLError:
        pass
    return lines


def dump_scalar(value: str) -> str:
    """``value`` as a YAML scalar on one line: plain when that reads back as the same text
    (``Julmarknad``), quoted when it would not (``'Konsert: jul'``, ``'yes'``, ``'2026-01-01'``)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style=None)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def load(text: str, line_offset: int = 0):
    """Parse YAML text; ``line_offset`` is added to every line (front matter starts at line 2).

    Raises ``YamlError`` with the line of the syntax error.
    """
    fast = _FastLoader(text)
    fast.line_offset = line_offset
    try:
        node = fast.get_single_node()
        if _within_limits(node):
            return fast.construct_document(node) if node is not None else None
    except (YamlError, yaml.YAMLError, ValueError, RecursionError):
        pass   # the slow loader below says what is wrong, and where
    finally:
        fast.dispose()
    _check_characters(text, line_offset)
    loader = _LimitedLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text, line_offset) from None
    except yaml.YAMLError as exc:
        raise YamlError(line_offset + 1, _unreadable(str(exc))) from None
    finally:
        loader.dispose()
