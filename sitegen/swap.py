"""Swapping a staged site in, and the folders beside the output that swaps and builds leave.

The swap keeps the site folder servable at every instant (``swap``; docs/security.md). The
tree a swap replaces is kept as the site's spare (``.<site>.spare``), which the next build
takes as its staging folder (``output.Stager``). A build stopped half-way (Ctrl+C, a killed
preview, kill -9 in the middle of a swap) leaves its working folders, named by its process id,
and the next build removes them (``remove_leftovers``).
"""
from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def spare_folder(out_root: Path, name: str) -> Path:
    """Where the tree the last swap replaced is kept for the next build (hidden, never served)."""
    return out_root / f".{name}.spare"


def work_prefix(name: str, kind: str) -> str:
    """Name start of a build's working folder beside the output: ``.<site>.<kind>-<pid>-``.
    The process id tells a later build whether the folder's build is still running."""
    return f".{name}.{kind}-{os.getpid()}-"


def remove_leftovers(out_root: Path, name: str) -> None:
    """Clean up after builds that were stopped half-way (Ctrl+C, a killed preview, kill -9 in
    the middle of a swap): remove their staging, scratch and old folders. A folder of a build
    that is still running is left alone. When the site folder itself is missing (killed between
    the two renames of the fallback swap), the old tree that was set aside is put back first."""
    final = out_root / name
    stopped = {"new": [], "scratch": [], "old": []}
    for folder in out_root.glob(f".{name}.*-*"):
        kind, _, rest = folder.name[len(name) + 2:].partition("-")
        if kind in stopped and not _running(rest.split("-")[0]):
            stopped[kind].append(folder)
    if not final.exists() and stopped["old"]:
        newest = max(stopped["old"], key=lambda folder: folder.stat().st_mtime_ns)
        newest.rename(final)
        stopped["old"].remove(newest)
    for folder in stopped["new"] + stopped["scratch"] + stopped["old"]:
        shutil.rmtree(folder, ignore_errors=True)


_WORK_FOLDER = re.compile(r"\.(?P<name>.+)\.(?:new|old|scratch)-\d+-")


def remove_all_leftovers(out_root: Path) -> None:
    """``remove_leftovers`` for every site that has a working folder beside the output, so that
    a build that has nothing to write (its inputs unchanged) still cleans up after a killed one."""
    if not out_root.is_dir():
        return
    names = {found.group("name") for entry in os.scandir(out_root)
             if entry.name.startswith(".") and (found := _WORK_FOLDER.match(entry.name))}
    for name in sorted(names):
        remove_leftovers(out_root, name)


def _running(pid: str) -> bool:
    if not pid.isdigit():
        return False   # a folder from before process ids were in the name
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True    # there, but another user's
    return True


def swap(staging: Path, final: Path, background: bool = False, spare: bool = False) -> None:
    """Replace ``final`` with ``staging`` so that ``final`` is a whole site at every instant.

    Where the OS can exchange two folders in one step (Linux ``renameat2``), it does; then the
    old tree, now at the staging name, is moved aside and removed. Elsewhere ``final`` is
    renamed aside and ``staging`` into its place: a build killed between the two renames
    leaves no site folder, and the next build puts the old one back (``remove_leftovers``).
    With ``background`` the old tree (thousands of folders on a large site) is removed by a
    detached process, so the build is done as soon as the new tree is in place. With ``spare``
    it is kept as the site's spare for the next build instead (``Stager``).
    """
    if not final.exists():
        staging.rename(final)
        return
    if _exchange(staging, final):
        old = _set_aside(staging, final.name)
    else:
        old = _set_aside(final, final.name)
        staging.rename(final)
    if spare and _keep_as_spare(old, final, background):
        return
    _remove_tree(old, background)


def _keep_as_spare(old: Path, final: Path, background: bool) -> bool:
    """Rename the replaced tree to the site's spare (a spare found there is removed first)."""
    folder = spare_folder(final.parent, final.name)
    if folder.exists():
        try:
            _remove_tree(_set_aside(folder, final.name), background)
        except OSError:
            return False
    try:
        old.rename(folder)
        return True
    except OSError:
        return False


def _set_aside(folder: Path, name: str) -> Path:
    """Rename ``folder`` to an old-tree name that tells later builds whose it was."""
    old = Path(tempfile.mkdtemp(prefix=work_prefix(name, "old"), dir=folder.parent))
    old.rmdir()
    folder.rename(old)
    return old


def _remove_tree(old: Path, background: bool) -> None:
    if background:
        try:
            subprocess.Popen([sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], True)",
                              str(old)], start_new_session=True, stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            return
        except OSError:
            pass
    shutil.rmtree(old, ignore_errors=True)


_RENAME_EXCHANGE = 2    # linux/fs.h
_AT_FDCWD = -100
_renameat2 = None       # looked up once: False where the C library has none


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders' names in one step with Linux's ``renameat2(RENAME_EXCHANGE)``; False
    where the OS, the C library or the file system cannot (the caller falls back to renames)."""
    global _renameat2
    if _renameat2 is None:
        _renameat2 = _find_renameat2()
    if _renameat2 is False:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(first), None, str(second))


def _find_renameat2():
    if not sys.platform.startswith("linux"):
        return False
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2   # glibc 2.28 and later
    except (OSError, AttributeError):
        return False
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
