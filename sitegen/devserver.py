"""``sitegen serve SITE``: a preview on 127.0.0.1 that shows a save at once and reloads the browser.

The site is built with drafts into ``.sitegen-cache/serve/`` and served under its own URL
path (``http://127.0.0.1:8000/kulturskolan/``), so links work as they will online. The
watched folders (the site, the themes) are followed by ``preview_watch``; what a save does
is in ``preview``: a page whose body alone changed is shown within a fraction of a second,
then the site is rebuilt through the build cache. When a build fails, every page shows the
problems with file and line instead of the site, until the next save that builds.
The one module that imports livereload: it serves the reload script and tells the browsers.
"""
from __future__ import annotations

import argparse
import errno
import html
import mimetypes
import socket
import sys
from pathlib import Path

from sitegen import builder, cache, messages
from sitegen.commands import parse_now
from sitegen.config import find_sites, load_site_config
from sitegen.messages import _
from sitegen.preview import Preview
from sitegen.preview_watch import FolderWatcher
from sitegen.problems import Problems

ERROR_STATUS = "500 Build failed"


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


def make_app(preview: Preview):
    """A WSGI app: the built site under its URL path, or the overlay while the build fails.
    A HEAD request (link checkers) gets the same status and headers, without the body."""
    def app(environ, start_response):
        answer = _answer(environ, start_response)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else answer

    def _answer(environ, start_response):
        path = environ.get("PATH_INFO", "/")
        if not path.startswith(preview.prefix) and path + "/" != preview.prefix:
            return _respond(start_response, "302 Found", b"", [("Location", preview.prefix)])
        rel = path[len(preview.prefix):] if path.startswith(preview.prefix) else ""
        target = (preview.folder / rel).resolve()
        root = preview.folder.resolve()
        if target != root and root not in target.parents:
            return _respond(start_response, "404 Not Found", b"not found", [])
        if target.is_dir():
            if path and not path.endswith("/"):
                return _respond(start_response, "301 Moved Permanently", b"", [("Location", path + "/")])
            target = target / "index.html"
        is_page = target.suffix == ".html"
        if preview.problems and is_page:
            return _respond(start_response, ERROR_STATUS, overlay(preview.problems, preview.prefix),
                            [("Content-Type", "text/html; charset=utf-8")])
        if not target.is_file():
            missing = root / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"not found"
            return _respond(start_response, "404 Not Found", body, [("Content-Type", "text/html; charset=utf-8")])
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
            kind += "; charset=utf-8"
        return _respond(start_response, "200 OK", target.read_bytes(),
                        [("Content-Type", kind), ("Cache-Control", "no-store")])
    return app


def _respond(start_response, status: str, body: bytes, headers: list):
    start_response(status, [("Content-Length", str(len(body))), *headers])
    return [body]


def port_problem(port: int) -> str:
    """Why the preview cannot listen on 127.0.0.1:``port`` ("" when it can), asked before the
    first build so a busy port is one line that says what to do, not a server's traceback."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as the server itself does
            probe.bind(("127.0.0.1", port))
    except OSError as exc:
        return cannot_listen(port, exc)
    return ""


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
    busy = port_problem(args.port)
    if busy:
        print(_("error: {message}").format(message=busy), file=sys.stderr)
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
    preview = Preview(options, config.name, config.path_prefix, now=args.now)
    # Watching starts first, so a save made during the first build is not missed.
    watcher = FolderWatcher(watched_folders(chosen[0], args), preview.queue).start()
    try:
        preview.rebuild()
        preview.start()
        url = f"http://127.0.0.1:{args.port}{config.path_prefix}"
        print(_("preview of {site} at {url} (Ctrl+C stops)").format(site=config.name, url=url), flush=True)
        run_server(preview, args.port)
    except OSError as exc:   # the port was taken between the check and the first build's end
        if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
            raise
        print(_("error: {message}").format(message=cannot_listen(args.port, exc)), file=sys.stderr)
        return 1
    finally:
        watcher.stop()
        preview.stop()
    return 0


def watched_folders(site_dir: Path, args) -> list[Path]:
    """The site, the extra themes and the themes beside the content folder (or sitegen's own)."""
    folders = [site_dir, *[Path(t) for t in args.themes]]
    beside = args.content.resolve().parent / "themes"
    own = Path(__file__).resolve().parent.parent / "themes"
    folders.append(beside if beside.is_dir() else own)
    return folders


def run_server(preview: Preview, port: int) -> None:
    """livereload's server: the app with its script in every page, reloads sent when told."""
    from livereload import Server   # only here: the preview is the one user of livereload
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    class PreviewTells(Watcher):
        """livereload asks its watcher to start once the server listens, on the server's thread.
        Changes are found by ``preview_watch``, so livereload's own polling (every 0.8 s, over
        every file) is turned off: ``start`` returning True says the watcher needs none."""

        def start(self, callback) -> bool:
            loop = IOLoop.current()
            # Browsers are told on the server's event loop; the other threads only ask it to.
            preview.reload = lambda: loop.add_callback(LiveReloadHandler.reload_waiters)
            return True

    server = Server(app=make_app(preview), watcher=PreviewTells())
    server.serve(port=port, host="127.0.0.1", debug=False, restart_delay=0)


def register(sub) -> None:
    parser = sub.add_parser("serve", help=_("preview a site on 127.0.0.1 with live reload, drafts shown"))
    parser.add_argument("site", metavar=_("SITE"), help=_("the site to preview (a folder under --content)"))
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("folder of sites (default content/)"))
    parser.add_argument("--port", type=port_number, default=8000, help=_("port on 127.0.0.1 (default 8000)"))
    parser.add_argument("--now", type=parse_now, help=_("fix 'now' (ISO date-time) instead of the clock"))
    parser.add_argument("--themes", type=Path, action="append", default=[], help=_("extra themes folder"))
    parser.set_defaults(func=serve)
