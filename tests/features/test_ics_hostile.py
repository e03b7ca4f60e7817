"""Line breaks and control characters in an event's texts (an editor's title, a tag, a feed's
text) never start an iCalendar line of their own, and never stop the build."""
from __future__ import annotations

import icalendar

from testkit import build_files, page

SITE = "title: Demo\nbase_url: https://www.example.se/demo/\n"


def test_line_breaks_in_title_tags_and_category_stay_inside_their_property(tmp_path):
    event = page("T", type="event", start="2026-12-10 18:00", location='"Aula\\rEND:VEVENT"',
                 category='"k\\nX"', tags='["a\\nb", "zz\\rEND:VCALENDAR"]')
    event = event.replace("title: T", 'title: "T\\r\\nBEGIN:VEVENT"')
    site = build_files(tmp_path, {"site.yaml": SITE, "kalender/t.md": event})
    for ics in (site / "kalender").rglob("*.ics"):
        text = ics.read_bytes().decode()
        lines = text.split("\r\n")
        assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1, ics
        assert lines.count("END:VCALENDAR") == 1 and "\r" not in text.replace("\r\n", ""), ics
        events = [c for c in icalendar.Calendar.from_ical(text).walk("VEVENT")]
        assert str(events[0]["SUMMARY"]) == "T\nBEGIN:VEVENT"   # one escaped line feed, inside SUMMARY
