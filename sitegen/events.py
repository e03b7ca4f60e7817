"""Events read from ``type: event`` pages, checked, and expanded into occurrences.

Times are kept as aware date-times in the event's own zone (a ``ZoneInfo``), so a
weekly 18:00 stays 18:00 on both sides of a daylight-saving change: dateutil's rrule
keeps the wall clock and zoneinfo gives each date its own offset. All-day events use
plain dates; their ``end`` is the last day (inclusive), as editors write it.

Occurrences are what the pages show, so their times are Swedish time (``SHOWN_ZONE``): an
event with ``timezone: Europe/London`` at 19:00 is listed at 20:00, on the Swedish day it
happens, sorted among the others. The event itself (``start``, ``end``, ``exdates``) keeps its
own zone for iCalendar, JSON Feed and JSON-LD (``Occurrence.own_start``).

A rule is expanded in a window around now (``expand``), not from DTSTART: a weekly event
since 2019 has as many occurrences to show as one that began last month.
"""
from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

from sitegen.model import Page
from sitegen.problems import Problems
from sitegen.localtime import STOCKHOLM
from sitegen.messages import _

MAX_OCCURRENCES = 2000   # kept per event on each side of now (an hourly rule fills no build)
MAX_STEPS = 100_000      # rule moments looked at per event: a rule every minute since 2019 must not stall the build
SHOWN_ZONE = STOCKHOLM   # the pages show Swedish time


@dataclass(eq=False)
class Event:
    page: Page
    start: dt.datetime | dt.date      # aware in ``tz``, or a date when all day
    end: dt.datetime | dt.date | None
    all_day: bool
    tz: ZoneInfo
    rrule: str = ""                   # RFC 5545 RRULE value without "RRULE:"
    exdates: list = field(default_factory=list)   # starts of cancelled occurrences (RFC 5545 EXDATE)
    location: str = ""
    category: str = ""
    registration_url: str = ""
    occurrences: list["Occurrence"] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.page.title

    @property
    def duration(self) -> dt.timedelta | None:
        return self.end - self.start if self.end is not None else None

    def upcoming(self, now: dt.datetime) -> list["Occurrence"]:
        return [o for o in self.occurrences if not o.is_past(now)]

    def cancelled(self, now: dt.datetime) -> list["Occurrence"]:
        """The cancelled occurrences that have not ended yet, soonest first."""
        gone = [self.occurrence(s) for s in self.exdates]
        return sorted((o for o in gone if not o.is_past(now)), key=Occurrence.sort_key)

    def is_past(self, now: dt.datetime) -> bool:
        """True when every occurrence has ended; ``expand`` keeps the next one of a rule that
        goes on after the horizon, so such an event is never past."""
        return all(o.is_past(now) for o in self.occurrences)

    def occurrence(self, start) -> "Occurrence":
        """The occurrence starting at ``start`` (in the event's zone), its times in Swedish time."""
        end = start + self.duration if self.end is not None else None   # wall clock in the event's zone
        if self.all_day:
            return Occurrence(self, start, end)
        return Occurrence(self, start.astimezone(SHOWN_ZONE), end.astimezone(SHOWN_ZONE) if end else None)


