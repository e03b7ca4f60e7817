"""``sitegen serve SITE``: a preview on 127.0.0.1 that shows a save at once and reloads the browser.

The site is built with drafts into ``.sitegen-cache/serve/`` and served under its own URL
path (``http://127.0.0.1:8000/kulturskolan/``), so links work as they will online. The
watched folders (the site, the themes) are followed by ``preview_watch``; what a save does
is in ``preview``: a page whose body alone changed is shown within a fraction of a second,
then the site is rebuilt through the build cache. When a build fails, every page shows the
problems with file and line instead of the site, until the next save that builds.

The server is Starlette on uvicorn (docs/architecture.md says why not livereload). Every
page it serves gets one script from the preview's own address (the pages' Content-Security-
Policy allows scripts and connections to 'self' only), which listens to an event stream and
reloads the page when the preview says so. The one module of the preview that imports them.
"""
from __future__ import annotations

import argparse
import asyncio
import errno
import html
import mimetypes
import socket
import sys
import threading
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from sitegen import builder, cache, messages
from sitegen.commands import parse_now
from sitegen.config import find_sites, load_site_config
from sitegen.messages import _
from sitegen.preview import Preview
from sitegen.preview_watch import FolderWatcher
from sitegen.problems import Problems

ERROR_STATUS = 500
RELOADS_PATH = "/_sitegen/reloads"       # the event stream the pages listen to
SCRIPT_PATH = "/_sitegen/reload.js"
# Reload when the preview has reloaded since the page was served (``since``), also when that
# happened while the page was loading, before it listened.
RELOAD_SCRIPT = (
    "(function () {\n"
    "  var since = new URL(document.currentScript.src).searchParams.get('since') || '';\n"
    f"  var events = new EventSource('{RELOADS_PATH}?since=' + encodeURIComponent(since));\n"
    "  events.addEventListener('reload', function () { events.close(); location.reload(); });\n"
    "})();\n").encode("utf-8")
KEEP_ALIVE = 15          # seconds between two comments on a quiet event stream
SHUTDOWN_WAIT = 1        # seconds open event streams may hold up stopping the server


class Reloads:
    """How often the browsers were told to reload; the event streams wait for the next time.
    ``tell`` is called from the preview's threads, the waiting is done on the server's loop."""

    def __init__(self):
        self.count = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.Event | None = None

    def tell(self) -> None:
        with self._lock:
            self.count += 1
            loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:
        if self._next is not None:
            self._next.set()
            self._next = None

    async def after(self, seen: int, timeout: float) -> int:
        """The count once it is above ``seen``, or as it is after ``timeout`` seconds."""
        with self._lock:
            self._loop = asyncio.get_running_loop()
            if self.count > seen:
                return self.count
        if self._next is None:
            self._next = asyncio.Event()
        try:
            await asyncio.wait_for(self._next.wait(), timeout)
        except TimeoutError:
            pass
        return self.count


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


def reload_tag(since: int) -> bytes:
    return f'<script src="{SCRIPT_PATH}?since={since}" defer></script>'.encode("ascii")


def with_reload(page: bytes, since: int) -> bytes:
    """The page with the reload script at the end of its body: the rest is as the build made it."""
    at = page.rfind(b"</body>")
    at = len(page) if at < 0 else at
    return page[:at] + reload_tag(since) + page[at:]


