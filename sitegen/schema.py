"""Declarative schemas for site.yaml and front matter, and the validator.

Each key has a ``Field``; ``validate`` checks a ``MarkedDict`` against a schema
and reports every unknown key, missing key and wrong type at its own line.
"""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sitegen.problems import Problems
from sitegen.yamlload import MarkedDict, MarkedList

STOCKHOLM = ZoneInfo("Europe/Stockholm")

KIND_NAMES = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD) or date and time",
    "strlist": "a list of texts",
    "datelist": "a date (YYYY-MM-DD), a date and time, or a list of them",
    "map": "a mapping (key: value lines)",
    "maplist": "a list of mappings",
    "any": "anything",
}


@dataclass(frozen=True)
class Field:
    kind: str = "str"
    required: bool = False
    choices: tuple = ()
    fields: dict = field(default_factory=dict)  # for "map" and "maplist"
    open: bool = False  # a "map" whose keys are free (e.g. cascade)


def _to_date(value):
    """Dates stay dates; date-times become aware (Europe/Stockholm when no offset)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        if len(value.strip()) == 10:
            return parsed.date()
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=STOCKHOLM)
    return None


def _convert(value, f: Field):
    """Return (ok, converted value)."""
    if f.kind == "any":
        return True, value
    if f.kind == "str":
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
            return False, None
        if isinstance(value, (dt.date, int, float)):
            return True, str(value)
        return True, value
    if f.kind == "int":
        return (isinstance(value, int) and not isinstance(value, bool)), value
    if f.kind == "bool":
        return isinstance(value, bool), value
    if f.kind == "date":
        converted = _to_date(value)
        return converted is not None, converted
    if f.kind == "strlist":
        if isinstance(value, str):
            return True, [value]
        ok = isinstance(value, list) and all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in value)
        return ok, [str(v) for v in value] if ok else None
    if f.kind == "datelist":
        values = value if isinstance(value, list) else [value]
        converted = [_to_date(v) for v in values]
        ok = bool(values) and all(c is not None for c in converted)
        return ok, converted if ok else None
    if f.kind == "map":
        return isinstance(value, dict), value
    if f.kind == "maplist":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value), value
    raise ValueError(f"unknown field kind {f.kind}")


def validate(data, schema: dict[str, Field], path, problems: Problems, where: str = "") -> dict:
    """Check ``data`` against ``schema``; return the known, converted values.

    Keys with errors are left out of the result, so later stages see only good data.
    """
    result: dict = {}
    if not isinstance(data, dict):
        line = getattr(data, "line", 1)
        problems.error(path, line, f"{where or 'this'} must be a mapping of keys to values")
        return result
    lines = data.lines if isinstance(data, MarkedDict) else {}
    for key, value in data.items():
        line = lines.get(key, getattr(data, "line", 1))
        name = f"{where}{key}"
        f = schema.get(key)
        if f is None:
            hint = difflib.get_close_matches(str(key), list(schema), n=1)
            suggestion = f" (did you mean '{where}{hint[0]}'?)" if hint else ""
            problems.error(path, line, f"unknown key '{name}'{suggestion}")
            continue
        ok, converted = _convert(value, f)
        if not ok:
            problems.error(path, line, f"'{name}' must be {KIND_NAMES[f.kind]}, not {_describe(value)}")
            continue
        if f.choices and converted not in f.choices:
            options = ", ".join(str(c) for c in f.choices)
            problems.error(path, line, f"'{name}' must be one of {options}, not '{converted}'")
            continue
        if f.kind == "map" and f.fields and not f.open:
            converted = validate(value, f.fields, path, problems, f"{name}.")
        elif f.kind == "maplist" and f.fields:
            items = []
            for index, item in enumerate(value):
                items.append(validate(item, f.fields, path, problems, f"{name}[{index + 1}]."))
            converted = items
        result[key] = converted
    for key, f in schema.items():
        if f.required and key not in data:
            problems.error(path, getattr(data, "line", 1), f"'{where}{key}' is required")
    return result


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (dict, MarkedDict)):
        return "a mapping"
    if isinstance(value, (list, MarkedList)):
        return "a list"
    return f"'{value}'"


# --- site.yaml -------------------------------------------------------------

SITE_SCHEMA: dict[str, Field] = {
    "title": Field("str", required=True),
    "base_url": Field("str", required=True),
    "language": Field("str", choices=("sv", "en")),
    "theme": Field("str"),
    "organization": Field("str"),
    "description": Field("str"),
    "logo": Field("str"),
    "contact": Field("map", fields={
        "email": Field("str"), "phone": Field("str"), "address": Field("str"), "page": Field("str"),
    }),
    "feedback": Field("map", fields={
        "endpoint": Field("str"),
        "enabled": Field("bool"),
    }),
    "social": Field("maplist", fields={
        "network": Field("str", required=True),
        "name": Field("str", required=True),
        "url": Field("str", required=True),
        "feed": Field("str"),
        "feed_url": Field("str"),
        "limit": Field("int"),
    }),
    "accessibility": Field("map", fields={
        "status": Field("str", choices=("full", "partial", "none")),
        "shortcomings": Field("strlist"),
        "disproportionate_burden": Field("strlist"),
        "assessed": Field("date"),
        "method": Field("str"),
        "published": Field("date"),
        "updated": Field("date"),
        "contact_email": Field("str"),
        "contact_phone": Field("str"),
        "response_time": Field("str"),
    }),
    "removed": Field("strlist"),
    "news": Field("map", fields={
        "folder": Field("str"),
        "page_size": Field("int"),
        "block_size": Field("int"),
    }),
    "calendar": Field("map", fields={
        "folder": Field("str"),
        "horizon_days": Field("int"),
        "block_size": Field("int"),
    }),
    "menu_depth": Field("int"),
}

# --- front matter ----------------------------------------------------------

PAGE_TYPES = ("page", "news", "blog", "event")
NEWS_CATEGORIES = ("driftstorning", "servicenyhet", "nyhet")

COMMON_FIELDS: dict[str, Field] = {
    "title": Field("str", required=True),
    "ingress": Field("str"),
    "type": Field("str", choices=PAGE_TYPES),
    "weight": Field("int"),
    "nav_title": Field("str"),
    "date": Field("date"),
    "updated": Field("date"),
    "draft": Field("bool"),
    "publish": Field("date"),
    "expires": Field("date"),
    "aliases": Field("strlist"),
    "image": Field("str"),
    "image_alt": Field("str"),
    "tags": Field("strlist"),
    "feedback": Field("bool"),
    "menu": Field("bool"),
    "cascade": Field("map", open=True),
}

TYPE_FIELDS: dict[str, dict[str, Field]] = {
    "page": {},
    "news": {
        "category": Field("str", choices=NEWS_CATEGORIES),
        "related": Field("strlist"),
    },
    "blog": {
        "author": Field("str"),
        "comments": Field("bool"),
    },
    "event": {
        "start": Field("date"),
        "end": Field("date"),
        "all_day": Field("bool"),
        "location": Field("str"),
        "rrule": Field("str"),
        "exdate": Field("datelist"),
        "registration_url": Field("str"),
        "category": Field("str"),
        "timezone": Field("str"),
    },
}


def front_matter_schema(page_type: str) -> dict[str, Field]:
    return {**COMMON_FIELDS, **TYPE_FIELDS.get(page_type, {})}


def all_front_matter_keys() -> dict[str, Field]:
    """Every key any type knows: what a section's ``cascade`` may set."""
    merged = dict(COMMON_FIELDS)
    for fields in TYPE_FIELDS.values():
        merged.update(fields)
    merged.pop("cascade")
    merged.pop("title")
    return merged
