"""Page types: the built-in ones and those a site declares in ``<site>/_types/NAME.yaml``.

A page type is the front matter its pages may have (beside the keys every page has), the
keys they must have, and its template ``NAME.html`` in the theme chain. A site's own type::

    # content/stadsarkiv/_types/arkivbeskrivning.yaml
    title: Arkivbeskrivning          # what the type is called (optional)
    fields:
      arkivbildare: {type: str, required: true}
      tid: str
      omfang: {type: int, minimum: 1}
      status: {type: str, choices: [ordnat, oordnat]}

Its pages say ``type: arkivbeskrivning`` (or a section's cascade does) and are checked as the
built-in types are: an unknown key, a wrong value or a missing required key is an error at its
line, in the same words. Its template is ``_types/arkivbeskrivning.html`` beside the file, or
``arkivbeskrivning.html`` of the theme chain; a site's template runs in the sandbox of
site_templates.py (templates are code, editors only semi-trusted: docs/security.md).

A feature of another package brings its types the same way, in the folder its ``PAGE_TYPES``
names (features/__init__.py): the same format, each mistake at the package file's line, and
its template ``NAME.html`` beside it is the theme environment's, after the theme chain (a
package is code the operators installed). A site's own type may not take a feature type's name.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen import confine, yamlload
from sitegen.features import type_folders
from sitegen.messages import _
from sitegen.problems import Problems
from sitegen.schema import Field, validate
from sitegen.schemas import COMMON_FIELDS, TYPE_FIELDS
from sitegen.site_templates import SiteTemplates

FOLDER = "_types"
# Keys that every built-in type requires beyond the common ones (a cascade may give them).
BUILTIN_REQUIRED = {"news": ("date",), "blog": ("date",), "event": ("start",)}
# What a site's field may be: the kinds the built-in types use, but no nested mappings.
KINDS = ("str", "int", "bool", "date", "datelist", "strlist", "url", "email", "phone")
NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
# A field declared with a wrong kind: still a key of the type, its values not checked, so the
# mistake is reported once, in the type file, and not again on every page as an unknown key.
UNCHECKED = Field("any")

TYPE_FILE = {
    "title": Field("str"),
    "fields": Field("map", required=True, open=True),
}
FIELD_SPEC = {
    "type": Field("str", choices=KINDS),
    "required": Field("bool"),
    "choices": Field("strlist"),
    "minimum": Field("int"),
}


@dataclass(frozen=True)
class PageType:
    name: str
    fields: dict = field(default_factory=dict)   # key -> schema.Field, beside COMMON_FIELDS
    required: tuple = ()                         # keys a page of this type must have
    title: str = ""
    broken: bool = False   # its file could not be used (reported there): its pages are left out, not reported again
    feature: str = ""      # the feature that brings it; "" for a built-in type or the site's own


BUILTIN: dict[str, PageType] = {
    name: PageType(name, fields, BUILTIN_REQUIRED.get(name, ())) for name, fields in TYPE_FIELDS.items()
}


def load(site_dir: Path, problems: Problems) -> dict[str, PageType]:
    """The built-in types, then the features' types, then the site's own; each mistake in a
    type file at its line."""
    types = dict(BUILTIN)
    brought = feature_types(problems)
    types.update(brought)
    folder = site_dir / FOLDER
    if not folder.is_dir() or confine.outside(folder, site_dir):   # a link out: reported by the content walk
        return types
    for path in sorted(folder.glob("*.yaml")):
        if path.stem in brought:
            problems.error(path, 1, _("'{name}' is a page type the feature '{feature}' brings: give the file "
                                      "another name, or delete it and use the feature's type").format(
                name=path.stem, feature=brought[path.stem].feature))
            continue
        page_type = _load_one(path, site_dir, problems)
        if page_type is not None:
            types[page_type.name] = page_type
        elif NAME.match(path.stem) and path.stem not in BUILTIN:
            types[path.stem] = PageType(path.stem, broken=True)
    for path in sorted(folder.glob("*.html")):
        if path.stem in brought:
            problems.warning(path, 1, _("the page type '{name}' is the feature '{feature}''s, with its template: this "
                                        "file is not used. To change how its pages look, add {file} to the site's "
                                        "theme").format(name=path.stem, feature=brought[path.stem].feature,
                                                        file=f"templates/{path.name}"))
        elif not path.with_suffix(".yaml").is_file():
            problems.warning(path, 1, _("this template belongs to no page type, and it is not used: add the "
                                        "page type's file {name} beside it").format(name=path.stem + ".yaml"))
    return types


def feature_types(problems: Problems) -> dict[str, PageType]:
    """The page types the installed features bring (their names checked when the features are
    loaded: no built-in name, none twice); a mistake in a file at the package file's line."""
    found = {}
    for feature, folder in type_folders().items():
        for path in sorted(folder.glob("*.yaml")):
            page_type = _load_one(path, folder, problems)
            if page_type is None and NAME.match(path.stem):
                page_type = PageType(path.stem, broken=True)
            if page_type is not None:
                found[page_type.name] = replace(page_type, feature=feature)
    return found


def site_templates(site_dir: Path, types: dict[str, PageType]) -> SiteTemplates:
    """The site's own templates for the theme's environment: ``_types/NAME.html`` of the site's own types only
    (a built-in type's template stays the theme's, a feature's type's the package's) and ``_shortcodes/NAME.html``."""
    return SiteTemplates(site_dir, frozenset(name for name, kind in types.items()
                                             if name not in BUILTIN and not kind.feature))


def _load_one(path: Path, site_dir: Path, problems: Problems) -> PageType | None:
    name = path.stem
    if not NAME.match(name):
        problems.error(path, 1, _("a page type's file name must be lower-case letters, digits, '-' or '_' "
                                  "and start with a letter, like arkivbeskrivning.yaml"))
        return None
    if name in BUILTIN:
        problems.error(path, 1, _("'{name}' is a built-in page type: give the file another name").format(name=name))
        return None
    data = confine.read_yaml(path, site_dir, problems)
    if data is confine.FAILED:
        return None
    values = validate(data if data is not None else {}, TYPE_FILE, path, problems)
    if "fields" not in values:
        return None
    fields, required = {}, []
    declared = values["fields"]
    for key, spec in declared.items():
        line = declared.lines.get(key, 1) if isinstance(declared, yamlload.MarkedDict) else 1
        found = _field(path, str(key), spec, line, problems)
        if found is not None:
            fields[str(key)], is_required = found
            if is_required:
                required.append(str(key))
    return PageType(name, fields, tuple(required), values.get("title", ""))


def _field(path: Path, key: str, spec, line: int, problems: Problems) -> tuple[Field, bool] | None:
    """One declared key: ``key: kind`` or ``key: {type: kind, required: …, choices: …, minimum: …}``."""
    if key in COMMON_FIELDS:
        problems.error(path, line, _("'{key}' is a key every page has: give the field another name").format(key=key))
        return None
    if isinstance(spec, str):
        spec = {"type": spec}
        if spec["type"] not in KINDS:
            problems.error(path, line, _("'fields.{key}' must be one of {options}, not '{value}'").format(
                key=key, options=", ".join(KINDS), value=spec["type"]))
            return UNCHECKED, False
    checked = validate(spec, FIELD_SPEC, path, problems, f"fields.{key}.")
    if isinstance(spec, dict) and "type" in spec and "type" not in checked:
        return UNCHECKED, bool(checked.get("required"))   # its kind is wrong: reported above, once
    kind = checked.get("type", "str")
    return Field(kind, choices=tuple(checked.get("choices", ())), minimum=checked.get("minimum")), bool(
        checked.get("required"))
