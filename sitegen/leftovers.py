"""Editor leftovers: the backup, swap, lock and thumbnail files that programs leave beside
the files an editor works on. They are never published; one that may hold a copy of a
page's or a document's text is a warning at its path (in ``check`` too), so the editor
removes it before it lands somewhere it should not. The list is in README.md.
"""
from __future__ import annotations

import re
from fnmatch import translate

from sitegen.messages import _
from sitegen.problems import Problems

# May hold text: an older copy of a page (editor backups, merge leftovers, vim and kate swap
# files) or a page under a name that is not built (.markdown).
LEAKY = ("*~", "*.bak", "*.bck", "*.old", "*.orig", "*.rej", "*.sav", "*.tmp", "*.swp", "*.swo",
         "*.kate-swp", "#*#", "*.markdown")
# Hold no text worth a warning: thumbnails, folder settings, Office's lock files (~$name.docx
# holds only who has the file open), unfinished downloads.
SILENT = ("thumbs.db", "ehthumbs.db", "desktop.ini", "~$*", "*.crdownload", "*.part")


# Each list as one expression: every file of a site is tried against both on every build.
_SILENT = re.compile("|".join(translate(pattern) for pattern in SILENT))
_LEAKY = re.compile("|".join(translate(pattern) for pattern in LEAKY))


def kind(name: str) -> str | None:
    """'leaky', 'silent' or None (not a leftover) for a file name."""
    lower = name.lower()
    if _SILENT.match(lower):
        return "silent"
    if _LEAKY.match(lower):
        return "leaky"
    return None


def is_leftover(name: str) -> bool:
    return kind(name) is not None


def report(path, name: str, problems: Problems) -> None:
    """The warning for a leftover that may hold text; nothing for the others."""
    if kind(name) != "leaky":
        return
    if name.lower().endswith(".markdown"):
        message = _("'{name}' is not published: a page is a .md file; rename it to make it a page, "
                    "or remove it").format(name=name)
    else:
        message = _("'{name}' looks like a backup or temporary file and is not published: remove it "
                    "(it may hold an old copy of a text)").format(name=name)
    problems.warning(path, 1, message, strict=False)