@dataclass(frozen=True, eq=False)
class Occurrence:
    event: Event
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    @property
    def first_day(self) -> dt.date:
        return self.start if self.all_day else self.start.date()

    @property
    def last_day(self) -> dt.date:
        if self.end is None:
            return self.first_day
        return self.end if self.all_day else self.end.date()

    @property
    def same_day(self) -> bool:
        return self.first_day == self.last_day

    def ends_at(self) -> dt.datetime:
        """The moment after which the occurrence is over."""
        if self.all_day:
            return dt.datetime.combine(self.last_day + dt.timedelta(days=1), dt.time(), tzinfo=self.event.tz)
        return self.end or self.start

    def is_past(self, now: dt.datetime) -> bool:
        return self.ends_at() <= now

    @property
    def own_start(self):
        """The start in the event's own zone (a date when all day), for feeds and JSON-LD."""
        return self.start if self.all_day else self.start.astimezone(self.event.tz)

    @property
    def own_end(self):
        return self.end if self.all_day or self.end is None else self.end.astimezone(self.event.tz)

    def sort_key(self):
        start = (dt.datetime.combine(self.start, dt.time(), tzinfo=self.event.tz)
                 if self.all_day else self.start)
        return (start, self.event.page.url)

    def in_month(self, year: int, month: int) -> bool:
        first = dt.date(year, month, 1)
        after = dt.date(year + month // 12, month % 12 + 1, 1)
        return self.first_day < after and self.last_day >= first


def read_events(pages: list[Page], now: dt.datetime, window_start: dt.datetime, horizon_end: dt.datetime,
                problems: Problems) -> list[Event]:
    """Every good event among ``pages``, its occurrences expanded in the window (see ``expand``)."""
    events = []
    for page in pages:
        if page.kind != "event" or "start" not in page.meta:
            continue  # a missing start is reported where the page is made
        event = make_event(page, problems)
        if event is None:
            continue
        event.occurrences, complete = expand(event, now, window_start, horizon_end)
        if not complete:
            problems.warning(page.source, page.line_of("rrule"),
                             _("'rrule' repeats too often: only its first {MAX_STEPS} occurrences are "
                               "looked at, so later ones are missing from the calendar").format(
                                 MAX_STEPS=MAX_STEPS))
        if event.occurrences:
            events.append(event)
        else:
            problems.warning(page.source, page.line_of("exdate"), _("'exdate' cancels every occurrence: the event is left out of the calendar"))
    return sorted(events, key=lambda e: (e.occurrences[0].sort_key() if e.occurrences else (horizon_end, ""),
                                         e.page.url))


def make_event(page: Page, problems: Problems) -> Event | None:
    meta = page.meta
    tz = _zone(page, problems)
    if tz is None:
        return None
    all_day = bool(meta.get("all_day")) or not isinstance(meta["start"], dt.datetime)
    start = _in_zone(meta["start"], tz, all_day)
    end = _end(page, start, tz, all_day, problems)
    if end is False:
        return None
    rule = ""
    if meta.get("rrule"):
        rule = check_rrule(meta["rrule"], start, all_day, tz)
        if rule.startswith("!"):
            problems.error(page.source, page.line_of("rrule"), rule[1:])
            return None
    exdates = _exdates(page, start, rule, all_day, tz, problems)
    if exdates is None:
        return None
    return Event(page=page, start=start, end=end, all_day=all_day, tz=tz, rrule=rule, exdates=exdates,
                 location=meta.get("location", ""), category=meta.get("category", ""),
                 registration_url=meta.get("registration_url", ""))


def _exdates(page: Page, start, rule: str, all_day: bool, tz: ZoneInfo, problems: Problems) -> list | None:
    """The starts of the occurrences ``exdate`` cancels; None after an error.

    Editors write a date to cancel what happens that day, or a date and time to cancel one
    occurrence of several that day. A value that cancels nothing is a warning at its line.
    """
    raw = page.meta.get("exdate")
    if not raw:
        return []
    if not rule:
        problems.error(page.source, page.line_of("exdate"),
                       _("'exdate' cancels occurrences of a recurring event: it needs an 'rrule'"))
        return None
    dtstart = _rule_start(start, all_day)
    recurrence = rrulestr(rule, dtstart=dtstart)
    starts = []
    for index, value in enumerate(raw):
        found = _starts_on(value, recurrence, start, all_day, tz)
        if not found:
            line = page.line_of_item("exdate", index) if isinstance(page.meta["exdate"], list) else page.line_of("exdate")
            problems.warning(page.source, line, _("'exdate' {value} cancels nothing: the event does not occur then (see "
                                                  "'rrule')").format(
                                                    value=value.isoformat()))
        starts.extend(s for s in found if s not in starts)
    return sorted(starts, key=lambda s: _rule_start(s, all_day))


def _starts_on(value, recurrence, start, all_day: bool, tz: ZoneInfo) -> list:
    """The occurrence starts ``value`` names: every start that day for a date, the one start
    at that moment for a date and time (DTSTART counts, whether or not the rule gives it)."""
    if isinstance(value, dt.datetime) and not all_day:
        moment = _in_zone(value, tz, False)
        return [moment] if moment == start or recurrence.between(moment, moment, inc=True) else []
    day = value.date() if isinstance(value, dt.datetime) else value
    first = dt.datetime.combine(day, dt.time(), tzinfo=None if all_day else tz)
    moments = recurrence.between(first, first + dt.timedelta(days=1), inc=False) + \
        ([first] if recurrence.between(first, first, inc=True) else [])
    found = sorted({m.date() if all_day else m for m in moments})
    first_day = start if all_day else start.date()
    if first_day == day and start not in found:
        found.insert(0, start)
    return found


def _zone(page: Page, problems: Problems) -> ZoneInfo | None:
    name = page.meta.get("timezone")
    if not name:
        return STOCKHOLM
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        problems.error(page.source, page.line_of("timezone"),
                       _("unknown time zone '{name}': use a name such as Europe/Stockholm or "
                         "Europe/London").format(name=name))
        return None


def _in_zone(value, tz: ZoneInfo, all_day: bool):
    """A front matter date-time in the event's zone; a date for all-day events.

    The schema made times without offset Stockholm time; an event with its own
    ``timezone`` reads those wall-clock times in that zone instead.
    """
    if not isinstance(value, dt.datetime):
        return value
    if value.tzinfo is STOCKHOLM:
        value = value.replace(tzinfo=tz)
    value = value.astimezone(tz)
    return value.date() if all_day else value


def _end(page: Page, start, tz: ZoneInfo, all_day: bool, problems: Problems):
    """The checked end, None when not given, False after an error."""
    raw = page.meta.get("end")
    if raw is None:
        return None
    line = page.line_of("end")
    if not all_day and not isinstance(raw, dt.datetime):
        problems.error(page.source, line, _("'end' needs a time like 'start' (e.g. 2026-12-10 20:00), or set "
                                            "'all_day: true'"))
        return False
    end = _in_zone(raw, tz, all_day)
    if end < start:
        problems.error(page.source, line, _("'end' ({end}) is before 'start' ({start})").format(
                                              end=as_written(end), start=as_written(start)))
        return False
    return end


def as_written(value) -> str:
    """A date or time as an editor writes it in the page's settings: 2026-12-09 20:00 (in the
    event's own time zone, which is how both were given)."""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def check_rrule(text: str, start, all_day: bool, tz: ZoneInfo) -> str:
    """The rule as an RFC 5545 RRULE value, or "!message" when it is not valid.

    An UNTIL given as a plain date (as editors write it) is made what RFC 5545
    requires: a date for all-day events, else the end of that day in UTC.
    """
    value = text.strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    parts = []
    for part in value.split(";"):
        key, sep, val = part.partition("=")
        if not sep or not key.strip() or not val.strip():
            return "!" + _("invalid 'rrule': '{part}' is not NAME=VALUE (e.g. FREQ=WEEKLY;COUNT=10)").format(part=part)
        key, val = key.strip().upper(), val.strip().upper()
        if key == "UNTIL":
            val = _until(val, all_day, tz)
            if val is None:
                return "!" + _("invalid 'rrule': UNTIL must be a date such as 20261231")
        parts.append(f"{key}={val}")
    rule = ";".join(parts)
    names = [p.split("=", 1)[0] for p in parts]
    if "FREQ" not in names:
        return "!" + _("invalid 'rrule': FREQ is missing (e.g. FREQ=WEEKLY)")
    twice = next((n for n in names if names.count(n) > 1), None)
    if twice:
        return "!" + _("invalid 'rrule': {name} is given twice").format(name=twice)
    if "UNTIL" in names and "COUNT" in names:
        return "!" + _("invalid 'rrule': UNTIL and COUNT cannot both be given (RFC 5545): "
                       "end the series with one of them")
    try:
        rrulestr(rule, dtstart=_rule_start(start, all_day))
    except (ValueError, TypeError) as exc:
        return "!" + _("invalid 'rrule': {reason}").format(reason=exc)
    return rule


def _until(value: str, all_day: bool, tz: ZoneInfo) -> str | None:
    try:
        if "T" not in value:
            day = dt.datetime.strptime(value, "%Y%m%d").date()
            if all_day:
                return value
            last = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=tz).astimezone(dt.timezone.utc)
            return last.strftime("%Y%m%dT%H%M%SZ")
        moment = dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    except ValueError:
        return None
    if all_day:
        return moment.strftime("%Y%m%d")
    if not value.endswith("Z"):
        moment = moment.replace(tzinfo=tz).astimezone(dt.timezone.utc)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _rule_start(start, all_day: bool) -> dt.datetime:
    return dt.datetime.combine(start, dt.time()) if all_day else start


