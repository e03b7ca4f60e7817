"""The desk's own tables beside the feedback store's, and what its pages read.

The desk adds ``desk_users`` (accounts), ``desk_settings`` (the session secret) and
``desk_marks`` (an editor's "handled" and note on a comment or a missing path). It works
through the store's transactions, so it runs on SQLite and PostgreSQL alike. Every query
takes the site: an editor's page can only ever read its own site's rows.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sitegen.feedback.desk.privacy import find_personal, mask
from sitegen.feedback.records import without_bidi_controls
from sitegen.feedback.store import Comment, Store, timestamp

SCHEMA = """
CREATE TABLE IF NOT EXISTS desk_users (
    name TEXT PRIMARY KEY,
    password TEXT NOT NULL DEFAULT '',
    admin INTEGER NOT NULL DEFAULT 0,
    sites TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    signed_out DOUBLE PRECISION NOT NULL DEFAULT 0,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS desk_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS desk_marks (
    kind TEXT NOT NULL,
    site TEXT NOT NULL,
    item TEXT NOT NULL,
    handled INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    by_user TEXT NOT NULL DEFAULT '',
    at TEXT NOT NULL,
    PRIMARY KEY (kind, site, item)
);
"""
PERIODS = (30, 90, 365)
SECTION = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class PageUse:
    page: str
    counts: dict[int, tuple[int, int]]   # days -> (yes, answers)
    months: list[tuple[str, int, int]]   # (YYYY-MM, yes, answers), oldest first


@dataclass
class FeedbackComment:
    id: int
    page: str
    useful: bool
    comment: str
    created: str
    handled: bool
    note: str

    def __post_init__(self):
        self.comment = without_bidi_controls(self.comment)   # records.py says why


@dataclass
class MissingPath:
    path: str
    hits: int
    first_seen: str
    last_seen: str
    hosts: list[tuple[str, int]]


class DeskData:
    """What the desk reads and writes, always for one site."""

    def __init__(self, store: Store):
        self.store = store
        # The store's transactions: one connection, one place for errors.
        self.cursor = store.transaction

    def create_tables(self) -> None:
        with self.cursor() as cur:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    cur.execute(statement, ())

    def secret(self) -> str:
        """The key that signs session cookies; made once, shared by every process."""
        with self.cursor() as cur:
            cur.execute("INSERT INTO desk_settings (name, value) VALUES ('session_key', ?)"
                        " ON CONFLICT (name) DO NOTHING", (secrets.token_urlsafe(48),))
            cur.execute("SELECT value FROM desk_settings WHERE name = 'session_key'", ())
            return cur.fetchone()[0]

    # --- "Hade du nytta av innehållet?" ------------------------------------------

    def usefulness(self, site: str, now: datetime, section: str = "",
                   prefix: str = "/") -> list[PageUse]:
        where, params = self._page_filter(site, now - timedelta(days=max(PERIODS)),
                                          section, prefix)
        sums = ", ".join("SUM(CASE WHEN created >= ? THEN useful ELSE 0 END),"
                         " SUM(CASE WHEN created >= ? THEN 1 ELSE 0 END)" for _ in PERIODS)
        cutoffs = tuple(c for days in PERIODS for c in (timestamp(now - timedelta(days=days)),) * 2)
        pages: dict[str, PageUse] = {}
        with self.cursor() as cur:
            cur.execute(f"SELECT page, {sums} FROM feedback{where} GROUP BY page",
                        cutoffs + params)
            for row in cur.fetchall():
                counts = {days: (int(row[1 + 2 * i] or 0), int(row[2 + 2 * i] or 0))
                          for i, days in enumerate(PERIODS)}
                pages[row[0]] = PageUse(row[0], counts, [])
            cur.execute("SELECT page, substr(created, 1, 7) AS month, SUM(useful), COUNT(*)"
                        f" FROM feedback{where} GROUP BY page, month ORDER BY month", params)
            for page, month, yes, total in cur.fetchall():
                pages[page].months.append((month, int(yes), int(total)))
        return sorted(pages.values(), key=lambda p: (share(p.counts[365]), -p.counts[365][1],
                                                       p.page))

    def feedback_comments(self, site: str, since: datetime, section: str = "",
                          prefix: str = "/", limit: int = 500) -> list[FeedbackComment]:
        where, params = self._page_filter(site, since, section, prefix, alias="f.")
        with self.cursor() as cur:
            cur.execute(
                "SELECT f.id, f.page, f.useful, f.comment, f.created,"
                " COALESCE(m.handled, 0), COALESCE(m.note, '') FROM feedback f"
                " LEFT JOIN desk_marks m ON m.kind = 'feedback' AND m.site = f.site"
                " AND m.item = CAST(f.id AS TEXT)"
                f"{where} AND f.comment <> '' ORDER BY f.created DESC, f.id DESC LIMIT ?",
                params + (limit,))
            return [FeedbackComment(int(i), p, bool(u), c, t, bool(h), n)
                    for i, p, u, c, t, h, n in cur.fetchall()]

    def _page_filter(self, site: str, since: datetime, section: str, prefix: str,
                     alias: str = "") -> tuple[str, tuple]:
        where = f" WHERE {alias}site = ? AND {alias}created >= ?"
        params: tuple = (site, timestamp(since))
        if section:
            if not SECTION.fullmatch(section):
                raise ValueError(f"not a section: {section!r}")
            where += f" AND substr({alias}page, 1, ?) = ?"
            start = f"{prefix}{section}/"
            params += (len(start), start)
        return where, params

    def feedback_exists(self, site: str, feedback_id: int) -> bool:
        with self.cursor() as cur:
            cur.execute("SELECT 1 FROM feedback WHERE id = ? AND site = ?", (feedback_id, site))
            return cur.fetchone() is not None

    # --- marks ---------------------------------------------------------------------

    def mark(self, kind: str, site: str, item: str, handled: bool, note: str, user: str,
             now: datetime | None = None) -> None:
        with self.cursor() as cur:
            cur.execute(
                "INSERT INTO desk_marks (kind, site, item, handled, note, by_user, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, site, item) DO UPDATE SET"
                " handled = excluded.handled, note = excluded.note,"
                " by_user = excluded.by_user, at = excluded.at",
                (kind, site, item, int(handled), note, user, timestamp(now)))

    def forget_orphan_marks(self) -> int:
        """Marks of rows the retention has deleted go too (a note may name a visitor)."""
        with self.cursor() as cur:
            cur.execute(
                "DELETE FROM desk_marks WHERE kind = 'feedback' AND NOT EXISTS (SELECT 1"
                " FROM feedback f WHERE CAST(f.id AS TEXT) = desk_marks.item"
                " AND f.site = desk_marks.site)", ())
            gone = cur.rowcount
            cur.execute(
                "DELETE FROM desk_marks WHERE kind = 'missing' AND NOT EXISTS (SELECT 1"
                " FROM missing m WHERE m.path = desk_marks.item AND m.site = desk_marks.site)",
                ())
            return gone + cur.rowcount

    def mask_personal_data(self, before: datetime, labels: dict[str, str]) -> int:
        """Mask e-mail addresses, phone numbers and personnummer in feedback comments
        older than ``before``; the answer and the rest of the comment stay."""
        changed = 0
        with self.cursor() as cur:
            cur.execute("SELECT id, comment FROM feedback WHERE comment <> '' AND created < ?",
                        (timestamp(before),))
            for row_id, comment in cur.fetchall():
                if find_personal(comment):
                    cur.execute("UPDATE feedback SET comment = ? WHERE id = ?",
                                (mask(comment, labels), row_id))
                    changed += 1
        return changed

    # --- blog comments ----------------------------------------------------------------

    def blog_comments(self, site: str, status: str | None = None) -> list[Comment]:
        return self.store.comments(status=status, site=site)

    def set_comment_status(self, site: str, comment_id: int, status: str) -> bool:
        """Only a comment of this site: an id from another site's desk changes nothing."""
        with self.cursor() as cur:
            cur.execute("UPDATE comments SET status = ? WHERE id = ? AND site = ? RETURNING id",
                        (status, comment_id, site))
            return cur.fetchone() is not None

    # --- missing pages --------------------------------------------------------------

    def missing_paths(self, site: str, since: datetime, limit: int = 50,
                      include_handled: bool = False) -> list[MissingPath]:
        hidden = "" if include_handled else " AND COALESCE(k.handled, 0) = 0"
        with self.cursor() as cur:
            cur.execute(
                "SELECT m.path, COUNT(*), MIN(m.created), MAX(m.created) FROM missing m"
                " LEFT JOIN desk_marks k ON k.kind = 'missing' AND k.site = m.site"
                " AND k.item = m.path"
                f" WHERE m.site = ? AND m.created >= ?{hidden}"
                " GROUP BY m.path ORDER BY COUNT(*) DESC, m.path LIMIT ?",
                (site, timestamp(since), limit))
            rows = [MissingPath(p, int(n), first, last, []) for p, n, first, last in cur.fetchall()]
            for row in rows:
                cur.execute("SELECT referrer FROM missing WHERE site = ? AND path = ?"
                            " AND created >= ? AND referrer <> ''",
                            (site, row.path, timestamp(since)))
                row.hosts = count_hosts(r[0] for r in cur.fetchall())
        return rows

    def path_is_missing(self, site: str, path: str) -> bool:
        with self.cursor() as cur:
            cur.execute("SELECT 1 FROM missing WHERE site = ? AND path = ? LIMIT 1", (site, path))
            return cur.fetchone() is not None

    # --- the weekly summary ----------------------------------------------------------

    def pages_most_no(self, site: str, since: datetime, limit: int = 5) -> list[tuple[str, int, int]]:
        with self.cursor() as cur:
            cur.execute("SELECT page, SUM(1 - useful) AS no, COUNT(*) FROM feedback"
                        " WHERE site = ? AND created >= ? GROUP BY page"
                        " HAVING SUM(1 - useful) > 0 ORDER BY no DESC, page LIMIT ?",
                        (site, timestamp(since), limit))
            return [(p, int(n), int(t)) for p, n, t in cur.fetchall()]

    def new_missing_paths(self, site: str, since: datetime, limit: int = 10) -> list[tuple[str, int]]:
        with self.cursor() as cur:
            cur.execute("SELECT path, COUNT(*) FROM missing WHERE site = ? GROUP BY path"
                        " HAVING MIN(created) >= ? ORDER BY COUNT(*) DESC, path LIMIT ?",
                        (site, timestamp(since), limit))
            return [(p, int(n)) for p, n in cur.fetchall()]

    def new_blog_comments(self, site: str, since: datetime) -> list[Comment]:
        return [c for c in self.store.comments(site=site) if c.created >= timestamp(since)]


def share(counts: tuple[int, int]) -> float:
    yes, total = counts
    return yes / total if total else 1.0


def count_hosts(referrers) -> list[tuple[str, int]]:
    """Referring hosts only, most first: a full referrer can name a person's page."""
    from urllib.parse import urlsplit

    counts: dict[str, int] = {}
    for referrer in referrers:
        try:
            host = urlsplit(referrer).hostname or ""
        except ValueError:
            host = ""
        if host:
            counts[host] = counts.get(host, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
