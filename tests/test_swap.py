"""The swap keeps the site servable at every instant; the working folders of a build stopped
half-way are removed by the next build, those of a build still running are left alone."""
from __future__ import annotations

from testkit import NOW, page, run_sitegen
from sitegen import swap


def _build(content, out):
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    assert result.status == 0, result.stderr


def test_folders_of_builds_stopped_half_way_are_removed_but_not_those_still_running(make_site, tmp_path):
    import os
    import subprocess
    import sys

    content = make_site({"index.md": page("Start")})
    out = tmp_path / "out"
    _build(content, out)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()   # a process that has ended
    stopped = [out / f".demo.new-{gone}-abc", out / f".demo.scratch-{gone}-def"]
    running = out / f".demo.new-{os.getpid()}-ghi"
    for folder in [*stopped, running]:
        (folder / "sida").mkdir(parents=True)
    (content / "demo/index.md").write_text(page("Start", "Ändrad."), encoding="utf-8")
    _build(content, out)
    assert not any(folder.exists() for folder in stopped)
    assert running.exists()


# --- the swap keeps the site servable; a killed build is cleaned up after ------------

KILLED_BUILD = """
import os, signal, sys
from sitegen import cli, swap

STEP = sys.argv[1]
real_exchange, real_set_aside = swap._exchange, swap._set_aside

def exchange(first, second):
    if STEP == "no-exchange":
        return False
    done = real_exchange(first, second)
    if STEP == "after-exchange":
        os.kill(os.getpid(), signal.SIGKILL)
    return done

def set_aside(folder, name):
    old = real_set_aside(folder, name)
    if STEP in ("no-exchange", "after-set-aside"):
        os.kill(os.getpid(), signal.SIGKILL)   # the fallback: between its two renames
    return old

swap._exchange, swap._set_aside = exchange, set_aside
sys.exit(cli.main(sys.argv[2:]))
"""


def _killed_build(content, out, step: str) -> int:
    """A real build in a subprocess that kills itself with SIGKILL at ``step`` of the swap,
    while this process watches that the site folder is there all the time."""
    import subprocess
    import sys
    import threading

    missing = []
    running = threading.Event()
    running.set()

    def watch():
        while running.is_set():
            if not (out / "demo" / "index.html").is_file():
                missing.append(True)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        done = subprocess.run([sys.executable, "-c", KILLED_BUILD, step, "build", "--content", str(content),
                               "--out", str(out), "--now", NOW, "-q", "--no-cache"], capture_output=True,
                              timeout=120)
    finally:
        running.clear()
        watcher.join()
    return done.returncode, bool(missing)


def _leftovers(out) -> list[str]:
    """Working folders of builds beside the output (the site's spare tree is not one)."""
    return sorted(p.name for p in out.iterdir() if p.name not in ("demo", ".demo.spare"))


def test_the_swap_exchanges_the_folders_in_one_step_where_linux_can():
    import sys

    import pytest
    if not sys.platform.startswith("linux"):
        pytest.skip("renameat2 is Linux's")
    assert swap._find_renameat2() is not False


def test_a_build_killed_right_after_the_exchange_leaves_the_new_site_and_the_next_build_cleans_up(
        make_site, tmp_path):
    import signal

    content = make_site({"index.md": page("Start", "Gammal.")})
    out = tmp_path / "out"
    _build(content, out)
    (content / "demo/index.md").write_text(page("Start", "Ny."), encoding="utf-8")
    status, was_missing = _killed_build(content, out, "after-exchange")
    assert status == -signal.SIGKILL
    assert not was_missing
    assert "Ny." in (out / "demo/index.html").read_text(encoding="utf-8")
    assert _leftovers(out)                       # the old tree, at the staging name
    _build(content, out)
    assert _leftovers(out) == []
    assert "Ny." in (out / "demo/index.html").read_text(encoding="utf-8")


def test_a_build_killed_after_the_old_tree_is_set_aside_leaves_it_for_the_next_build(make_site, tmp_path):
    import signal

    content = make_site({"index.md": page("Start", "Gammal.")})
    out = tmp_path / "out"
    _build(content, out)
    (content / "demo/index.md").write_text(page("Start", "Ny."), encoding="utf-8")
    status, was_missing = _killed_build(content, out, "after-set-aside")
    assert status == -signal.SIGKILL and not was_missing
    assert ".demo.old" in [name.split("-")[0] for name in _leftovers(out)]
    _build(content, out)
    assert _leftovers(out) == []


def test_without_an_exchange_a_build_killed_between_the_renames_is_put_right_by_the_next(make_site, tmp_path):
    import signal

    content = make_site({"index.md": page("Start", "Gammal.")})
    out = tmp_path / "out"
    _build(content, out)
    (content / "demo/index.md").write_text(page("Start", "Ny."), encoding="utf-8")
    status, _ = _killed_build(content, out, "no-exchange")
    assert status == -signal.SIGKILL
    assert not (out / "demo").exists()           # the one gap the fallback has
    swap.remove_all_leftovers(out)             # what every build does first
    assert "Gammal." in (out / "demo/index.html").read_text(encoding="utf-8")
    assert _leftovers(out) == []
    _build(content, out)
    assert "Ny." in (out / "demo/index.html").read_text(encoding="utf-8")
    assert _leftovers(out) == []


def test_a_build_with_nothing_to_write_still_cleans_up_after_a_killed_one(make_site, tmp_path):
    content = make_site({"index.md": page("Start")})
    out = tmp_path / "out"
    _build(content, out)
    stale = out / ".demo.old-999999999-abc"
    (stale / "sida").mkdir(parents=True)
    _build(content, out)
    assert not stale.exists()
