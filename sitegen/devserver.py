"""``sitegen serve SITE``: a preview on 127.0.0.1 that shows a save at once and reloads the browser.

The site is built with drafts into ``.sitegen-cache/serve/`` and served under its own URL
path (``http://127.0.0.1:8000/kulturskolan/``), so links work as they will online. What a save
does is in ``preview``: a page whose body alone changed is shown within a fraction of a second,
then the site is rebuilt through the build cache. When a build fails, every page shows the
problems with file and line instead of the site, until the next save that builds.

The server is livereload's, used the way livereload is made to be extended:

- the preview is a WSGI app (``PreviewApp``) given to ``livereload.Server``;
- each watched folder (the site, the themes) is a task, ``server.watch(folder, preview.queue)``;
- the watcher livereload runs its tasks from is ``NotifiedWatcher``, livereload's Watcher told of
  changes by the kernel (``preview_watch`` over watchfiles) instead of stat-ing every file every
  0.8 s: a burst of changes starts livereload's check on its loop, the check runs the tasks of
  the folders that changed, and once the preview serves the saved pages livereload tells the
  open pages to reload (its websocket, its livereload.js);
- livereload puts an inline snippet into every page's ``<head>``, which the pages' own
  Content-Security-Policy would block: the preview adds the snippet's sha256 hash and the
  websocket's address to each page's policy (``preview_answer.widened``), in the preview only;
- livereload's and tornado's own lines (English) are off; an internal error of the server is
  one line in the preview's words;
- HEAD gets GET's headers, Content-Length included (``PreviewContainer``);
- Ctrl+C stops the preview also while livereload writes to a browser (``write_message_or_stop``).
The one module that imports livereload.
"""
from __future__ import annotations

import argparse
import asyncio
import errno
import http
import logging
import re
import socket
import sys
import threading
from inspect import signature
from pathlib import Path
from typing import Callable

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop
from tornado.websocket import WebSocketHandler

from sitegen import builder, cache
from sitegen.commands import parse_now
from sitegen.config import find_sites, load_site_config
from sitegen.messages import _
from sitegen.preview import Preview
from sitegen.preview_answer import allow_snippet, answer
from sitegen.preview_watch import FolderWatcher
from sitegen.problems import Problems

WHOLE_PAGE = "*"   # the path livereload sends: neither a stylesheet nor an image, so the page reloads
HOST = re.compile(r"[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?")   # a Host header that may go into the policy


class NotifiedWatcher(Watcher):
    """livereload's watcher, told of changes by the kernel instead of polling.

    livereload calls ``start`` with its check (``poll_tasks``); it returns True, so livereload
    sets up no polling of its own. Each burst of changes that ``preview_watch`` reports runs the
    check on livereload's loop, and ``examine`` runs the tasks whose folder changed, with the
    changed paths. The preview's tasks are watched with ``delay="forever"`` (livereload's "no
    reload for this change"): the browsers reload when the preview says the saved pages are
    served (``pages_ready``), not when the file changed, which would show the old page."""

    def __init__(self):
        super().__init__()
        self._changed: set[Path] = set()       # changed files not yet examined
        self._lock = threading.Lock()
        self._folders: FolderWatcher | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._check: Callable[[], None] | None = None

    def begin(self) -> FolderWatcher:
        """Watch the tasks' folders from now on (before the first build: a save made during it is
        not missed); what changes waits for ``start``."""
        if self._folders is None:
            self._folders = FolderWatcher([Path(folder) for folder in self._tasks], self._notified).start()
        return self._folders

    def start(self, callback: Callable[[], None]) -> bool:
        # Called by livereload on its loop's thread before the loop runs: the loop is this thread's.
        self._loop = asyncio.get_event_loop()
        self._check = callback
        self.begin()
        callback()   # changes seen before livereload started (its INotifyWatcher checks at once too)
        return True

    def stop(self) -> None:
        if self._folders is not None:
            self._folders.stop()

    def pages_ready(self) -> None:
        """The preview serves what changed: livereload tells the browsers. From any thread."""
        self._on_loop(WHOLE_PAGE)

    def _notified(self, paths: set[Path]) -> None:   # the watcher's thread
        with self._lock:
            self._changed |= paths
        self._on_loop(None)

    def _on_loop(self, change: str | None) -> None:
        loop = self._loop
        if loop is None:
            return   # livereload not started yet: it examines at start, and no browser is open
        try:
            loop.call_soon_threadsafe(self._run_check, change)
        except RuntimeError:
            pass   # the loop is closed: the preview is stopping

    def _run_check(self, change: str | None) -> None:
        if change is not None:
            self._changes.append((change, None))   # livereload's list of changes to report as they are
        self._check()

    def examine(self):
        """Run the tasks of the folders with changed files; return what livereload reports to the
        browsers, and the task's delay (livereload's interface)."""
        with self._lock:
            changed, self._changed = self._changed, set()
        self.filepath, delays = None, set()
        for folder, task in self._tasks.items():
            ignore = task["ignore"] or (lambda path: False)
            mine = sorted(p for p in changed if Path(folder) in p.parents and not ignore(str(p)))
            if not mine:
                continue
            self.filepath = str(mine[0])
            delays.add(task["delay"])
            if task["func"]:
                task["func"](mine) if signature(task["func"]).parameters else task["func"]()
        if self._changes:
            self.filepath, delay = self._changes.pop()
            return self.filepath, delay
        delay = "forever" if delays == {"forever"} else max((d for d in delays if isinstance(d, float)), default=None)
        return self.filepath, delay


