"""The progress bar: drawn on a terminal for long steps, never with -q or into a pipe or file."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from testkit import NOW, REPO, page

PAGES = 220   # above progress.MIN_ITEMS, so every step is long enough for a bar


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    content = tmp_path_factory.mktemp("progress") / "content"
    site = content / "demo"
    site.mkdir(parents=True)
    (site / "site.yaml").write_text("title: Demo\nbase_url: https://www.example.se/demo/\n"
                                    "contact:\n  email: info@example.se\n", encoding="utf-8")
    (site / "index.md").write_text(page("Start"), encoding="utf-8")
    for number in range(PAGES):
        (site / f"sida-{number}.md").write_text(page(f"Sida {number}", f"Text om sida {number}."), encoding="utf-8")
    return content


def build_on_terminal(content, out, *extra) -> str:
    """Run a build with its stderr on a pseudo-terminal; what the terminal got."""
    leader, follower = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "sitegen", "build", "--content", str(content), "--out", str(out),
                             "--now", NOW, "--no-cache", *extra],
                            cwd=REPO, stdout=subprocess.DEVNULL, stderr=follower, env={**os.environ, "COLUMNS": "100"})
    os.close(follower)
    received = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:   # the build ended and closed the terminal
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    assert proc.wait(timeout=300) == 0, received.decode(errors="replace")
    return received.decode(errors="replace")


def test_a_terminal_sees_a_bar_for_each_long_step_named_in_swedish(big_site, tmp_path):
    shown = build_on_terminal(big_site, tmp_path / "out", "--lang", "sv")
    for step in ("Sidornas text", "Sidor", "Sökindex"):
        assert step in shown, shown[-500:]
    assert f"/{PAGES + 1}" in shown   # "done/total" of the Markdown step
    assert "━" in shown


def test_the_steps_are_named_in_english_on_request(big_site, tmp_path):
    shown = build_on_terminal(big_site, tmp_path / "out")   # the tests ask for English (conftest.py)
    for step in ("Page texts", "Pages", "Search index"):
        assert step in shown, shown[-500:]


def test_quiet_builds_draw_nothing(big_site, tmp_path):
    assert build_on_terminal(big_site, tmp_path / "out", "-q") == ""


def test_a_pipe_gets_no_bar(big_site, tmp_path):
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--content", str(big_site),
                           "--out", str(tmp_path / "out"), "--now", NOW, "--no-cache"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "━" not in done.stdout
    assert done.stdout.startswith("demo: ")
