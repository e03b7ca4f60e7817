"""The calendar: upcoming events, month pages, an archive, event pages, subscriptions.

Choices (SPEC leaves them open):
- The calendar lives at ``calendar.folder`` in site.yaml, else at the folder that holds
  most events, else ``kalender/``. A site without events and without that folder has none.
- Recurring events are expanded up to ``calendar.horizon_days`` (default 365) after today,
  and back to the first of the month a year ago (``LOOKBACK_MONTHS``): a series that has run
  since 2019 gets month pages for the last twelve months, not for every month since 2019 (a
  finished series keeps its last date). A rule whose next date is after the horizon shows that
  date, so it is never taken for past. Month pages list every occurrence; the upcoming list and the start page block show each
  event once, at its next occurrence (a weekly event would otherwise fill the block).
- Month pages exist for every month from the current one to the last month with an
  event, plus earlier months that had events. ``kalender/2026/12/`` is December 2026.
- An event moves to the archive (``kalender/arkiv/``) when its last occurrence has ended.
- Pages show times in Swedish time; an event in another ``timezone`` also gets its local time
  on its own page ("Lokal tid i London: kl. 19:00–21:00"). Feeds and JSON-LD keep its zone.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass

from sitegen import calendar_feeds
from sitegen.events import Event, Occurrence, read_events
from sitegen.localised import format_date, format_time, get_timezone_location
from sitegen.model import Alternate, Page, Site, day_start, first_after, next_day_turn

PHASE = "pages"
PROVIDES = ("pages", "links", "feeds")
DEFAULT_FOLDER = "kalender/"
DEFAULT_HORIZON_DAYS = 365
LOOKBACK_MONTHS = 12
DEFAULT_BLOCK_SIZE = 3
EVENT_DATES_SHOWN = 20


@dataclass
class Settings:
    folder: str
    horizon_days: int
    block_size: int


@dataclass
class MonthLink:
    year: int
    month: int
    title: str      # "December 2026" (a heading)
    href: str
    count: int
    in_text: str = ""   # as in a sentence: "december 2026" in Swedish, "December 2026" in English


# What the calendar gives the templates, as ``calendar``:
@dataclass(frozen=True)
class CalendarIndex:
    """The calendar's own page."""

    upcoming: tuple            # Occurrence: each event once, at its next date
    months: tuple              # MonthLink from this month on
    archive_href: str
    feeds: calendar_feeds.Feeds


@dataclass(frozen=True)
class CalendarMonth:
    occurrences: tuple         # every occurrence in the month
    month: MonthLink
    previous_month: MonthLink | None
    next_month: MonthLink | None
    href: str                  # the calendar


@dataclass(frozen=True)
class CalendarArchive:
    occurrences: tuple         # each past event's last occurrence
    past_months: tuple         # MonthLink, newest first
    href: str


@dataclass(frozen=True)
class EventPage:
    """An event's own page."""

    event: Event
    when: Occurrence           # the next date, or the last one when all have passed
    upcoming: tuple
    cancelled: tuple
    more: int                  # upcoming dates beyond those shown
    past: bool
    ics: str                   # the event as a download
    href: str                  # the calendar
    jsonld: str
    local_time: str            # "Lokal tid i London: ..." or ""


@dataclass(frozen=True)
class CalendarStart:
    """The start page's block of upcoming events."""

    upcoming: tuple
    href: str                  # the calendar


def run(build) -> None:
    site = build.site
    settings = _settings(site)
    # The window ends at a midnight, so it stays the same all day (see next_change).
    horizon_end = day_start(site.now, settings.horizon_days + 1)
    events = read_events(site.listed(), site.now, lookback_start(site.now), horizon_end, build.problems)
    if not events and site.page_at(settings.folder or DEFAULT_FOLDER) is None:
        return
    build.changes_at(next_change(events, site.now))
    folder = settings.folder or _events_folder(events)
    strings = build.theme.strings
    locale = "sv_SE" if site.config.language == "sv" else "en_GB"
    calendar = _calendar_page(site, folder, strings)
    feeds = calendar_feeds.write_feeds(build, events, folder)
    feed_links = [Alternate(a["type"], a["title"], a["href"]) for a in calendar_feeds.alternates(feeds)]
    calendar.alternates.extend(feed_links)
    months = _month_pages(site, calendar, events, strings, locale, _main_alternates(feed_links))
    archive = _archive_page(site, calendar, events, months, strings, _main_alternates(feed_links))
    upcoming = next_occurrences(events, site.now)
    calendar.contribute("calendar", CalendarIndex(
        upcoming=tuple(upcoming), months=tuple(m for m in months if _not_before_now(m, site.now)),
        archive_href=site.href(archive), feeds=feeds))
    for event in events:
        _event_page(site, event, calendar, feeds, strings, locale)
    if calendar is not site.root:   # a calendar at the start page shows it all already
        site.root.contribute("calendar", CalendarStart(tuple(upcoming[:settings.block_size]), site.href(calendar)))
    site.links.calendar = calendar.url


