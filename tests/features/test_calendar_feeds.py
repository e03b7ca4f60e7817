"""SEQUENCE in the calendar's .ics files: from the events' ``updated:``, never from earlier output."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import icalendar

from sitegen import ics
from testkit import NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\n"
CONCERT = {"start": "2026-12-10 18:00", "end": "2026-12-10 19:30", "location": "Konserthuset",
           "category": "konsert", "updated": "2026-11-01"}
CHOIR = {"start": "2026-12-08 18:00", "location": "Sal 3", "category": "konsert"}
FEEDS = ("kalender/kalender.ics", "kalender/kategori/konsert.ics", "kalender/julkonsert/julkonsert.ics")


def build_fresh(make_site, tmp_path: Path, concert: dict) -> Path:
    """Build with nothing left from an earlier build: no output folder and no build cache."""
    shutil.rmtree(tmp_path / "out", ignore_errors=True)
    shutil.rmtree(tmp_path / ".sitegen-cache", ignore_errors=True)
    make_site({"kalender/index.md": page("Evenemang"),
               "kalender/julkonsert.md": page("Julkonsert", type="event", **concert),
               "kalender/korovning.md": page("Körövning", type="event", **CHOIR)}, site_yaml=SITE_YAML)
    result = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    assert result.status == 0, result.stderr
    return tmp_path / "out" / "demo"


def sequences(site: Path, feed: str) -> dict[str, int]:
    calendar = icalendar.Calendar.from_ical((site / feed).read_bytes())
    return {str(event["SUMMARY"]): int(event["SEQUENCE"]) for event in calendar.walk("VEVENT")}


def test_a_changed_event_gets_a_higher_sequence_and_an_unchanged_one_keeps_its_own(make_site, tmp_path):
    before = {feed: sequences(build_fresh(make_site, tmp_path, CONCERT), feed) for feed in FEEDS}
    moved = {**CONCERT, "start": "2026-12-11 18:00", "end": "2026-12-11 19:30", "updated": "2026-11-20 09:30"}
    after = {feed: sequences(build_fresh(make_site, tmp_path, moved), feed) for feed in FEEDS}
    for feed in FEEDS:
        assert after[feed]["Julkonsert"] > before[feed]["Julkonsert"] > 0
    assert before["kalender/kalender.ics"]["Körövning"] == after["kalender/kalender.ics"]["Körövning"] == 0
    assert after["kalender/kalender.ics"]["Julkonsert"] == after["kalender/julkonsert/julkonsert.ics"]["Julkonsert"]


def test_the_same_content_gives_the_same_files_after_the_output_was_deleted(make_site, tmp_path):
    first = {feed: (build_fresh(make_site, tmp_path, CONCERT) / feed).read_bytes() for feed in FEEDS}
    again = {feed: (build_fresh(make_site, tmp_path, CONCERT) / feed).read_bytes() for feed in FEEDS}
    assert first == again


def test_a_rebuild_into_the_same_output_does_not_count_up(make_site, tmp_path):
    site = build_fresh(make_site, tmp_path, CONCERT)
    before = sequences(site, FEEDS[0])
    result = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", "--no-cache", cwd=tmp_path)
    assert result.status == 0, result.stderr
    assert sequences(site, FEEDS[0]) == before


def test_sequence_grows_with_the_time_of_the_change_and_is_0_without_one():
    stockholm = dt.timezone(dt.timedelta(hours=1))
    morning = dt.datetime(2026, 11, 20, 9, 30, tzinfo=stockholm)
    assert ics.sequence_of(None) == 0
    assert 0 < ics.sequence_of(morning) < ics.sequence_of(morning + dt.timedelta(minutes=1)) < 2**31
    assert ics.sequence_of(dt.datetime(1999, 12, 31, tzinfo=dt.timezone.utc)) == 0   # never negative


def test_an_updated_date_after_the_build_is_a_warning_at_its_line(make_site, tmp_path):
    make_site({"kalender/index.md": page("Evenemang"),
               "kalender/julkonsert.md": page("Julkonsert", type="event", **{**CONCERT, "updated": "2062-11-01"})},
              site_yaml=SITE_YAML)
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path,
                         env={"SITEGEN_LANG": "en"})
    assert "kalender/julkonsert.md:" in result.stderr
    line = next(l for l in result.stderr.splitlines() if "'updated' 2062-11-01 is later than the time of the build" in l)
    assert line.split("julkonsert.md:")[1].split(":")[0] == str(
        (tmp_path / "content/demo/kalender/julkonsert.md").read_text(encoding="utf-8").splitlines().index(
            "updated: 2062-11-01") + 1)


def test_an_updated_date_before_the_build_is_no_warning(make_site, tmp_path):
    build_fresh(make_site, tmp_path, CONCERT)
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert "updated" not in result.stderr
