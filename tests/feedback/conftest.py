"""Fixtures for the feedback service: sites, a store on SQLite and PostgreSQL, a client.

The PostgreSQL tests start a throwaway cluster (initdb + pg_ctl from Debian's
packages) on 127.0.0.1 at a free port in a temporary folder, once per session,
and give every test its own database.
"""
from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import httpx
import pytest

from sitegen.feedback.app import Service, create_app
from sitegen.feedback.limits import ClientHasher, Limits, RateLimiter
from sitegen.feedback.sites import SiteIndex, load_sites
from sitegen.feedback.store import Store
from sitegen.problems import Problems

SITES = {
    "kulturskolan": "https://www.orebro.se/kulturskolan/",
    "stadsarkiv": "https://www.orebro.se/stadsarkiv/",
    "wadkoping": "https://wadkoping.example.se/",
}
PAGES = ["index.md", "om.md", "kurser/index.md", "kurser/gitarr.md", "kurser/piano.md",
         "blogg/2026-11-20-var-konsert.md", "blogg/2026-11-21-stangt.md"]
# Front matter beyond title and ingress: the concert post takes comments, the other not.
EXTRA = {"blogg/2026-11-20-var-konsert.md": "type: blog\ncomments: true\n",
         "blogg/2026-11-21-stangt.md": "type: blog\n"}
PREVIEW = "http://127.0.0.1:8000"


def make_content(root: Path, endpoint: str = "https://feedback.example.se/feedback") -> Path:
    for name, base_url in SITES.items():
        folder = root / name
        folder.mkdir(parents=True)
        (folder / "site.yaml").write_text(
            f"title: {name.title()}\nbase_url: {base_url}\n"
            f"feedback:\n  endpoint: {endpoint}\n", encoding="utf-8")
        for page in PAGES:
            path = folder / page
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"---\ntitle: Sida\ningress: Text.\n{EXTRA.get(page, '')}---\nText.\n",
                            encoding="utf-8")
    return root


@pytest.fixture
def content(tmp_path) -> Path:
    return make_content(tmp_path / "content")


@pytest.fixture
def sites(content) -> SiteIndex:
    problems = Problems()
    found = load_sites(content, [], problems)
    assert not problems.errors, problems.errors
    return SiteIndex(found, [PREVIEW])


# --- PostgreSQL ----------------------------------------------------------------

def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(cmd: list[str]) -> list[str]:
    # initdb refuses to run as root; the cluster belongs to the postgres user.
    return ["runuser", "-u", "postgres", "--"] + cmd if os.geteuid() == 0 else cmd


class Cluster:
    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="sitegen-pg-"))
        os.chmod(self.dir, 0o777)
        self.data = self.dir / "data"
        self.port = free_port()
        self.counter = itertools.count()

    def run(self, *cmd: str) -> None:
        done = subprocess.run(as_postgres([str(self.bindir / cmd[0]), *cmd[1:]]),
                              capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{cmd[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        self.run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                 "--no-sync", "-E", "UTF8", "--locale", "C")
        options = (f"-p {self.port} -h 127.0.0.1 -k {self.dir} -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off")
        self.run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                 str(self.dir / "log"), "-w", "-t", "60", "start")

    def stop(self) -> None:
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self.counter)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster():
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL binaries under /usr/lib/postgresql/*/bin "
                    "(apt-get install postgresql)")
    cluster = Cluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_target(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "feedback.sqlite3")
    return request.getfixturevalue("pg_cluster").new_database()


@pytest.fixture
def store(db_target):
    opened = Store(db_target)
    yield opened
    opened.close()


# --- the service -----------------------------------------------------------------

@pytest.fixture
def service(store, sites) -> Service:
    return Service(store=store, sites=sites, limits=Limits(),
                   limiter=RateLimiter(limit=5, window=60), hasher=ClientHasher())


def make_client(service: Service, address: str = "198.51.100.7"):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient
        return TestClient(create_app(service), base_url="https://feedback.example.se",
                          follow_redirects=False, client=(address, 50000))


@pytest.fixture
def client(service):
    return make_client(service)


@pytest.fixture
def client_for():
    """A client for a service built by the test itself."""
    return make_client


@pytest.fixture
def new_client(service):
    """Another visitor (another address), for tests that post more than the limit allows."""
    return lambda address: make_client(service, address)


# --- the service as a process ------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
SERVED_PAGE = "https://www.orebro.se/kulturskolan/om/"
# Generous: tests assert that an answer comes (a 503, say), not how fast.
CLIENT_TIMEOUT = 30


class Served:
    """``sitegen feedback serve`` in a subprocess, its output in a log file."""

    def __init__(self, folder: Path, db: str, *extra: str, user: str | None = None):
        self.port = free_port()
        self.log = folder / "service.log"
        self.url = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "sitegen", "feedback", "serve",
               "--content", str(folder / "content"), "--db", db, "--port", str(self.port),
               "--rate-limit", "0", "--retention-days", "0", *extra]
        if user:  # as root, only another user meets file permissions
            who = pwd.getpwnam(user)
            cmd = ["setpriv", f"--reuid={who.pw_uid}", f"--regid={who.pw_gid}", "--clear-groups",
                   *cmd]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(cmd, cwd=folder, env=env, stdout=out,
                                            stderr=subprocess.STDOUT)
        self.wait_answering()

    def wait_answering(self) -> None:
        for _ in range(600):
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}:\n{self.output()}")
            try:
                httpx.get(self.url + "/health", timeout=CLIENT_TIMEOUT)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise AssertionError("serve did not answer:\n" + self.output())

    def post(self, **fields) -> httpx.Response:
        data = {"page": SERVED_PAGE, "useful": "ja", **fields}
        return httpx.post(self.url + "/feedback", data=data, headers={"Accept": "application/json"},
                          timeout=CLIENT_TIMEOUT)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.output()


@pytest.fixture
def folder():
    """A folder with the sites that other users may enter too (pytest's own temporary
    folders are root's alone, and some tests run the service as another user)."""
    path = Path(tempfile.mkdtemp(prefix="sitegen-serve-"))
    path.chmod(0o777)
    make_content(path / "content")
    yield path
    shutil.rmtree(path, ignore_errors=True)


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]