class PreviewServer(Server):
    """livereload's Server; the app learns the snippet livereload puts into the pages."""

    def get_web_handlers(self, script):
        self.app.snippet = script
        handlers = super().get_web_handlers(script)
        for _pattern, _handler, settings in handlers:
            settings["fallback"] = PreviewContainer(self.app, script)
        return handlers


class PreviewContainer(LiveScriptContainer):
    """livereload's WSGI container, answering HEAD with GET's headers: its own sets Content-Length
    to the body it is given, so the app gives HEAD the whole body and only the headers are sent."""

    def __call__(self, request):
        if request.method == "HEAD":
            request.connection = _HeadersOnly(request.connection)
        return super().__call__(request)


class _HeadersOnly:
    """A request's connection that sends an answer's headers, never its body."""

    def __init__(self, connection):
        self._connection = connection

    def write_headers(self, start_line, headers, chunk=None):
        return self._connection.write_headers(start_line, headers)

    def __getattr__(self, name):
        return getattr(self._connection, name)


class PreviewApp:
    """The preview as a WSGI app: the site (GET and HEAD) as ``answer`` gives it, each page's policy
    widened for livereload's snippet (added after this app by livereload)."""

    def __init__(self, preview: Preview, port: int):
        self.preview = preview
        self.port = port
        self.snippet = b""

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        if method not in ("GET", "HEAD"):
            start_response("405 Method Not Allowed", [("Allow", "GET, HEAD"), ("Content-Type", "text/plain")])
            return [b""]
        # WSGI hands the path on as bytes in latin-1: the address as the browser sent it, in UTF-8.
        path = environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace")
        status, headers, body = answer(self.preview, path)
        if any(value.startswith("text/html") for name, value in headers if name == "Content-Type"):
            body = allow_snippet(body, self.snippet, self.socket_origin(environ.get("HTTP_HOST", "")))
        start_response(f"{status} {http.HTTPStatus(status).phrase}", [*headers, ("Cache-Control", "no-store")])
        return [body]   # HEAD too: PreviewContainer counts its length and sends none of it

    def socket_origin(self, host: str) -> str:
        """Where livereload.js opens its websocket: the host and port the page came from (livereload
        uses the address bar's), when the Host header is a plain host name."""
        return f"ws://{host}" if HOST.fullmatch(host) else f"ws://127.0.0.1:{self.port}"


def port_taken(port: int) -> str | None:
    """Why 127.0.0.1:``port`` cannot be listened on (one line that says what to do), or None.
    Asked before the first build, so a busy port is said at once, not after it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # a preview stopped just now
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            return cannot_listen(port, exc)
    return None


def cannot_listen(port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return _("port {port} is already in use (is another preview running?): stop that program, or "
                 "choose another port with --port {other}").format(port=port, other=port + 1 if port < 65535 else 8001)
    return _("cannot listen on port {port} ({reason}): choose another port with --port 8001").format(
        port=port, reason=exc.strerror or exc)


def port_number(text: str) -> int:
    """``--port``: a number from 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(_("'{text}' is not a port number (1 to 65535), e.g. 8001").format(text=text))
    return port


