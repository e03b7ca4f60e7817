"""The sites the real servers serve: the examples of content/, and a demo site whose aliases
and removed paths hold every character that means something in nginx or Apache rules."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

import pytest

import webservers
from testkit import NOW, REPO, allow_old_hosts, page, run_sitegen

EXAMPLES = ["kulturskolan", "fordjupning", "stadsarkiv"]
HOST = "www.orebro.se"
HOSTILE_ALIASES = ["/demo/gam mal/", '/demo/"x;y{z}', "/demo/it's.html", "/demo/$1&$2.html",
                   "/demo/a%23b.html", "/demo/å.html", "/gammal.aspx", "https://gamla.örebro.se/sida.html"]
HOSTILE_REMOVED = ["/demo/it's gone.html", "/ute;return 200.html"]
DEMO_YAML = """title: Demo "quoted" {site}
base_url: https://www.orebro.se/demo/
feedback:
  endpoint: https://feedback.example.se/feedback
removed:
""" + "".join(f"  - '{p.replace(chr(39), chr(39) * 2)}'\n" for p in HOSTILE_REMOVED)


def _demo_content(folder: Path) -> Path:
    site = folder / "demo"
    site.mkdir(parents=True)
    (site / "site.yaml").write_text(DEMO_YAML, encoding="utf-8")
    (site / "index.md").write_text(page("Start"), encoding="utf-8")
    aliases = "".join(f"  - '{a.replace(chr(39), chr(39) * 2)}'\n" for a in HOSTILE_ALIASES)
    (site / "mal.md").write_text(f"---\ntitle: Mål\ningress: x\naliases:\n{aliases}---\n\nText.\n", encoding="utf-8")
    allow_old_hosts(folder, "gamla.örebro.se\n")
    return folder


@pytest.fixture(scope="session")
def served_build(example_build):
    """The examples (the session's build, copied) and the demo site, in a folder the servers'
    workers may read (pytest's own temporary folders are the user's alone)."""
    out = Path(tempfile.mkdtemp(prefix="sitegen-served-"))
    out.chmod(0o755)
    shutil.copytree(example_build, out / "build", symlinks=True)
    (out / "build").chmod(0o755)   # copied with the mode of pytest's folder
    result = run_sitegen("build", "--content", str(_demo_content(out / "content")), "--out", str(out / "build"),
                         "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    yield out / "build"
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def www(served_build):
    root = webservers.www_root(served_build, [*EXAMPLES, "demo"])
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def work_dir():
    work = Path(tempfile.mkdtemp(prefix="sitegen-server-"))
    work.chmod(0o755)
    yield work
    shutil.rmtree(work, ignore_errors=True)


# Posts per visitor and minute the feedback service behind the servers takes: small, so a
# test can reach it; each test posts from loopback addresses of its own.
FEEDBACK_LIMIT = 3


@pytest.fixture(scope="session")
def feedback_port(work_dir):
    """``sitegen feedback serve`` for the example sites, which name no endpoint and so post to
    their own host, where the servers forward it (docs/deploy.md)."""
    port = webservers.free_port()
    log = work_dir / "feedback.log"
    command = [sys.executable, "-m", "sitegen", "feedback", "serve", "--content", str(REPO / "content"),
               "--db", str(work_dir / "feedback.sqlite3"), "--port", str(port), "--no-desk",
               "--rate-limit", str(FEEDBACK_LIMIT), "--retention-days", "0"]
    with open(log, "ab") as out:
        process = subprocess.Popen(command, cwd=work_dir, stdout=out, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, PYTHONPATH=str(REPO)))
    try:
        for _ in range(600):
            assert process.poll() is None, log.read_text()
            try:
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(20)
