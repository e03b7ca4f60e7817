"""User mistakes as data: every stage reports a Problem instead of raising.

A run collects all problems of all sites and prints them together, so an editor
fixes everything in one go instead of one error per build.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.messages import _


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str
    severity: str = "error"  # "error" or "warning"
    # A warning in build that check reports as an error: what an editor must complete before
    # publishing (the ingress). Kept so a cached problem is replayed right in either.
    check_error: bool = field(default=False, compare=False)

    def format(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        severity = _("error") if self.severity == "error" else _("warning")
        return visible(f"{where}: {severity}: {self.message}")


# Control characters, the bidi overrides (text shown backwards) and the line and paragraph
# separators, which some text editors and log viewers show as a new line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """One line with every control character shown as an escape (``\\x1b``): a message quotes
    what editors and feeds wrote, and an escape sequence in it must not reach the terminal."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def display_path(path: Path | str, root: Path | None = None) -> str:
    """Path as the user should read it: relative to the working directory when below it,
    else relative to the repository (the folder that holds the content folder)."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    # The folder resolved, not the file: a symlink is reported where it is, not where it points.
    real = p.parent.resolve() / p.name if p.name not in ("", "..") else p.resolve()
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return real.relative_to(base.resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return os.path.relpath(p)


@dataclass
class Problems:
    """Collector passed through a run; ``strict`` is ``check``'s, where the warnings given with
    ``strict=True`` are errors (see ``warning``)."""

    items: list[Problem] = field(default_factory=list)
    strict: bool = False
    root: Path | None = None  # the repository, for paths outside the working directory

    def error(self, path: Path | str, line: int | None, message: str) -> None:
        self.items.append(Problem(display_path(path, self.root), line or 0, message, "error"))

    def warning(self, path: Path | str, line: int | None, message: str, *, strict: bool = False) -> None:
        """A warning in check and build alike: the site is still right as it is (a link to a
        page scheduled for later, an 'exdate' that cancels nothing, someone else's feed).

        ``strict=True`` only for what an editor must complete before publishing (the
        ingress): an error in ``check`` (SPEC), a warning in ``build`` so that an urgent build
        still goes out. README, "check and build", states the rule."""
        severity = "error" if self.strict and strict else "warning"
        self.items.append(Problem(display_path(path, self.root), line or 0, message, severity, check_error=strict))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def sorted(self) -> list[Problem]:
        seen: set[Problem] = set()
        unique = []
        for p in sorted(self.items):
            if p not in seen:
                seen.add(p)
                unique.append(p)
        return unique


def read_text(path: Path, problems: "Problems") -> str | None:
    """A text file editors write (Markdown, YAML, CSV), newlines made ``\n``; None when it is not
    UTF-8, reported at the line of the first byte that is not, so the editor can find it."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.error(path, line, _("the file is not UTF-8 text (byte 0x{byte:02x} on this line): "
                                     "save it as UTF-8").format(byte=data[exc.start]))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
