"""The one data-access layer of the feedback service.

The same SQL runs on the embedded default (a SQLite file in WAL mode) and on
PostgreSQL; only connecting, the id column and the parameter marker differ
(those live in ``databases``, the one module that imports a database driver).

Times are stored as ISO 8601 text in UTC with a fixed width
(``2026-11-23T09:00:00.000000+00:00``): it sorts as time sorts and reads the
same in both databases and in a database shell.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from sitegen.feedback.databases import (  # noqa: F401  (StoreError, NoStore re-exported)
    DEFAULT_TIMEOUT, NoStore, StoreError, Postgres, SQLite)
from sitegen.feedback.records import (  # noqa: F401  (re-exported)
    Comment, MissingSummary, PageSummary, timestamp, utc_now)
from sitegen.messages import _

STATUSES = ("pending", "approved", "rejected")
COLUMNS = {"site", "page", "useful", "comment", "name", "text", "status", "path", "referrer"}

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id {id},
    site TEXT NOT NULL,
    page TEXT NOT NULL,
    useful INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_page ON feedback (site, page, created);
CREATE TABLE IF NOT EXISTS comments (
    id {id},
    site TEXT NOT NULL,
    page TEXT NOT NULL,
    name TEXT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS comments_status ON comments (status, site, page, created);
CREATE TABLE IF NOT EXISTS missing (
    id {id},
    site TEXT NOT NULL,
    path TEXT NOT NULL,
    referrer TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS missing_path ON missing (site, path);
CREATE TABLE IF NOT EXISTS post_keys (
    key TEXT PRIMARY KEY,
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS health (
    id INTEGER PRIMARY KEY,
    checked TEXT NOT NULL
);
"""
def is_database_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def shown(target: str) -> str:
    """The target fit for a message: a database URL without its password."""
    parts = urlsplit(target)
    if not is_database_url(target) or parts.password is None:
        return target
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


