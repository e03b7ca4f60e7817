"""The two databases the feedback store runs on: opening them, a transaction, and how
long anything may wait for them.

SQLite is the embedded default (one file in WAL mode, one connection behind a lock);
PostgreSQL gets a small pool. Every wait is bounded by the store's timeout: a connection,
the lock or a pool slot, a statement. This is the only module that imports a database
driver, and psycopg is imported lazily so SQLite works without it.
"""
from __future__ import annotations

import math
import queue
import shutil
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from sitegen.messages import _

# How long a call may wait for the database (a connection, a lock, a statement) before it
# fails: a stalled database gives a quick "unavailable", not a post hanging for minutes.
DEFAULT_TIMEOUT = 5.0
# Less free space than this beside a SQLite store, and /health says it cannot take writes.
MIN_FREE_BYTES = 16 * 1024 * 1024


class StoreError(Exception):
    """The database cannot be opened or used; the message is for the operator."""


class NoStore(StoreError):
    """There is no feedback store where the editors' commands were pointed."""


class SQLite:
    """One connection behind a lock: writes are serialised anyway, and fsync dominates."""

    name = "sqlite"
    marker = "?"
    id_column = "INTEGER PRIMARY KEY AUTOINCREMENT"

    def __init__(self, path: str, create: bool = True, timeout: float = DEFAULT_TIMEOUT):
        self.path = path
        self.timeout = timeout
        if path != ":memory:":
            parent = Path(path).parent
            if not parent.is_dir():
                raise StoreError(_("{parent}: folder for the database does not exist").format(
                    parent=parent))
            if not create and not Path(path).is_file():
                state = _("is a folder") if Path(path).is_dir() else _("does not exist")
                raise NoStore(_("no feedback store at {path} ({full} {state})").format(
                    path=path, full=Path(path).resolve(), state=state))
        # mode=rw: a store that vanishes between the check and the open is not recreated.
        where = f"file:{quote(path)}?mode=rw" if not create and path != ":memory:" else path
        try:
            self.conn = sqlite3.connect(where, isolation_level=None, check_same_thread=False,
                                        timeout=timeout, uri=where != path)
            self.conn.execute("PRAGMA journal_mode=WAL")
            # FULL: a post is acknowledged only after its commit reached the disk.
            self.conn.execute("PRAGMA synchronous=FULL")
            self.conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        except sqlite3.Error as exc:
            raise StoreError(_("{path}: cannot open the database: {exc}").format(
                path=path, exc=exc)) from exc
        self.lock = threading.Lock()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        if not self.lock.acquire(timeout=self.timeout):
            raise StoreError(_("the database is busy: no turn within {seconds:g} s").format(
                seconds=self.timeout))
        try:
            cur = self.conn.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE")
                yield cur
                cur.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    cur.execute("ROLLBACK")
                raise
            finally:
                cur.close()
        finally:
            self.lock.release()

    def space_problem(self) -> str:
        """A disk too full to take posts, or "" (a full disk fails only some writes)."""
        if self.path == ":memory:":
            return ""
        free = shutil.disk_usage(Path(self.path).resolve().parent).free
        if free < MIN_FREE_BYTES:
            return _("only {kib} KiB free on the disk of {path}").format(kib=free // 1024,
                                                                       path=self.path)
        return ""

    def execute_script(self, script: str) -> None:
        with self.lock:
            self.conn.executescript(script)

    def errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.Error,)

    def close(self) -> None:
        self.conn.close()


class Postgres:
    """A small pool: a broken connection is dropped, not put back."""

    name = "postgresql"
    marker = "%s"
    id_column = "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"

    def __init__(self, url: str, size: int = 4, timeout: float = DEFAULT_TIMEOUT):
        try:
            import psycopg
        except ImportError as exc:
            raise StoreError(_("PostgreSQL needs psycopg: pip install 'sitegen[postgres]'")) from exc
        self.psycopg = psycopg
        self.url = url
        self.timeout = timeout
        self.pool: queue.LifoQueue = queue.LifoQueue()
        self.slots = threading.BoundedSemaphore(size)
        self.pool.put(self._connect())  # fail now, not at the first post

    def _connect(self):
        try:
            conn = self.psycopg.connect(
                self.url, autocommit=True,
                connect_timeout=max(2, math.ceil(self.timeout)),  # libpq's least is 2 s
                # A vanished server or network: unacknowledged data fails the connection
                # after the timeout, and idle pooled connections are probed.
                tcp_user_timeout=int(self.timeout * 1000),
                keepalives=1, keepalives_idle=30, keepalives_interval=10, keepalives_count=3)
            # The server ends a statement (or a wait for a lock) that runs too long.
            conn.execute(f"SET statement_timeout = {int(self.timeout * 1000)}")
            return conn
        except self.psycopg.Error as exc:
            # libpq's messages run over lines; the operator reads one.
            raise StoreError(_("cannot connect to PostgreSQL: {reason}").format(
                reason=" ".join(str(exc).split()))) from exc

    @contextmanager
    def transaction(self):
        if not self.slots.acquire(timeout=self.timeout):
            raise StoreError(_("all connections to PostgreSQL are busy for {seconds:g} s").format(
                seconds=self.timeout))
        try:
            try:
                conn = self.pool.get_nowait()
            except queue.Empty:
                conn = self._connect()
            try:
                with conn.transaction(), conn.cursor() as cur:
                    yield cur
            except BaseException:
                if conn.closed or conn.broken:
                    conn.close()
                else:
                    self.pool.put(conn)
                raise
            self.pool.put(conn)
        finally:
            self.slots.release()

    def space_problem(self) -> str:
        return ""  # the server's own disk: a full one fails the write probe

    def execute_script(self, script: str) -> None:
        with self.transaction() as cur:
            for statement in script.split(";"):
                if statement.strip():
                    cur.execute(statement)

    def errors(self) -> tuple[type[Exception], ...]:
        return (self.psycopg.Error,)

    def close(self) -> None:
        while not self.pool.empty():
            self.pool.get_nowait().close()
