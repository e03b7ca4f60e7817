"""Declarative schemas and the validator (the schemas of site.yaml and the built-in page
types are in ``schemas.py``).

Each key has a ``Field``; ``validate`` checks a ``MarkedDict`` against a schema
and reports every unknown key, missing key and wrong type at its own line.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sitegen import keynames
from sitegen.localtime import STOCKHOLM
from sitegen.problems import Problems
from sitegen.yamlload import InvalidDate, MarkedDict, MarkedList
from sitegen.messages import N_, _
from sitegen.slugs import slugify

KIND_NAMES = {   # translated where used: _(KIND_NAMES[kind])
    "str": N_("text"),
    "int": N_("a whole number"),
    "bool": N_("true or false"),
    "date": N_("a date (YYYY-MM-DD) or date and time"),
    "strlist": N_("a list of texts"),
    "datelist": N_("a date (YYYY-MM-DD), a date and time, or a list of them"),
    "map": N_("a mapping (key: value lines)"),
    "maplist": N_("a list of mappings"),
    "any": N_("anything"),
    "url": N_("a web address"),
    "email": N_("an e-mail address"),
    "phone": N_("a phone number"),
}

EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-()]*$")
EMAIL_HINT = N_("write it as namn@orebro.se")             # translated where used
PHONE_HINT = N_("write it as 019-21 10 00 or +46 19 21 10 00")
WEB = ("http", "https")
_LEFT_OUT = object()   # a value with an error (or blank where that counts as missing)


@dataclass(frozen=True)
class Field:
    kind: str = "str"
    required: bool = False
    choices: tuple = ()
    fields: dict = field(default_factory=dict)  # for "map" and "maplist"
    open: bool = False  # a "map" whose keys are free (e.g. cascade)
    schemes: tuple = WEB  # for "url": what it may be; "/" allows a path on the same host
    blank_is_missing: bool = False  # a "str" of only spaces is left out, as if not given
    minimum: int | None = None  # for "int": the smallest value that makes sense


def is_email(text: str) -> bool:
    return bool(EMAIL.match(text))


def is_phone(text: str) -> bool:
    return bool(PHONE.match(text)) and len(re.sub(r"\D", "", text)) >= 5


def is_url(text: str, schemes: tuple = WEB) -> bool:
    """An address an editor may give: a full web address, or what else ``schemes`` allows."""
    if not text or any(c.isspace() or ord(c) < 32 for c in text):
        return False
    if "/" in schemes and text.startswith("/") and not text.startswith("//"):
        return True
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:   # e.g. an unclosed [ in the host
        return False
    scheme = parts.scheme.lower()
    if scheme not in schemes:
        return False
    if scheme in WEB:
        return bool(host)
    if scheme == "mailto":
        return all(is_email(a) for a in parts.path.split(","))
    return scheme == "tel" and is_phone(parts.path)


def _url_forms(schemes: tuple) -> str:
    forms = [_("a full web address (https://…)")]
    if "/" in schemes:
        forms.append(_("a path starting with /"))
    if "mailto" in schemes:
        forms.append(_("an e-mail link (mailto:namn@orebro.se)"))
    if "tel" in schemes:
        forms.append(_("a phone link (tel:+4619211000)"))
    if len(forms) == 1:
        return forms[0]
    return _("{some} or {last}").format(some=", ".join(forms[:-1]), last=forms[-1])


def _format_problem(text: str, f: Field, name: str) -> str | None:
    """What is wrong with a text given for a "url", "email" or "phone" field, or None."""
    if f.kind == "url" and not is_url(text, f.schemes):
        return _("'{name}' must be {forms}, not '{text}'").format(name=name, forms=_url_forms(f.schemes), text=text)
    if f.kind == "email" and not is_email(text):
        return _("'{name}': '{text}' is not an e-mail address ({hint})").format(
            name=name, text=text, hint=_(EMAIL_HINT))
    if f.kind == "phone" and not is_phone(text):
        return _("'{name}': '{text}' is not a phone number ({hint})").format(
            name=name, text=text, hint=_(PHONE_HINT))
    return None


def bad_date_message(value: str) -> str:
    """For a date-shaped text that is no real date (``yamlload.InvalidDate``)."""
    if len(value.strip()) > 10:
        return _("'{value}' is not a valid date and time (e.g. 2026-12-10 18:00 or "
                 "2026-12-10T18:00:00+01:00)").format(value=value)
    return _("'{value}' is not a valid date (YYYY-MM-DD)").format(value=value)


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
    if f.kind in ("str", "url", "email", "phone"):
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
            return False, None
        if isinstance(value, (dt.date, int, float)):
            return True, str(value)
        return True, value if f.kind == "str" else value.strip()
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


def validate(data, schema: dict[str, Field], path, problems: Problems, where: str = "",
             other_types: dict[str, list[str]] | None = None) -> dict:
    """Check ``data`` against ``schema``; return the known, converted values.

    Keys with errors are left out of the result, so later stages see only good data.
    ``other_types``: key -> the page types that have it, for a key this page's type lacks.
    """
    result: dict = {}
    if not isinstance(data, dict):
        line = getattr(data, "line", 1)
        if where:
            problems.error(path, line, _("'{name}' must be a mapping of keys to values").format(name=where.rstrip(".")))
        else:
            problems.error(path, line, _("this must be a mapping of keys to values (key: value lines)"))
        return result
    lines = data.lines if isinstance(data, MarkedDict) else {}
    for key, value in data.items():
        line = lines.get(key, getattr(data, "line", 1))
        name = f"{where}{key}"
        f = schema.get(key)
        if f is None and other_types and key in other_types:
            types = other_types[key]
            problems.error(path, line, _("'{name}' belongs only to pages with type: {types}. Remove the line, "
                                         "or write type: {first} if the page is one").format(
                                             name=name, types=", ".join(types), first=types[0]))
            continue
        if f is None:
            hint = keynames.meant(str(key), schema)
            suggestion = _(" (did you mean '{name}'?)").format(name=f"{where}{hint}") if hint else ""
            problems.error(path, line, _("unknown key '{name}'{suggestion}").format(
                                           name=name, suggestion=suggestion))
            continue
        converted = _checked(value, f, name, line, path, problems)
        if converted is _LEFT_OUT:
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
            problems.error(path, getattr(data, "line", 1), _required_message(where, key))
    return result


def _wrong_kind_message(value, f: Field, name: str) -> str:
    if value is None:   # "title:" with nothing after the colon
        return _("'{name}' has no value: write it after the colon ({name}: …), or remove the line").format(name=name)
    if f.kind in ("date", "datelist"):   # the slip is the form: show one that works
        return _("'{name}' must be {kind}, not {value}: write it as, for example, {name}: 2027-03-14 18:00 "
                 "(or {name}: 2027-03-14 for the whole day)").format(
                     name=name, kind=_(KIND_NAMES[f.kind]), value=_describe(value))
    key = name.rsplit(".", 1)[-1]   # the line to write is the key's own, also under a mapping
    if f.kind == "bool":   # "ja", "nej", "kanske": show the two words that work
        return _("'{name}' must be true or false, not {value}: write {key}: true for yes, or {key}: false for "
                 "no").format(name=name, key=key, value=_describe(value))
    if f.kind == "int":    # "två", "tre": digits
        return _("'{name}' must be a whole number, not {value}: write it in digits, for example {key}: 2").format(
            name=name, key=key, value=_describe(value))
    return _("'{name}' must be {kind}, not {value}").format(name=name, kind=_(KIND_NAMES[f.kind]), value=_describe(value))


def _required_message(where: str, key: str) -> str:
    if key == "title" and not where:   # the one every page has: name it as editors do (rubrik)
        return _("'title' is required: give the page a title, e.g. title: Öppettider")
    return _("'{where}{key}' is required: add a line '{key}: …'").format(where=where, key=key)


def _checked(value, f: Field, name: str, line: int, path, problems: Problems):
    """The converted value, or ``_LEFT_OUT`` (after reporting what is wrong)."""
    if f.kind == "datelist" and isinstance(value, list) and value:
        return _checked_dates(value, name, line, path, problems)
    if isinstance(value, InvalidDate) and f.kind in ("date", "datelist"):
        problems.error(path, line, bad_date_message(value))
        return _LEFT_OUT
    ok, converted = _convert(value, f)
    message = None if ok else _wrong_kind_message(value, f, name)
    if ok and isinstance(converted, str):
        message = _format_problem(converted, f, name)
    if ok and not message and f.minimum is not None and converted < f.minimum:
        message = _("'{name}' must be at least {minimum}, not {value}").format(
            name=name, minimum=f.minimum, value=converted)
    if ok and not message and f.choices:
        converted = _as_choice(converted, f.choices)
    if ok and not message and f.choices and converted not in f.choices:
        options = ", ".join(str(c) for c in f.choices)
        close = keynames.nearest_choice(slugify(converted), f.choices) if isinstance(converted, str) else None
        if close:
            message = _("'{name}' must be one of {options}, not '{value}' (did you mean '{close}'?)").format(
                name=name, options=options, value=converted, close=close)
        else:
            message = _("'{name}' must be one of {options}, not '{value}'").format(
                name=name, options=options, value=converted)
    if message:
        problems.error(path, line, message)
        return _LEFT_OUT
    if f.blank_is_missing and not converted.strip():
        return _LEFT_OUT
    return converted


def _as_choice(value, choices: tuple):
    """The choice ``value`` names: a text whose slug is a choice counts as that choice, so
    editors may write the word as they spell it ("Driftstörning" for driftstorning)."""
    if value in choices or not isinstance(value, str):
        return value
    slug = slugify(value)
    return slug if slug in choices else value


def _checked_dates(values: list, name: str, line: int, path, problems: Problems):
    """A list of dates: every item that is not one is an error at its own line."""
    converted, ok = [], True
    for index, item in enumerate(values):
        item_line = values.line_of(index) if isinstance(values, MarkedList) else line
        date = None if isinstance(item, InvalidDate) else _to_date(item)
        if isinstance(item, InvalidDate):
            problems.error(path, item_line, _("'{name}' item {number}: {problem}").format(
                                                name=name, number=index + 1, problem=bad_date_message(item)))
        elif date is None:
            problems.error(path, item_line, _("'{name}' item {number} must be a date (YYYY-MM-DD) or a date and time, "
                                              "not {value}").format(
                                                name=name, number=index + 1, value=_describe(item)))
        ok = ok and date is not None
        converted.append(date)
    return converted if ok else _LEFT_OUT


def _describe(value) -> str:
    if value is None:
        return _("empty")
    if isinstance(value, (list, MarkedList)) and not value:
        return _("an empty list")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (dict, MarkedDict)):
        return _("a mapping")
    if isinstance(value, (list, MarkedList)):
        return _("a list")
    return f"'{value}'"
