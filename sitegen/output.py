"""Write stage: a site's files into a staging folder, then swapped in whole.

A file whose bytes are the same as in the previous output is not written again: it is
hard-linked from the previous output into the staging folder, so after the swap it keeps
its inode and mtime and rsync or a CDN moves only the files that changed. The previous
output is never written to; a failed build discards the staging folder and leaves it as it was.
The swap (``swap.py``) keeps the site folder servable at every instant (docs/security.md).

The tree a swap replaces is kept beside the output as the site's spare (``.<site>.spare``).
The next build takes it as its staging folder and brings it up to the live output first
(``refresh``): only the files that differ are linked again, so a one-page edit on a site of
thousands of folders does not make them all anew. A file in the staging folder may thus be a
hard link to the live output: it is always removed before a new one is written in its place.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sitegen.fileio import content_digest
from sitegen.swap import remove_leftovers, spare_folder, work_prefix


@dataclass(frozen=True)
class Written:
    """One file of a written output, as the manifest remembers it."""

    digest: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Unchanged:
    """Put in ``build.files`` for a page the cache knows is the same as in the previous output."""

    digest: str


@dataclass(frozen=True, eq=False)
class ToRender:
    """Put in ``build.files`` for a page rendered while the site is written (``build.pending``):
    its output path is taken, its HTML not made yet."""


# What ``build.files`` maps an output path to: text or bytes to write, a file to copy (an
# asset, a resized image), a page the previous output holds already, or a page still to render.
FileContent = str | bytes | Path | Unchanged | ToRender


def _source_digest(path: Path) -> str:
    """Copied files (assets) are known by where they come from, their size and their mtime."""
    st = path.stat()
    return f"file:{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"


def intact(final: Path, previous: dict, rel: str) -> Written | None:
    """The manifest entry of ``rel`` when the output ``final`` still holds exactly that file."""
    entry = previous.get(rel)
    if entry is None:
        return None
    try:
        st = os.lstat(os.path.join(final, rel))   # os.path: called for every file of a large site
    except OSError:
        return None
    if st.st_size != entry.size or st.st_mtime_ns != entry.mtime_ns:
        return None
    return entry


def holds_already(final: Path, previous: dict, files: dict) -> bool:
    """Does the output ``final`` hold exactly ``files`` already, byte for byte, and nothing else?

    ``previous`` is the manifest of ``final``; a page still to render is never held."""
    if len(files) != len(previous):
        return False
    for rel, content in files.items():
        entry = intact(final, previous, str(rel))
        if entry is None:
            return False
        if isinstance(content, Unchanged):
            digest = content.digest
        elif isinstance(content, (Path, str, bytes)):
            digest = _digest_of(content)[0]
        else:
            return False
        if digest != entry.digest:
            return False
    return True


def _digest_of(content: Path | str | bytes) -> tuple[str, bytes | None]:
    """The manifest digest of a file's content, and its bytes (None for a file copied as is)."""
    if isinstance(content, Path):
        return _source_digest(content), None
    data = content.encode("utf-8") if isinstance(content, str) else content
    return content_digest(data), data


