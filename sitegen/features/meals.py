"""Open meal data: menus from ``data/meals/`` as pages, Open Meal v3.4 JSON and iCalendar.

Published under ``matsedlar/`` (an editor's ``matsedlar/index.md`` gives the page its words):

- ``matsedlar/``: the list of schools and kitchens; ``matsedlar/distributors.json``.
- ``matsedlar/<id>/``: a readable menu from the current week on; ``meals.json`` with every
  day in the file; ``<meal>.ics`` per meal name (``lunch.ics``, ``frukost.ics`` ...).
  A day with only a ``note`` is the main meal (lunch) without courses, the note as its
  description (and as the event's summary and description).

UIDs are ``<yyyymmdd>-<meal>-<id>.<site>@<host>``: the same day, kitchen and meal always get
the same UID. SEQUENCE is always 0: a day's date is part of its UID, so no change of a menu
moves an item (the changes RFC 5546 §2.1.4 requires a higher SEQUENCE for); a changed
course reaches subscribers as the same item with a later DTSTAMP (the build's ``--now``),
which clients take as the newer version (§2.1.5). Nothing is read from earlier output.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from sitegen import ics
from sitegen.mealdata import MEALS, Day, Distributor, Meal, read_menus
from sitegen.model import Alternate, Page, Site, next_day_turn

PHASE = "pages"
PROVIDES = ("pages", "files")
FOLDER = "matsedlar/"
SUMMARY_COURSES = 2


@dataclass(frozen=True)
class MealsIndex:
    """What the list of kitchens gets as ``meals``."""

    distributors: tuple       # {"name", "href", "address"} of each kitchen
    distributors_json: str    # the open data file of them all


@dataclass(frozen=True)
class MealsMenu:
    """What one kitchen's menu page gets as ``meals``."""

    kitchen: Distributor
    weeks: tuple              # {"year", "week", "days"} from this week's Monday on
    feeds: tuple              # the iCalendar feeds, one per meal
    json_href: str            # the menu as Open Meal JSON
    address: str


def run(build) -> None:
    site, strings = build.site, build.theme.strings
    menus = read_menus(site, build.problems)
    if not menus:
        return
    build.changes_at(next_day_turn(site.now, 7 - site.now.weekday()))   # the weeks shown start on Monday
    index = Page(url=FOLDER, meta={"title": strings.get("meals_title", "Matsedlar"), "type": "page",
                                   "ingress": strings.get("meals_ingress", "")},
                 template="meals.html", is_section=True, in_search=True)
    index = site.add_page(index, parent=site.root, editable=True)
    listed = []
    for menu in menus:
        feeds = _write_feeds(build, menu)
        page = _menu_page(site, menu, index, feeds, strings)
        listed.append({"name": menu.name, "href": site.href(page), "address": _address_line(menu)})
    build.files[f"{FOLDER}distributors.json"] = _dump({"distributors": [distributor(site, m) for m in menus]})
    index.contribute("meals", MealsIndex(tuple(listed), site.href(f"{FOLDER}distributors.json")))


def _menu_page(site: Site, menu: Distributor, index: Page, feeds: list[dict], strings: dict) -> Page:
    url = f"{FOLDER}{menu.id}/"
    page = Page(url=url, meta={"title": menu.name, "type": "page",
                               "ingress": strings.get("meals_menu_ingress", "{name}").format(name=menu.name)},
                template="meals_menu.html", in_search=True)
    build_json = f"{url}meals.json"
    page.contribute("meals", MealsMenu(kitchen=menu, weeks=tuple(_weeks(menu, site.now.date())), feeds=tuple(feeds),
                                       json_href=site.href(build_json), address=_address_line(menu)))
    page.alternates = ([Alternate("text/calendar", f["title"], f["href"]) for f in feeds]
                       + [Alternate("application/json", "Open Meal JSON", site.href(build_json))])
    return site.add_page(page, parent=index)


def _weeks(menu: Distributor, today: dt.date) -> list[dict]:
    """Days from this week's Monday on, grouped by ISO week."""
    monday = today - dt.timedelta(days=today.weekday())
    weeks: dict[tuple[int, int], list] = {}
    for day in menu.days:
        if day.date >= monday:
            year, week, _ = day.date.isocalendar()
            weeks.setdefault((year, week), []).append(day)
    return [{"year": y, "week": w, "days": days} for (y, w), days in sorted(weeks.items())]


def _address_line(menu: Distributor) -> str:
    a = menu.address
    place = " ".join(p for p in (a.get("postal_code", ""), a.get("city", "")) if p)
    return ", ".join(p for p in (a.get("street", ""), place) if p)


def _location(menu: Distributor) -> str:
    return menu.location or ", ".join(p for p in (menu.name, _address_line(menu)) if p)


# --- Open Meal v3.4 JSON ------------------------------------------------------

