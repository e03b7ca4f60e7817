"""Open meal data: menu pages, Open Meal v3.4 JSON (checked against the spec's structure) and iCalendar."""
from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import icalendar
import jsonschema
import pytest

from testkit import NOW, REPO, page, run_sitegen

GOLDEN = REPO / "tests" / "golden"

STORSKOLAN = """\
name: Storskolan
type: skola
address:
  street: Storgatan 12
  postal_code: 703 61
  city: Örebro
url: https://www.example.se/storskolan
email: mailto:storskolan@example.se
phone: 019-21 00 00
days:
  - date: 2026-11-16
    lunch:
      - Förra veckans soppa
  - date: 2026-11-23
    lunch:
      - Köttbullar med potatismos
      - name: Vegetariska bullar
        option: Vegetariskt
        allergens: [mjölk]
        tags: [vegetarisk]
        co2: 0.6
      - Sallad
  - date: 2026-11-24
    frukost:
      - Gröt
    lunch:
      - Fiskgratäng
  - date: 2026-11-25
    note: Studiedag – ingen lunch.
"""

LINDBACKA = """\
name: Lindbackaskolan
days:
  - date: 2026-11-23
    mellanmål: [Smörgås]
    lunch: [Pannbiff]
"""

# The Open Meal v3.4 structure as open-meal.md describes it: no additional properties anywhere.
CODES = {"type": "array", "items": {"type": "object"}}
COURSE = {
    "type": "object", "additionalProperties": False,
    "required": ["name", "ingredients", "media", "knownAllergens", "tags", "nutrients", "prices"],
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
        "optionName": {"type": "string"}, "order": {"type": "integer"}, "labelOfContents": {"type": "string"},
        "ingredients": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                                   "properties": {"name": {"type": "string"}, "codes": CODES}}},
        "media": {"type": "array", "items": {"type": "object", "additionalProperties": False,
                                             "properties": {"src": {"type": "string"}, "mimeType": {"type": "string"}}}},
        "knownAllergens": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["name", "codes"],
            "properties": {"name": {"type": "string"}, "codes": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "properties": {"code": {"type": "string"}, "type": {"type": "string"}}}}}}},
        "tags": {"type": "array", "items": {"type": "string"}},
        "nutrients": {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {
            "name": {"type": "string"}, "amount": {"type": "number"}, "unit": {"type": "string"}, "codes": CODES}}},
        "prices": {"type": "array", "items": {"type": "object", "additionalProperties": False, "properties": {
            "name": {"type": "string"}, "value": {"type": "number"},
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$"}}}},
        "co2Equivalents": {"type": "number"},
    },
}
MEALS_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["meals"],
    "properties": {"meals": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["name", "date", "courses"],
        "properties": {
            "name": {"type": "string"}, "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}"},
            "lang": {"type": "string"}, "description": {"type": "string"}, "order": {"type": "integer"},
            "distributor": {"type": "object", "additionalProperties": False, "required": ["id", "name"],
                            "properties": {"id": {"type": "string"}, "name": {"type": "string"},
                                           "organization": {"type": "string"}}},
            "courses": {"type": "array", "items": COURSE},
        }}}},
}
DISTRIBUTORS_SCHEMA = {
    "type": "object", "additionalProperties": False, "required": ["distributors"],
    "properties": {"distributors": {"type": "array", "items": {
        "type": "object", "additionalProperties": False, "required": ["id", "name"],
        "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}, "organization": {"type": "string"},
            "lang": {"type": "string"}, "type": {"type": "integer", "minimum": 0, "maximum": 5},
            "address": {"type": "object", "additionalProperties": False, "properties": {
                "streetAddress": {"type": "string"}, "postalCode": {"type": "string"},
                "addressLocality": {"type": "string"}, "addressCountry": {"type": "string"}}},
            "url": {"type": "string"}, "email": {"type": "string", "pattern": "^[^:]+@[^:]+$"},
            "phone": {"type": "string", "pattern": r"^\S+$"}, "iCalendar": {"type": "string"},
        }}}},
}


