"""What ``sitegen serve`` does with a save: the fast path for page bodies, then a full rebuild.

The preview keeps the last successful build (``SiteBuild``: the modelled site, its theme,
menu and renderer). When every file of a save is an existing page whose front matter gives
the page it has now, only the text below the front matter changed: those bodies are rendered
again, their pages rendered with the kept build's templates, menu and cards, written into the
served folder, and the browser reloads. A full rebuild through the build cache follows in any
case, so lists, feeds and the search index catch up; the browser reloads again only when that
rebuild changed other pages than the ones already shown. Any other change (front matter,
new or deleted files, data, theme, site.yaml) takes the full rebuild alone.

One thread runs the rounds, one after the other; saves that come in during a round wait for
the next one. The fast path does not wait, though: a save during a round is shown at once
(the round's build, which started before the save, is then swapped in without it, so the
next round shows it again before its own rebuild, and the browser is not reloaded between).
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

from sitegen import builder, mdlinks, tree
from sitegen.markdown import BodyRenderer, make_parser
from sitegen.model import Page
from sitegen.fileio import content_digest, write_atomically
from sitegen.problems import Problem, Problems, display_path
from sitegen.render import template_for
from sitegen.sources import NON_PAGE_DIRS, SITE_FILES, SourceFile, split_front_matter
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
    _pending: set = field(default_factory=set, repr=False)     # saves the next round takes
    _wake: threading.Condition = field(default_factory=threading.Condition, repr=False)
    _busy: bool = False                                # a round is running
    _stopped: bool = False
    # The kept build, its renderer and the overlay are used by the rounds' thread and by the
    # watcher's (a save during a round); one at a time.
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self):
        self._parser = make_parser()   # one parser: building one costs as much as rendering a page

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
        """Did the rebuild change a page other than the ones the fast path wrote, or write one
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
        """Render and write the pages whose body alone changed; None when the save needs more.

        Returns the written files (relative to the served folder) with their digests.
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
                edits = body_edits(build, paths)
                if edits is None:
                    return None
                problems = Problems(root=root)
                shown = self._render(build, edits, problems)
            except Exception as exc:  # leave the save to the full rebuild, which reports what is wrong
                print(_("note: the quick update failed ({reason!r}); rebuilding").format(reason=exc),
                      file=sys.stderr, flush=True)
                return None
            for problem in problems.sorted():
                print(problem.format(), file=sys.stderr)
            self.errors = [p for p in problems.sorted() if p.severity == "error"]
            self.fast_updates += 1
        took = time.perf_counter() - started
        names = ", ".join(page.rel for page, _ in edits)
        summary = _("shown with errors: {pages} in {ms:.0f} ms") if self.errors else _("shown: {pages} in {ms:.0f} ms")
        print(summary.format(pages=names, ms=took * 1000),
              file=sys.stderr, flush=True)
        return shown

    def _render(self, build: builder.SiteBuild, edits: list, problems: Problems) -> dict[str, str]:
        build.problems = build.renderer.problems = problems   # this update's own list
        bodies = BodyRenderer(build.site, problems, self._parser)
        shown = {}
        for page, source in edits:
            page.body, page.body_line = source.body, source.body_line
            page.html = bodies.render(page)
            mdlinks.report_missing(page, bodies.later, build.site, build.files, problems)
            if " data-player=" in page.html:   # the frames of its players: what the social feature does for every body
                from sitegen.features import social
                social.allow_players(page)
            html = build.renderer.render_page(page)
            if html is None:
                continue   # a template error: reported, shown as the overlay
            data = html.encode("utf-8")
            write_atomically(self.folder / page.file_path(), data)
            shown[page.file_path()] = content_digest(data)
        return shown


def body_edits(build: builder.SiteBuild, paths: set[Path]) -> list[tuple[Page, SourceFile]] | None:
    """The pages and their saved files when only bodies changed; None otherwise."""
    site = build.site
    site_dir = build.config.content_dir.resolve()
    edits = []
    for path in sorted(paths):
        rel = site_rel(path, site_dir)
        if rel is None:
            return None   # a theme's file
        page = site.by_source.get(rel)
        if page is None:
            if path.exists() or known(build, rel):
                return None   # a new or deleted file, data, an asset, site.yaml
            continue   # a file that came and went within the save (an editor's temporary file)
        source = read_page(path, rel)
        if source is None or not same_front_matter(page, source):
            return None
        edits.append((page, source))
    return edits or None


def site_rel(path: Path, site_dir: Path) -> str | None:
    try:
        rel = path.relative_to(site_dir)
    except ValueError:
        return None
    return unicodedata.normalize("NFC", rel.as_posix())


def known(build: builder.SiteBuild, rel: str) -> bool:
    """Did the last build read this file (other than as a page)?"""
    site, parts = build.site, PurePosixPath(rel).parts
    return (not parts or rel in site.assets or rel in site.hidden or rel in SITE_FILES
            or parts[0] in NON_PAGE_DIRS)


def read_page(path: Path, rel: str) -> SourceFile | None:
    """The saved file split as the build splits it; None when that gives any problem."""
    problems = Problems()
    if path.is_symlink():
        return None   # the full build decides whether it may be read (confine.py)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    meta, body, body_line = split_front_matter(text, path, problems)
    if meta is None or problems.items:
        return None
    return SourceFile(path, PurePosixPath(rel), meta, body, body_line)


class _Inherited:
    """The cascade values a page got from its section, whatever folder ``make_page`` asks for."""

    def __init__(self, values: dict):
        self.values = values

    def get(self, folder, default=None):
        return self.values


def same_front_matter(page: Page, source: SourceFile) -> bool:
    """Does the saved front matter give the page it has now? It is validated as the build does,
    with the values the page did not get from its own front matter (cascade, type, a date from
    the file name, what features set) given as the section's cascade."""
    inherited = {key: value for key, value in page.meta.items() if key not in page.lines}
    problems = Problems()
    again = tree.make_page(source, _Inherited(inherited), problems)
    return (again is not None and not problems.items and again.url == page.url
            and again.meta == page.meta and again.lines == page.lines
            and again.item_lines == page.item_lines)


