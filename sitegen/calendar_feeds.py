"""The calendar's subscriptions: iCalendar for the site, per category and per tag, a
download per event, and a JSON Feed 1.1 of the same events.

- ``<calendar>/kalender.ics``: every event in lists (expired ones left out), recurring
  events as one VEVENT with their RRULE and EXDATE (cancelled occurrences), as
  subscribers' clients expect.
- ``<calendar>/kategori/<slug>.ics`` and ``<calendar>/tagg/<slug>.ics``: the same, filtered.
- ``<event url><slug>.ics``: one event, for "Lägg till i kalender".
- ``<calendar>/kalender.json``: JSON Feed 1.1; each item has an ``_event`` extension object
  with ``start``, ``end`` (ISO 8601), ``all_day``, ``timezone``, ``location``, ``rrule``,
  ``exdate`` (cancelled starts), ``category``, ``registration_url``, ``ics`` and ``occurrences`` (upcoming starts within
  the horizon, or the next one after it), all in the event's own zone.
- Categories and tags that give the same file name ("Konsert" and "konsert", "kör" and
  "kor") are one feed, named by the spelling most events use (the first of equals).

UIDs are ``<uuid5 of the page's absolute URL>@<host>``: the same page keeps its UID across
builds, so a subscriber's calendar updates the event instead of adding a copy. SEQUENCE
follows the event's ``updated:`` (``ics.sequence_of``; 0 without it): an editor who moves an
event writes the day, or the day and time, of the change, and every feed and download says
the same, however many builds and output folders there were before.
"""
from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sitegen import events as events_lib
from sitegen import ics
from sitegen.events import Event
from sitegen.messages import _
from sitegen.model import Site
from sitegen.slugs import slugify

SITE_FEED = "kalender.ics"
JSON_FEED = "kalender.json"


@dataclass
class Feed:
    title: str
    url: str           # relative to the site
    href: str          # root-relative link
    absolute: str
    webcal: str        # the same address for "subscribe" in phones and desktop clients
    kind: str          # "all", "category" or "tag"


@dataclass
class Feeds:
    ics: list[Feed] = field(default_factory=list)
    json_href: str = ""
    downloads: dict = field(default_factory=dict)   # event page URL -> its .ics URL


def event_uid(site: Site, event: Event) -> str:
    host = urlsplit(site.config.base_url).hostname or "localhost"
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, site.absolute_url(event.page))}@{host}"


def write_feeds(build, events: list[Event], folder: str) -> Feeds:
    site, strings = build.site, build.theme.strings
    feeds = Feeds()
    items = {id(e): _item(site, e) for e in events}
    for event in events:
        _check_updated(build, event, items[id(event)])
    groups = [("all", strings.get("calendar_feed_all", "Hela kalendern"), f"{folder}{SITE_FEED}", events)]
    for kind, label, values in (("category", "calendar_feed_category", lambda e: [e.category] if e.category else []),
                                ("tag", "calendar_feed_tag", lambda e: e.page.tags)):
        sub = "kategori" if kind == "category" else "tagg"
        for slug, (name, members) in sorted(_by_slug(events, values).items(), key=lambda i: i[1][0].lower()):
            title = strings.get(label, "{name}").format(name=name)
            groups.append((kind, title, f"{folder}{sub}/{slug}.ics", members))
    for kind, title, url, members in groups:
        name = site.config.title if kind == "all" else f"{site.config.title}: {title}"
        build.files[url] = _calendar_file(build, name, [items[id(e)] for e in members])
        feeds.ics.append(Feed(title, url, site.href(url), site.absolute_url(url),
                              "webcal://" + site.absolute_url(url).split("://", 1)[1], kind))
    for event in events:
        url = f"{event.page.url}{event.page.url.rstrip('/').rsplit('/', 1)[-1]}.ics"
        build.files[url] = _calendar_file(build, event.title, [items[id(event)]])
        feeds.downloads[event.page.url] = url
    build.files[f"{folder}{JSON_FEED}"] = json_feed(site, events, folder, feeds)
    feeds.json_href = site.href(f"{folder}{JSON_FEED}")
    return feeds