def _settings(site: Site) -> Settings:
    config = site.config.calendar or {}
    folder = config.get("folder", "").strip("/")
    return Settings(folder=f"{folder}/" if folder else "",
                    horizon_days=max(1, config.get("horizon_days", DEFAULT_HORIZON_DAYS)),
                    block_size=max(1, config.get("block_size", DEFAULT_BLOCK_SIZE)))


def lookback_start(now: dt.datetime) -> dt.datetime:
    """The first day of the month LOOKBACK_MONTHS before the month of ``now``: where the
    expansion of recurring events starts. It moves at a month turn, which is a day turn."""
    months = now.year * 12 + now.month - 1 - LOOKBACK_MONTHS
    return dt.datetime(months // 12, months % 12 + 1, 1, tzinfo=now.tzinfo)


def _events_folder(events: list[Event]) -> str:
    """The folder that holds most events (not the start page's); ``kalender/`` by default."""
    parents = Counter(e.page.parent.url for e in events if e.page.parent is not None and e.page.parent.url)
    return parents.most_common(1)[0][0] if parents else DEFAULT_FOLDER


def _calendar_page(site: Site, folder: str, strings: dict) -> Page:
    title, ingress = strings.get("calendar_title", "Kalender"), strings.get("calendar_ingress", "")
    page = Page(url=folder, meta={"title": title, "ingress": ingress, "type": "page"},
                template="calendar.html", is_section=True)
    page = site.add_page(page, parent=_parent_section(site, folder), editable=True)
    if page.generated and not page.meta.get("ingress"):
        # A folder without index.md got a plain section page: give it the calendar's words.
        page.meta.update(title=title, ingress=ingress)
    return page


def _parent_section(site: Site, url: str) -> Page:
    parts = url.rstrip("/").split("/")[:-1]
    while parts:
        found = site.page_at("".join(f"{p}/" for p in parts))
        if found is not None:
            return found
        parts.pop()
    return site.root


def next_change(events: list[Event], now: dt.datetime) -> dt.datetime | None:
    """When the calendar turns by the clock: an occurrence ends (it leaves the upcoming lists,
    the event may move to the archive) or the day turns (the window of recurring events moves,
    a new month begins)."""
    return first_after([next_day_turn(now), *(o.ends_at() for e in events for o in e.occurrences)], now)


def next_occurrences(events: list[Event], now: dt.datetime) -> list[Occurrence]:
    """Each event's next occurrence that has not ended, soonest first."""
    upcoming = [o for o in (next(iter(e.upcoming(now)), None) for e in events) if o is not None]
    return sorted(upcoming, key=Occurrence.sort_key)


def _month_keys(events: list[Event], now: dt.datetime) -> list[tuple[int, int]]:
    occupied = {(d.year, d.month) for e in events for o in e.occurrences
                for d in _month_starts(o.first_day, o.last_day)}
    current = (now.year, now.month)
    last = max(occupied | {current})
    keys = {k for k in occupied if k < current}
    year, month = current
    while (year, month) <= last:
        keys.add((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(keys)


def _month_starts(first: dt.date, last: dt.date):
    day = first.replace(day=1)
    while day <= last:
        yield day
        day = (day + dt.timedelta(days=32)).replace(day=1)


def _month_pages(site: Site, calendar: Page, events: list[Event], strings: dict, locale: str,
                 alternates: list[Alternate]) -> list[MonthLink]:
    keys = _month_keys(events, site.now)
    links = []
    for year, month in keys:
        name = format_date(dt.date(year, month, 1), "LLLL y", locale=locale)   # as written mid-sentence
        url = f"{calendar.url}{year}/{month:02d}/"
        links.append(MonthLink(year, month, name[:1].upper() + name[1:], site.href(url), 0, name))
    for index, link in enumerate(links):
        items = sorted((o for e in events for o in e.occurrences if o.in_month(link.year, link.month)),
                       key=Occurrence.sort_key)
        link.count = len(items)
        page = Page(url=f"{calendar.url}{link.year}/{link.month:02d}/",
                    meta={"title": link.title, "type": "page", "menu": False,
                          "ingress": strings.get("calendar_month_ingress", "{month}").format(month=link.in_text)},
                    template="calendar_month.html")
        page.in_cards, page.in_menu = False, False
        page.alternates.extend(alternates)
        page.contribute("calendar", CalendarMonth(
            occurrences=tuple(items), month=link, previous_month=links[index - 1] if index > 0 else None,
            next_month=links[index + 1] if index + 1 < len(links) else None, href=site.href(calendar)))
        site.add_page(page, parent=calendar)
    return links


def _main_alternates(links: list[Alternate]) -> list[Alternate]:
    """Month and archive pages link the whole calendar's feeds, not every category's."""
    return links[:1] + [a for a in links if a.type != "text/calendar"]


def _not_before_now(link: MonthLink, now: dt.datetime) -> bool:
    return (link.year, link.month) >= (now.year, now.month)


def _archive_page(site: Site, calendar: Page, events: list[Event], months: list[MonthLink],
                  strings: dict, alternates: list[Alternate]) -> Page:
    past = [e for e in events if e.is_past(site.now)]
    past.sort(key=lambda e: e.occurrences[-1].sort_key(), reverse=True)
    page = Page(url=f"{calendar.url}arkiv/",
                meta={"title": strings.get("calendar_archive_title", "Tidigare evenemang"), "type": "page",
                      "menu": False, "ingress": strings.get("calendar_archive_ingress", "")},
                template="calendar_archive.html")
    page.in_cards, page.in_menu = False, False
    page.alternates.extend(alternates)
    page.contribute("calendar", CalendarArchive(
        occurrences=tuple(e.occurrences[-1] for e in past), href=site.href(calendar),
        past_months=tuple(m for m in reversed(months) if not _not_before_now(m, site.now))))
    return site.add_page(page, parent=calendar)


def _event_page(site: Site, event: Event, calendar: Page, feeds: calendar_feeds.Feeds, strings: dict,
                locale: str) -> None:
    page, now = event.page, site.now
    upcoming = event.upcoming(now)
    shown = upcoming[0] if upcoming else event.occurrences[-1]
    download = feeds.downloads[page.url]
    page.contribute("calendar", EventPage(
        event=event, when=shown, upcoming=tuple(upcoming[:EVENT_DATES_SHOWN]),
        cancelled=tuple(event.cancelled(now)[:EVENT_DATES_SHOWN]),
        more=max(0, len(upcoming) - EVENT_DATES_SHOWN), past=not upcoming,
        ics=site.href(download), href=site.href(calendar),
        jsonld=_json_ld(site, event, shown), local_time=_local_time(shown, strings, locale),
    ))
    page.alternates.append(Alternate("text/calendar", page.title, site.href(download)))


def _local_time(when: Occurrence, strings: dict, locale: str) -> str:
    """"Lokal tid i London: kl. 19:00–21:00" for an event in a zone other than the pages' (whose
    times are Swedish time), with the local day when it differs; "" otherwise."""
    event = when.event
    if when.all_day:
        return ""
    start, end = when.own_start, when.own_end
    if start.replace(tzinfo=None) == when.start.replace(tzinfo=None) and \
            (end is None or end.replace(tzinfo=None) == when.end.replace(tzinfo=None)):
        return ""   # Swedish time, or a zone whose clocks show the same then
    if start.date() != when.first_day:
        text = format_date(start, "EEEE d MMMM", locale=locale) + " " + _time(start, strings, locale)
    else:
        text = _time(start, strings, locale)
    if end is not None:
        text += "–" + (format_time(end, "HH:mm", locale=locale) if end.date() == start.date()
                       else format_date(end, "EEEE d MMMM", locale=locale) + " " + _time(end, strings, locale))
    place = get_timezone_location(event.tz, locale=locale, return_city=True)
    return strings.get("event_local_time", "Lokal tid i {place}: {time}").format(place=place, time=text)


def _time(moment: dt.datetime, strings: dict, locale: str) -> str:
    return strings.get("event_time", "kl. {time}").format(time=format_time(moment, "HH:mm", locale=locale))


def _json_ld(site: Site, event: Event, when: Occurrence) -> str:
    """schema.org Event as a <script> body: '</' is escaped so no text can close the element."""
    data = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "description": event.page.ingress, "url": site.absolute_url(event.page),
        "startDate": when.own_start.isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "organizer": {"@type": "Organization", "name": site.config.organization or site.config.title,
                      "url": site.config.base_url},
    }
    if when.end is not None:
        data["endDate"] = when.own_end.isoformat()
    if event.location:
        data["location"] = {"@type": "Place", "name": event.location, "address": event.location}
    if event.registration_url:
        data["offers"] = {"@type": "Offer", "url": event.registration_url}
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
