"""Content is read only from inside its site folder (docs/security.md).

Editors are many people in many departments: a symlink in a site to ``/etc/passwd``, to a
colleague's home folder or to another site must not publish that file. Every walker of
content (pages and assets, ``data/``) goes through ``walk``, and every path a file names
(a social feed, a post's image) through ``outside``. A symlink that stays inside the site
is read as the file it points to; one that leaves is an error at its own path and is never
opened; a linked folder is never followed (a loop or a second copy of a folder's pages).
"""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from sitegen.messages import _
from sitegen import yamlload
from sitegen.problems import Problems, read_text


def outside(path: Path | str, root: Path | str) -> bool:
    """Whether ``path``, with every symlink on the way resolved, is outside the folder ``root``."""
    real, top = os.path.realpath(path), os.path.realpath(root)
    return real != top and not real.startswith(top.rstrip(os.sep) + os.sep)


def walk(top: Path, root: Path, problems: Problems) -> list[tuple[list[str], str, str]]:
    """Every regular file under ``top`` that may be read: ``(parts, path, rel)`` with ``rel``
    relative to ``top``. Hidden names (starting with '.') are left out; a symlink that leaves
    ``root``, a linked folder and what is neither file nor folder are reported and left out."""
    found = []
    top_text = str(top)
    for folder, dirs, names in os.walk(top_text):
        below = os.path.relpath(folder, top_text).replace(os.sep, "/")
        kept = []
        for name in dirs:
            path = os.path.join(folder, name)
            if name.startswith(".") or not _utf8_name(path, problems):
                continue
            if os.path.islink(path):
                _linked_folder(path, root, problems)
                continue
            kept.append(name)
        dirs[:] = kept
        for name in names:
            path = os.path.join(folder, name)
            if name.startswith(".") or not _utf8_name(path, problems) or not readable(path, root, problems):
                continue
            rel = name if below == "." else f"{below}/{name}"
            found.append((rel.split("/"), path, rel))
    found.sort(key=lambda item: item[0])   # by parts, as paths compare
    return found


def _utf8_name(path: str, problems: Problems) -> bool:
    """Whether the name is text: a name with bytes that are not UTF-8 (from an old archive or
    another system) has no address, and is reported with those bytes shown as escapes."""
    try:
        path.encode("utf-8")
        return True
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "backslashreplace")
        problems.error(shown, 0, _("the name of this file or folder is not UTF-8 text, and it is not read: "
                                   "rename it (letters, digits and '-')"))
        return False


def readable(path: Path | str, root: Path | str, problems: Problems) -> bool:
    """Whether the file at ``path`` may be read as content of ``root``; a problem at its path when not."""
    if os.path.islink(path) and outside(path, root):
        problems.error(path, 1, _("this is a link to a file outside the site folder, and it is not read: "
                                  "copy the file into the site instead"))
        return False
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.error(path, 1, _("this link leads round in a loop (through other links back to itself), "
                                      "and it is not read: remove it, or link to the file itself"))
        elif os.path.islink(path):
            problems.error(path, 1, _("this is a link to a file that does not exist: remove the link or copy "
                                      "the file here"))
        else:
            problems.error(path, 1, _("the file cannot be read ({reason})").format(reason=exc.strerror))
        return False
    if not stat.S_ISREG(mode):
        # A named pipe or device would hang the build or read forever.
        problems.error(path, 1, _("this is not an ordinary file, and it is not read: remove it"))
        return False
    return True


def _linked_folder(path: str, root: Path, problems: Problems) -> None:
    if outside(path, root):
        problems.error(path, 1, _("this is a link to a folder outside the site folder, and it is not read: "
                                  "copy the files into the site instead"))
    else:
        problems.warning(path, 1, _("this is a link to another folder of the site, and it is not read "
                                    "(its pages would get a second address): move the files here or "
                                    "link to the pages"))


FAILED = object()   # what read_yaml gives for a file it could not read (an empty file gives None)


def read_yaml(path: Path, root: Path, problems: Problems):
    """The YAML of a settings file inside ``root`` (site.yaml, a page type), or ``FAILED`` with
    the reason reported at its line: outside the site, not UTF-8, or not YAML."""
    if not readable(path, root, problems):
        return FAILED
    text = read_text(path, problems)
    if text is None:
        return FAILED
    try:
        return yamlload.load(text)
    except yamlload.YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return FAILED
