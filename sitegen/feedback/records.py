"""What the store hands out: comments and per-page and per-path summaries; times in UTC.

Kept apart from ``store.py`` so that readers of the records need not load the data-access
layer; ``store.py`` re-exports them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


@dataclass
class Comment:
    id: int
    site: str
    page: str
    name: str
    text: str
    status: str
    created: str


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