class Store:
    """Everything the service and the commands read and write."""

    def __init__(self, target: str, create: bool = True, timeout: float = DEFAULT_TIMEOUT):
        """``create=False`` (the editors' commands): the store must exist and hold the
        tables, so a mistyped ``--db`` is an error, not a new empty store. ``timeout``:
        seconds a call may wait for the database before it fails with StoreError."""
        self.target = target
        self.closed = False
        self.timeout = timeout
        self.db = (Postgres(target, timeout=timeout) if is_database_url(target)
                   else SQLite(target, create, timeout))
        if create:
            self._run_script(SCHEMA.format(id=self.db.id_column))
        elif not self._has_tables():
            self.db.close()
            raise NoStore(_("{store} holds no feedback store (no feedback tables)").format(store=shown(target)))

    @property
    def kind(self) -> str:
        return self.db.name

    def _run_script(self, script: str) -> None:
        try:
            self.db.execute_script(script)
        except self.db.errors() as exc:
            raise StoreError(_("cannot create the tables: {exc}").format(exc=exc)) from exc

    def _has_tables(self) -> bool:
        try:
            with self.transaction() as cur:
                cur.execute("SELECT 1 FROM feedback, comments, missing LIMIT 0", ())
        except StoreError:
            return False
        return True

    @contextmanager
    def transaction(self):
        """One transaction: a cursor whose ``?`` placeholders suit either database, committed
        when the block ends; a database error is a StoreError. The desk's tables use it too."""
        if self.closed:
            raise StoreError(_("the store is closed"))
        try:
            with self.db.transaction() as cur:
                yield _Cursor(cur, self.db.marker)
        except self.db.errors() as exc:
            raise StoreError(str(exc).strip() or type(exc).__name__) from exc

    def close(self) -> None:
        self.closed = True
        self.db.close()

    # --- writes -----------------------------------------------------------

    # A ``key`` (the idempotency key a page's script sends) stores a post once: a retry
    # with the same key stores nothing and returns None.

    def add_feedback(self, site: str, page: str, useful: bool, comment: str = "",
                     now: datetime | None = None, key: str | None = None) -> int | None:
        return self._insert(
            "INSERT INTO feedback (site, page, useful, comment, created) VALUES (?, ?, ?, ?, ?)",
            (site, page, int(useful), comment, timestamp(now)), key)

    def add_comment(self, site: str, page: str, name: str, text: str,
                    now: datetime | None = None, key: str | None = None) -> int | None:
        return self._insert(
            "INSERT INTO comments (site, page, name, text, status, created)"
            " VALUES (?, ?, ?, ?, 'pending', ?)",
            (site, page, name, text, timestamp(now)), key)

    def add_missing(self, site: str, path: str, referrer: str = "",
                    now: datetime | None = None, key: str | None = None) -> int | None:
        return self._insert(
            "INSERT INTO missing (site, path, referrer, created) VALUES (?, ?, ?, ?)",
            (site, path, referrer, timestamp(now)), key)

    def _insert(self, sql: str, params: tuple, key: str | None = None) -> int | None:
        with self.transaction() as cur:
            if key is not None:
                # In the same transaction as the row: both are stored, or neither.
                cur.execute("INSERT INTO post_keys (key, created) VALUES (?, ?)"
                            " ON CONFLICT (key) DO NOTHING RETURNING key", (key, timestamp()))
                if cur.fetchone() is None:
                    return None
            cur.execute(sql + " RETURNING id", params)
            return int(cur.fetchone()[0])

    def set_comment_status(self, ids: list[int], status: str) -> list[int]:
        """Set the status of the given comments; returns the ids that exist."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        changed = []
        with self.transaction() as cur:
            for comment_id in ids:
                cur.execute("UPDATE comments SET status = ? WHERE id = ? RETURNING id",
                            (status, comment_id))
                if cur.fetchone():
                    changed.append(comment_id)
        return changed

    def purge(self, before: datetime) -> dict[str, int]:
        """Delete what is older than ``before``; approved comments are published and stay."""
        cutoff = timestamp(before)
        counts = {}
        with self.transaction() as cur:
            for table, extra in (("feedback", ""), ("missing", ""),
                                 ("comments", " AND status <> 'approved'")):
                cur.execute(f"DELETE FROM {table} WHERE created < ?{extra}", (cutoff,))
                counts[table] = cur.rowcount
            # Idempotency keys are needed only while a page may retry; not worth a count.
            cur.execute("DELETE FROM post_keys WHERE created < ?", (cutoff,))
        return counts

    def write_problem(self) -> str:
        """Why the store cannot take a post now, or "" when it can: a committed write (a
        read-only file or database, a full disk fail it) and the free space of a SQLite file."""
        try:
            with self.transaction() as cur:
                cur.execute("INSERT INTO health (id, checked) VALUES (1, ?) ON CONFLICT (id)"
                            " DO UPDATE SET checked = excluded.checked", (timestamp(),))
        except StoreError as exc:
            return str(exc)
        return self.db.space_problem()

    # --- reads ------------------------------------------------------------

    def comments(self, status: str | None = None, site: str | None = None) -> list[Comment]:
        where, params = _filters(status=status, site=site)
        with self.transaction() as cur:
            cur.execute("SELECT id, site, page, name, text, status, created FROM comments"
                        f"{where} ORDER BY site, page, created, id", params)
            return [Comment(*row) for row in cur.fetchall()]

    def page_summaries(self, site: str | None = None, since: datetime | None = None,
                       latest: int = 3) -> list[PageSummary]:
        where, params = _filters(site=site, since=since)
        with self.transaction() as cur:
            cur.execute("SELECT site, page, SUM(useful), COUNT(*) FROM feedback"
                        f"{where} GROUP BY site, page", params)
            pages = {(s, p): PageSummary(s, p, int(y), int(n)) for s, p, y, n in cur.fetchall()}
            comment_where = (where + " AND" if where else " WHERE") + " comment <> ''"
            cur.execute(
                "SELECT site, page, created, comment FROM ("
                " SELECT site, page, created, comment, ROW_NUMBER() OVER"
                " (PARTITION BY site, page ORDER BY created DESC, id DESC) AS n"
                f" FROM feedback{comment_where}) AS ranked WHERE n <= ?"
                " ORDER BY site, page, created DESC", params + (latest,))
            for s, p, created, comment in cur.fetchall():
                pages[(s, p)].latest.append((created, comment))
        return list(pages.values())

    def missing_summaries(self, site: str | None = None, since: datetime | None = None,
                          limit: int = 50) -> list[MissingSummary]:
        where, params = _filters(site=site, since=since)
        with self.transaction() as cur:
            cur.execute("SELECT site, path, COUNT(*), MAX(created) FROM missing"
                        f"{where} GROUP BY site, path"
                        " ORDER BY COUNT(*) DESC, site, path LIMIT ?", params + (limit,))
            rows = [MissingSummary(s, p, int(n), last) for s, p, n, last in cur.fetchall()]
            for row in rows:
                cur.execute("SELECT referrer FROM missing WHERE site = ? AND path = ?"
                            " AND referrer <> '' ORDER BY created DESC LIMIT 1",
                            (row.site, row.path))
                found = cur.fetchone()
                row.referrer = found[0] if found else ""
        return rows

    def count(self, table: str, **equals: str) -> int:
        """Rows in ``table`` matching ``column=value`` pairs (for checks and the load test)."""
        if table not in ("feedback", "comments", "missing"):
            raise ValueError(f"unknown table {table!r}")
        if not all(column in COLUMNS for column in equals):
            raise ValueError(f"unknown column in {sorted(equals)}")
        where = " AND ".join(f"{column} = ?" for column in equals)
        sql = f"SELECT COUNT(*) FROM {table}" + (f" WHERE {where}" if where else "")
        with self.transaction() as cur:
            cur.execute(sql, tuple(equals.values()))
            return int(cur.fetchone()[0])

    def feedback_comments(self, prefix: str) -> list[str]:
        """Comments of feedback rows whose comment starts with ``prefix`` (load test check)."""
        with self.transaction() as cur:
            cur.execute("SELECT comment FROM feedback WHERE substr(comment, 1, ?) = ?",
                        (len(prefix), prefix))
            return [row[0] for row in cur.fetchall()]


class _Cursor:
    """Writes SQL with ``?`` markers and translates them for the driver."""

    def __init__(self, cur, marker: str):
        self.cur = cur
        self.marker = marker

    def execute(self, sql: str, params: tuple) -> None:
        if self.marker != "?":
            sql = sql.replace("?", self.marker)
        self.cur.execute(sql, params)

    def fetchone(self):
        return self.cur.fetchone()

    def fetchall(self):
        return self.cur.fetchall()

    @property
    def rowcount(self) -> int:
        return self.cur.rowcount


def _filters(status: str | None = None, site: str | None = None,
             since: datetime | None = None) -> tuple[str, tuple]:
    clauses, params = [], []
    if status:
        clauses.append("status = ?")
        params.append(status)
    if site:
        clauses.append("site = ?")
        params.append(site)
    if since:
        clauses.append("created >= ?")
        params.append(timestamp(since))
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(params)
