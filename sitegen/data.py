"""Load stage: data files under ``content/<site>/data/`` for templates and features.

YAML keeps line marks (``MarkedDict``/``MarkedList``) so features can point at the
bad row of, say, people.yaml. Files in sub-folders (e.g. ``data/meals/``) are
loaded under their folder: ``site.data["meals"]["storskolan"]``.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from sitegen import yamlload
from sitegen.problems import Problems

LOADERS = (".yaml", ".yml", ".json", ".csv")


def load_data(site_dir: Path, problems: Problems) -> dict:
    root = site_dir / "data"
    data: dict = {}
    if not root.is_dir():
        return data
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in LOADERS:
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
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.error(path, 1, "the file is not UTF-8 text")
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
            return json.loads(text)
        except json.JSONDecodeError as exc:
            problems.error(path, exc.lineno, f"invalid JSON: {exc.msg}")
            return None
    return list(csv.DictReader(text.splitlines()))
