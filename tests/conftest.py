"""Shared fixtures: building sites into temporary folders."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from testkit import NOW, REPO, allow_old_hosts, page, run_sitegen

# Most tests pin the English message texts (the message ids); every run they start, in this
# process or as `sitegen` in a subprocess, speaks English unless a test asks for Swedish
# (SITEGEN_LANG=sv or --lang sv). tests/test_messages.py and the Swedish cases beside the
# English ones pin the default language.
os.environ["SITEGEN_LANG"] = "en"


@pytest.fixture
def sitegen():
    return run_sitegen


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The example sites of content/, built once per test session with a fixed now."""
    out = tmp_path_factory.mktemp("example-build")
    result = run_sitegen("build", "--content", str(REPO / "content"), "--out", str(out), "--now", NOW, "-q",
                         "--no-cache")   # a one-off build: nothing to keep beside the repository's content
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
        allow_old_hosts(content)
        for rel, text in files.items():
            path = site / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return content
    return make


DEMO_SITE_YAML = """title: Demo
base_url: https://www.example.se/demo/
organization: Exempel kommun
feedback:
  endpoint: https://feedback.example.se/feedback
removed:
  - /demo/borttagen.html
"""


@pytest.fixture
def built(make_site, tmp_path):
    """A small demo site with aliases, a removed path, a page without feedback and an expired one, built."""
    content = make_site({
        "index.md": page("Start"),
        "om/index.md": page("Om oss", weight=1),
        "om/historia.md": page("Historia", aliases="[/demo/gammal-historia.aspx, https://gamla.example.se/historia.html]"),
        "om/personal.md": page("Personal", nav_title="Vi som jobbar här"),
        "tyst.md": page("Tyst", feedback="false"),
        "gammal.md": page("Gammal", expires="2026-11-01"),
    }, site_yaml=DEMO_SITE_YAML)
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 0, result.stderr
    return out / "demo"
