"""``sitegen feedback serve`` as it runs in production: a real process, real stores.

Worker processes; a client that goes away mid-post is one log line; /health says when the
store cannot take a write (a read-only SQLite file); a PostgreSQL server frozen with
SIGSTOP gives a prompt 503, and the answer sent again with its idempotency key after the
server thaws is stored once.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from sitegen.feedback.store import Store

from .conftest import CLIENT_TIMEOUT, REPO, Cluster, Served, children, postgres_bin

KEY = "f00dfeedc0ffee00112233445566"


# --- workers and logging -------------------------------------------------------------

def test_workers_serve_posts_from_their_own_processes(folder, db_target):
    served = Served(folder, db_target, "--workers", "2")
    try:
        workers = [pid for pid in children(served.process.pid)
                   if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(workers) == 2  # two worker processes under the manager
        answers = [served.post(comment=f"worker-{i}") for i in range(20)]
    finally:
        out = served.stop()
    assert [a.status_code for a in answers] == [200] * 20, out
    assert "2 workers" in out
    store = Store(db_target)
    assert store.count("feedback") == 20
    store.close()


def test_workers_must_be_one_or_more(folder, tmp_path):
    done = subprocess.run([sys.executable, "-m", "sitegen", "feedback", "serve", "--workers", "0",
                           "--content", str(folder / "content"), "--db", str(tmp_path / "x")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("error: --workers must be 1 or more")


def test_missing_page_reports_are_limited_apart_from_answers(folder, tmp_path):
    served = Served(folder, str(tmp_path / "feedback.sqlite3"), "--rate-limit", "1", "--missing-rate-limit", "2")
    try:
        reports = [httpx.post(served.url + "/missing", data={"path": "/kulturskolan/gitarr/"},
                              headers={"Origin": "https://www.orebro.se"}, timeout=CLIENT_TIMEOUT).status_code
                   for _ in range(3)]
        answers = [served.post().status_code for _ in range(2)]
    finally:
        out = served.stop()
    assert reports == [204, 204, 429], out
    assert answers == [200, 429], out


def test_missing_rate_limit_must_be_0_or_more(folder, tmp_path):
    done = subprocess.run([sys.executable, "-m", "sitegen", "feedback", "serve", "--missing-rate-limit", "-1",
                           "--content", str(folder / "content"), "--db", str(tmp_path / "x")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("error: --rate-limit, --missing-rate-limit and --retention-days must be 0")


def test_a_client_that_goes_away_mid_post_is_one_log_line(folder, tmp_path):
    served = Served(folder, str(tmp_path / "feedback.sqlite3"))
    try:
        with socket.create_connection(("127.0.0.1", served.port)) as raw:
            raw.sendall(b"POST /feedback HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n"
                        b"Content-Type: application/x-www-form-urlencoded\r\n\r\npage=%2F")
        for _ in range(200):  # the server notices the closed connection on its own time
            if "went away" in served.output():
                break
            time.sleep(0.05)
        assert served.post().status_code == 200  # and serves on
    finally:
        out = served.stop()
    lines = [line for line in out.splitlines() if "went away" in line]
    assert lines == ["/feedback: the client went away before its post was read"], out
    assert "Traceback" not in out


# --- /health and a store that cannot take a write ----------------------------------------

def test_health_is_503_when_the_sqlite_file_is_read_only(folder):
    # Without the editorial desk, which writes its settings when it starts (with the desk,
    # a store read-only at start is a one-line error instead, and the service does not run).
    db = folder / "feedback.sqlite3"
    Store(str(db)).close()
    user = "nobody" if os.geteuid() == 0 else None
    if user:
        subprocess.run(["chown", "nobody", str(db)], check=True)
    db.chmod(0o444)
    served = Served(folder, str(db), "--no-desk", user=user)
    try:
        health = httpx.get(served.url + "/health", timeout=CLIENT_TIMEOUT)
        post = served.post()
    finally:
        out = served.stop()
    assert health.status_code == 503, out
    assert health.json() == {"ok": False, "store": "sqlite",
                             "error": "the store cannot take posts now"}
    assert post.status_code == 503 and post.json()["code"] == "unavailable"
    assert "readonly database" in out  # the reason is in the operator's log


def test_health_is_200_when_the_same_file_is_writable(folder):
    db = folder / "feedback.sqlite3"
    Store(str(db)).close()
    user = "nobody" if os.geteuid() == 0 else None
    if user:
        subprocess.run(["chown", "nobody", str(db)], check=True)
    served = Served(folder, str(db), "--no-desk", user=user)
    try:
        health = httpx.get(served.url + "/health", timeout=CLIENT_TIMEOUT)
    finally:
        served.stop()
    assert health.status_code == 200 and health.json() == {"ok": True, "store": "sqlite"}


# --- a frozen PostgreSQL server ----------------------------------------------------------

@pytest.fixture(scope="module")
def own_cluster():
    """A cluster of this module's own, since the test freezes it."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries (apt-get install postgresql)")
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


def cluster_processes(cluster: Cluster) -> list[int]:
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    return [postmaster, *children(postmaster)]


@pytest.mark.postgres
def test_a_frozen_postgres_gives_a_503_and_the_retry_is_stored_once(own_cluster, folder):
    db = own_cluster.new_database()
    served = Served(folder, db, "--db-timeout", "1")
    frozen = []
    try:
        assert served.post(comment="before").status_code == 200  # a pooled connection
        frozen = cluster_processes(own_cluster)
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        during = served.post(comment="frozen", idempotency_key=KEY)      # pooled connection
        another = served.post(comment="another")                         # a new connection
        health = httpx.get(served.url + "/health", timeout=CLIENT_TIMEOUT)
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        frozen = []
        again = served.post(comment="frozen", idempotency_key=KEY)       # the page's retry
        for _ in range(100):  # connections broken by the freeze are replaced
            if again.status_code == 200:
                break
            time.sleep(0.1)
            again = served.post(comment="frozen", idempotency_key=KEY)
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
        out = served.stop()
    assert (during.status_code, during.json()["code"]) == (503, "unavailable"), out
    assert another.status_code == 503 and health.status_code == 503
    assert again.status_code == 200, out
    store = Store(db)
    assert store.feedback_comments("frozen") == ["frozen"]
    store.close()