def expand(event: Event, now: dt.datetime, window_start: dt.datetime,
           horizon_end: dt.datetime) -> tuple[list[Occurrence], bool]:
    """The occurrences to show, and False when the rule gave more than MAX_STEPS moments first.

    - those that start in [``window_start``, ``horizon_end``): at most MAX_OCCURRENCES before
      ``now`` (the latest) and MAX_OCCURRENCES from ``now`` on (the soonest);
    - when none of them is still to come, the next one after the horizon: a rule that goes on
      (``FREQ=YEARLY;INTERVAL=2``) keeps its event out of the archive;
    - when none starts in the window, the last one before it: a finished series keeps its
      place in the archive and on the month page of its last date.

    DTSTART always counts (RFC 5545); cancelled starts (``exdates``) are left out. The rule is
    walked once from DTSTART (dateutil cannot jump ahead), at most MAX_STEPS moments.
    """
    if not event.rrule:
        return [event.occurrence(event.start)], True
    first, split, limit = (_rule_moment(m, event) for m in (window_start, now, horizon_end))
    cancelled = set(event.exdates)
    before, later, complete = None, None, False
    past: deque = deque(maxlen=MAX_OCCURRENCES)
    coming = []
    for steps, moment in enumerate(_moments(event), 1):
        if steps > MAX_STEPS:
            break
        start = moment.date() if event.all_day else moment
        if start in cancelled:
            continue
        if moment < first:
            before = start
        elif moment < split:
            past.append(start)
        elif moment < limit and len(coming) < MAX_OCCURRENCES:
            coming.append(start)
        else:
            later, complete = start, True
            break
    else:
        complete = True
    occurrences = [event.occurrence(s) for s in [*past, *coming]]
    if later is not None and all(o.is_past(now) for o in occurrences) and len(coming) < MAX_OCCURRENCES:
        occurrences.append(event.occurrence(later))
    if not occurrences and before is not None:
        occurrences.append(event.occurrence(before))
    return occurrences, complete


def _rule_moment(moment: dt.datetime, event: Event) -> dt.datetime:
    """``moment`` as the rule's moments are: in the event's zone, naive for all-day events."""
    moment = moment.astimezone(event.tz)
    return moment.replace(tzinfo=None) if event.all_day else moment


def _moments(event: Event):
    """The rule's starts, DTSTART first even when the rule does not give it (RFC 5545)."""
    dtstart = _rule_start(event.start, event.all_day)
    moments = iter(rrulestr(event.rrule, dtstart=dtstart))
    first = next(moments, None)
    if first != dtstart:
        yield dtstart
    if first is not None:
        yield first
    yield from moments
