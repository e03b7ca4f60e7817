"""`sitegen deploy`: releases, atomic switch, hard links, rollback, errors, remote targets."""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitegen import deploy as d
from sitegen import deploy_local

ROOT = Path(__file__).resolve().parents[1]
HAS_RSYNC = shutil.which("rsync") is not None


def write_build(out: Path, files: dict[str, str | bytes], site: str = "kultur") -> Path:
    site_dir = out / site
    if site_dir.exists():
        shutil.rmtree(site_dir)
    for rel, data in files.items():
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return site_dir


def env_with_path(path: str | None = None) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if path is not None:
        env["PATH"] = path
    return env


def sitegen(tmp_path: Path, *args: str, path: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sitegen", "deploy", *args],
        cwd=tmp_path, env=env_with_path(path), capture_output=True, text=True, timeout=120,
    )


def serving(dest: Path) -> dict[str, bytes]:
    """What a web server with root DEST/current would serve."""
    current = dest / "current"
    return {p.relative_to(current).as_posix(): p.read_bytes()
            for p in current.rglob("*") if p.is_file()}


def releases(dest: Path) -> list[str]:
    return deploy_local.list_releases(dest / "releases")


def assert_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for word in words:
        assert word in proc.stderr


# --- local deploys ------------------------------------------------------------------

@pytest.fixture(params=["rsync", "python"] if HAS_RSYNC else ["python"])
def copier_path(request, tmp_path):
    """PATH for the deploy: the normal one (rsync), or one without rsync (Python copy)."""
    if request.param == "rsync":
        return None
    empty = tmp_path / "no-rsync-bin"
    empty.mkdir()
    return str(empty)


def test_first_deploy_creates_release_and_relative_current_link(tmp_path, copier_path):
    write_build(tmp_path / "build", {"index.html": "start", "a/index.html": "a"})
    proc = sitegen(tmp_path, "kultur", "--to", "www", path=copier_path)
    assert proc.returncode == 0, proc.stderr
    dest = tmp_path / "www"
    assert serving(dest) == {"index.html": b"start", "a/index.html": b"a"}
    [name] = releases(dest)
    assert os.readlink(dest / "current") == f"releases/{name}"
    assert name.endswith("-" + d.tree_hash(tmp_path / "build" / "kultur"))


def test_unchanged_files_are_hard_links_into_the_previous_release(tmp_path, copier_path):
    write_build(tmp_path / "build", {"index.html": "start", "a/index.html": "a", "s.css": "x"})
    assert sitegen(tmp_path, "kultur", "--to", "www", path=copier_path).returncode == 0
    # a rebuild rewrites every file (new mtimes) but changes the bytes of one
    time.sleep(1.1)
    write_build(tmp_path / "build", {"index.html": "start", "a/index.html": "A2", "s.css": "x"})
    proc = sitegen(tmp_path, "kultur", "--to", "www", path=copier_path)
    assert proc.returncode == 0, proc.stderr
    old, new = (tmp_path / "www" / "releases" / n for n in releases(tmp_path / "www"))
    assert os.stat(old / "index.html").st_ino == os.stat(new / "index.html").st_ino
    assert os.stat(old / "s.css").st_ino == os.stat(new / "s.css").st_ino
    assert os.stat(old / "a/index.html").st_ino != os.stat(new / "a/index.html").st_ino
    assert (old / "a/index.html").read_text() == "a"  # the old release is untouched
    assert serving(tmp_path / "www")["a/index.html"] == b"A2"


def test_deleted_pages_are_gone_from_the_new_release(tmp_path, copier_path):
    write_build(tmp_path / "build", {"index.html": "s", "old/index.html": "o"})
    sitegen(tmp_path, "kultur", "--to", "www", path=copier_path)
    write_build(tmp_path / "build", {"index.html": "s2"})
    assert sitegen(tmp_path, "kultur", "--to", "www", path=copier_path).returncode == 0
    assert serving(tmp_path / "www") == {"index.html": b"s2"}


