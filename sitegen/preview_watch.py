"""Change detection for ``sitegen serve``: a background thread over the watched folders.

watchfiles waits for the kernel's notifications (inotify and its kin) instead of stat-ing
every file of the site again and again, so a save is seen within milliseconds and a quiet
site costs nothing. A burst of saves (an editor saving several files, a git checkout) is
handed on as one set: watchfiles groups changes until ``QUIET`` seconds pass without a new
one (a burst that goes on for more than ``LONGEST`` seconds is handed on in parts).
The one module that imports watchfiles.
"""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Callable, Iterable

import watchfiles
from sitegen.messages import _

QUIET = 0.05    # seconds without a new change that end a burst
LONGEST = 1.0   # seconds a burst is grouped at most
TICK = 0.1      # seconds the watcher waits for changes before it looks up (to notice stop)

_STANDARD = watchfiles.DefaultFilter()   # editors' swap and backup files, .git, __pycache__


def _wanted(change, path: str) -> bool:
    """Hidden files are skipped by the build too (temporary files editors save through)."""
    return _STANDARD(change, path) and not Path(path).name.startswith(".")


class FolderWatcher:
    """Calls ``on_changes(paths)`` from its own thread once per burst of changes."""

    def __init__(self, folders: Iterable[Path], on_changes: Callable[[set[Path]], None],
                 quiet: float = QUIET):
        self.folders = list(dict.fromkeys(p.resolve() for p in folders if p.is_dir()))
        self.on_changes = on_changes
        self.quiet = quiet
        self.ready = threading.Event()    # set once the folders are being watched
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)

    def start(self) -> "FolderWatcher":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        polling, failed = None, ""   # None: watchfiles decides (notifications where they work)
        while not self._stop.is_set():
            try:
                self._watch(polling)
                return
            except Exception as exc:   # e.g. the system's limit of watched folders: poll instead
                if str(exc) != failed:
                    print(_("note: watching for changes failed ({reason}); looking for changes by polling").format(reason=exc),
                          file=sys.stderr, flush=True)
                if polling:
                    time.sleep(1)   # polling failed too (a folder went away): try again
                polling, failed = True, str(exc)

    def _watch(self, polling: bool | None) -> None:
        batches = watchfiles.watch(
            *self.folders, watch_filter=_wanted, step=round(self.quiet * 1000),
            debounce=round(LONGEST * 1000), rust_timeout=round(TICK * 1000), yield_on_timeout=True,
            stop_event=self._stop, raise_interrupt=False, force_polling=polling)
        for changes in batches:
            self.ready.set()   # the first batch, even an empty one, comes once the watch is set up
            if changes:
                self.on_changes({Path(path) for _, path in changes})
