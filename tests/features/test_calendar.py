"""Calendar: month pages, upcoming lists, event pages and iCalendar/JSON feeds, for a fixed now."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from testkit import NOW, REPO, page, run_sitegen

GOLDEN = REPO / "tests" / "golden"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
SITE_YAML = ("title: Demo\nbase_url: https://www.example.se/demo/\norganization: Demo kommun\n"
             "calendar:\n  horizon_days: 120\n  block_size: 2\n")


def event(title: str, **meta) -> str:
    return page(title, type="event", **meta)


EVENTS = {
    "om.md": page("Om oss"),
    "kalender/index.md": "---\ntitle: Evenemang\ningress: Allt som händer.\n---\n\nVälkommen!\n",
    # weekly at 18:00 across the change to winter time (25 October 2026)
    "kalender/kor.md": event("Körövning", start="2026-10-06 18:00", end="2026-10-06 19:30",
                             rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=12", location="Sal 3", category="övning",
                             tags="[musik]"),
    "kalender/lager.md": event("Läger", start="2027-01-11", end="2027-01-13", all_day="true", tags="[dans]"),
    "kalender/julkonsert.md": event("Julkonsert", start="2026-12-10 18:00", end="2026-12-10 19:30",
                                    location="Konserthuset, Örebro", category="konsert",
                                    registration_url="https://www.example.se/anmalan"),
    # across the change to summer time: 20:00 to 04:00 is seven real hours
    "kalender/natt.md": event("Nattvandring", start="2027-03-27 20:00", end="2027-03-28 04:00"),
    "kalender/hostlov.md": event("Höstlov", start="2026-10-28 13:00", end="2026-10-28 16:00"),
    "kalender/london.md": event("London", start="2026-12-02 10:00", timezone="Europe/London"),
}


def build(make_site, tmp_path: Path, files: dict, out_name: str = "out") -> Path:
    content = make_site(files, site_yaml=SITE_YAML)
    out = tmp_path / out_name
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    return out / "demo"


def check(make_site, files: dict, env: dict | None = None):
    content = make_site(files, site_yaml=SITE_YAML)
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent, env=env)


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def month_starts(site: Path, href: str) -> list[dt.datetime]:
    """Start times listed for one event page (by its link) on every month page."""
    starts = []
    for month_page in sorted((site / "kalender").glob("20*/*/index.html")):
        for item in re.findall(r"<li><p><strong><a href=\"([^\"]+)\">.*?<time datetime=\"([^\"]+)\"",
                               month_page.read_text(encoding="utf-8")):
            if item[0] == href:
                starts.append(dt.datetime.fromisoformat(item[1]))
    return starts


@pytest.fixture
def cal(make_site, tmp_path):
    return build(make_site, tmp_path, EVENTS)


def parse_ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def test_site_feed_parses_with_one_vevent_per_event_and_vtimezone(cal):
    calendar = parse_ics(cal / "kalender" / "kalender.ics")
    events = calendar.walk("VEVENT")
    assert sorted(str(e["SUMMARY"]) for e in events) == sorted(
        ["Körövning", "Läger", "Julkonsert", "Nattvandring", "Höstlov", "London"])
    assert {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")} == {"Europe/Stockholm", "Europe/London"}
    assert str(calendar["METHOD"]) == "PUBLISH" and str(calendar["VERSION"]) == "2.0"
    for vevent in events:
        assert vevent["DTSTAMP"].dt == dt.datetime(2026, 11, 23, 11, tzinfo=dt.timezone.utc)
        assert str(vevent["UID"]).endswith("@www.example.se")


def test_rrule_is_kept_and_its_expansion_matches_the_month_pages(cal):
    vevent = next(e for e in parse_ics(cal / "kalender" / "kalender.ics").walk("VEVENT")
                  if str(e["SUMMARY"]) == "Körövning")
    assert vevent["RRULE"].to_ical() == b"FREQ=WEEKLY;COUNT=12;BYDAY=TU"
    start = vevent["DTSTART"].dt
    expected = list(rrulestr(vevent["RRULE"].to_ical().decode(), dtstart=start))
    assert len(expected) == 12
    assert month_starts(cal, "/demo/kalender/kor/") == expected


def test_weekly_time_stays_at_18_across_daylight_saving_change(cal):
    starts = month_starts(cal, "/demo/kalender/kor/")
    assert {s.astimezone(STOCKHOLM).hour for s in starts} == {18}
    assert starts[2].utcoffset() == dt.timedelta(hours=2)   # 20 October, summer time
    assert starts[3].utcoffset() == dt.timedelta(hours=1)   # 27 October, winter time


def test_event_across_spring_change_keeps_wall_clock_times(cal):
    vevent = next(e for e in parse_ics(cal / "kalender" / "kalender.ics").walk("VEVENT")
                  if str(e["SUMMARY"]) == "Nattvandring")
    assert vevent["DTEND"].dt - vevent["DTSTART"].dt == dt.timedelta(hours=8)   # wall clock
    assert vevent["DTEND"].dt.astimezone(dt.timezone.utc) - vevent["DTSTART"].dt.astimezone(dt.timezone.utc) \
        == dt.timedelta(hours=7)
    assert "ändrar" not in read(cal, "kalender/natt")
    assert 'datetime="2027-03-28T04:00:00+02:00"' in read(cal, "kalender/natt")


def test_all_day_event_uses_dates_and_exclusive_end(cal):
    vevent = next(e for e in parse_ics(cal / "kalender" / "kalender.ics").walk("VEVENT")
                  if str(e["SUMMARY"]) == "Läger")
    assert vevent["DTSTART"].dt == dt.date(2027, 1, 11)
    assert vevent["DTEND"].dt == dt.date(2027, 1, 14)
    assert "måndag 11 januari 2027" in read(cal, "kalender/lager")


def test_event_in_its_own_time_zone(cal):
    vevent = next(e for e in parse_ics(cal / "kalender" / "kalender.ics").walk("VEVENT")
                  if str(e["SUMMARY"]) == "London")
    assert vevent["DTSTART"].dt == dt.datetime(2026, 12, 2, 10, tzinfo=ZoneInfo("Europe/London"))


def test_uids_are_stable_across_builds(make_site, tmp_path, cal):
    again = build(make_site, tmp_path, EVENTS, out_name="again")
    uids = [str(e["UID"]) for e in parse_ics(cal / "kalender" / "kalender.ics").walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in parse_ics(again / "kalender" / "kalender.ics").walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert (cal / "kalender" / "kalender.ics").read_bytes() == (again / "kalender" / "kalender.ics").read_bytes()


def test_upcoming_list_for_fixed_now(cal):
    html = main_of(read(cal, "kalender"))
    upcoming = html.split('id="upcoming"', 1)[1].split("</section>", 1)[0]
    titles = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', upcoming)
    # each event once, at its next occurrence; the past Höstlov is not there. The horizon
    # limits how far rules are expanded, not single events.
    assert titles == ["Körövning", "London", "Julkonsert", "Läger", "Nattvandring"]
    assert 'datetime="2026-11-24T18:00:00+01:00"' in upcoming
    assert "<h1>Evenemang</h1>" in html and "Välkommen!" in html  # the editor's index.md


def test_month_pages_have_own_urls_and_previous_next_links(cal):
    december = read(cal, "kalender/2026/12")
    assert "<h1>December 2026</h1>" in december
    assert re.findall(r'<a href="[^"]+">([^<]+)</a></strong>', main_of(december)) == [
        "Körövning", "London", "Körövning", "Julkonsert", "Körövning", "Körövning"]
    assert 'rel="prev" href="/demo/kalender/2026/11/"' in december
    assert 'rel="next" href="/demo/kalender/2027/01/"' in december
    assert '<link rel="alternate" type="text/calendar"' in december
    months = sorted(p.parent.relative_to(cal / "kalender").as_posix()
                    for p in (cal / "kalender").glob("20*/*/index.html"))
    assert months == ["2026/10", "2026/11", "2026/12", "2027/01", "2027/02", "2027/03"]


def test_past_event_moves_to_archive_with_notice(cal):
    archive = main_of(read(cal, "kalender/arkiv"))
    assert re.findall(r'<a href="[^"]+">([^<]+)</a></strong>', archive) == ["Höstlov"]
    assert "Evenemanget har redan varit." in read(cal, "kalender/hostlov")


def test_start_page_block_shows_next_events(cal):
    start = main_of(read(cal, ""))
    block = start.split('id="upcoming-events"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', block) == ["Körövning", "London"]
    assert 'href="/demo/kalender/"' in block


def test_event_page_has_when_where_download_and_json_ld(cal):
    html = read(cal, "kalender/julkonsert")
    assert 'href="/demo/kalender/julkonsert/julkonsert.ics"' in html and " download>" in html
    assert '<link rel="alternate" type="text/calendar"' in html
    assert "torsdag 10 december 2026 kl. 18:00" in html and "Konserthuset, Örebro" in html
    data = json.loads(html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert data["@type"] == "Event" and data["startDate"] == "2026-12-10T18:00:00+01:00"
    assert data["location"]["name"] == "Konserthuset, Örebro"
    single = parse_ics(cal / "kalender" / "julkonsert" / "julkonsert.ics")
    assert len(single.walk("VEVENT")) == 1


def test_event_page_matches_golden_file(cal):
    actual = main_of(read(cal, "kalender/julkonsert")).split("<article", 1)[1].split("</article>", 1)[0]
    golden = GOLDEN / "calendar__event-main.html"
    if os.environ.get("SITEGEN_UPDATE_GOLDEN"):
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


def test_feeds_per_category_and_tag(cal):
    konsert = parse_ics(cal / "kalender" / "kategori" / "konsert.ics")
    assert [str(e["SUMMARY"]) for e in konsert.walk("VEVENT")] == ["Julkonsert"]
    musik = parse_ics(cal / "kalender" / "tagg" / "musik.ics")
    assert [str(e["SUMMARY"]) for e in musik.walk("VEVENT")] == ["Körövning"]
    calendar_page = read(cal, "kalender")
    assert 'href="/demo/kalender/kategori/ovning.ics"' in calendar_page
    assert 'href="webcal://www.example.se/demo/kalender/kalender.ics"' in calendar_page


def test_json_feed_lists_the_same_events(cal):
    feed = json.loads((cal / "kalender" / "kalender.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    ics_uids = {str(e["UID"]) for e in parse_ics(cal / "kalender" / "kalender.ics").walk("VEVENT")}
    assert {item["id"] for item in feed["items"]} == ics_uids
    kor = next(i for i in feed["items"] if i["title"] == "Körövning")
    assert kor["_event"]["rrule"] == "FREQ=WEEKLY;BYDAY=TU;COUNT=12"
    assert kor["_event"]["occurrences"][0] == "2026-11-24T18:00:00+01:00"


def test_calendar_is_a_well_known_link_and_not_in_cards(cal):
    start = read(cal, "")
    assert "/demo/kalender/2026/" not in start.split("<footer", 1)[0].split('id="upcoming-events"')[0]


def test_example_sites_have_calendars(example_build):
    for site in ("kulturskolan", "stadsarkiv"):
        calendar = icalendar.Calendar.from_ical((example_build / site / "kalender" / "kalender.ics").read_bytes())
        assert calendar.walk("VEVENT")
    visning = (example_build / "stadsarkiv" / "kalender" / "2026" / "12" / "index.html").read_text(encoding="utf-8")
    assert 'datetime="2026-12-05T11:00:00+01:00"' in visning


# --- bad input: each its own test, at its own line -------------------------

def test_event_without_start(make_site):
    result = check(make_site, {"kalender/a.md": event("Utan start")})
    assert "content/demo/kalender/a.md:2: error: 'start' is required for type 'event'" in result.stderr
    assert result.status == 1


def test_end_before_start(make_site):
    result = check(make_site, {"kalender/a.md": event("Bakvänd", start="2026-12-10 18:00",
                                                      end="2026-12-10 17:00")})
    assert ("content/demo/kalender/a.md:5: error: 'end' (2026-12-10 17:00) is before 'start' "
            "(2026-12-10 18:00)") in result.stderr
    assert result.status == 1


def test_end_before_start_in_swedish_shows_the_times_as_written(make_site):
    result = check(make_site, {"kalender/a.md": event("Bakvänd", start="2026-12-10 20:00",
                                                      end="2026-12-09 20:00")}, env={"SITEGEN_LANG": "sv"})
    assert "content/demo/kalender/a.md:5: fel: " in result.stderr
    assert "(2026-12-09 20:00)" in result.stderr and "(2026-12-10 20:00)" in result.stderr
    assert "T20:00" not in result.stderr and "+01:00" not in result.stderr


def test_invalid_rrule(make_site):
    result = check(make_site, {"kalender/a.md": event("Trasig regel", start="2026-12-10 18:00",
                                                      rrule="FREQ=WEEKLY;BYDAY=XX")})
    assert "content/demo/kalender/a.md:5: error: invalid 'rrule': invalid 'BYDAY': XX" in result.stderr
    assert result.status == 1


def test_rrule_without_freq(make_site):
    result = check(make_site, {"kalender/a.md": event("Utan FREQ", start="2026-12-10 18:00", rrule="COUNT=3")})
    assert "content/demo/kalender/a.md:5: error: invalid 'rrule': FREQ is missing" in result.stderr


def test_unknown_time_zone(make_site):
    result = check(make_site, {"kalender/a.md": event("Okänd zon", start="2026-12-10 18:00",
                                                      timezone="Europe/Örebro")})
    assert "content/demo/kalender/a.md:5: error: unknown time zone 'Europe/Örebro'" in result.stderr
    assert result.status == 1


def test_all_problems_reported_in_one_run(make_site):
    result = check(make_site, {
        "kalender/a.md": event("A", start="2026-12-10 18:00", end="2026-12-09 18:00"),
        "kalender/b.md": event("B", start="2026-12-10 18:00", rrule="FREQ=SOMETIMES"),
    })
    assert "kalender/a.md:5: error:" in result.stderr and "kalender/b.md:5: error:" in result.stderr


def test_rrule_with_until_and_count(make_site):
    result = check(make_site, {"kalender/a.md": event("Båda", start="2026-12-01 18:00",
                                                      rrule="FREQ=WEEKLY;BYDAY=TU;UNTIL=20261215;COUNT=5")})
    assert ("content/demo/kalender/a.md:5: error: invalid 'rrule': UNTIL and COUNT cannot both be given "
            "(RFC 5545)") in result.stderr
    assert result.status == 1


def test_rrule_part_given_twice(make_site):
    result = check(make_site, {"kalender/a.md": event("Två gånger", start="2026-12-01 18:00",
                                                      rrule="FREQ=WEEKLY;COUNT=3;COUNT=5")})
    assert "content/demo/kalender/a.md:5: error: invalid 'rrule': COUNT is given twice" in result.stderr
    assert result.status == 1


def test_registration_url_that_is_not_a_web_address(make_site):
    result = check(make_site, {"kalender/a.md": event("Farlig", start="2026-12-10 18:00",
                                                      registration_url="javascript:alert(1)")})
    assert ("content/demo/kalender/a.md:5: error: 'registration_url' must be a full web address (https://…), "
            "an e-mail link (mailto:namn@orebro.se) or a phone link (tel:+4619211000), "
            "not 'javascript:alert(1)'") in result.stderr
    assert result.status == 1


def test_registration_by_email_is_a_mailto_link(make_site, tmp_path):
    site = build(make_site, tmp_path, {"kalender/a.md": event("Mejla", start="2026-12-10 18:00",
                                                              registration_url="mailto:anmalan@example.se")})
    assert 'href="mailto:anmalan@example.se"' in read(site, "kalender/a/")


def test_invalid_start_is_reported_once(make_site):
    result = check(make_site, {"kalender/a.md": event("Fel start", start="nej")})
    assert ("content/demo/kalender/a.md:4: error: 'start' must be a date (YYYY-MM-DD) or date and time, "
            "not 'nej'") in result.stderr
    assert "'start' is required" not in result.stderr
    assert result.status == 1


def test_the_month_list_leaves_out_months_without_events(make_site, tmp_path):
    site = build(make_site, tmp_path, EVENTS)
    months = re.search(r'<nav class="calendar-months".*?</nav>', (site / "kalender/index.html").read_text(encoding="utf-8"),
                       re.S).group(0)
    assert 'href="/demo/kalender/2027/01/"' in months and 'href="/demo/kalender/2027/03/"' in months
    assert "/demo/kalender/2027/02/" not in months   # nothing happens in February
    assert (site / "kalender/2027/02/index.html").is_file()   # its page is still there between the others


def test_a_category_that_is_also_a_tag_is_one_category_in_the_feed(make_site, tmp_path):
    files = {**EVENTS, "kalender/visning.md": event("Visning", start="2026-12-05 13:00", category="visning",
                                                    tags="[visning, arkiv]")}
    site = build(make_site, tmp_path, files)
    calendar = icalendar.Calendar.from_ical((site / "kalender/visning/visning.ics").read_bytes())
    item = next(c for c in calendar.walk("VEVENT"))
    raw = item.get("CATEGORIES")
    values = [str(v) for v in (raw.cats if hasattr(raw, "cats") else raw)]
    assert values == ["visning", "arkiv"]
