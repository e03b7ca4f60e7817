"""Helpers shared by the tests: run the real command line, write test pages.

Imported as ``from testkit import ...`` (``conftest`` modules are not meant to be imported,
and there is more than one of them).
"""
from __future__ import annotations

import http.server
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00:00+01:00"
# The old hosts the tests' operator allows aliases on (old-hosts.txt beside a content folder).
OLD_HOSTS = "gamla.example.se\nold.example.se\ngamla.örebro.se\n"


def allow_old_hosts(content: Path, hosts: str = OLD_HOSTS) -> None:
    """The operator's old-hosts.txt beside ``content`` (docs/deploy.md)."""
    content.mkdir(parents=True, exist_ok=True)
    (content.parent / "old-hosts.txt").write_text(hosts, encoding="utf-8")


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


def run_sitegen(*args: str, cwd: Path | None = None, env: dict | None = None) -> Run:
    """Run the real command line in a subprocess, as a user would (``env``: extra variables)."""
    done = subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env} if env else None)
    return Run(done.returncode, done.stdout, done.stderr)


LOOPBACK_CLI = ("import sys; from sitegen import cli, netfetch; netfetch.ALLOW_LOOPBACK_FOR_TESTS = True; "
                "sys.exit(cli.main(sys.argv[1:]))")


def run_sitegen_reaching_loopback(*args: str, cwd: Path | None = None) -> Run:
    """The command line with ``netfetch.ALLOW_LOOPBACK_FOR_TESTS`` set, for fetches from the tests'
    own server on 127.0.0.1 (no site and no option can set it)."""
    done = subprocess.run([sys.executable, "-c", LOOPBACK_CLI, *args], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


def page(title: str, body: str = "Text.", **meta) -> str:
    """Front matter + body for a test page."""
    lines = [f"title: {title}"]
    meta.setdefault("ingress", f"Om {title.lower()}.")
    for key, value in meta.items():
        lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def build_files(folder: Path, files: dict, name: str = "demo", now: str = NOW) -> Path:
    """Write ``files`` (site.yaml included) as site ``name`` under ``folder/content``, build it
    into ``folder/out`` and return the built site's folder; the build must succeed."""
    content = folder / "content"
    for rel, text in files.items():
        path = content / name / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    out = folder / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", now, "-q")
    assert result.status == 0, result.stderr
    return out / name


class StaticSiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves built sites from a folder quietly, answering a missing page with the site's own
    404.html, as nginx's ``error_page`` does."""

    def log_message(self, *args):  # keep test output clean
        pass

    def send_error(self, code, message=None, explain=None):
        parts = self.path.strip("/").split("/")
        page = Path(self.directory) / parts[0] / "404.html" if parts and parts[0] else None
        if code == 404 and page is not None and page.is_file():
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)
