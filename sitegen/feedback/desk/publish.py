"""Publishing approved comments without a terminal.

After an approval or a rejection the desk writes the site's ``data/comments.json`` from
the store (the same file and checks as ``sitegen feedback export``) and then runs the
site's publish commands from the desk settings, one after another, as argument lists
(never through a shell). One run per site at a time; approvals made during a run start
one more run when it ends, so the last decision is always published.
"""
from __future__ import annotations

import logging
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from sitegen.feedback.desk.config import DeskConfig, expand
from sitegen.feedback.export import comments_json, unknown_to_store
from sitegen.fileio import write_atomically
from sitegen.feedback.sites import Site
from sitegen.feedback.store import Store, StoreError, utc_now, timestamp

log = logging.getLogger("sitegen.feedback.desk")


@dataclass
class Outcome:
    state: str = "idle"      # idle, running, done, failed
    finished: str = ""       # UTC timestamp
    message: str = ""        # for the editor: what failed (English id, translated by the page)
    detail: str = ""         # the command's last lines, for the operator


class Publisher:
    def __init__(self, store: Store, config: DeskConfig):
        self.store = store
        self.config = config
        self.lock = threading.Lock()
        self.outcomes: dict[str, Outcome] = {}
        self.again: set[str] = set()
        self.threads: dict[str, threading.Thread] = {}

    def status(self, site: str) -> Outcome:
        with self.lock:
            return self.outcomes.get(site, Outcome())

    def trigger(self, site: Site) -> None:
        with self.lock:
            if site.name in self.threads:
                self.again.add(site.name)
                return
            self.outcomes[site.name] = Outcome("running")
            thread = threading.Thread(target=self._loop, args=(site,), daemon=True,
                                      name=f"publish-{site.name}")
            self.threads[site.name] = thread
        thread.start()

    def wait(self, site: str, timeout: float | None = None) -> None:
        """For tests and shutdown: until the current run of ``site`` has ended."""
        thread = self.threads.get(site)
        if thread:
            thread.join(timeout)

    def _loop(self, site: Site) -> None:
        while True:
            try:
                outcome = self.run(site)
            except Exception as exc:  # noqa: BLE001 - a fault must not stop publishing for good
                log.exception("publish %s", site.name)
                outcome = Outcome("failed", timestamp(utc_now()),
                                  "Publishing failed; ask the operator.", str(exc))
            with self.lock:
                if site.name in self.again:
                    self.again.discard(site.name)
                    self.outcomes[site.name] = Outcome("running")
                    continue
                self.outcomes[site.name] = outcome
                del self.threads[site.name]
                return

    def run(self, site: Site) -> Outcome:
        try:
            self.write_comments(site)
        except (StoreError, OSError, ValueError) as exc:
            log.error("publish %s: %s", site.name, exc)
            return Outcome("failed", timestamp(utc_now()),
                           "The comments file could not be written; ask the operator.", str(exc))
        for step in self.config.publish.get(site.name, []):
            try:
                argv = expand(step, site.name, site.content_dir.parent)
                done = subprocess.run(argv, capture_output=True, text=True, shell=False,
                                      timeout=self.config.publish_timeout,
                                      cwd=self.config.publish_cwd or None)
            except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
                log.error("publish %s: %s: %s", site.name, step[0], exc)
                return Outcome("failed", timestamp(utc_now()),
                               "Publishing failed; ask the operator.", str(exc))
            if done.returncode:
                tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-5:])
                log.error("publish %s: %s exited with %s: %s", site.name, argv[0],
                          done.returncode, tail)
                return Outcome("failed", timestamp(utc_now()),
                               "Publishing failed; ask the operator.", tail)
        return Outcome("done", timestamp(utc_now()))

    def write_comments(self, site: Site) -> None:
        """The approved comments of ``site`` into the file the build reads; refused, like
        ``export``, when that file lists comments this store never held."""
        held = self.store.comments(site=site.name)
        target = Path(site.content_dir) / "data" / "comments.json"
        unknown = unknown_to_store(target, held)
        if unknown:
            raise ValueError(f"{target}: {unknown} published comment(s) are not in the store")
        write_atomically(target, comments_json([c for c in held if c.status == "approved"]))