def build(make_site, tmp_path: Path, storskolan: str = STORSKOLAN, out_name: str = "out") -> Path:
    content = make_site({"om.md": page("Om oss"), "data/meals/storskolan.yaml": storskolan,
                         "data/meals/lindbackaskolan.yaml": LINDBACKA})
    out = tmp_path / out_name
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    return out / "demo"


def check(make_site, storskolan: str):
    content = make_site({"data/meals/storskolan.yaml": storskolan})
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent)


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def lunch_events(site: Path, school: str = "storskolan") -> dict:
    calendar = icalendar.Calendar.from_ical((site / "matsedlar" / school / "lunch.ics").read_bytes())
    return {e["DTSTART"].dt: e for e in calendar.walk("VEVENT")}


@pytest.fixture
def meals(make_site, tmp_path):
    return build(make_site, tmp_path)


def test_meals_json_follows_open_meal_structure(meals):
    data = load_json(meals / "matsedlar" / "storskolan" / "meals.json")
    jsonschema.validate(data, MEALS_SCHEMA)
    assert [(m["date"], m["name"]) for m in data["meals"]] == [
        ("2026-11-16", "Lunch"), ("2026-11-23", "Lunch"), ("2026-11-24", "Frukost"), ("2026-11-24", "Lunch"),
        ("2026-11-25", "Lunch")]
    veg = data["meals"][1]["courses"][1]
    assert veg["optionName"] == "Vegetariskt" and veg["co2Equivalents"] == 0.6
    assert veg["knownAllergens"] == [{"name": "mjölk", "codes": []}]
    assert [c["order"] for c in data["meals"][1]["courses"]] == [1, 2, 3]


def test_distributors_json_follows_open_meal_structure(meals):
    data = load_json(meals / "matsedlar" / "distributors.json")
    jsonschema.validate(data, DISTRIBUTORS_SCHEMA)
    storskolan = next(d for d in data["distributors"] if d["id"] == "storskolan")
    assert storskolan["email"] == "storskolan@example.se" and storskolan["phone"] == "019-210000"
    assert storskolan["iCalendar"] == "https://www.example.se/demo/matsedlar/storskolan/lunch.ics"
    assert storskolan["type"] == 0


