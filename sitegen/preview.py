"""What ``sitegen serve`` does with a save: the fast path for page bodies, then a full rebuild.

The preview keeps the last successful build (``SiteBuild``: the modelled site, its theme,
menu and renderer). When every file of a save is a page of that build whose front matter is
the text the build read, only the text below the front matter changed: the build renders
those pages again through its own stages (``render_stage.render_saved``: body, shortcodes and
embeds, links, the page's template with the kept menu and cards), the preview serves them
from memory and the browser reloads. Nothing is written into the build's folder and the kept
build is left as it was: the output folder holds only what builds wrote. A full rebuild
through the build cache follows in any case, so lists, feeds and the search index catch up;
the browser reloads again only when that rebuild changed other pages than the ones already
shown. Any other change (front matter, new or deleted files, data, theme, site.yaml) takes the
full rebuild alone.

One thread runs the rounds, one after the other; saves that come in during a round wait for
the next one. The fast path does not wait, though: a save during a round is shown at once
(the round's build, which started before the save, is then swapped in without it, and the
page is served from memory until the next round's build has it).
No error stops the preview: a user's mistake is shown as the overlay, an internal error of
the fast path leaves the save to the full rebuild.
"""
from __future__ import annotations

import sys
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable
from urllib.parse import unquote, urlsplit

from sitegen import builder, render_stage
from sitegen.markdown import make_parser
from sitegen.fileio import content_digest
from sitegen.problems import Problem, Problems, display_path, read_text
from sitegen.render import template_for
from sitegen.sources import SourceFile, split_front_matter
from sitegen.messages import _

STOP_WAIT = 120   # seconds a stopping preview waits for the round in progress (a large site's full build)


