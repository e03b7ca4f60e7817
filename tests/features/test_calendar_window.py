"""Calendar edge cases: long-running and sparse recurring events (the expansion window),
feeds for categories and tags that share a file name, and events in another time zone."""
from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from sitegen.features.calendar import lookback_start
from testkit import NOW, page, run_sitegen

STOCKHOLM = ZoneInfo("Europe/Stockholm")
LONDON = ZoneInfo("Europe/London")
SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\norganization: Demo kommun\n"
# NOW is Monday 23 November 2026, 12:00.
WEEKDAYS = dict(type="event", start="2019-01-07 15:00", end="2019-01-07 17:00",
                rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")


def build(make_site, tmp_path: Path, files: dict):
    content = make_site(files, site_yaml=SITE_YAML)
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 0, result.stderr
    return tmp_path / "out" / "demo", result


def read(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def main_of(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def months(site: Path) -> list[str]:
    return sorted(p.parent.relative_to(site / "kalender").as_posix() for p in (site / "kalender").glob("20*/*/index.html"))


def listed(html: str, title: str) -> list[str]:
    """The start times of ``title`` on a month page."""
    return re.findall(rf'>{re.escape(title)}</a></strong><br><time datetime="([^"]+)"', html)


def vevents(path: Path) -> list:
    return icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")


# --- 1. the expansion window ---------------------------------------------------

def test_a_series_running_since_2019_is_upcoming_not_past(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/kor.md": page("Kör", **WEEKDAYS)})
    event = read(site, "kalender/kor")
    assert "Evenemanget har redan varit" not in event
    assert 'datetime="2026-11-23T15:00:00+01:00">måndag 23 november 2026 kl. 15:00' in event
    assert "Kör" in main_of(read(site, "kalender")).split('id="upcoming"', 1)[1]
    assert "Kör" in main_of(read(site, "")).split('id="upcoming-events"', 1)[1]
    assert "Kör" not in main_of(read(site, "kalender/arkiv"))
    assert len(listed(read(site, "kalender/2026/12"), "Kör")) == 23   # every weekday of December
    assert str(vevents(site / "kalender/kalender.ics")[0]["RRULE"].to_ical(), "ascii") == \
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def test_month_pages_of_a_long_series_go_back_a_year_not_to_its_start(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/varje-dag.md": page("Varje dag", type="event",
                                                                          start="2019-01-07 09:00", rrule="FREQ=DAILY")})
    shown = months(site)
    assert shown[0] == "2025/11" and "2024/12" not in shown   # the first of the month a year before now
    assert len(listed(read(site, "kalender/2025/11"), "Varje dag")) == 30
    assert len(listed(read(site, "kalender/2026/12"), "Varje dag")) == 31
    assert lookback_start(dt.datetime(2026, 1, 15, tzinfo=STOCKHOLM)) == dt.datetime(2025, 1, 1, tzinfo=STOCKHOLM)


def test_a_rule_whose_next_date_is_after_the_horizon_is_not_past(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/fest.md": page("Fest", type="event", start="2026-06-06 12:00",
                                                                     rrule="FREQ=YEARLY;INTERVAL=2")})
    event = read(site, "kalender/fest")
    assert "Evenemanget har redan varit" not in event and "lördag 6 juni 2026" not in event
    assert 'datetime="2028-06-06T12:00:00+02:00"' in event
    assert "Fest" not in main_of(read(site, "kalender/arkiv"))
    assert "Fest" in main_of(read(site, "kalender")).split('id="upcoming"', 1)[1]
    assert listed(read(site, "kalender/2026/06"), "Fest") and listed(read(site, "kalender/2028/06"), "Fest")


def test_a_finished_series_keeps_its_last_date_in_the_archive(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/gammal.md": page("Gammal", **{**WEEKDAYS,
                                                                                "rrule": "FREQ=WEEKLY;UNTIL=20200131"})})
    assert "Evenemanget har redan varit" in read(site, "kalender/gammal")
    assert "Gammal" in main_of(read(site, "kalender/arkiv"))
    assert listed(read(site, "kalender/2020/01"), "Gammal") == ["2020-01-27T15:00:00+01:00"]
    assert not [m for m in months(site) if m.startswith("2019")]


def test_exdate_in_a_long_series_is_left_out_and_listed_as_cancelled(make_site, tmp_path):
    site, result = build(make_site, tmp_path, {"kalender/kor.md": page("Kör", **WEEKDAYS, exdate="[2026-12-01]")})
    assert "warning: 'exdate'" not in result.stderr
    assert "2026-12-01T15:00" not in read(site, "kalender/2026/12")
    event = read(site, "kalender/kor")
    assert 'datetime="2026-12-01T15:00:00+01:00"' in event.split('id="event-cancelled"', 1)[1]


