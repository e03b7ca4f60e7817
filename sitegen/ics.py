"""iCalendar (RFC 5545) files for the calendar and the meal feeds: the one module that imports icalendar.

Callers describe each VEVENT as an ``IcsItem``; this module adds what RFC 5545 and
calendar clients need: DTSTAMP in UTC, VTIMEZONE for every zone used and escaping.

The file is a function of the content and the build's ``--now`` alone: SEQUENCE is the
caller's, derived from the content (``sequence_of`` an event's ``updated:``), never read
back from an earlier build's file, so deleting the output folder changes nothing. A
subscriber's client takes a copy with a higher SEQUENCE, or with an equal one and a later
DTSTAMP (RFC 5546 §2.1.5), as the newer version of the item and updates it in place.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sitegen.localtime import STOCKHOLM

# icalendar is imported where it is used: a site without calendar or menus never loads it
# (a twentieth of a no-change rebuild's start-up).

REFRESH = "PT6H"
# SEQUENCE counts whole minutes from here to the item's last change: it grows with every
# later change and stays a 32-bit INTEGER (RFC 5545 §3.3.8) for thousands of years.
SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


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
    sequence: int = 0          # the item's revision, from the content (see ``sequence_of``)


@dataclass
class IcsCalendar:
    name: str                 # X-WR-CALNAME
    description: str          # X-WR-CALDESC
    prodid: str               # unique per product, e.g. "-//Örebro kommun//sitegen Kulturskolan//SV"
    now: dt.datetime          # DTSTAMP of every item (the build's --now)
    timezone: str = STOCKHOLM.key
    items: list[IcsItem] = field(default_factory=list)


def sequence_of(modified: dt.datetime | None) -> int:
    """The SEQUENCE of an item last changed at ``modified``: whole minutes since 2000-01-01 UTC,
    so a later ``updated:`` gives a higher number; 0 for an item never marked as changed."""
    if modified is None:
        return 0
    return max(0, int((modified - SEQUENCE_EPOCH).total_seconds() // 60))


def to_ical(calendar: IcsCalendar) -> bytes:
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
        cal.add_component(_vevent(item, stamp))
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


def _vevent(item: IcsItem, stamp: dt.datetime):
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
    event.add("SEQUENCE", item.sequence)
    return event


def _zone_range(items: list[IcsItem], now: dt.datetime) -> tuple[dt.date, dt.date]:
    """VTIMEZONE transitions from before the first item to years after the last (rules repeat)."""
    days = [i.start.date() if isinstance(i.start, dt.datetime) else i.start for i in items] or [now.date()]
    first = min(days) - dt.timedelta(days=1)
    last = max(max(days), now.date()) + dt.timedelta(days=5 * 366)
    return first, last