@dataclass
class Preview:
    """One site's preview: what to build, where, the last build and what the overlay shows."""

    options: builder.BuildOptions
    name: str
    prefix: str
    now: object = None                                 # --now, or None for the clock
    reload: Callable[[], None] = lambda: None          # tells the browsers to reload (set by the server)
    errors: list[Problem] = field(default_factory=list)   # shown instead of the site while not empty
    builds: int = 0                                    # full builds run
    fast_updates: int = 0                              # saves shown by the fast path
    last: builder.SiteBuild | None = None              # the last successful build: what is served
    shown: dict = field(default_factory=dict)          # output path -> page the fast path made (bytes), served first
    _pending: set = field(default_factory=set, repr=False)     # saves the next round takes
    _wake: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _busy: bool = False                                # a round is running
    _stopped: bool = False
    # The kept build, its renderer and the overlay are used by the rounds' thread and by the
    # watcher's (a save during a round); one at a time.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self):
        self._parser = make_parser()   # one parser for every save: making one costs as much as a page

    @property
    def folder(self) -> Path:
        return self.options.out / self.name

    @property
    def problems(self) -> list[str]:
        return [p.format() for p in self.errors]

    @property
    def idle(self) -> bool:
        """No round running and none waiting."""
        with self._wake:
            return not self._busy and not self._pending

    # --- the rounds ----------------------------------------------------------------------

    def queue(self, paths: set[Path]) -> None:
        """Changed files, from the watcher's thread: taken by the next round, shown now when
        a round is running and the fast path applies."""
        with self._wake:
            self._pending |= set(paths)
            busy = self._busy
            self._wake.notify()
        if busy and self.show_bodies(set(paths)) is not None:
            self.reload()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sitegen-rebuild", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """No new round starts; a round in progress is let finish (its staging folder swapped
        in or removed), so stopping the preview leaves nothing half-written beside the output."""
        with self._wake:
            self._stopped = True
            self._wake.notify()
        thread = getattr(self, "_thread", None)
        if thread is not None and thread.is_alive():
            thread.join(timeout=STOP_WAIT)

    def _run(self) -> None:
        # Off the server's event loop: features may run their own (the search index does).
        while True:
            with self._wake:
                self._busy = False
                while not self._pending and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                paths, self._pending, self._busy = self._pending, set(), True
            self.update(paths)

    def update(self, paths: set[Path]) -> None:
        """One round: the fast path when it applies, then the full rebuild."""
        shown = self.show_bodies(paths)
        if shown is not None:
            self.reload()
        errors_before = list(self.errors)
        built = self.rebuild()
        with self._wake:
            if self._pending:
                return   # saves came in: the next round shows them and reloads, not this stale build
        if shown is None or self.errors != errors_before or (built and self._changed_more(shown)):
            self.reload()

    def _changed_more(self, shown: dict[str, str]) -> bool:
        """Did the rebuild change a page other than the ones the fast path showed, or make one
        of those differently?"""
        for rel in self.last.changed or ():
            if rel in shown:
                try:
                    if content_digest((self.folder / rel).read_bytes()) != shown[rel]:
                        return True
                except OSError:
                    return True
            elif rel.endswith(".html"):
                return True
        return False

    def gone(self, path: str) -> bool:
        """Is ``path`` (under the site's prefix) a removed page (``removed:`` in site.yaml), which
        the web server answers 410 Gone?"""
        build = self.last
        if build is None:
            return False
        host = urlsplit(build.config.base_url).netloc.lower()
        addresses = (urlsplit(removed) for removed in build.config.removed)
        return any(unquote(address.path) == path for address in addresses
                   if address.netloc.lower() in ("", host))   # not an old host's address

    # --- the full rebuild ------------------------------------------------------------------

    def rebuild(self) -> bool:
        """Build the site; on failure keep the problems for the overlay. Never raises."""
        self.options.now = self.now   # None: the clock at each rebuild
        started = time.perf_counter()
        try:
            problems, builds = builder.execute(self.options)
            for problem in problems.sorted():
                print(problem.format(), file=sys.stderr)
            with self._lock:
                self.errors = [p for p in problems.sorted() if p.severity == "error"]
                if not self.errors and builds:
                    self._keep(builds[0])
                    with self._wake:
                        if not self._pending:   # else a save came in that this build has not seen
                            self.shown = {}
        except Exception as exc:  # a preview must outlive a bug: show it instead of dying
            with self._lock:
                self.errors = [Problem("sitegen", 0, _("internal error: {reason!r}").format(reason=exc))]
        self.builds += 1
        took = time.perf_counter() - started
        done = _("build failed in {seconds:.2f} s") if self.errors else _("built in {seconds:.2f} s")
        print(done.format(seconds=took), file=sys.stderr, flush=True)
        return not self.errors

    def _keep(self, build: builder.SiteBuild) -> None:
        """Keep what the fast path needs, and not what only the write needed: the kept build is
        alive while the next one is made, so on a large site every megabyte counts twice."""
        build.files = dict.fromkeys(build.files)   # only the names: a saved page's links are checked against them
        build.pending, build.bodies, build.page_keys, build.cache = {}, {}, {}, None
        # (build.front_matter is kept: a save with the same front matter leaves the model as it is.)
        for page in build.site.pages:
            # A page shows its own text, and of other pages their titles, ingresses and dates:
            # the texts are half the model. (A template that showed another page's text would
            # be set right by the rebuild after the fast path, which reloads when it differs.)
            page.body = page.html = ""
            if page.rel:   # compile the templates now, not at the first save
                template_for(page, build.renderer.env)
        self.last = build

    # --- the fast path ---------------------------------------------------------------------

    def show_bodies(self, paths: set[Path]) -> dict[str, str] | None:
        """Render the pages whose body alone changed and serve them; None when the save needs more.

        Returns the shown files (relative to the served folder) with their digests.
        """
        with self._lock:
            build = self.last
            if build is None:
                return None
            started = time.perf_counter()
            root = self.options.content.resolve().parent
            changed = {display_path(p, root) for p in paths}
            if any(e.path not in changed for e in self.errors):
                return None   # the overlay shows mistakes in other files: only a full build clears them
            try:
                saved = saved_pages(build, paths)
                problems = Problems(root=root)
                pages = render_stage.render_saved(build, saved, problems, self._parser) if saved else None
            except Exception as exc:  # leave the save to the full rebuild, which reports what is wrong
                print(_("note: the quick update failed ({reason!r}); rebuilding").format(reason=exc),
                      file=sys.stderr, flush=True)
                return None
            if pages is None:
                return None
            for problem in problems.sorted():
                print(problem.format(), file=sys.stderr)
            self.errors = [p for p in problems.sorted() if p.severity == "error"]
            shown = {rel: html.encode("utf-8") for rel, html in pages.items()}
            self.shown = {**self.shown, **shown}
            self.fast_updates += 1
        took = time.perf_counter() - started
        names = ", ".join(source.rel.as_posix() for source in saved)
        summary = _("shown with errors: {pages} in {ms:.0f} ms") if self.errors else _("shown: {pages} in {ms:.0f} ms")
        print(summary.format(pages=names, ms=took * 1000), file=sys.stderr, flush=True)
        return {rel: content_digest(data) for rel, data in shown.items()}


def saved_pages(build: builder.SiteBuild, paths: set[Path]) -> list[SourceFile] | None:
    """The saved Markdown files of the site, read as the build reads them; None when a file is
    not one (a theme's file, an asset, site.yaml, a deleted file) or cannot be read."""
    site_dir = build.config.content_dir.resolve()
    saved = []
    for path in sorted(paths):
        rel = site_rel(path, site_dir)
        if rel is None or path.suffix.lower() != ".md":
            return None
        if not path.exists():
            if rel in build.site.by_source:
                return None   # a deleted page
            continue   # a file that came and went within the save (an editor's temporary file)
        source = read_page(path, rel)
        if source is None:
            return None
        saved.append(source)
    return saved


def site_rel(path: Path, site_dir: Path) -> str | None:
    try:
        rel = path.relative_to(site_dir)
    except ValueError:
        return None
    return unicodedata.normalize("NFC", rel.as_posix())


def read_page(path: Path, rel: str) -> SourceFile | None:
    """The saved file split as the build splits it; None when that gives any problem."""
    problems = Problems()
    if path.is_symlink():
        return None   # the full build decides whether it may be read (confine.py)
    try:
        text = read_text(path, problems)
    except OSError:
        return None
    if text is None:
        return None
    meta, body, body_line = split_front_matter(text, path, problems)
    if meta is None or problems.items:
        return None
    return SourceFile(path, PurePosixPath(rel), meta, body, body_line)
