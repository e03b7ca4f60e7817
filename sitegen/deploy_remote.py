"""``sitegen deploy`` to a remote DEST (``[user@]host:/path``): rsync over ssh, a lock held
through an ssh session, and the same release layout and atomic switch as a local DEST
(``deploy.py``)."""
from __future__ import annotations

import os
import shlex
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sitegen.ledger import RECORD
from sitegen.deploy import (CURRENT, LOCK_FILE, NAME_RE, RELEASES, RSYNC_OPTS, TMP_PREFIX, DeployError, Target,
                            run_tool, previous_release, release_name, releases_to_remove, same_content)
from sitegen.messages import _


def deploy(src: Path, target: Target, keep: int, digest: str, verify=lambda live_record: None) -> str:
    with remote_lock(target):
        return _deploy_locked(src, target, keep, digest, verify)


def rollback(target: Target) -> tuple[str | None, str]:
    """Switch ``current`` back one release; the release that was current and the one now."""
    with remote_lock(target):
        current, names = remote_state(target)
        previous = previous_release(names, current, str(target))
        ssh(target, f"cd {shlex.quote(target.path)} && {switch_script(previous)}")
    return current, previous


def enclosing_deploy(target: Target) -> str | None:
    """``deploy.enclosing_deploy`` on the server: the folder whose releases/ or current holds
    DEST (as written, or with links resolved by GNU ``realpath -m``), or None."""
    path = shlex.quote(target.path)
    script = (
        "check() { p=$1; while :; do up=$(dirname -- \"$p\"); [ \"$up\" = \"$p\" ] && return 0; "
        f"case $(basename -- \"$p\") in {RELEASES}|{CURRENT}) "
        f"if [ -d \"$up/{RELEASES}\" ] && {{ [ -e \"$up/{CURRENT}\" ] || [ -L \"$up/{CURRENT}\" ]; }}; "
        "then echo \"inside=$up\"; return 0; fi;; esac; p=$up; done; }; "
        f"check {path}; check \"$(realpath -m -- {path} 2>/dev/null || echo /)\""
    )
    out = ssh(target, script)
    found = next((ln.partition("=")[2] for ln in out.splitlines() if ln.startswith("inside=")), None)
    return found or None


def _deploy_locked(src: Path, target: Target, keep: int, digest: str, verify) -> str:
    current, names = remote_state(target)
    if same_content(current, digest):
        return _("{src} is unchanged: {target}/{CURRENT} -> {RELEASES}/{current}").format(
            src=src, target=target, CURRENT=CURRENT, RELEASES=RELEASES, current=current)
    verify(live_record(target) if current else None)
    name = release_name(names, digest)
    staging = f"{RELEASES}/{TMP_PREFIX}{name}"
    cmd = ["rsync", *RSYNC_OPTS]
    if current:
        cmd.append(f"--link-dest=../{current}")  # relative to the receiving folder
    run_tool(cmd + [f"{src}/", f"{target.host}:{_join(target.path, staging)}/"], str(target))
    old = releases_to_remove(names + [name], name, keep)
    script = f"cd {shlex.quote(target.path)} && mv -T {shlex.quote(staging)} " \
             f"{RELEASES}/{shlex.quote(name)} && {switch_script(name)}"
    if old:
        script += f" && cd {RELEASES} && rm -rf -- " + " ".join(shlex.quote(n) for n in old)
    ssh(target, script)
    return _("deployed {src} to {target}: {CURRENT} -> {RELEASES}/{name}").format(
        src=src, target=target, CURRENT=CURRENT, RELEASES=RELEASES, name=name)


@contextmanager
def remote_lock(target: Target) -> Iterator[None]:
    """One deploy at a time per remote DEST, as ``deploy_lock`` is locally (the same lock file,
    so a deploy run on the server itself waits its turn too). ``flock`` on the server holds the
    lock while this process keeps an ssh session open; if the process dies, the session ends
    and the lock goes with it, so a killed deploy never blocks the next one."""
    path = shlex.quote(target.path)
    script = (f"mkdir -p {path} && cd {path} && "
              f"exec flock -n {LOCK_FILE} sh -c 'echo locked && exec cat >/dev/null'")
    try:
        holder = subprocess.Popen(["ssh", target.host or "", script], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    except FileNotFoundError:
        raise DeployError(_("ssh is not installed; it is needed to deploy to {target}").format(target=target)) from None
    if holder.stdout.readline().strip() != "locked":
        holder.stdin.close()
        status, detail = holder.wait(), holder.stderr.read().strip().splitlines()
        if status == 1 and not detail:
            raise DeployError(_("another deploy to {target} is running").format(target=target))
        if status == 127:
            raise DeployError(_("cannot lock {target}: the server has no flock (util-linux)").format(
                                  target=target))
        raise DeployError(_("cannot write to {target}: ssh failed: {reason}").format(
                              target=target, reason=detail[-1] if detail else _("exit status {status}").format(status=status)))
    try:
        yield
    finally:
        holder.stdin.close()   # cat ends, flock releases the lock
        holder.wait()


def remote_state(target: Target) -> tuple[str | None, list[str]]:
    """Create the layout if needed, drop leftovers, and read current and the releases."""
    path = shlex.quote(target.path)
    out = ssh(target, f"mkdir -p {path}/{RELEASES} && cd {path} && "
                      f"rm -rf {RELEASES}/{TMP_PREFIX}* && "
                      f"echo \"current=$(readlink {CURRENT} || true)\" && ls -1 {RELEASES}")
    lines = out.splitlines()
    current_line = next((ln for ln in lines if ln.startswith("current=")), "current=")
    current = os.path.basename(current_line.partition("=")[2].strip().rstrip("/")) or None
    names = sorted(ln.strip() for ln in lines if NAME_RE.match(ln.strip()))
    return current, names


def live_record(target: Target) -> str | None:
    """The online release's build record, None when it has none."""
    out = ssh(target, f"cd {shlex.quote(target.path)} && if [ -f {CURRENT}/{RECORD} ]; "
                      f"then echo record; cat {CURRENT}/{RECORD}; fi")
    head, _, text = out.partition("\n")
    return text if head == "record" else None


def switch_script(name: str) -> str:
    """Shell for an atomic switch: ln -sfn alone unlinks first, mv -T is one rename(2)."""
    tmp = f".{CURRENT}.tmp"
    return f"ln -sfn {RELEASES}/{shlex.quote(name)} {tmp} && mv -T {tmp} {CURRENT}"


def ssh(target: Target, script: str) -> str:
    return run_tool(["ssh", target.host or "", script], str(target))


def _join(base: str, rel: str) -> str:
    return f"{base.rstrip('/')}/{rel}" if base else rel