class Stager:
    """Writes one site's files into a new folder beside its final one (same file system).

    With ``keep`` (which files of the live output this build may keep: its own and those the
    staged features look after), the site's spare tree, when there is one, becomes the staging
    folder, refreshed to hold exactly the live output's files that ``keep`` accepts."""

    def __init__(self, out_root: Path, name: str, previous: dict | None = None, keep=None):
        out_root.mkdir(parents=True, exist_ok=True)
        self.final = out_root / name
        remove_leftovers(out_root, name)
        self.previous = previous or {}      # manifest of the current output
        self.manifest: dict[str, Written] = {}
        self.changed: set[str] = set()      # files written anew, not linked from the previous output
        self._dirs: set[str] = set()        # folders known to exist in the staging folder
        self.refreshed = False              # True: the staging folder holds the live files ``keep`` accepts
        self._held: set[str] = set()        # those files (hard links to the live ones)
        self.folder = self._from_spare(out_root, name, keep) if keep is not None else None
        if self.folder is None:
            self.folder = Path(tempfile.mkdtemp(prefix=work_prefix(name, "new"), dir=out_root))

    def _from_spare(self, out_root: Path, name: str, keep) -> Path | None:
        """The spare tree, renamed to this build's staging name and refreshed; None without one."""
        spare = spare_folder(out_root, name)
        if not spare.is_dir() or not self.final.is_dir():
            return None
        folder = Path(tempfile.mkdtemp(prefix=work_prefix(name, "new"), dir=out_root))
        try:
            folder.rmdir()
            spare.rename(folder)    # taken: a build beside this one finds no spare and starts afresh
        except OSError:
            return None
        try:
            refresh(str(self.final), str(folder), keep, self._dirs, self._held)
        except OSError:   # e.g. no hard links here: stage from an empty folder as before
            self._dirs.clear()
            self._held.clear()
            shutil.rmtree(folder, ignore_errors=True)
            return None
        self.refreshed = True
        return folder

    def intact(self, rel: str) -> Written | None:
        return intact(self.final, self.previous, rel)

    def put(self, rel: str, content) -> Written | None:
        """Write or link one file; None for an ``Unchanged`` one the previous output lost."""
        target = os.path.join(self.folder, inside_output(rel))
        parent = os.path.dirname(target)
        if parent not in self._dirs:
            _make_folder(parent)
            self._dirs.add(parent)
        if isinstance(content, Unchanged):
            entry = self.intact(rel)
            if entry is None or entry.digest != content.digest or not self._link(rel, target):
                return None   # changed since the build looked: the caller renders it again
            return self._remember(rel, entry)
        digest, data = _digest_of(content)
        entry = self.intact(rel)
        if entry is not None and entry.digest == digest and self._link(rel, target):
            return self._remember(rel, entry)
        if self.refreshed:
            _remove(target)   # it may be a hard link to the live output: never written through
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        else:
            with open(target, "wb") as f:
                f.write(data)
        self.changed.add(rel)
        st = os.lstat(target)
        return self._remember(rel, Written(digest, st.st_size, st.st_mtime_ns))

    def _link(self, rel: str, target: str) -> bool:
        """The live file at ``target``: already there in a refreshed staging folder, else linked."""
        if rel in self._held:
            return True
        try:
            if self.refreshed:
                _remove(target)
            os.link(os.path.join(self.final, rel), target)
            return True
        except OSError:   # no hard links here: write the file instead
            return False

    def _remember(self, rel: str, entry: Written) -> Written:
        self.manifest[rel] = entry
        return entry

    def put_all(self, files: dict) -> list[str]:
        """Put every file not put yet; the ``Unchanged`` ones that could not be linked."""
        lost = []
        for rel, content in files.items():
            if rel not in self.manifest and self.put(str(rel), content) is None:
                lost.append(rel)
        return lost

    def close(self) -> Path:
        self.folder.chmod(0o755)
        return self.folder


def _remove(path: str) -> None:
    """Remove a file or folder of the staging folder; nothing when there is none."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            raise


def _make_folder(path: str) -> None:
    """``os.makedirs``, removing a file that stands where a folder must be (a refreshed staging
    folder holds the live output's files, and a file there may have become a folder)."""
    try:
        os.makedirs(path, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        head = path
        while head and not os.path.isdir(head):
            if os.path.lexists(head):
                os.unlink(head)
                break
            head = os.path.dirname(head)
        os.makedirs(path, exist_ok=True)


def refresh(live: str, staging: str, keep, folders: set[str], held: set[str], rel: str = "") -> None:
    """Make ``staging`` hold exactly the files of ``live`` that ``keep(rel)`` accepts, as hard
    links to them, and nothing else; their paths go into ``held``, the staging folders into
    ``folders``. Folders are compared by their listings and files by inode, so the cost is one
    listing per folder plus one link per file that differs (after a one-page edit: a handful).
    Folders left empty are removed."""
    folders.add(staging)
    with os.scandir(live) as listing:
        wanted = {entry.name: entry for entry in listing}
    with os.scandir(staging) as listing:
        present = {entry.name: entry for entry in listing}
    for name, entry in present.items():   # what the live output lacks, or a file that became a folder
        other = wanted.get(name)
        if other is None or other.is_dir(follow_symlinks=False) != entry.is_dir(follow_symlinks=False):
            _remove(entry.path)
            present[name] = None
    for name, entry in wanted.items():
        path, mine = os.path.join(staging, name), present.get(name)
        if entry.is_dir(follow_symlinks=False):
            if mine is None:
                os.mkdir(path)
            before = len(held)
            refresh(entry.path, path, keep, folders, held, f"{rel}{name}/")
            if len(held) == before:
                shutil.rmtree(path)
                folders.discard(path)
        elif not keep(f"{rel}{name}"):
            if mine is not None:
                os.unlink(path)
        else:
            if mine is None or mine.inode() != entry.inode():
                if mine is not None:
                    os.unlink(path)
                os.link(entry.path, path)
            held.add(f"{rel}{name}")


class OutsideOutput(ValueError):
    """A file the build would write outside its site's output: a path that slipped past the
    checks of what editors write (aliases, folders in site.yaml). Never written."""


def inside_output(rel: str) -> str:
    """``rel`` when it names a file inside the site's folder: relative, no ``..`` or empty
    part, no backslash or control character; else ``OutsideOutput``."""
    text = str(rel)
    if not text or _UNSAFE.search(text):
        raise OutsideOutput(text)
    return text


# An absolute path, a backslash, a control character, or an empty, '.' or '..' part.
_UNSAFE = re.compile(r"^/|\\|[\x00-\x1f\x7f]|(?:^|/)\.{0,2}(?:/|$)")


def stage(files: dict, out_root: Path, name: str, previous: dict | None = None) -> Path:
    """Write every file into a new folder beside the final one (same file system)."""
    stager = Stager(out_root, name, previous)
    stager.put_all(files)
    return stager.close()