def test_deploying_the_same_build_again_makes_no_new_release(tmp_path):
    write_build(tmp_path / "build", {"index.html": "start"})
    sitegen(tmp_path, "kultur", "--to", "www")
    proc = sitegen(tmp_path, "kultur", "--to", "www")
    assert proc.returncode == 0
    assert "unchanged" in proc.stdout
    assert len(releases(tmp_path / "www")) == 1


def test_keep_removes_the_oldest_releases(tmp_path):
    for i in range(4):
        write_build(tmp_path / "build", {"index.html": f"v{i}"})
        assert sitegen(tmp_path, "kultur", "--to", "www", "--keep", "2").returncode == 0
    names = releases(tmp_path / "www")
    assert len(names) == 2
    assert os.readlink(tmp_path / "www" / "current") == f"releases/{names[-1]}"
    assert serving(tmp_path / "www") == {"index.html": b"v3"}


def test_rollback_steps_back_one_release_at_a_time(tmp_path):
    for i in range(3):
        write_build(tmp_path / "build", {"index.html": f"v{i}"})
        sitegen(tmp_path, "kultur", "--to", "www")
    proc = sitegen(tmp_path, "kultur", "--to", "www", "--rollback")
    assert proc.returncode == 0, proc.stderr
    assert serving(tmp_path / "www") == {"index.html": b"v1"}
    assert sitegen(tmp_path, "kultur", "--to", "www", "--rollback").returncode == 0
    assert serving(tmp_path / "www") == {"index.html": b"v0"}
    assert len(releases(tmp_path / "www")) == 3  # rolled-back releases stay until pruned


def test_deploy_after_rollback_becomes_the_newest_release(tmp_path):
    for i in range(3):
        write_build(tmp_path / "build", {"index.html": f"v{i}"})
        sitegen(tmp_path, "kultur", "--to", "www", "--keep", "2")
    sitegen(tmp_path, "kultur", "--to", "www", "--rollback")  # serving v1
    write_build(tmp_path / "build", {"index.html": "v3"})
    assert sitegen(tmp_path, "kultur", "--to", "www", "--keep", "2").returncode == 0
    assert serving(tmp_path / "www") == {"index.html": b"v3"}
    assert len(releases(tmp_path / "www")) == 2
    sitegen(tmp_path, "kultur", "--to", "www", "--rollback")
    assert serving(tmp_path / "www") == {"index.html": b"v2"}


def test_pruning_never_removes_the_release_current_points_to():
    assert d.releases_to_remove(["a", "b", "c", "d"], "b", 2) == ["a"]
    assert d.releases_to_remove(["a", "b", "c"], "c", 5) == []


def test_release_names_sort_by_deploy_order_within_one_second():
    import datetime as dt
    now = dt.datetime(2025, 3, 1, 10, 0, 0)
    first = d.release_name([], "ffff", now)
    second = d.release_name([first], "0000", now)
    assert first < second
    assert second.startswith("20250301T100001Z-")


def test_parse_target_tells_remote_from_local():
    assert d.parse_target("deploy@web1:/srv/www/kultur") == d.Target("/srv/www/kultur", "deploy@web1")
    assert d.parse_target("/srv/www/kultur") == d.Target("/srv/www/kultur")
    assert d.parse_target("./a:b") == d.Target("./a:b")


# --- errors -----------------------------------------------------------------------------

def test_error_missing_build_folder(tmp_path):
    proc = sitegen(tmp_path, "kultur", "--to", "www")
    assert_error(proc, "build/kultur", "sitegen build kultur")
    assert not (tmp_path / "www").exists()


def test_error_empty_build_folder(tmp_path):
    (tmp_path / "build" / "kultur").mkdir(parents=True)
    assert_error(sitegen(tmp_path, "kultur", "--to", "www"), "empty")


def test_error_dest_not_writable_because_it_is_a_file(tmp_path):
    write_build(tmp_path / "build", {"index.html": "s"})
    (tmp_path / "www").write_text("a file, not a folder")
    assert_error(sitegen(tmp_path, "kultur", "--to", "www/site"), "cannot write to www/site")


