"""A local DEST of ``sitegen deploy`` (``deploy.py``; a remote one is ``deploy_remote.py``).

A release is copied into ``releases/.tmp-NAME`` (a file with the bytes of the previous
release's is a hard link to it) and renamed when complete; ``current`` is then replaced by a
new relative symlink with rename(2), under a lock file that the kernel drops if the deploy dies.
"""
from __future__ import annotations

import fcntl
import filecmp
import os
import shutil
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from sitegen.deploy import (CURRENT, LOCK_FILE, NAME_RE, RELEASES, RSYNC_OPTS, TMP_PREFIX, DeployError,
                            previous_release, release_name, releases_to_remove, run_tool, same_content)
from sitegen.ledger import RECORD
from sitegen.messages import _


@dataclass
class CopyStats:
    copied: int = 0
    linked: int = 0


def deploy(src: Path, root: Path, keep: int, digest: str, verify=lambda live_record: None) -> str:
    releases = root / RELEASES
    try:
        releases.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DeployError(_("cannot write to {root}: {strerror}").format(root=root, strerror=exc.strerror)) from None
    with deploy_lock(root):
        remove_leftovers(releases)
        current = current_release(root)
        if same_content(current, digest):
            return _("{src} is unchanged: {root}/{CURRENT} -> {RELEASES}/{current}").format(
                       src=src, root=root, CURRENT=CURRENT, RELEASES=RELEASES, current=current)
        verify(_read_live(root / CURRENT / RECORD) if current else None)
        name = release_name(list_releases(releases), digest)
        staging = releases / (TMP_PREFIX + name)
        link_dest = releases / current if current else None
        try:
            stats = copy_release(src, staging, link_dest)
            os.rename(staging, releases / name)
            switch_local(root, name)
        except OSError as exc:
            raise DeployError(_("cannot write to {root}: {exc}").format(root=root, exc=exc)) from None
        for old in releases_to_remove(list_releases(releases), name, keep):
            shutil.rmtree(releases / old, ignore_errors=True)
    detail = _(" ({copied} copied, {linked} unchanged)").format(copied=stats.copied, linked=stats.linked) if stats else ""
    return _("deployed {src} to {root}: {CURRENT} -> {RELEASES}/{name}{detail}").format(
               src=src, root=root, CURRENT=CURRENT, RELEASES=RELEASES, name=name, detail=detail)


def rollback(root: Path, where: str) -> tuple[str | None, str]:
    """``current`` back to the release before it: (the release it was, the one it is now)."""
    # Where nothing was ever deployed there is nothing to lock: previous_release says so.
    with deploy_lock(root) if root.is_dir() else nullcontext():
        current, names = current_release(root), list_releases(root / RELEASES)
        previous = previous_release(names, current, where)
        switch_local(root, previous)
    return current, previous


def _read_live(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):   # none there: a release from before build records
        return None


@contextmanager
def deploy_lock(root: Path) -> Iterator[None]:
    """One deploy at a time per DEST; the kernel drops the lock if the process dies."""
    try:
        fd = os.open(root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DeployError(_("cannot write to {root}: {strerror}").format(root=root, strerror=exc.strerror)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DeployError(_("another deploy to {root} is running").format(root=root)) from None
        yield
    finally:
        os.close(fd)


def current_release(root: Path) -> str | None:
    link = root / CURRENT
    if not link.is_symlink():
        if link.exists():
            raise DeployError(_("{link} is not a symbolic link: move it away, then deploy again").format(
                                  link=link))
        return None
    return os.path.basename(os.readlink(link).rstrip("/"))


def list_releases(releases: Path) -> list[str]:
    if not releases.is_dir():
        return []
    return sorted(p.name for p in releases.iterdir() if NAME_RE.match(p.name) and p.is_dir())


def remove_leftovers(releases: Path) -> None:
    """Staging folders of deploys that died; safe because we hold the lock."""
    for p in releases.iterdir():
        if p.name.startswith(TMP_PREFIX):
            shutil.rmtree(p, ignore_errors=True)


def switch_local(root: Path, name: str) -> None:
    """A relative link, so DEST can be mounted elsewhere (a container, a chroot)."""
    tmp = root / f".{CURRENT}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    os.symlink(f"{RELEASES}/{name}", tmp)
    os.replace(tmp, root / CURRENT)
    _fsync_dir(root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_release(src: Path, dst: Path, link_dest: Path | None) -> CopyStats | None:
    """rsync when installed (returns None: it does not count), else the same in Python."""
    if shutil.which("rsync"):
        cmd = ["rsync", *RSYNC_OPTS]
        if link_dest is not None:
            cmd.append(f"--link-dest={link_dest.resolve()}")
        run_tool(cmd + [f"{src}/", f"{dst}/"], str(dst.parent.parent))
        return None
    return copy_tree(src, dst, link_dest)


def copy_tree(src: Path, dst: Path, link_dest: Path | None = None) -> CopyStats:
    """Copy src into dst; a file with the same bytes in link_dest becomes a hard link to it."""
    stats = CopyStats()
    for dirpath, dirnames, filenames in os.walk(src):
        rel = os.path.relpath(dirpath, src)
        out = os.path.normpath(os.path.join(dst, rel))
        os.makedirs(out, exist_ok=True)
        for name in [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            dirnames.remove(name)  # copy a linked folder as the link, as rsync -l does
            filenames.append(name)
        for name in filenames:
            s, d = os.path.join(dirpath, name), os.path.join(out, name)
            if os.path.islink(s):
                os.symlink(os.readlink(s), d)
                continue
            old = os.path.join(link_dest, rel, name) if link_dest else None
            if old and _same_bytes(s, old) and _try_link(old, d):
                stats.linked += 1
                continue
            shutil.copyfile(s, d)
            shutil.copymode(s, d)
            stats.copied += 1
    return stats


def _same_bytes(a: str, b: str) -> bool:
    return os.path.isfile(b) and not os.path.islink(b) and filecmp.cmp(a, b, shallow=False)


def _try_link(old: str, new: str) -> bool:
    try:
        os.link(old, new)
        return True
    except OSError:  # too many links, or a file system without hard links
        return False
