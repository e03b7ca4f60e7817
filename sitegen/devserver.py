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
  websocket's address to each page's policy (``widened``), in the preview only;
- livereload's and tornado's own lines (English) are off; an internal error of the server is
  one line in the preview's words;
- HEAD gets GET's headers, Content-Length included (``PreviewContainer``).
The one module that imports livereload.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import errno
import hashlib
import html
import http
import logging
import mimetypes
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

from sitegen import builder, cache, messages
from sitegen.commands import parse_now
from sitegen.config import find_sites, load_site_config
from sitegen.messages import _
from sitegen.preview import Preview
from sitegen.preview_watch import FolderWatcher
from sitegen.problems import Problems

ERROR_STATUS = 500
WHOLE_PAGE = "*"   # the path livereload sends: neither a stylesheet nor an image, so the page reloads
CSP_META = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)
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


def snippet_hash(snippet: bytes) -> str | None:
    """``sha256-…`` of the inline script, as a policy names it; None if it is not one script."""
    found = re.fullmatch(rb"<script[^>]*>(.*)</script>", snippet.strip(), re.DOTALL)
    if not found:
        return None
    return "sha256-" + base64.b64encode(hashlib.sha256(found[1]).digest()).decode("ascii")


def allow_snippet(page: bytes, snippet: bytes, socket_origin: str) -> bytes:
    """The page with its policy's ``<meta>`` widened for livereload's snippet and websocket."""
    digest = snippet_hash(snippet)

    def widen(meta: re.Match) -> bytes:
        policy = widened(html.unescape(meta[2].decode("utf-8")), digest, socket_origin)
        return meta[1] + html.escape(policy).encode("utf-8") + meta[3]
    return CSP_META.sub(widen, page, count=1)


def widened(policy: str, digest: str | None, socket_origin: str) -> str:
    """``policy`` that also lets the script with ``digest`` run and connect to ``socket_origin``.
    A directive the policy does not have falls back to its ``default-src`` (as browsers do); with
    neither, the policy does not limit it and stays as it is."""
    directives: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words and words[0].lower() not in directives:
            directives[words[0].lower()] = words[1:]
    for name, source in (("script-src", f"'{digest}'" if digest else None), ("connect-src", socket_origin)):
        values = directives.get(name, directives.get("default-src"))
        if source and values is not None:
            directives[name] = [v for v in values if v != "'none'"] + [source]
    return "; ".join(" ".join([name, *values]) for name, values in directives.items())


def overlay(problems: list[str], prefix: str) -> bytes:
    """The page shown instead of the site while it does not build."""
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    title, heading = html.escape(_("Errors in the build")), html.escape(_("The page could not be built"))
    advice = html.escape(_("Fix the problems below and save; the page then reloads."))
    return f"""<!DOCTYPE html>
<html lang="{messages.language()}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;margin:2rem;background:#fff3f3;color:#1a1a1a}}
h1{{color:#a00000}}li{{margin:.5rem 0}}code{{white-space:pre-wrap;font-size:1rem}}</style></head>
<body><main><h1>{heading}</h1>
<p>{advice} (<a href="{html.escape(prefix)}">{html.escape(prefix)}</a>)</p>
<ul class="sitegen-problems">
{items}
</ul></main></body></html>
""".encode("utf-8")


def answer(preview: Preview, path: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for ``path``: the built site under its URL path (a page the fast
    path made first), the overlay while the build fails, 410 for a removed page. Pages are as the
    build made them: the policy and livereload's snippet are added by the server."""
    html_type = ("Content-Type", "text/html; charset=utf-8")
    if not path.startswith(preview.prefix) and path + "/" != preview.prefix:
        return 302, [("Location", preview.prefix)], b""
    rel = path[len(preview.prefix):] if path.startswith(preview.prefix) else ""
    root = preview.folder.resolve()
    target = (preview.folder / rel).resolve()
    if target != root and root not in target.parents:
        return 404, [], html.escape(_("The page does not exist")).encode("utf-8")
    if target.is_dir():
        if path and not path.endswith("/"):
            return 301, [("Location", path + "/")], b""
        target = target / "index.html"
    # A page's address is its folder (the first build may have failed, so no folder yet) or its file.
    is_page = target.suffix == ".html" or path.endswith("/") or target == root
    if preview.problems and is_page:
        return ERROR_STATUS, [html_type], overlay(preview.problems, preview.prefix)
    shown = preview.shown.get(target.relative_to(root).as_posix()) if target != root else None
    if shown is None and not target.is_file():
        status = 410 if preview.gone(path) else 404
        page = root / f"{status}.html"
        body = page.read_bytes() if page.is_file() else html.escape(_("The page does not exist")).encode("utf-8")
        return status, [html_type], body
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    body = shown if shown is not None else target.read_bytes()
    return 200, [("Content-Type", kind)], body


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
    try:
        server.serve(port=port, host="127.0.0.1", debug=False, live_css=False)
    except OSError as exc:   # taken since the check at the start
        print(_("error: {message}").format(message=cannot_listen(port, exc)), file=sys.stderr)
        return False
    return True


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