def serve(args) -> int:
    taken = port_taken(args.port)
    if taken:
        print(_("error: {message}").format(message=taken), file=sys.stderr)
        return 1
    problems = Problems()
    chosen = find_sites(args.content, [args.site], problems)
    config = load_site_config(chosen[0], problems) if chosen else None
    if config is None:
        for problem in problems.sorted():
            print(problem.format(), file=sys.stderr)
        return 1
    out = cache.cache_folder(args.content) / "serve"
    options = builder.BuildOptions(content=args.content, out=out, sites=[config.name], now=args.now,
                                   drafts=True, themes=args.themes, quiet=True)
    watcher = NotifiedWatcher()
    preview = Preview(options, config.name, config.path_prefix, now=args.now, reload=watcher.pages_ready)
    server = PreviewServer(app=PreviewApp(preview, args.port), watcher=watcher)
    for folder in watched_folders(chosen[0], args):
        server.watch(str(folder.resolve()), preview.queue, delay="forever")
    watcher.begin()   # before the first build, so a save made during it is not missed
    try:
        preview.rebuild()
        preview.start()
        url = f"http://127.0.0.1:{args.port}{config.path_prefix}"
        print(_("preview of {site} at {url} (Ctrl+C stops)").format(site=config.name, url=url), flush=True)
        if not run_server(server, args.port):
            return 1
    finally:
        watcher.stop()
        preview.stop()
    raise KeyboardInterrupt   # livereload returns on Ctrl+C: the command says "interrupted" as any other


def watched_folders(site_dir: Path, args) -> list[Path]:
    """The site, the extra themes and the themes beside the content folder (or sitegen's own)."""
    folders = [site_dir, *[Path(t) for t in args.themes]]
    beside = args.content.resolve().parent / "themes"
    own = Path(__file__).resolve().parent.parent / "themes"
    folders.append(beside if beside.is_dir() else own)
    return [folder for folder in dict.fromkeys(folders) if folder.is_dir()]


def run_server(server: PreviewServer, port: int) -> bool:
    """livereload's server on 127.0.0.1:``port`` until Ctrl+C (True), or False when it cannot
    listen (said in one line). It runs tornado's loop in this, the main thread: Ctrl+C stops
    it at once; it sets no signal handlers the render workers forked during rebuilds would
    inherit. debug=False: no tornado autoreload, which would poll sitegen's own modules."""
    quiet_server_logs()
    # livereload drops a reload within 3 s of the last one (against a flood of changes): the
    # watcher already hands a burst on as one, and a second save soon after the first, or the
    # rebuild's reload after the fast path's, must reach the browser.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    LiveReloadHandler.write_message = write_message_or_stop
    try:
        server.serve(port=port, host="127.0.0.1", debug=False, live_css=False)
    except OSError as exc:   # taken since the check at the start
        print(_("error: {message}").format(message=cannot_listen(port, exc)), file=sys.stderr)
        return False
    return True


def write_message_or_stop(handler, message, binary=False):
    """tornado's ``write_message`` for livereload's websocket. livereload sends each message inside
    a bare ``except:``, so a Ctrl+C pressed while a browser is being told something was swallowed
    there and the preview kept running; here it stops the loop, as any other Ctrl+C does."""
    try:
        return WebSocketHandler.write_message(handler, message, binary)
    except KeyboardInterrupt:
        IOLoop.current().stop()
        raise


class ServerErrors(logging.Handler):
    """An internal error of the server (a bug of the preview's app): one line in the preview's
    words instead of tornado's English traceback."""

    def __init__(self):
        super().__init__(logging.ERROR)

    def emit(self, record: logging.LogRecord) -> None:
        reason = record.exc_info[1] if record.exc_info and record.exc_info[1] else record.getMessage()
        print(_("internal error of the preview server: {reason!r}; if pages are no longer shown, stop the "
                "preview with Ctrl+C and start it again").format(reason=reason), file=sys.stderr, flush=True)


def quiet_server_logs() -> None:
    """livereload's lines ("Serving on …", "Browser connected", "Running task") and tornado's
    (each request, a client's broken request) are English for developers: off. livereload
    adds its own handlers when it serves, so the loggers themselves are switched off."""
    for name in ("livereload", "tornado.access", "tornado.general"):
        logging.getLogger(name).disabled = True
    errors = logging.getLogger("tornado.application")
    errors.propagate = False
    errors.handlers[:] = [ServerErrors()]


def register(sub) -> None:
    parser = sub.add_parser("serve", help=_("preview a site on 127.0.0.1 with live reload, drafts shown"))
    parser.add_argument("site", metavar=_("SITE"), help=_("the site to preview (a folder under --content)"))
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("folder of sites (default content/)"))
    parser.add_argument("--port", type=port_number, default=8000, help=_("port on 127.0.0.1 (default 8000)"))
    parser.add_argument("--now", type=parse_now, help=_("fix 'now' (ISO date-time) instead of the clock"))
    parser.add_argument("--themes", type=Path, action="append", default=[], help=_("extra themes folder"))
    parser.set_defaults(func=serve)
