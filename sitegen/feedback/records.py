"""What the store hands out: comments and per-page and per-path summaries; times in UTC.

Kept apart from ``store.py`` so that readers of the records need not load the data-access
layer; ``store.py`` re-exports them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

# The bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a visitor's
# text they turn what follows backwards or around ("gnp.exe" shown for "exe.png"), on the
# desk, in a spreadsheet, on the page a comment is published to. They are taken out as a text
# is received (inputs.py), and again wherever a stored text is handed out or written to a CSV,
# for rows stored before; the e-mail and the terminal already drop every format character.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_bidi_controls(text: str) -> str:
    return _BIDI_CONTROLS.sub("", text)


@dataclass
class Comment:
    id: int
    site: str
    page: str
    name: str
    text: str
    status: str
    created: str

    def __post_init__(self):
        self.name, self.text = without_bidi_controls(self.name), without_bidi_controls(self.text)


@dataclass
class PageSummary:
    site: str
    page: str
    yes: int
    total: int
    latest: list[tuple[str, str]] = field(default_factory=list)  # (created, comment)

    @property
    def share_yes(self) -> float:
        return self.yes / self.total if self.total else 0.0


@dataclass
class MissingSummary:
    site: str
    path: str
    hits: int
    last_seen: str
    referrer: str = ""  # most recent non-empty referrer


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def timestamp(moment: datetime | None = None) -> str:
    moment = (moment or utc_now()).astimezone(timezone.utc)
    return moment.isoformat(timespec="microseconds")
