"""Shared fixtures: the repository, and building sites into temporary folders."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00:00+01:00"


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


def run_sitegen(*args: str, cwd: Path | None = None) -> Run:
    """Run the real command line in a subprocess, as a user would."""
    done = subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd or REPO,
                          capture_output=True, text=True, timeout=600)
    return Run(done.returncode, done.stdout, done.stderr)


@pytest.fixture
def sitegen():
    return run_sitegen


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The example sites of content/, built once per test session with a fixed now."""
    out = tmp_path_factory.mktemp("example-build")
    result = run_sitegen("build", "--content", str(REPO / "content"), "--out", str(out), "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    return out


@pytest.fixture
def make_site(tmp_path):
    """Write a small site from a dict {relative path: text}; returns the content folder."""
    def make(files: dict[str, str], name: str = "demo", site_yaml: str | None = None) -> Path:
        content = tmp_path / "content"
        site = content / name
        site.mkdir(parents=True, exist_ok=True)
        (site / "site.yaml").write_text(site_yaml or f"title: Demo\nbase_url: https://www.example.se/{name}/\n",
                                        encoding="utf-8")
        for rel, text in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return content
    return make


def page(title: str, body: str = "Text.", **meta) -> str:
    """Front matter + body for a test page."""
    lines = [f"title: {title}"]
    meta.setdefault("ingress", f"Om {title.lower()}.")
    for key, value in meta.items():
        lines.append(f"{key}: {value}")
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"
