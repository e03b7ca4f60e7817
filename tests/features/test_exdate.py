"""Cancelled occurrences of recurring events (``exdate``): gone from the lists and month pages,
shown as cancelled on the event page, and sent to subscribers as RFC 5545 EXDATE."""
from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import icalendar
from dateutil.rrule import rrulestr

from testkit import NOW, page, run_sitegen

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\ncontact:\n  email: info@example.se\n"
# Weekly on Tuesdays at 18:00 from 24 November 2026 (NOW is Monday 23 November), six times.
KOR = dict(type="event", start="2026-11-24 18:00", end="2026-11-24 19:30", rrule="FREQ=WEEKLY;COUNT=6")


def kor(exdate: str) -> str:
    return page("Kör", **KOR, exdate=exdate)


def build(make_site, tmp_path, files: dict):
    content = make_site(files, site_yaml=SITE_YAML)
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 0, result.stderr
    return tmp_path / "out/demo", result


def check(make_site, files: dict):
    content = make_site(files, site_yaml=SITE_YAML)
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent)


def vevent(site, summary: str):
    calendar = icalendar.Calendar.from_ical((site / "kalender/kalender.ics").read_bytes())
    return next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == summary)


def test_a_cancelled_day_is_left_out_everywhere_and_sent_as_exdate(make_site, tmp_path):
    site, result = build(make_site, tmp_path, {"kalender/kor.md": kor("[2026-12-08, 2026-12-22]")})
    assert "warning" not in result.stderr
    event = vevent(site, "Kör")
    cancelled = [d.dt for d in event["EXDATE"].dts]
    assert event["EXDATE"].params["TZID"] == "Europe/Stockholm"
    assert cancelled == [dt.datetime(2026, 12, 8, 18, tzinfo=STOCKHOLM), dt.datetime(2026, 12, 22, 18, tzinfo=STOCKHOLM)]
    # A client expanding RRULE minus EXDATE gets what the site shows.
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event["DTSTART"].dt)
    expected = [s for s in rule if s not in cancelled]
    assert len(expected) == 4
    december = (site / "kalender/2026/12/index.html").read_text(encoding="utf-8")
    assert 'datetime="2026-12-08' not in december and 'datetime="2026-12-15T18:00:00+01:00"' in december
    data = json.loads((site / "kalender/kalender.json").read_text(encoding="utf-8"))
    extension = data["items"][0]["_event"]
    assert extension["exdate"] == ["2026-12-08T18:00:00+01:00", "2026-12-22T18:00:00+01:00"]
    assert [s[:10] for s in extension["occurrences"]] == ["2026-11-24", "2026-12-01", "2026-12-15", "2026-12-29"]