def test_a_rule_too_frequent_to_expand_is_a_warning_not_a_stall(make_site, tmp_path):
    started = time.monotonic()
    site, result = build(make_site, tmp_path, {"kalender/tat.md": page("Tät", type="event", start="2019-01-07 15:00",
                                                                        rrule="FREQ=MINUTELY")})
    assert time.monotonic() - started < 30
    assert "content/demo/kalender/tat.md:5: warning: 'rrule' repeats too often" in result.stderr
    assert "Traceback" not in result.stderr


# --- 2. categories and tags that share a file name -------------------------------

def test_categories_and_tags_differing_in_case_or_accents_share_one_feed(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {
        "kalender/a.md": page("A", type="event", start="2026-12-01 18:00", category="Konsert", tags="[kör]"),
        "kalender/b.md": page("B", type="event", start="2026-12-02 18:00", category="konsert", tags="[kor]"),
        "kalender/c.md": page("C", type="event", start="2026-12-03 18:00", category="konsert", tags="[kör, Kör]"),
    })
    konsert = site / "kalender/kategori/konsert.ics"
    assert sorted(str(e["SUMMARY"]) for e in vevents(konsert)) == ["A", "B", "C"]
    assert "Kategori: konsert" in icalendar.Calendar.from_ical(konsert.read_bytes())["X-WR-CALNAME"]
    kor = vevents(site / "kalender/tagg/kor.ics")
    assert sorted(str(e["SUMMARY"]) for e in kor) == ["A", "B", "C"]
    assert [f.name for f in (site / "kalender/kategori").iterdir() if f.suffix != ".gz"] == ["konsert.ics"]
    assert main_of(read(site, "kalender")).count('href="/demo/kalender/tagg/kor.ics"') == 1


# --- 3. an event in another time zone ----------------------------------------------

LONDON_EVENT = page("London", type="event", start="2026-12-02 19:00", end="2026-12-02 21:00",
                    timezone="Europe/London")


def test_pages_show_swedish_time_and_the_event_page_the_local_time(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/london.md": LONDON_EVENT})
    event = read(site, "kalender/london")
    assert "onsdag 2 december 2026 kl. 20:00</time>–<time datetime=\"2026-12-02T22:00:00+01:00\">22:00" in event
    assert "Lokal tid i London: kl. 19:00–21:00" in event
    assert listed(read(site, "kalender/2026/12"), "London") == ["2026-12-02T20:00:00+01:00"]
    assert "2 december 2026 kl. 20:00" in main_of(read(site, "")).split('id="upcoming-events"', 1)[1]
    data = json.loads(event.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0])
    assert data["startDate"] == "2026-12-02T19:00:00+00:00" and data["endDate"] == "2026-12-02T21:00:00+00:00"
    vevent = vevents(site / "kalender/kalender.ics")[0]
    assert vevent["DTSTART"].dt == dt.datetime(2026, 12, 2, 19, tzinfo=LONDON)
    feed = json.loads((site / "kalender/kalender.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["_event"]["occurrences"] == ["2026-12-02T19:00:00+00:00"]


def test_an_evening_in_new_york_is_on_the_next_swedish_day(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/ny.md": page("New York", type="event", start="2026-11-30 20:00",
                                                                   timezone="America/New_York")})
    assert not listed(read(site, "kalender/2026/11"), "New York")
    assert listed(read(site, "kalender/2026/12"), "New York") == ["2026-12-01T02:00:00+01:00"]
    assert "Lokal tid i New York: måndag 30 november kl. 20:00" in read(site, "kalender/ny")


def test_stockholm_events_get_no_local_time_note(make_site, tmp_path):
    site, _ = build(make_site, tmp_path, {"kalender/a.md": page("A", type="event", start="2026-12-02 19:00"),
                                          "kalender/b.md": page("B", type="event", start="2026-12-02 19:00",
                                                                timezone="Europe/Berlin")})
    assert "Lokal tid" not in read(site, "kalender/a") and "Lokal tid" not in read(site, "kalender/b")


def test_an_english_month_keeps_its_capital_in_the_ingress(make_site, tmp_path):
    from testkit import NOW, page, run_sitegen
    content = make_site({"index.md": page("Start"),
                         "kalender/a.md": page("Concert", type="event", start="2026-12-10 18:00", end="2026-12-10 19:00")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\nlanguage: en\n")
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (out / "demo/kalender/2026/12/index.html").read_text(encoding="utf-8")
    assert "December 2026" in html.split('<p class="ingress">', 1)[1].split("</p>", 1)[0]