def answer(preview: Preview, path: str, since: int = 0) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body for ``path``: the built site under its URL path (a page the fast
    path made first), the overlay while the build fails, 410 for a removed page."""
    html_type = ("Content-Type", "text/html; charset=utf-8")
    if not path.startswith(preview.prefix) and path + "/" != preview.prefix:
        return 302, [("Location", preview.prefix)], b""
    rel = path[len(preview.prefix):] if path.startswith(preview.prefix) else ""
    root = preview.folder.resolve()
    target = (preview.folder / rel).resolve()
    if target != root and root not in target.parents:
        return 404, [], b"not found"
    if target.is_dir():
        if path and not path.endswith("/"):
            return 301, [("Location", path + "/")], b""
        target = target / "index.html"
    is_page = target.suffix == ".html"
    if preview.problems and is_page:
        return ERROR_STATUS, [html_type], with_reload(overlay(preview.problems, preview.prefix), since)
    shown = preview.shown.get(target.relative_to(root).as_posix()) if target != root else None
    if shown is None and not target.is_file():
        missing = root / "404.html"
        body = with_reload(missing.read_bytes(), since) if missing.is_file() else b"not found"
        return (410 if preview.gone(path) else 404), [html_type], body
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
        kind += "; charset=utf-8"
    body = shown if shown is not None else target.read_bytes()
    return 200, [("Content-Type", kind)], with_reload(body, since) if is_page else body


def make_app(preview: Preview, reloads: Reloads) -> Starlette:
    """The preview's web app: the site (GET and HEAD), the reload script and its event stream."""
    def site(request: Request) -> Response:   # not async: it reads files (Starlette runs it in a thread)
        status, headers, body = answer(preview, request.scope["path"], reloads.count)
        headers = [*headers, ("Content-Length", str(len(body))), ("Cache-Control", "no-store")]
        return Response(b"" if request.method == "HEAD" else body, status, headers=dict(headers))

    def script(request: Request) -> Response:
        return Response(RELOAD_SCRIPT, headers={"Content-Type": "text/javascript; charset=utf-8",
                                                "Cache-Control": "no-store"})

    async def stream(request: Request) -> StreamingResponse:
        since = request.query_params.get("since", "")
        seen = int(since) if since.isdigit() else reloads.count

        async def events():
            nonlocal seen
            yield b"retry: 1000\n\n"
            while True:
                now = await reloads.after(seen, KEEP_ALIVE)
                if now > seen:
                    seen = now
                    yield f"event: reload\ndata: {now}\n\n".encode("ascii")
                else:
                    yield b": quiet\n\n"   # a closed tab is noticed, and proxies keep the line open
        return StreamingResponse(events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

    return Starlette(routes=[Route(RELOADS_PATH, stream), Route(SCRIPT_PATH, script),
                             Route("/{path:path}", site, methods=["GET", "HEAD"])])


def open_port(port: int) -> socket.socket | str:
    """The listening socket on 127.0.0.1:``port``, taken before the first build (a browser opened
    early waits for it), or why it cannot be: one line that says what to do."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # a preview stopped just now
        listener.bind(("127.0.0.1", port))
        listener.listen(128)
    except OSError as exc:
        listener.close()
        return cannot_listen(port, exc)
    return listener


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
    listener = open_port(args.port)
    if isinstance(listener, str):
        print(_("error: {message}").format(message=listener), file=sys.stderr)
        return 1
    problems = Problems()
    chosen = find_sites(args.content, [args.site], problems)
    config = load_site_config(chosen[0], problems) if chosen else None
    if config is None:
        listener.close()
        for problem in problems.sorted():
            print(problem.format(), file=sys.stderr)
        return 1
    out = cache.cache_folder(args.content) / "serve"
    options = builder.BuildOptions(content=args.content, out=out, sites=[config.name], now=args.now,
                                   drafts=True, themes=args.themes, quiet=True)
    reloads = Reloads()
    preview = Preview(options, config.name, config.path_prefix, now=args.now, reload=reloads.tell)
    # Watching starts first, so a save made during the first build is not missed.
    watcher = FolderWatcher(watched_folders(chosen[0], args), preview.queue).start()
    try:
        preview.rebuild()
        preview.start()
        url = f"http://127.0.0.1:{args.port}{config.path_prefix}"
        print(_("preview of {site} at {url} (Ctrl+C stops)").format(site=config.name, url=url), flush=True)
        run_server(make_app(preview, reloads), listener)
    finally:
        watcher.stop()
        preview.stop()
        listener.close()
    return 0


def watched_folders(site_dir: Path, args) -> list[Path]:
    """The site, the extra themes and the themes beside the content folder (or sitegen's own)."""
    folders = [site_dir, *[Path(t) for t in args.themes]]
    beside = args.content.resolve().parent / "themes"
    own = Path(__file__).resolve().parent.parent / "themes"
    folders.append(beside if beside.is_dir() else own)
    return folders


def run_server(app: Starlette, listener: socket.socket) -> None:
    """uvicorn on the socket taken at the start, until Ctrl+C. Its own lines (in English) are
    left out: editors see the preview's messages only; an internal error of the server still
    shows. It runs in a thread of its own, so it sets no signal handlers: the render workers
    forked during rebuilds inherit the handlers of this process, and must stop when their
    pool is done with them."""
    config = uvicorn.Config(app, log_config=None, log_level="error", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=SHUTDOWN_WAIT)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, name="sitegen-server",
                              daemon=True)
    thread.start()
    try:
        while thread.is_alive():
            thread.join(0.5)   # in steps: Ctrl+C reaches this thread between them
    finally:
        server.should_exit = True   # open event streams are let go within SHUTDOWN_WAIT
        thread.join(SHUTDOWN_WAIT + 1)


def register(sub) -> None:
    parser = sub.add_parser("serve", help=_("preview a site on 127.0.0.1 with live reload, drafts shown"))
    parser.add_argument("site", metavar=_("SITE"), help=_("the site to preview (a folder under --content)"))
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("folder of sites (default content/)"))
    parser.add_argument("--port", type=port_number, default=8000, help=_("port on 127.0.0.1 (default 8000)"))
    parser.add_argument("--now", type=parse_now, help=_("fix 'now' (ISO date-time) instead of the clock"))
    parser.add_argument("--themes", type=Path, action="append", default=[], help=_("extra themes folder"))
    parser.set_defaults(func=serve)
