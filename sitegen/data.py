"""Load stage: data files under ``content/<site>/data/`` for templates and features.

YAML keeps line marks (``MarkedDict``/``MarkedList``) so features can point at the
bad row of, say, people.yaml. Files in sub-folders (e.g. ``data/meals/``) are
loaded under their folder: ``site.data["meals"]["storskolan"]``.

``data/social/`` is left to the social feature: it holds feeds (and their images) that
``sitegen social fetch`` writes or an editor copies from a network, and a feed that
cannot be read is that feature's warning, not an error of the data loader.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sitegen import confine, yamlload
from sitegen.messages import _
from sitegen.problems import Problems, read_text

LOADERS = (".yaml", ".yml", ".json", ".csv")
SKIPPED = ("social",)   # folders under data/ that a feature reads itself (social_feeds.CACHE_DIR)


def load_data(site_dir: Path, problems: Problems) -> dict:
    root = site_dir / "data"
    data: dict = {}
    if not root.is_dir():
        return data
    for parts, name, _rel in confine.walk(root, site_dir, problems):
        path = Path(name)
        if path.suffix.lower() not in LOADERS or parts[0] in SKIPPED:
            continue
        value = load_file(path, problems)
        if value is None:
            continue
        target = data
        for folder in path.relative_to(root).parent.parts:
            target = target.setdefault(folder, {})
        target[path.stem] = value
    return data


def load_file(path: Path, problems: Problems):
    text = read_text(path, problems)
    if text is None:
        return None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            return yamlload.load(text)
        except yamlload.YamlError as exc:
            problems.error(path, exc.line, exc.message)
            return None
    if suffix == ".json":
        try:
            value = json.loads(text.removeprefix("\ufeff"))   # a BOM, as some Windows programs write
        except json.JSONDecodeError as exc:
            problems.error(path, exc.lineno, _("invalid JSON: {msg}").format(msg=exc.msg))
            return None
        except RecursionError:
            deep = True
        else:
            deep = too_deep(value)
        if deep:
            problems.error(path, 1, _("nested more than {limit} levels deep: write the data flatter").format(
                limit=yamlload.MAX_DEPTH))
            return None
        return value
    return load_csv(path, text, problems)


def too_deep(value) -> bool:
    """Whether lists and mappings in ``value`` nest deeper than YAML's limit (``yamlload.MAX_DEPTH``):
    what walks the data later (templates, the validator) would meet Python's recursion limit."""
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, (list, dict)):
            if depth > yamlload.MAX_DEPTH:
                return True
            stack.extend((child, depth + 1) for child in (current.values() if isinstance(current, dict) else current))
    return False


def load_csv(path: Path, text: str, problems: Problems) -> yamlload.MarkedList:
    """Rows as dicts keyed by the header, in a ``MarkedList`` that knows each row's line (a
    quoted cell may span lines). A row with more or fewer cells than the header, or a quote
    left open, is an error at its line; the rows that read well are kept."""
    rows = yamlload.MarkedList()
    rows.line = 1
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reason = str(exc)
            if "EOF" in reason or "end of data" in reason:
                reason = _("a quote (\") is opened and never closed")
            elif "expected after" in reason:
                reason = _("a quoted cell must end at a comma or at the end of the line")
            problems.error(path, start, _("invalid CSV: {reason}; the rows from here on are left out").format(
                                            reason=reason))
            break
        if not cells:
            continue   # a blank line
        if header is None:
            header = cells
            seen: set[str] = set()
            for name in header:
                if name in seen:
                    problems.error(path, start, _("column '{name}' is given twice in the header").format(
                                                    name=name))
                seen.add(name)
            continue
        if len(cells) != len(header):
            hint = _(": quote a cell that holds a comma (\"a, b\")") if len(cells) > len(header) else ""
            problems.error(path, start, _("this row has {count} field(s) but the header has {columns}{hint}; the "
                                          "row is left out").format(
                                            count=len(cells), columns=len(header), hint=hint))
            continue
        rows.append(dict(zip(header, cells)))
        rows.lines.append(start)
    return rows