def _by_slug(events: list[Event], values) -> dict[str, tuple[str, list[Event]]]:
    """File name -> (the spelling most events use, the first of equals; the events), so that
    names differing only in case or accents share one feed instead of overwriting it."""
    spellings: dict[str, Counter] = {}
    members: dict[str, list[Event]] = {}
    for event in events:
        for value in dict.fromkeys(values(event)):
            slug = slugify(value)
            if not slug:
                continue
            spellings.setdefault(slug, Counter())[value] += 1
            group = members.setdefault(slug, [])
            if not group or group[-1] is not event:   # "Kör" and "kör" on one event
                group.append(event)
    return {slug: (spellings[slug].most_common(1)[0][0], members[slug]) for slug in members}


def alternates(feeds: Feeds) -> list[dict]:
    links = [{"type": "text/calendar", "title": f.title, "href": f.href} for f in feeds.ics]
    return links + [{"type": "application/feed+json", "title": "JSON Feed", "href": feeds.json_href}]


def _calendar_file(build, name: str, items: list[ics.IcsItem]) -> bytes:
    site = build.site
    organization = site.config.organization or site.config.title
    calendar = ics.IcsCalendar(
        name=name, description=site.config.description or site.config.title,
        prodid=f"-//{organization}//sitegen {site.config.title}//{site.config.language.upper()}",
        now=site.now, items=items)
    return ics.to_ical(calendar)


def _item(site: Site, event: Event) -> ics.IcsItem:
    page = event.page
    if event.all_day:
        end = (event.end or event.start) + dt.timedelta(days=1)   # DTEND is exclusive (RFC 5545)
    else:
        end = event.end
    description = "\n\n".join(t for t in (page.ingress, site.absolute_url(page)) if t)
    updated = page.meta.get("updated")
    modified = updated if isinstance(updated, dt.datetime) else (
        dt.datetime.combine(updated, dt.time(), tzinfo=event.tz) if updated else None)
    categories = list(dict.fromkeys(([event.category] if event.category else []) + list(page.tags)))  # once each
    return ics.IcsItem(uid=event_uid(site, event), summary=page.title, start=event.start, end=end,
                       description=description, location=event.location, url=site.absolute_url(page),
                       categories=categories, rrule=event.rrule, exdates=event.exdates, last_modified=modified,
                       sequence=ics.sequence_of(modified))


def _check_updated(build, event: Event, item: ics.IcsItem) -> None:
    """An ``updated:`` after the build's now (a mistyped year) would give SEQUENCE a number that
    the real changes after it cannot pass until then: subscribers would keep the old event."""
    if item.last_modified is None or item.last_modified <= build.site.now:
        return
    page = event.page
    build.problems.warning(page.source, page.line_of("updated"), _(
        "'updated' {value} is later than the time of the build ({now}): until then, subscribers' "
        "calendars do not take later changes of the event. Write the day you changed the event"
    ).format(value=events_lib.as_written(page.meta["updated"]), now=f"{build.site.now:%Y-%m-%d %H:%M}"))


def json_feed(site: Site, events: list[Event], folder: str, feeds: Feeds) -> str:
    items = []
    for event in events:
        page = event.page
        upcoming = event.upcoming(site.now)
        extension = {
            "start": event.start.isoformat(), "end": event.end.isoformat() if event.end else None,
            "all_day": event.all_day, "timezone": event.tz.key, "location": event.location or None,
            "rrule": event.rrule or None, "exdate": [s.isoformat() for s in event.exdates] or None,
            "category": event.category or None,
            "registration_url": event.registration_url or None,
            "ics": site.absolute_url(feeds.downloads[page.url]),
            "occurrences": [o.own_start.isoformat() for o in upcoming],
        }
        item = {"id": event_uid(site, event), "url": site.absolute_url(page), "title": page.title,
                "summary": page.ingress, "content_html": page.html, "tags": list(page.tags),
                "_event": {k: v for k, v in extension.items() if v is not None}}
        if page.meta.get("updated"):
            item["date_modified"] = _iso(page.meta["updated"], event.tz)
        items.append(item)
    feed = {"version": "https://jsonfeed.org/version/1.1", "title": site.config.title,
            "home_page_url": site.absolute_url(folder), "feed_url": site.absolute_url(f"{folder}{JSON_FEED}"),
            "language": site.config.language, "items": items}
    if site.config.description:
        feed["description"] = site.config.description
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def _iso(value, tz) -> str:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(), tzinfo=tz)
    return value.isoformat()