def without_root_powers() -> list[str]:
    """Prefix that makes a command obey file permissions, also when the tests run as root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv"):
        return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--"]
    pytest.skip("running as root without setpriv: permissions are not enforced")


def test_error_dest_without_write_permission(tmp_path):
    write_build(tmp_path / "build", {"index.html": "s"})
    (tmp_path / "www").mkdir()
    (tmp_path / "www").chmod(stat.S_IRUSR | stat.S_IXUSR | stat.S_IRGRP | stat.S_IXGRP)
    try:
        proc = subprocess.run(
            [*without_root_powers(), sys.executable, "-m", "sitegen", "deploy", "kultur", "--to", "www"],
            cwd=tmp_path, env=env_with_path(), capture_output=True, text=True, timeout=60)
        assert_error(proc, "cannot write to www", "Permission denied")
    finally:
        (tmp_path / "www").chmod(stat.S_IRWXU)


def test_error_nothing_to_roll_back_to_when_never_deployed(tmp_path):
    assert_error(sitegen(tmp_path, "kultur", "--to", "www", "--rollback"), "nothing to roll back to")


def test_error_nothing_to_roll_back_to_at_the_oldest_release(tmp_path):
    write_build(tmp_path / "build", {"index.html": "s"})
    sitegen(tmp_path, "kultur", "--to", "www")
    assert_error(sitegen(tmp_path, "kultur", "--to", "www", "--rollback"), "oldest release")
    assert serving(tmp_path / "www") == {"index.html": b"s"}


def test_error_current_is_a_real_folder(tmp_path):
    write_build(tmp_path / "build", {"index.html": "s"})
    (tmp_path / "www" / "current").mkdir(parents=True)
    assert_error(sitegen(tmp_path, "kultur", "--to", "www"), "not a symbolic link")


def test_error_dest_inside_an_online_release_through_current(tmp_path):
    write_build(tmp_path / "build", {"index.html": "v1"})
    assert sitegen(tmp_path, "kultur", "--to", "www").returncode == 0
    before = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "www").rglob("*"))
    write_build(tmp_path / "build", {"index.html": "v2"})
    assert_error(sitegen(tmp_path, "kultur", "--to", "www/current/sub"),
                 "www/current/sub is inside the deploy at www")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "www").rglob("*")) == before
    assert serving(tmp_path / "www") == {"index.html": b"v1"}


def test_error_dest_inside_the_releases_folder_of_a_deploy(tmp_path):
    write_build(tmp_path / "build", {"index.html": "v1"})
    assert sitegen(tmp_path, "kultur", "--to", "www").returncode == 0
    name = releases(tmp_path / "www")[0]
    assert_error(sitegen(tmp_path, "kultur", "--to", f"www/releases/{name}/x"), "inside the deploy at www")
    assert not (tmp_path / "www" / "releases" / name / "x").exists()


def test_error_dest_reaching_a_release_through_a_link(tmp_path):
    write_build(tmp_path / "build", {"index.html": "v1"})
    assert sitegen(tmp_path, "kultur", "--to", "www").returncode == 0
    (tmp_path / "shortcut").symlink_to(tmp_path / "www" / "current")
    assert_error(sitegen(tmp_path, "kultur", "--to", "shortcut/sub"), "inside the deploy at www")


def test_error_rollback_inside_an_online_release(tmp_path):
    write_build(tmp_path / "build", {"index.html": "v1"})
    assert sitegen(tmp_path, "kultur", "--to", "www").returncode == 0
    assert_error(sitegen(tmp_path, "kultur", "--to", "www/current/sub", "--rollback"), "inside the deploy at www")


def test_a_dest_beside_another_deploy_is_fine(tmp_path):
    write_build(tmp_path / "build", {"index.html": "v1"})
    assert sitegen(tmp_path, "kultur", "--to", "www/a").returncode == 0
    proc = sitegen(tmp_path, "kultur", "--to", "www/b")
    assert proc.returncode == 0, proc.stderr


# --- a deploy killed half-way --------------------------------------------------------------

def test_killed_deploy_leaves_the_previous_release_serving(tmp_path, copier_path):
    write_build(tmp_path / "build", {"index.html": "old", "big/keep.txt": "old"})
    assert sitegen(tmp_path, "kultur", "--to", "www", path=copier_path).returncode == 0
    before = serving(tmp_path / "www")
    total = 5000
    big = {f"big/f{i:05}.bin": os.urandom(4096) for i in range(total)}
    write_build(tmp_path / "build", {"index.html": "new", **big})

    proc = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "deploy", "kultur", "--to", "www"],
        cwd=tmp_path, env=env_with_path(copier_path), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    copied = kill_while_copying(proc, tmp_path / "www" / "releases")
    assert 0 < copied < total, "the deploy was not stopped half-way"

    dest = tmp_path / "www"
    assert serving(dest) == before
    assert len(releases(dest)) == 1
    # the next deploy cleans up and publishes everything
    proc = sitegen(tmp_path, "kultur", "--to", "www", path=copier_path)
    assert proc.returncode == 0, proc.stderr
    assert len(serving(dest)) == total + 1
    assert not [p for p in (dest / "releases").iterdir() if p.name.startswith(".tmp-")]


def kill_while_copying(proc: subprocess.Popen, releases_dir: Path) -> int:
    """SIGKILL the deploy (and its rsync) once some files of the new release exist."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        for staging in releases_dir.glob(".tmp-*/big"):
            if len(os.listdir(staging)) > 20:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return len([n for n in os.listdir(staging) if not n.startswith(".")])
        time.sleep(0.001)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return -1


