"""Approved blog comments from ``data/comments.json`` (what the feedback service exports).

The file is a list of ``{"page": "/kulturskolan/blogg/x/", "name": ..., "text": ..., "date": ...}``;
``page`` may also be the full canonical URL the comment form posts. An entry that cannot be
shown is a warning at its line and is left out; the rest of the site still builds.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from sitegen.problems import Problems
from sitegen.localtime import STOCKHOLM
from sitegen.messages import _

DATA_NAME = "comments"


@dataclass
class Comment:
    name: str
    text: str
    date: dt.datetime | None

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in self.text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def page_key(url: str) -> str:
    """'https://www.orebro.se/kulturskolan/blogg/x' and '/kulturskolan/blogg/x/' are one page."""
    return urlsplit(url.strip()).path.rstrip("/") + "/"


def _data_file(content_dir: Path) -> Path:
    found = sorted((content_dir / "data").glob(f"{DATA_NAME}.*"))
    return found[0] if found else content_dir / "data" / f"{DATA_NAME}.json"


def _json_item_lines(path: Path) -> list[int]:
    """Line where each item of a top-level JSON list starts (JSON itself keeps no lines)."""
    try:
        source = path.read_text(encoding="utf-8")
        decoder = json.JSONDecoder()
        pos, lines = source.index("[") + 1, []
        while True:
            while source[pos] in " \t\r\n,":
                pos += 1
            if source[pos] == "]":
                return lines
            lines.append(source.count("\n", 0, pos) + 1)
            pos = decoder.raw_decode(source, pos)[1]
    except (OSError, ValueError, IndexError):
        return []


def _parse_date(value) -> dt.datetime | None | bool:
    """A date-time, None when absent, False when unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=STOCKHOLM)
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=STOCKHOLM)


def load(data: dict, content_dir: Path, problems: Problems) -> dict[str, list[Comment]]:
    """Comments by page path, oldest first."""
    raw = data.get(DATA_NAME)
    if raw is None:
        return {}
    path = _data_file(content_dir)
    if not isinstance(raw, list):
        problems.error(path, 1, _("comments must be a list of {\"page\", \"name\", \"text\", \"date\"} entries"))
        return {}
    lines = raw.lines if hasattr(raw, "lines") else _json_item_lines(path)
    by_page: dict[str, list[Comment]] = {}
    for index, entry in enumerate(raw):
        line = lines[index] if index < len(lines) else 1
        comment = _comment(entry, path, line, index + 1, problems)
        if comment is not None:
            by_page.setdefault(page_key(entry["page"]), []).append(comment)
    floor = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
    for comments in by_page.values():
        comments.sort(key=lambda c: c.date or floor)
    return by_page


def _comment(entry, path: Path, line: int, number: int, problems: Problems) -> Comment | None:
    if not isinstance(entry, dict):
        problems.warning(path, line, _("comment {number} must be a mapping with page, name, text and date").format(
                                         number=number))
        return None
    for key in ("page", "name", "text"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.warning(path, line, _("comment {number} has no '{key}'; it is not shown").format(
                                             number=number, key=key))
            return None
    date = _parse_date(entry.get("date"))
    if date is False:
        problems.warning(path, line, _("comment {number}: 'date' '{date}' is not a date (YYYY-MM-DD or "
                                       "YYYY-MM-DDTHH:MM)").format(
                                         number=number, date=entry['date']))
        return None
    return Comment(entry["name"].strip(), entry["text"].strip(), date)