def distributor(site: Site, menu: Distributor) -> dict:
    """A Distributor object: only the spec's keys, optional ones only when known."""
    data = {"id": menu.id, "name": menu.name, "organization": menu.organization, "lang": site.config.language,
            "type": menu.type}
    if menu.address:
        a = menu.address
        data["address"] = {k: v for k, v in (("streetAddress", a.get("street")), ("postalCode", a.get("postal_code")),
                                             ("addressLocality", a.get("city")),
                                             ("addressCountry", a.get("country", "SE"))) if v}
    if menu.url:
        data["url"] = menu.url
    if menu.email:
        data["email"] = menu.email
    if menu.phone:
        data["phone"] = "".join(menu.phone.split())
    data["iCalendar"] = site.absolute_url(f"{FOLDER}{menu.id}/{main_meal(menu)}.ics")
    return data


def meal_keys(menu: Distributor) -> list[str]:
    """The meals a kitchen publishes feeds for: those it serves; lunch when its file holds only notes."""
    return menu.meal_keys() or ["lunch"]


def main_meal(menu: Distributor) -> str:
    """The meal most people follow (lunch when served): the distributor's iCalendar, and the meal
    that carries the note of a day without meals."""
    keys = meal_keys(menu)
    return "lunch" if "lunch" in keys else keys[0]


def day_meals(menu: Distributor, day: Day) -> list[Meal]:
    """The day's meals; for a day with only a note (nothing served, "Studiedag – ingen lunch serveras.")
    the main meal without courses, so meals.json and its feed say so (open-meal.md: courses may be empty)."""
    if day.meals or not day.note:
        return day.meals
    key = main_meal(menu)
    return [Meal(key, MEALS[key][0], MEALS[key][1], [])]


def meals_json(site: Site, menu: Distributor) -> dict:
    meals = []
    for day in menu.days:
        for meal in day_meals(menu, day):
            item = {"name": meal.name, "date": day.date.isoformat(), "lang": site.config.language,
                    "order": meal.order,
                    "distributor": {"id": menu.id, "name": menu.name, "organization": menu.organization},
                    "courses": [_course(menu, day.date, meal, c) for c in meal.courses]}
            if day.note:
                item["description"] = day.note
            meals.append(item)
    return {"meals": meals}


def _course(menu: Distributor, date: dt.date, meal: Meal, course) -> dict:
    data = {"id": f"{menu.id}-{date:%Y%m%d}-{meal.key}-{course.order}", "name": course.name,
            "order": course.order, "ingredients": [], "media": [],
            "knownAllergens": [{"name": a, "codes": []} for a in course.allergens],
            "tags": list(course.tags), "nutrients": [], "prices": []}
    if course.description:
        data["description"] = course.description
    if course.option:
        data["optionName"] = course.option
    if course.co2 is not None:
        data["co2Equivalents"] = course.co2
    return data


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


# --- iCalendar ------------------------------------------------------------------

def _write_feeds(build, menu: Distributor) -> list[dict]:
    site = build.site
    build.files[f"{FOLDER}{menu.id}/meals.json"] = _dump(meals_json(site, menu))
    feeds = []
    for key in meal_keys(menu):
        url = f"{FOLDER}{menu.id}/{key}.ics"
        build.files[url] = ics.to_ical(meal_calendar(site, menu, key))
        name = build.theme.strings.get(f"meal_{key}", MEALS[key][0])   # in the site's language
        feeds.append({"meal": name, "title": f"{name}: {menu.name}", "href": site.href(url),
                      "webcal": "webcal://" + site.absolute_url(url).split("://", 1)[1]})
    return feeds


def meal_calendar(site: Site, menu: Distributor, key: str) -> ics.IcsCalendar:
    host = urlsplit(site.config.base_url).hostname or "localhost"
    city = menu.address.get("city", "")
    items, name = [], MEALS[key][0]
    for day in menu.days:
        for meal in (m for m in day_meals(menu, day) if m.key == key):
            ordered = sorted(meal.courses, key=lambda c: c.order)
            # A day without courses (only a note, e.g. "Studiedag – ingen lunch serveras.") says so.
            summary = "\n".join(c.line for c in ordered[:SUMMARY_COURSES]) or day.note
            items.append(ics.IcsItem(
                uid=f"{day.date:%Y%m%d}-{key}-{menu.id}.{site.config.name}@{host}",
                summary=summary,
                description="\n".join([c.line for c in ordered] + ([day.note] if day.note else [])),
                start=day.date, end=day.date + dt.timedelta(days=1), location=_location(menu),
                transparent=True))
    title = f"{name}: {menu.name}" + (f", {city}" if city else "")
    organization = menu.organization or site.config.title
    return ics.IcsCalendar(name=title, description=f"{name} – {menu.name} ({organization})",
                           prodid=f"-//{organization}//sitegen {site.config.title} matsedel//"
                                  f"{site.config.language.upper()}",
                           now=site.now, items=items)
