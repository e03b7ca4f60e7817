"""``sitegen deploy SITE --to DEST``: publish a built site without ever serving half of it.

Layout at DEST (a local folder or ``[user@]host:/path`` reached with rsync and ssh)::

    DEST/releases/20250301T101500Z-3f9a0c1b2d/   one complete copy per deploy
    DEST/current -> releases/20250301T101500Z-3f9a0c1b2d

A release is copied into ``releases/.tmp-NAME`` first and renamed only when the
copy is complete; ``current`` is then replaced by a new symlink with rename(2).
Whatever moment a deploy dies at, ``current`` points to a complete release, and
the next deploy removes the leftover ``.tmp-*`` folder. Files whose bytes did
not change are hard links into the previous release, so a release costs only
the space of what changed. A local DEST is handled in ``deploy_local.py``, a remote one in ``deploy_remote.py``.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from sitegen.messages import _

from sitegen import deploy_checks

RELEASES = "releases"
CURRENT = "current"
TMP_PREFIX = ".tmp-"
LOCK_FILE = ".deploy.lock"
STAMP = "%Y%m%dT%H%M%SZ"
NAME_RE = re.compile(r"^(\d{8}T\d{6}Z)-([0-9a-f]+)$")
# rsync without -t: keeping mtimes would stop --link-dest from linking files
# that a rebuild rewrote with the same bytes.
RSYNC_OPTS = ["-rlpD", "--delete", "--checksum"]


class DeployError(Exception):
    """A problem the user can fix; printed as ``error: message``."""


@dataclass(frozen=True)
class Target:
    """Where releases go: ``host`` is None for a local folder."""

    path: str
    host: str | None = None

    def __str__(self) -> str:
        return f"{self.host}:{self.path}" if self.host else self.path


# --- command line -----------------------------------------------------------

def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "deploy",
        help=_("publish a built site atomically"),
        description=_("Copy build/SITE into a new release folder at DEST and switch "
                      "DEST/current to it in one step."),
    )
    p.add_argument("site", metavar="SITE", help=_("site name (folder under --out)"))
    p.add_argument("--to", dest="dest", required=True, metavar="DEST",
                   help=_("local folder or [user@]host:/path"))
    p.add_argument("--out", default="build", metavar="DIR",
                   help=_("where built sites are (default: build/)"))
    p.add_argument("--keep", type=_positive_int, default=5, metavar="N",
                   help=_("releases to keep (default: 5)"))
    p.add_argument("--rollback", action="store_true",
                   help=_("point current to the release before it"))
    p.add_argument("--allow-drafts", "--med-utkast", dest="allow_drafts", action="store_true",
                   help=_("publish a build made with --drafts (its drafts go online)"))
    p.set_defaults(func=run)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("expected a number of releases >= 1, got {text!r}").format(
                                             text=text))
    return value


def run(args: argparse.Namespace) -> int:
    target = parse_target(args.dest)
    try:
        if args.rollback:
            message = rollback(target)
        else:
            message = deploy(Path(args.out) / args.site, target, args.keep, args.site, args.allow_drafts)
    except DeployError as exc:
        print(_("error: {message}").format(message=exc), file=sys.stderr)
        return 1
    print(message)
    return 0


def parse_target(dest: str) -> Target:
    """rsync's rule: a colon before the first slash makes it a remote target."""
    head, sep, tail = dest.partition(":")
    if sep and head and "/" not in head:
        return Target(path=tail or ".", host=head)
    return Target(path=dest)


# --- deploy and rollback ------------------------------------------------------

def deploy(src: Path, target: Target, keep: int, site: str = "", allow_drafts: bool = False) -> str:
    site = site or src.name
    check_build(src, site)
    try:
        deploy_checks.check_drafts(src, allow_drafts)
    except deploy_checks.Refused as exc:
        raise DeployError(str(exc)) from None
    check_dest(target)
    try:
        digest = tree_hash(src)
    except OSError as exc:
        raise DeployError(_("cannot read {filename}: {strerror}").format(
                              filename=exc.filename, strerror=exc.strerror)) from None

    def keeps_addresses(live_record: str | None) -> None:
        """Called under the deploy's lock, with the online release's build record."""
        try:
            deploy_checks.check_addresses(src, live_record, f"{target}/{CURRENT}", site)
        except deploy_checks.Refused as exc:
            raise DeployError(str(exc)) from None

    if target.host:
        from sitegen import deploy_remote
        return deploy_remote.deploy(src, target, keep, digest, keeps_addresses)
    from sitegen import deploy_local
    return deploy_local.deploy(src, Path(target.path), keep, digest, keeps_addresses)