def test_the_event_page_lists_the_cancelled_dates_apart(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/kor.md": kor("2026-12-08")})
    html = (site / "kalender/kor/index.html").read_text(encoding="utf-8")
    dates, cancelled = html.split('id="event-dates"', 1)[1].split('id="event-cancelled"', 1)
    assert "8 december" not in dates and "15 december" in dates
    assert "Inställda tillfällen" in cancelled and "8 december" in cancelled.split("</section>", 1)[0]


def test_a_date_and_time_cancels_one_of_two_occurrences_that_day(make_site, tmp_path):
    twice = page("Öppet", type="event", start="2026-11-24 10:00", end="2026-11-24 11:00",
                 rrule="FREQ=DAILY;BYHOUR=10,14;COUNT=6", exdate="2026-11-25 14:00")
    site, _ = build(make_site, tmp_path, {"kalender/oppet.md": twice})
    data = json.loads((site / "kalender/kalender.json").read_text(encoding="utf-8"))
    starts = data["items"][0]["_event"]["occurrences"]
    assert "2026-11-25T10:00:00+01:00" in starts and "2026-11-25T14:00:00+01:00" not in starts
    assert len(starts) == 5


def test_all_day_events_are_cancelled_by_date(make_site, tmp_path):
    lov = page("Lovdag", type="event", start="2026-11-27", all_day="true", rrule="FREQ=WEEKLY;COUNT=3",
               exdate="2026-12-04")
    site, _ = build(make_site, tmp_path, {"kalender/lov.md": lov})
    event = vevent(site, "Lovdag")
    assert [d.dt for d in event["EXDATE"].dts] == [dt.date(2026, 12, 4)]
    assert event["EXDATE"].params.get("VALUE") == "DATE"


def test_exdate_without_rrule(make_site):
    result = check(make_site, {"kalender/a.md": page("En gång", type="event", start="2026-12-10 18:00",
                                                     exdate="2026-12-10")})
    assert ("content/demo/kalender/a.md:5: error: 'exdate' cancels occurrences of a recurring event: "
            "it needs an 'rrule'") in result.stderr
    assert result.status == 1


def test_exdate_on_a_day_without_an_occurrence(make_site):
    result = check(make_site, {"kalender/kor.md": page("Kör", **KOR, exdate="\n  - 2026-12-08\n  - 2026-12-09")})
    assert ("content/demo/kalender/kor.md:9: warning: 'exdate' 2026-12-09 cancels nothing: the event does "
            "not occur then (see 'rrule')") in result.stderr   # a warning in check and build alike
    assert result.status == 0, result.stderr
    assert "kor.md:8:" not in result.stderr


def test_exdate_that_is_not_a_date(make_site):
    result = check(make_site, {"kalender/kor.md": kor("nästa tisdag")})
    assert ("content/demo/kalender/kor.md:7: error: 'exdate' must be a date (YYYY-MM-DD), a date and time, "
            "or a list of them, not") in result.stderr
    assert result.status == 1


def test_every_occurrence_cancelled(make_site, tmp_path):
    twice = page("Två gånger", type="event", start="2026-11-24 18:00", rrule="FREQ=WEEKLY;COUNT=2",
                 exdate="[2026-11-24, 2026-12-01]")
    site, result = build(make_site, tmp_path, {"index.md": page("Start"), "kalender/tva.md": twice})
    assert ("content/demo/kalender/tva.md:6: warning: 'exdate' cancels every occurrence: the event is left "
            "out of the calendar") in result.stderr
    assert (site / "kalender/tva/index.html").is_file()   # the page itself is still published


def test_exdate_list_with_an_item_that_is_not_a_date(make_site):
    result = check(make_site, {"kalender/kor.md": kor('[2026-12-08, "igår"]')})
    assert ("content/demo/kalender/kor.md:7: error: 'exdate' item 2 must be a date (YYYY-MM-DD) or a date "
            "and time, not 'igår'") in result.stderr
    assert "not a list" not in result.stderr
    assert result.status == 1


def test_exdate_item_that_is_an_impossible_date(make_site):
    result = check(make_site, {"kalender/kor.md": kor("\n  - 2026-12-08\n  - 2026-12-32")})
    assert ("content/demo/kalender/kor.md:9: error: 'exdate' item 2: '2026-12-32' is not a valid date "
            "(YYYY-MM-DD)") in result.stderr
    assert result.status == 1


def test_exdate_problems_are_explained_in_swedish(make_site):
    content = make_site({"kalender/a.md": page("En gång", type="event", start="2026-12-10 18:00", exdate="2026-12-10"),
                         "kalender/kor.md": page("Kör", **KOR, exdate="2026-12-09")}, site_yaml=SITE_YAML)
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent,
                         env={"SITEGEN_LANG": "sv"})
    assert ("content/demo/kalender/a.md:5: fel: 'exdate' ställer in tillfällen av ett återkommande evenemang "
            "och behöver en 'rrule'") in result.stderr
    assert ("content/demo/kalender/kor.md:7: varning: 'exdate' 2026-12-09 ställer inte in något: evenemanget "
            "äger inte rum då (se 'rrule')") in result.stderr
