"""Stamps of what a build reads, so that building unchanged inputs again does nothing.

Before a build reads anything, ``take`` notes every file it may read: each file under the
content folder and the theme folders, each file of sitegen itself and of the features of
other packages (path, size, mtime, ctime, inode; ctime cannot be set back by hand), the installed libraries (the mtime of each
site-packages folder: installing or removing a package changes it), the build options and
the working folder (problems name files relative to it). After a build that wrote its
output, ``save`` keeps that stamp with what the build left: the stats of every file in each
site's output folder, the problems it reported, its page counts, and the first moment at which
its output would change with the clock alone (a scheduled page is published, a disruption
begins, an event ends; ``SiteBuild.changes_at``).

The next ``sitegen build`` with the same options calls ``replay`` first. When the stamp of
the inputs is the same, the clock is between that build's ``now`` and that moment, and
the output folders hold just the files as written, the build is already done: its
problems are reported again and nothing is read, rendered or written. Anything else, and
the build runs as usual (with its caches). ``sitegen serve`` and ``sitegen check`` never
take this shortcut.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import pickle
import sys
from pathlib import Path

from sitegen import messages, parallel
from sitegen.cache import cache_folder
from sitegen.features import code_path, feature_modules, is_own
from sitegen.fileio import write_atomically
from sitegen.theme import theme_dirs

FORMAT = 2
SKIPPED_FOLDERS = {"__pycache__", ".git", ".sitegen-cache"}


@dataclasses.dataclass
class Stamp:
    """What a finished build read and left: enough to tell that building again changes nothing."""

    inputs: str                      # digest of the file stats and options from ``take``
    now: dt.datetime                 # the build's now
    until: dt.datetime | None        # the first moment its output changes by the clock; None: never
    outputs: str                     # digest of the stats of every file in the output folders
    problems: tuple                  # Problem items it reported
    summaries: tuple                 # (site name, pages) of each site built


def take(options) -> str:
    """The digest of every input's stat and of the options, taken before the build reads any."""
    digest = hashlib.blake2b(digest_size=16)
    _add(digest, repr(_options_of(options)))
    for folder in _input_folders(options):
        _add_tree(digest, folder)
    for path in _feature_code():   # a feature package edited in place (pip install -e, PYTHONPATH)
        if path.is_dir():
            _add_tree(digest, path)
        else:
            _add_file(digest, path)
    for entry in sys.path:   # installing or removing a package changes its folder's mtime
        if entry.endswith(("site-packages", "dist-packages")):
            try:
                _add(digest, f"{entry}:{os.stat(entry).st_mtime_ns}\n")
            except OSError:
                _add(digest, f"{entry}:-\n")
    return digest.hexdigest()


def save(options, inputs: str, builds: list, problems) -> None:
    """Keep the stamp of a build that wrote every chosen site; a stamp that cannot be written
    only means the next unchanged build runs in full."""
    until = min((b.next_change for b in builds if b.next_change is not None), default=None)
    stamp = Stamp(inputs=inputs, now=options.now, until=until,
                  outputs=_outputs_digest(options, [summary(b)[0] for b in builds]),
                  problems=tuple(problems.items), summaries=tuple(summary(b) for b in builds))
    path = stamp_path(options)
    try:
        write_atomically(path, pickle.dumps((FORMAT, stamp), pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass


def replay(options, inputs: str) -> Stamp | None:
    """The last build's stamp when building now would change nothing, else None."""
    stamp = _load(stamp_path(options))
    if stamp is None or stamp.inputs != inputs:
        return None
    try:
        if options.now < stamp.now or (stamp.until is not None and options.now >= stamp.until):
            return None
    except TypeError:   # a --now without a zone against one with
        return None
    if _outputs_digest(options, [name for name, _ in stamp.summaries]) != stamp.outputs:
        return None
    return stamp


def summary(build) -> tuple[str, int]:
    """A site's name and how many pages it has, for the line a build prints."""
    return build.config.name, sum(1 for name in build.files if str(name).endswith(".html"))


def stamp_path(options) -> Path:
    """One stamp per content folder, output folder and choice of sites."""
    where = hashlib.blake2b(f"{options.out.resolve()}\0{sorted(options.sites)}".encode("utf-8", "surrogatepass"),
                            digest_size=6).hexdigest()
    return cache_folder(options.content) / f"build-{where}.stamp"


def _load(path: Path) -> Stamp | None:
    try:
        with open(path, "rb") as f:
            version, stamp = pickle.load(f)
    except Exception:  # missing, damaged or foreign: the build just runs in full
        return None
    return stamp if version == FORMAT and isinstance(stamp, Stamp) else None


def _options_of(options) -> tuple:
    """What the output depends on besides the files (``now`` is checked against the stamp's span;
    the number of workers sets the number of search index parts)."""
    return (str(options.content.resolve()), str(options.out.resolve()), sorted(options.sites),
            options.drafts, [str(t.resolve()) for t in options.themes], os.getcwd(),
            os.environ.get("SITEGEN_SEARCH_PART_SIZE", ""), os.environ.get("TZ", ""), parallel.workers(),
            sys.version, messages.language(), messages.CATALOGUE.stat().st_mtime_ns)   # the problems' words


def _outputs_digest(options, names: list[str]) -> str:
    """Every file of the sites' output folders (pages, copies, the search index) as stats: a
    file changed, added or removed there since the build, and the build runs again."""
    digest = hashlib.blake2b(digest_size=16)
    for name in names:
        _add_tree(digest, options.out / name, changes=False)
    return digest.hexdigest()


def _input_folders(options) -> list[Path]:
    package = Path(__file__).resolve().parent
    return [options.content, *theme_dirs(options.themes, options.content), package]


def _feature_code() -> list[Path]:
    """The code of the features of other packages (sitegen's own is in its package folder), with
    the page types and templates a feature brings (PAGE_TYPES: a folder inside its package)."""
    found = [code_path(module) for module in feature_modules() if not is_own(module)]
    return [path for path in found if path is not None]


def _add_file(digest, path: Path) -> None:
    try:
        st = os.stat(path)
        _add(digest, f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}\n")
    except OSError:
        _add(digest, f"{path}:-\n")


def _add(digest, text: str) -> None:
    digest.update(text.encode("utf-8", "surrogatepass"))   # file names need not be valid UTF-8


def _add_tree(digest, folder: Path, changes: bool = True) -> None:
    """Every file and folder name under ``folder`` with its stat, in a stable order, through
    linked folders too (a site folder may be a link to another repository). ``changes``
    adds the ctime (the time of the last change of the file or its stat), which output files
    do not get: their ctime moves when the previous output, sharing them as hard links, is removed."""
    seen: set = set()   # (device, inode) of each folder walked: linked folders count, loops end
    lines: list[str] = []
    _walk(str(folder), changes, seen, lines)
    _add(digest, "".join(lines))


def _walk(where: str, changes: bool, seen: set, lines: list[str]) -> None:
    # os.scandir, not os.walk: tens of thousands of output files are stat-ed on every build.
    try:
        st = os.stat(where)
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
        with os.scandir(where) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError:
        return   # gone, or not a folder: nothing below it is read either
    lines.append(f"{where}\n")
    for entry in entries:
        try:
            if entry.is_dir():
                if entry.name not in SKIPPED_FOLDERS:
                    _walk(entry.path, changes, seen, lines)
                continue
            st = entry.stat()
        except OSError:
            continue   # removed while walking: the folder's listing already differs
        ctime = st.st_ctime_ns if changes else 0
        lines.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}:{ctime}:{st.st_ino}\n")