def rollback(target: Target) -> str:
    check_dest(target)
    if target.host:
        from sitegen import deploy_remote
        current, previous = deploy_remote.rollback(target)
    else:
        from sitegen import deploy_local
        current, previous = deploy_local.rollback(Path(target.path), str(target))
    return _("rolled back {target}: current -> {RELEASES}/{previous} (was {current})").format(
               target=target, RELEASES=RELEASES, previous=previous, current=current)


def check_build(src: Path, site: str) -> None:
    if not src.is_dir():
        raise DeployError(_("{src} does not exist: build the site first (sitegen build {site})").format(
                              src=src, site=site))
    if not any(src.iterdir()):
        raise DeployError(_("{src} is empty: build the site first (sitegen build {site})").format(
                              src=src, site=site))


def check_dest(target: Target) -> None:
    """Refuse a DEST inside another deploy's ``releases/`` or ``current``: its files are hard
    links shared with earlier releases, and one of them is online."""
    if target.host:
        from sitegen import deploy_remote
        root = deploy_remote.enclosing_deploy(target)
    else:
        root = enclosing_deploy(Path(target.path))
    if root is not None:
        where = f"{target.host}:{root}" if target.host else root
        raise DeployError(_("{target} is inside the deploy at {where} (in its {RELEASES}/ or "
                            "{CURRENT}), whose files are shared with the online release: deploy to a "
                            "folder outside {where}/{RELEASES} and {where}/{CURRENT}").format(
                              target=target, where=where, RELEASES=RELEASES, CURRENT=CURRENT))


def enclosing_deploy(dest: Path) -> str | None:
    """The folder holding a ``releases/`` + ``current`` pair whose ``releases/`` or ``current``
    is ``dest`` or one of its parents, as written or with links resolved; None if there is none."""
    written = Path(os.path.abspath(dest))
    for path in dict.fromkeys([written, dest.resolve()]):
        for inner, outer in zip((path, *path.parents), path.parents):
            if (inner.name in (RELEASES, CURRENT) and (outer / RELEASES).is_dir()
                    and os.path.lexists(outer / CURRENT)):
                shown = os.path.relpath(outer)
                return shown if not shown.startswith("..") else str(outer)
    return None


def previous_release(names: list[str], current: str | None, where: str) -> str:
    if current is None:
        raise DeployError(_("nothing to roll back to: no release is deployed at {where}").format(where=where))
    older = [n for n in names if n < current]
    if not older:
        raise DeployError(_("nothing to roll back to: {current} is the oldest release at {where}").format(
                              current=current, where=where))
    return older[-1]


def releases_to_remove(names: list[str], current: str | None, keep: int) -> list[str]:
    """All but the newest ``keep``; the one ``current`` points to always stays."""
    kept = set(names[-keep:]) | {current}
    return [n for n in names if n not in kept]


def release_name(names: list[str], digest: str, now: dt.datetime | None = None) -> str:
    """Timestamp and content hash; later than every existing release so names sort by age."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0, tzinfo=None)
    stamps = [NAME_RE.match(n) for n in names]
    latest = max((dt.datetime.strptime(m[1], STAMP) for m in stamps if m), default=None)
    if latest is not None and stamp <= latest:
        stamp = latest + dt.timedelta(seconds=1)
    return f"{stamp.strftime(STAMP)}-{digest}"


def same_content(name: str | None, digest: str) -> bool:
    return bool(name) and name.endswith("-" + digest)


def tree_hash(root: Path) -> str:
    """Short hash of every path and its bytes: equal trees give equal release hashes."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        linked_dirs = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames + linked_dirs):
            path = os.path.join(dirpath, name)
            h.update(os.path.relpath(path, root).encode("utf-8", "surrogateescape") + b"\0")
            if os.path.islink(path):
                h.update(b"L" + os.readlink(path).encode("utf-8", "surrogateescape"))
            else:
                with open(path, "rb") as f:
                    h.update(hashlib.file_digest(f, "sha256").digest())
    return h.hexdigest()[:10]


def run_tool(cmd: list[str], where: str) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise DeployError(_("{value} is not installed; it is needed to deploy to {where}").format(
                              value=cmd[0], where=where)) from None
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        reason = detail[-1] if detail else _("exit status {returncode}").format(returncode=proc.returncode)
        raise DeployError(_("cannot write to {where}: {value} failed: {reason}").format(
                              where=where, value=cmd[0], reason=reason))
    return proc.stdout