# --- remote targets through a fake ssh that runs commands locally --------------------------

FAKE_SSH = """#!/bin/sh
# ssh [options] host command...: drop options and host, run the command here
while [ $# -gt 0 ]; do
  case "$1" in
    -l|-p|-o|-i|-e) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
shift
exec sh -c "$*"
"""

FAKE_RSYNC = """#!{python}
# rsync [options] SRC/ host:DEST/ without rsync installed: the same copy in Python
import os, sys
sys.path.insert(0, {root!r})
from pathlib import Path
from sitegen.deploy_local import copy_tree
args = [a for a in sys.argv[1:] if not a.startswith("-") or a.startswith("--link-dest=")]
link = next((a.split("=", 1)[1] for a in args if a.startswith("--link-dest=")), None)
src, dst = [a for a in args if not a.startswith("--")]
dst = Path(dst.split(":", 1)[1])
copy_tree(Path(src), dst, (dst / link) if link else None)
"""


@pytest.fixture(params=["rsync", "python"] if HAS_RSYNC else ["python"])
def fake_remote_path(request, tmp_path):
    """PATH with a fake ssh; with real rsync (which then talks through that ssh) or a fake one."""
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "ssh").write_text(FAKE_SSH)
    (bin_dir / "ssh").chmod(0o755)
    if request.param == "python":
        rsync = bin_dir / "rsync"
        rsync.write_text(FAKE_RSYNC.format(python=sys.executable, root=str(ROOT)))
        rsync.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ['PATH']}"


def test_remote_deploy_and_rollback_through_ssh(tmp_path, fake_remote_path):
    dest = tmp_path / "srv" / "kultur"
    target = f"deploy@web1:{dest}"
    write_build(tmp_path / "build", {"index.html": "v1", "a.css": "same"})
    proc = sitegen(tmp_path, "kultur", "--to", target, path=fake_remote_path)
    assert proc.returncode == 0, proc.stderr
    assert serving(dest) == {"index.html": b"v1", "a.css": b"same"}

    write_build(tmp_path / "build", {"index.html": "v2", "a.css": "same"})
    proc = sitegen(tmp_path, "kultur", "--to", target, "--keep", "5", path=fake_remote_path)
    assert proc.returncode == 0, proc.stderr
    assert serving(dest)["index.html"] == b"v2"
    old, new = (dest / "releases" / n for n in releases(dest))
    assert os.stat(old / "a.css").st_ino == os.stat(new / "a.css").st_ino
    assert os.readlink(dest / "current") == f"releases/{new.name}"

    proc = sitegen(tmp_path, "kultur", "--to", target, "--rollback", path=fake_remote_path)
    assert proc.returncode == 0, proc.stderr
    assert serving(dest)["index.html"] == b"v1"
    assert_error(sitegen(tmp_path, "kultur", "--to", target, "--rollback", path=fake_remote_path),
                 "nothing to roll back to")


