"""Menus from ``content/<site>/data/meals/<school>.yaml``, checked line by line.

The format an editor writes (one file per school or kitchen)::

    name: Storskolan                # required
    type: skola                     # skola, äldreboende, hemtjänst, sjukhus, restaurang, annat
    address: {street: Storgatan 12, postal_code: 703 61, city: Örebro}
    email: storskolan@orebro.se
    phone: 019-21 00 00
    days:
      - date: 2026-11-23
        lunch:
          - Köttbullar med potatismos och lingonsylt
          - name: Vegetariska bullar med potatismos
            option: Vegetariskt
            allergens: [mjölk]
      - date: 2026-11-24
        note: Studiedag – ingen lunch serveras.

Meals per day: ``frukost``, ``lunch``, ``mellanmal`` (or ``mellanmål``), ``middag``,
``kvallsmat`` (or ``kvällsmat``; both spellings on one day are an error); each a list of
courses, first the main one. A day with only a ``note`` (no meals served) is published
as the kitchen's main meal (lunch) without courses, the note as its description. A course is a text, or a
mapping with ``name`` and optionally ``option``, ``description``, ``allergens``,
``tags`` and ``co2`` (kg CO2e per portion).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.model import Site
from sitegen.problems import Problems
from sitegen.schema import Field, validate
from sitegen.slugs import slugify
from sitegen.messages import _

# key (slugged) -> (name in the open data, order within the day)
MEALS = {"frukost": ("Frukost", 1), "lunch": ("Lunch", 2), "mellanmal": ("Mellanmål", 3),
         "middag": ("Middag", 4), "kvallsmat": ("Kvällsmat", 5)}
MEAL_KEYS = ("frukost", "lunch", "mellanmal", "mellanmål", "middag", "kvallsmat", "kvällsmat")
# Open Meal distributor types.
TYPES = {"skola": 0, "äldreboende": 1, "hemtjänst": 2, "sjukhus": 3, "restaurang": 4, "annat": 5}

COURSE_SCHEMA = {
    "name": Field("str", required=True), "option": Field("str"), "description": Field("str"),
    "allergens": Field("strlist"), "tags": Field("strlist"), "co2": Field("any"),
}
DAY_SCHEMA = {"date": Field("date", required=True), "note": Field("str"),
              **{key: Field("any") for key in MEAL_KEYS}}
FILE_SCHEMA = {
    "name": Field("str", required=True), "id": Field("str"), "type": Field("str", choices=tuple(TYPES)),
    "organization": Field("str"), "location": Field("str"), "url": Field("url"), "email": Field("str"),
    "phone": Field("str"),
    "address": Field("map", fields={"street": Field("str"), "postal_code": Field("str"),
                                    "city": Field("str"), "country": Field("str")}),
    "days": Field("maplist", required=True, fields=DAY_SCHEMA),
}


@dataclass
class Course:
    name: str
    order: int
    option: str = ""
    description: str = ""
    allergens: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    co2: float | None = None

    @property
    def line(self) -> str:
        return f"{self.option}: {self.name}" if self.option else self.name


@dataclass
class Meal:
    key: str          # slug: lunch, mellanmal, ...
    name: str         # Lunch, Mellanmål, ...
    order: int
    courses: list[Course]


@dataclass
class Day:
    date: dt.date
    note: str = ""
    meals: list[Meal] = field(default_factory=list)


@dataclass
class Distributor:
    id: str
    name: str
    organization: str
    type: int
    path: Path
    address: dict = field(default_factory=dict)
    location: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    days: list[Day] = field(default_factory=list)

    def meal_keys(self) -> list[str]:
        """The meals this kitchen serves, in the order of a day."""
        keys = {m.key for d in self.days for m in d.meals}
        return sorted(keys, key=lambda k: MEALS[k][1])


def read_menus(site: Site, problems: Problems) -> list[Distributor]:
    files = site.data.get("meals")
    if not isinstance(files, dict):
        return []
    folder = site.config.content_dir / "data" / "meals"
    menus, seen = [], {}
    for stem in sorted(files):
        path = next(iter(sorted(folder.glob(f"{stem}.*"))), folder / f"{stem}.yaml")
        menu = read_menu(stem, files[stem], path, site, problems)
        if menu is None:
            continue
        if menu.id in seen:
            problems.error(path, getattr(files[stem], "line", 1),
                           _("same id '{id}' as {name}: give one of them its own 'id'").format(
                               id=menu.id, name=seen[menu.id].name))
            continue
        seen[menu.id] = menu
        menus.append(menu)
    return menus


def read_menu(stem: str, raw, path: Path, site: Site, problems: Problems) -> Distributor | None:
    before = len(problems.errors)
    values = validate(raw, FILE_SCHEMA, path, problems)
    if len(problems.errors) > before or not isinstance(raw, dict):
        return None
    menu_id = slugify(values.get("id", stem))
    if not menu_id:
        problems.error(path, raw.line_of("id") if "id" in raw else 1, _("the id gives an empty URL segment"))
        return None
    menu = Distributor(id=menu_id, name=values["name"], path=path,
                       organization=values.get("organization", site.config.organization),
                       type=TYPES[values.get("type", "skola")], address=values.get("address", {}),
                       location=values.get("location", ""), url=values.get("url", ""),
                       email=values.get("email", "").removeprefix("mailto:"), phone=values.get("phone", ""))
    seen: dict[dt.date, int] = {}
    for raw_day, day_values in zip(raw["days"], values["days"]):
        day = _read_day(raw_day, day_values, path, problems)
        if day is None:
            continue
        line = raw_day.line_of("date")
        if day.date in seen:
            problems.error(path, line, _("{date} is given twice (first at line {value})").format(
                                           date=day.date, value=seen[day.date]))
            continue
        seen[day.date] = line
        menu.days.append(day)
    menu.days.sort(key=lambda d: d.date)
    return menu if len(problems.errors) == before else None


def _read_day(raw, values: dict, path: Path, problems: Problems) -> Day | None:
    if "date" not in values:
        return None
    if isinstance(values["date"], dt.datetime):
        problems.error(path, raw.line_of("date"), _("'date' must be a day (YYYY-MM-DD), not '{date}'").format(
                                                      date=raw['date']))
        return None
    day = Day(date=values["date"], note=values.get("note", ""))
    broken = False
    spelled: dict[str, str] = {}
    for key in raw:
        if key in ("date", "note") or key not in values:
            continue
        meal_key = slugify(key)
        if meal_key in spelled:
            # mellanmal/mellanmål, kvallsmat/kvällsmat: one meal, so one event and one UID per day.
            problems.error(path, raw.line_of(key), _("'{key}' is the same meal as '{value}' (line {line_of}): give its dishes "
                                                     "once, under one of the names").format(
                                                       key=key, value=spelled[meal_key], line_of=raw.line_of(spelled[meal_key])))
            broken = True
            continue
        spelled[meal_key] = key
        courses = _read_courses(raw[key], raw.line_of(key), path, problems, key)
        if courses is None:
            broken = True
        else:
            day.meals.append(Meal(meal_key, MEALS[meal_key][0], MEALS[meal_key][1], courses))
    if broken:
        return None
    if not day.meals and not day.note:
        problems.error(path, raw.line_of("date"), _("{date} has no meals: add e.g. 'lunch:' with a list of dishes, or a "
                                                    "'note' saying why").format(
                                                      date=day.date))
        return None
    day.meals.sort(key=lambda m: m.order)
    return day


def _read_courses(raw, line: int, path: Path, problems: Problems, key: str) -> list[Course] | None:
    items = [raw] if isinstance(raw, (str, dict)) else raw
    if not isinstance(items, list) or not items:
        problems.error(path, line, _("'{key}' must be a list of dishes").format(key=key))
        return None
    courses = []
    for index, item in enumerate(items):
        item_line = items.line_of(index) if hasattr(items, "line_of") else line
        if isinstance(item, str) and item.strip():
            courses.append(Course(name=item.strip(), order=index + 1))
            continue
        if not isinstance(item, dict):
            problems.error(path, item_line, _("dish {value} of '{key}' must be a text or a mapping with 'name'").format(
                                                value=index + 1, key=key))
            return None
        values = validate(item, COURSE_SCHEMA, path, problems, f"{key}[{index + 1}].")
        co2 = values.get("co2")
        if co2 is not None and (isinstance(co2, bool) or not isinstance(co2, (int, float))):
            problems.error(path, item.line_of("co2"), _("'co2' must be a number (kg CO2e per portion), not '{co2}'").format(
                                                          co2=co2))
            return None
        if "name" not in values:
            return None
        courses.append(Course(name=values["name"], order=index + 1, option=values.get("option", ""),
                              description=values.get("description", ""), allergens=values.get("allergens", []),
                              tags=values.get("tags", []), co2=float(co2) if co2 is not None else None))
    return courses