def test_ical_per_distributor_and_meal(meals):
    folder = meals / "matsedlar"
    assert sorted(p.name for p in (folder / "storskolan").glob("*.ics")) == ["frukost.ics", "lunch.ics"]
    assert sorted(p.name for p in (folder / "lindbackaskolan").glob("*.ics")) == ["lunch.ics", "mellanmal.ics"]
    calendar = icalendar.Calendar.from_ical((folder / "storskolan" / "lunch.ics").read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "Lunch: Storskolan, Örebro"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    assert str(calendar["METHOD"]) == "PUBLISH" and str(calendar["CALSCALE"]) == "GREGORIAN"
    events = lunch_events(meals)
    assert sorted(events) == [dt.date(2026, 11, 16), dt.date(2026, 11, 23), dt.date(2026, 11, 24),
                              dt.date(2026, 11, 25)]
    monday = events[dt.date(2026, 11, 23)]
    assert str(monday["SUMMARY"]) == "Köttbullar med potatismos\nVegetariskt: Vegetariska bullar"
    assert str(monday["DESCRIPTION"]).splitlines() == [
        "Köttbullar med potatismos", "Vegetariskt: Vegetariska bullar", "Sallad"]
    assert str(monday["LOCATION"]) == "Storskolan, Storgatan 12, 703 61 Örebro"
    assert str(monday["TRANSP"]) == "TRANSPARENT" and monday["SEQUENCE"] == 0
    assert monday["DTSTAMP"].to_ical().endswith(b"Z")
    assert str(monday["UID"]) == "20261123-lunch-storskolan.demo@www.example.se"
    raw = (folder / "storskolan" / "lunch.ics").read_bytes()
    assert b"DTSTART;VALUE=DATE:20261123" in raw


def test_a_changed_menu_is_the_same_item_at_sequence_0_whatever_was_built_before(make_site, tmp_path):
    build(make_site, tmp_path)
    changed = build(make_site, tmp_path, STORSKOLAN.replace("Fiskgratäng", "Laxgratäng"))
    events = lunch_events(changed)
    assert "Laxgratäng" in str(events[dt.date(2026, 11, 24)]["DESCRIPTION"])
    assert all(e["SEQUENCE"] == 0 for e in events.values())   # a day's date is in its UID: no item moves
    fresh = build(make_site, tmp_path, STORSKOLAN.replace("Fiskgratäng", "Laxgratäng"), out_name="fresh")
    lunch = Path("matsedlar/storskolan/lunch.ics")
    assert (fresh / lunch).read_bytes() == (changed / lunch).read_bytes()   # nothing read from earlier output


def test_a_day_with_only_a_note_is_its_main_meal_without_courses(meals):
    meals_data = load_json(meals / "matsedlar" / "storskolan" / "meals.json")["meals"]
    note_day = [m for m in meals_data if m["date"] == "2026-11-25"]
    assert note_day == [{"name": "Lunch", "date": "2026-11-25", "lang": "sv", "order": 2,
                         "distributor": {"id": "storskolan", "name": "Storskolan", "organization": ""},
                         "courses": [], "description": "Studiedag – ingen lunch."}]
    event = lunch_events(meals)[dt.date(2026, 11, 25)]
    assert str(event["SUMMARY"]) == str(event["DESCRIPTION"]) == "Studiedag – ingen lunch."
    assert str(event["UID"]) == "20261125-lunch-storskolan.demo@www.example.se"
    frukost = icalendar.Calendar.from_ical((meals / "matsedlar" / "storskolan" / "frukost.ics").read_bytes())
    assert [e["DTSTART"].dt for e in frukost.walk("VEVENT")] == [dt.date(2026, 11, 24)]


def test_a_kitchen_with_only_notes_publishes_a_lunch_feed(make_site, tmp_path):
    site = build(make_site, tmp_path, "name: Storskolan\ndays:\n  - date: 2026-11-25\n    note: Stängt.\n")
    data = load_json(site / "matsedlar" / "storskolan" / "meals.json")
    jsonschema.validate(data, MEALS_SCHEMA)
    assert [(m["name"], m["courses"], m["description"]) for m in data["meals"]] == [("Lunch", [], "Stängt.")]
    assert str(lunch_events(site)[dt.date(2026, 11, 25)]["SUMMARY"]) == "Stängt."


def test_menu_page_shows_this_week_on(meals):
    html = (meals / "matsedlar" / "storskolan" / "index.html").read_text(encoding="utf-8")
    main = html.split('<main id="main"', 1)[1].split("</article>", 1)[0]
    assert "Vecka 48" in main and "Förra veckans soppa" not in main
    assert "måndag 23 november" in main and "Vegetariskt: Vegetariska bullar" in main
    assert "Studiedag – ingen lunch." in main
    assert 'href="/demo/matsedlar/storskolan/lunch.ics"' in main
    assert '<link rel="alternate" type="text/calendar"' in html
    index = (meals / "matsedlar" / "index.html").read_text(encoding="utf-8")
    assert 'href="/demo/matsedlar/storskolan/"' in index and 'href="/demo/matsedlar/lindbackaskolan/"' in index


def test_menu_page_matches_golden_file(meals):
    html = (meals / "matsedlar" / "storskolan" / "index.html").read_text(encoding="utf-8")
    actual = html.split("<article", 1)[1].split("</article>", 1)[0]
    golden = GOLDEN / "meals__menu-article.html"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_example_site_meal_data(example_build):
    folder = example_build / "fordjupning" / "matsedlar"
    jsonschema.validate(load_json(folder / "distributors.json"), DISTRIBUTORS_SCHEMA)
    for school in ("storskolan", "lindbackaskolan"):
        jsonschema.validate(load_json(folder / school / "meals.json"), MEALS_SCHEMA)
        assert icalendar.Calendar.from_ical((folder / school / "lunch.ics").read_bytes()).walk("VEVENT")


# --- bad input: each its own test, at its own line -------------------------

def test_malformed_date(make_site):
    result = check(make_site, STORSKOLAN.replace("2026-11-24", "2026-13-24"))
    assert "content/demo/data/meals/storskolan.yaml:23: error: '2026-13-24' is not a valid date" in result.stderr
    assert result.status == 1


def test_date_that_is_not_a_date(make_site):
    result = check(make_site, STORSKOLAN.replace("2026-11-24", "24 nov"))
    assert ("content/demo/data/meals/storskolan.yaml:23: error: 'days[3].date' must be a date "
            "(YYYY-MM-DD) or date and time, not '24 nov'") in result.stderr


def test_same_date_twice(make_site):
    result = check(make_site, STORSKOLAN.replace("2026-11-24", "2026-11-23"))
    assert "storskolan.yaml:23: error: 2026-11-23 is given twice (first at line 14)" in result.stderr


def test_unknown_meal(make_site):
    result = check(make_site, STORSKOLAN.replace("frukost:", "brunch:"))
    assert "storskolan.yaml:24: error: unknown key 'days[3].brunch'" in result.stderr


def test_dish_without_name(make_site):
    result = check(make_site, STORSKOLAN.replace("      - name: Vegetariska bullar\n", "      - namn: Vegetariska bullar\n"))
    assert "storskolan.yaml:17: error: unknown key 'lunch[2].namn'" in result.stderr
    assert "storskolan.yaml:17: error: 'lunch[2].name' is required" in result.stderr
    assert result.stderr.count("error:") == 2


def test_url_that_is_not_a_web_address(make_site):
    result = check(make_site, STORSKOLAN.replace("url: https://www.example.se/storskolan", "url: javascript:alert(1)"))
    assert ("content/demo/data/meals/storskolan.yaml:7: error: 'url' must be a full web address (https://…), "
            "not 'javascript:alert(1)'") in result.stderr
    assert result.status == 1


@pytest.mark.parametrize("first, second", [("mellanmal", "mellanmål"), ("kvällsmat", "kvallsmat")])
def test_one_meal_under_both_spellings_on_one_day(make_site, first, second):
    menu = STORSKOLAN.replace("    frukost:\n      - Gröt\n",
                              f"    {first}:\n      - Smörgås\n    {second}:\n      - Smörgås\n")
    result = check(make_site, menu)
    assert result.status == 1
    assert (f"content/demo/data/meals/storskolan.yaml:26: error: '{second}' is the same meal as '{first}' "
            "(line 24): give its dishes once, under one of the names") in result.stderr
    assert "Traceback" not in result.stderr


def test_an_english_site_names_its_meals_in_english(make_site, tmp_path):
    from testkit import NOW, run_sitegen
    content = make_site({"index.md": "---\ntitle: Start\ningress: x\n---\n",
                         "data/meals/skolan.yaml": "name: Skolan\ndays:\n  - date: 2026-11-24\n"
                                                   "    frukost: [Gröt]\n    mellanmal: [Frukt]\n"},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\nlanguage: en\n")
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (out / "demo/matsedlar/skolan/index.html").read_text(encoding="utf-8")
    assert "<strong>Breakfast</strong>" in html and "<strong>Afternoon snack</strong>" in html
    assert "Frukost" not in html and "Mellanmål" not in html


def test_menu_problems_are_explained_in_swedish(make_site):
    content = make_site({"data/meals/storskolan.yaml": STORSKOLAN.replace("2026-11-24", "2026-11-23")})
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent,
                         env={"SITEGEN_LANG": "sv"})
    assert ("storskolan.yaml:23: fel: 2026-11-23 står två gånger (första gången på rad 14). "
            "Ta bort den ena") in result.stderr