def test_remote_keep_prunes_and_leftovers_are_removed(tmp_path, fake_remote_path):
    dest = tmp_path / "srv"
    (dest / "releases" / ".tmp-20200101T000000Z-dead").mkdir(parents=True)
    for i in range(3):
        write_build(tmp_path / "build", {"index.html": f"v{i}"})
        proc = sitegen(tmp_path, "kultur", "--to", f"web1:{dest}", "--keep", "2",
                       path=fake_remote_path)
        assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (dest / "releases").iterdir()) == releases(dest)
    assert len(releases(dest)) == 2
    assert serving(dest) == {"index.html": b"v2"}


def test_remote_error_dest_inside_an_online_release(tmp_path, fake_remote_path):
    dest = tmp_path / "srv"
    write_build(tmp_path / "build", {"index.html": "v1"})
    assert sitegen(tmp_path, "kultur", "--to", f"web1:{dest}", path=fake_remote_path).returncode == 0
    write_build(tmp_path / "build", {"index.html": "v2"})
    proc = sitegen(tmp_path, "kultur", "--to", f"web1:{dest}/current/sub", path=fake_remote_path)
    assert_error(proc, f"is inside the deploy at web1:{dest}")
    assert not (dest / "current" / "sub").exists()
    assert serving(dest) == {"index.html": b"v1"}


def test_remote_error_when_ssh_fails(tmp_path):
    bin_dir = tmp_path / "fakebin"
    bin_dir.mkdir()
    (bin_dir / "ssh").write_text("#!/bin/sh\necho 'ssh: connect to host web1: refused' >&2\nexit 255\n")
    (bin_dir / "ssh").chmod(0o755)
    write_build(tmp_path / "build", {"index.html": "s"})
    proc = sitegen(tmp_path, "kultur", "--to", "web1:/srv/www",
                   path=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert_error(proc, "cannot write to web1:/srv/www", "refused")


def test_remote_deploy_waits_for_no_one_but_refuses_while_another_runs(tmp_path, fake_remote_path):
    dest = tmp_path / "srv"
    dest.mkdir()
    write_build(tmp_path / "build", {"index.html": "v1"})
    # Another deploy holds the lock (flock(1) on the server, as a running deploy does).
    holder = subprocess.Popen(["flock", str(dest / ".deploy.lock"), "sh", "-c", "echo held && exec cat"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    try:
        for args in (("--to", f"web1:{dest}"), ("--to", f"web1:{dest}", "--rollback")):
            assert_error(sitegen(tmp_path, "kultur", *args, path=fake_remote_path),
                         f"another deploy to web1:{dest} is running")
        assert not (dest / "current").exists()
    finally:
        holder.stdin.close()
        holder.wait()
    proc = sitegen(tmp_path, "kultur", "--to", f"web1:{dest}", path=fake_remote_path)
    assert proc.returncode == 0, proc.stderr
    assert serving(dest) == {"index.html": b"v1"}


def test_a_killed_remote_deploy_does_not_keep_the_lock(tmp_path, fake_remote_path):
    dest = tmp_path / "srv"
    write_build(tmp_path / "build", {"index.html": "v1"})
    slow = tmp_path / "slowbin"
    slow.mkdir()   # an rsync that hangs, so the deploy is killed while it holds the lock
    (slow / "rsync").write_text("#!/bin/sh\nsleep 60\n")
    (slow / "rsync").chmod(0o755)
    env = dict(os.environ, PATH=f"{slow}{os.pathsep}{fake_remote_path}")
    deploy = subprocess.Popen([sys.executable, "-m", "sitegen", "deploy", "kultur", "--to", f"web1:{dest}"],
                              cwd=tmp_path, env=env, start_new_session=True)
    for _ in range(100):
        if (dest / "releases").is_dir():
            break
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(deploy.pid, signal.SIGKILL)   # sitegen alone: its ssh session sees the end of its input
    deploy.wait()
    try:
        proc = sitegen(tmp_path, "kultur", "--to", f"web1:{dest}", path=fake_remote_path)
        assert proc.returncode == 0, proc.stderr
        assert serving(dest) == {"index.html": b"v1"}
    finally:
        os.killpg(deploy.pid, signal.SIGKILL)   # the hanging rsync
