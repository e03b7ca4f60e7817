"""iCalendar (RFC 5545) files for the calendar and the meal feeds: the one module that imports icalendar.

Callers describe each VEVENT as an ``IcsItem``; this module adds what RFC 5545 and
calendar clients need: DTSTAMP in UTC, VTIMEZONE for every zone used, escaping,
and a SEQUENCE carried over from the previously published file of the same name —
raised only when the item's dates, rule or text changed, so a rebuild of unchanged
content gives the same SEQUENCE and a subscriber's calendar updates in place.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.localtime import STOCKHOLM

# icalendar is imported where it is used: a site without calendar or menus never loads it
# (a twentieth of a no-change rebuild's start-up).

# The properties whose change makes a new revision of an item (RFC 5546 §2.1.4, plus text).
REVISION_PROPERTIES = ("DTSTART", "DTEND", "RRULE", "EXDATE", "SUMMARY", "DESCRIPTION", "LOCATION")
REFRESH = "PT6H"


@dataclass
class IcsItem:
    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None = None   # DTEND: exclusive, the day after for dates
    description: str = ""
    location: str = ""
    url: str = ""
    categories: list[str] = field(default_factory=list)
    rrule: str = ""
    exdates: list = field(default_factory=list)   # cancelled starts, of the same kind as start
    last_modified: dt.datetime | None = None
    transparent: bool = False


@dataclass
class IcsCalendar:
    name: str                 # X-WR-CALNAME
    description: str          # X-WR-CALDESC
    prodid: str               # unique per product, e.g. "-//Örebro kommun//sitegen Kulturskolan//SV"
    now: dt.datetime          # DTSTAMP of every item (the build's --now)
    timezone: str = STOCKHOLM.key
    items: list[IcsItem] = field(default_factory=list)


def previous_sequences(path: Path) -> dict[str, tuple[int, bytes]]:
    """UID -> (SEQUENCE, revision fingerprint) of an earlier build's file, if there is one."""
    try:
        import icalendar
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
    except (OSError, ValueError):
        return {}
    known = {}
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("UID", ""))
        if uid:
            known[uid] = (int(event.get("SEQUENCE", 0)), _fingerprint(event))
    return known


def to_ical(calendar: IcsCalendar, previous: dict[str, tuple[int, bytes]] | None = None) -> bytes:
    import icalendar
    cal = icalendar.Calendar()
    cal.add("VERSION", "2.0")
    cal.add("PRODID", calendar.prodid)
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", one_line(calendar.name))
    cal.add("X-WR-CALDESC", one_line(calendar.description))
    cal.add("X-WR-TIMEZONE", calendar.timezone)
    cal.add("REFRESH-INTERVAL", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", REFRESH)
    stamp = calendar.now.astimezone(dt.timezone.utc)
    for item in calendar.items:
        cal.add_component(_vevent(item, stamp, previous or {}))
    first, last = _zone_range(calendar.items, calendar.now)
    cal.add_missing_timezones(first_date=first, last_date=last)
    # The library adds zones in set order, which varies between runs: sort them so the
    # same calendar gives the same bytes (subscribers and caches see no false change).
    zones = sorted((c for c in cal.subcomponents if c.name == "VTIMEZONE"), key=lambda c: str(c.get("TZID")))
    cal.subcomponents = zones + [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
    return cal.to_ical()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")   # all but tab and line feed
_LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def one_line(text: str) -> str:
    """A value for a one-line property: a line break or control character in an editor's or a
    feed's text (a title, a tag) becomes a space, so it can start no property of its own."""
    return _LINE_BREAKS.sub(" ", str(text))


def text(value: str) -> str:
    """A TEXT value: its line feeds are escaped by the library (a menu's courses, one per line);
    any other control character (a lone carriage return) becomes a space."""
    return _CONTROL.sub(" ", str(value).replace("\r\n", "\n"))


def _vevent(item: IcsItem, stamp: dt.datetime, previous: dict):
    import icalendar
    event = icalendar.Event()
    event.add("UID", item.uid)
    event.add("DTSTAMP", stamp)
    event.add("DTSTART", item.start)
    if item.end is not None:
        event.add("DTEND", item.end)
    if item.rrule:
        event.add("RRULE", icalendar.vRecur.from_ical(item.rrule))
    if item.exdates:
        event.add("EXDATE", item.exdates)
    event.add("SUMMARY", text(item.summary))
    if item.description:
        event.add("DESCRIPTION", text(item.description))
    if item.location:
        event.add("LOCATION", text(item.location))
    if item.url:
        event.add("URL", one_line(item.url))
    if item.categories:
        event.add("CATEGORIES", [one_line(c) for c in item.categories])
    if item.last_modified:
        event.add("LAST-MODIFIED", item.last_modified.astimezone(dt.timezone.utc))
    if item.transparent:
        event.add("TRANSP", "TRANSPARENT")
    event.add("SEQUENCE", _sequence(item.uid, _fingerprint(event), previous))
    return event


def _fingerprint(event) -> bytes:
    values = []
    for name in REVISION_PROPERTIES:
        value = event.get(name)
        values.append(value.to_ical() if value is not None else b"")
        if value is not None and hasattr(value, "params") and "TZID" in value.params:
            values.append(str(value.params["TZID"]).encode())
    return b"\x1f".join(values)


def _sequence(uid: str, fingerprint: bytes, previous: dict) -> int:
    if uid not in previous:
        return 0
    sequence, earlier = previous[uid]
    return sequence if earlier == fingerprint else sequence + 1


def _zone_range(items: list[IcsItem], now: dt.datetime) -> tuple[dt.date, dt.date]:
    """VTIMEZONE transitions from before the first item to years after the last (rules repeat)."""
    days = [i.start.date() if isinstance(i.start, dt.datetime) else i.start for i in items] or [now.date()]
    first = min(days) - dt.timedelta(days=1)
    last = max(max(days), now.date()) + dt.timedelta(days=5 * 366)
    return first, last
