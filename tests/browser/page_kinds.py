"""One page of each type in the built example sites, looked up in the build output.

Pages that come from features other than the theme (archive, calendar, search, ...) are
found by what their feature writes; when a feature is not part of the build, the page is
reported as missing, with the reason, so the tests that use it skip instead of failing.
"""
from __future__ import annotations

from pathlib import Path

# kind -> (site-relative candidates, in order of preference)
CONTENT_PAGES = {
    "start (orebro)": ["fordjupning/index.html"],
    "start (kulturskolan)": ["kulturskolan/index.html"],
    "start (stadsarkiv)": ["stadsarkiv/index.html"],
    "section": ["kulturskolan/kurser/index.html"],
    "page": ["kulturskolan/kurser/musik/piano/index.html"],
    "page with image": ["stadsarkiv/samlingar/fotografier/index.html"],
    "news": ["kulturskolan/nyheter/julkonsert/index.html"],
    "blog": ["kulturskolan/blogg/att-ova-hemma/index.html"],
    "404": ["stadsarkiv/404.html"],
    "410 (removed page)": ["fordjupning/410.html"],
    "accessibility statement": ["fordjupning/tillganglighet/index.html"],
}
SITES = ("kulturskolan", "fordjupning", "stadsarkiv")


def _first(build: Path, patterns: list[str]) -> Path | None:
    for pattern in patterns:
        for site in SITES:
            found = sorted((build / site).glob(pattern))
            if found:
                return found[0]
    return None


def _archive(build: Path) -> Path | None:
    # The archive feature writes year and category pages beside the news folder's index.
    for site in SITES:
        folder = build / site / "nyheter"
        generated = [p for p in folder.glob("*/index.html") if p.parent.name.isdigit() or p.parent.name == "kategori"] \
            + list(folder.glob("kategori/*/index.html"))
        if (folder / "index.html").is_file() and generated:
            return folder / "index.html"
    return None


def _event(build: Path) -> Path | None:
    """An event page, preferably a recurring one with cancelled dates (the most markup)."""
    found = []
    for site in SITES:
        folder = build / site / "kalender"
        for path in sorted(folder.glob("*/index.html")) if folder.is_dir() else []:
            # An event page has its own iCalendar download beside it.
            if (path.parent / f"{path.parent.name}.ics").is_file():
                found.append(path)
    richest = [p for p in found if 'id="event-cancelled"' in p.read_text(encoding="utf-8")]
    return (richest or found or [None])[0]


FEATURE_PAGES = {
    "archive": (_archive, "the news archive feature is not in this build"),
    "calendar": (lambda b: _first(b, ["kalender/index.html"]), "the calendar feature is not in this build"),
    "event": (_event, "no event page (calendar feature) in this build"),
    "search": (lambda b: _first(b, ["sok/index.html"]), "the search feature is not in this build"),
    "contact": (lambda b: _first(b, ["kontakt/index.html"]), "the contact feature is not in this build"),
    "site map": (lambda b: _first(b, ["webbplatskarta/index.html"]), "no site map page in this build"),
}

KINDS = list(CONTENT_PAGES) + list(FEATURE_PAGES)


def find(build: Path, kind: str) -> tuple[str | None, str]:
    """(URL path such as '/kulturskolan/kurser/', reason when missing)."""
    if kind in CONTENT_PAGES:
        path = _first_existing(build, CONTENT_PAGES[kind])
        reason = f"{CONTENT_PAGES[kind][0]} is not in the example build"
    else:
        finder, reason = FEATURE_PAGES[kind]
        path = finder(build)
    if path is None:
        return None, reason
    rel = path.relative_to(build).as_posix()
    return "/" + (rel[:-len("index.html")] if rel.endswith("/index.html") else rel), ""


def _first_existing(build: Path, candidates: list[str]) -> Path | None:
    return next((build / c for c in candidates if (build / c).is_file()), None)
