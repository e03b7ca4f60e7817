"""``sitegen serve SITE``: a preview on 127.0.0.1 that rebuilds on save and reloads the browser.

The site is built with drafts into ``.sitegen-cache/serve/`` and served under its own URL
path (``http://127.0.0.1:8000/kulturskolan/``), so links work as they will online. A save
rebuilds through the build cache, so only the pages the change touched are rendered and
written. Saves that come in a burst (an editor saving several files, a git checkout) are
taken together: the rebuild waits until nothing has changed for ``QUIET`` seconds. When a
build fails, every page shows the problems with file and line instead of the site, until
the next save that builds. The one module that imports livereload.
"""
from __future__ import annotations

import html
import mimetypes
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import builder, cache
from sitegen.commands import parse_now
from sitegen.config import find_sites, load_site_config
from sitegen.problems import Problems

QUIET = 0.15          # seconds without changes before a burst of saves is built
ERROR_STATUS = "500 Build failed"


@dataclass
class Preview:
    """The state of one preview: what to build, where, and how the last build went."""

    options: builder.BuildOptions
    name: str
    prefix: str
    now: object = None                               # --now, or None for the clock
    problems: list = field(default_factory=list)   # formatted problems of the last failed build
    builds: int = 0

    @property
    def folder(self) -> Path:
        return self.options.out / self.name

    def rebuild(self) -> bool:
        """Build the site; on failure keep the problems for the overlay. Never raises."""
        self.options.now = self.now   # None: the clock at each rebuild
        started = time.perf_counter()
        try:
            problems, _ = builder.execute(self.options)
            for problem in problems.sorted():
                print(problem.format(), file=sys.stderr)
            self.problems = [p.format() for p in problems.sorted() if p.severity == "error"]
        except Exception as exc:  # a preview must outlive a bug: show it instead of dying
            self.problems = [f"sitegen: internal error: {exc!r}"]
        self.builds += 1
        took = time.perf_counter() - started
        print(f"{'build failed' if self.problems else 'built'} in {took:.2f} s", file=sys.stderr, flush=True)
        return not self.problems


def overlay(problems: list[str], prefix: str) -> bytes:
    """The page shown instead of the site while it does not build."""
    items = "\n".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return f"""<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Fel i bygget</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;margin:2rem;background:#fff3f3;color:#1a1a1a}}
h1{{color:#a00000}}li{{margin:.5rem 0}}code{{white-space:pre-wrap;font-size:1rem}}</style></head>
<body><main><h1>Sidan kunde inte byggas</h1>
<p>Rätta felen nedan och spara, så laddas sidan om. (<a href="{html.escape(prefix)}">{html.escape(prefix)}</a>)</p>
<ul class="sitegen-problems">
{items}
</ul></main></body></html>
""".encode("utf-8")


def make_app(preview: Preview):
    """A WSGI app: the built site under its URL path, or the overlay while the build fails."""
    def app(environ, start_response):
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


class Debounced:
    """Calls ``action`` once a burst of changes has been quiet for ``QUIET`` seconds."""

    def __init__(self, action, folders: list[Path]):
        self.action, self.folders = action, folders

    def __call__(self) -> None:
        last = self._snapshot()
        while True:
            time.sleep(QUIET)
            now = self._snapshot()
            if now == last:
                break
            last = now
        # Off the server's event loop: features may run their own (the search index does).
        worker = threading.Thread(target=self.action, name="sitegen-rebuild")
        worker.start()
        worker.join()

    def _snapshot(self) -> tuple:
        stamps = []
        for folder in self.folders:
            for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
                try:
                    stamps.append((str(path), path.stat().st_mtime_ns))
                except OSError:
                    pass
        return tuple(stamps)


def serve(args) -> int:
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
    preview.rebuild()
    from livereload import Server   # only here: the preview is the one user of livereload
    server = Server(app=make_app(preview))
    watched = [chosen[0], *[Path(t) for t in args.themes]]
    themes = Path(__file__).resolve().parent.parent / "themes"
    if (args.content.resolve().parent / "themes").is_dir():
        watched.append(args.content.resolve().parent / "themes")
    elif themes.is_dir():
        watched.append(themes)
    debounced = Debounced(preview.rebuild, watched)
    for folder in watched:
        server.watch(str(folder), debounced)
    url = f"http://127.0.0.1:{args.port}{config.path_prefix}"
    print(f"preview of {config.name} at {url} (Ctrl+C stops)", flush=True)
    server.serve(port=args.port, host="127.0.0.1", debug=False, restart_delay=0)
    return 0


def register(sub) -> None:
    parser = sub.add_parser("serve", help="preview a site on 127.0.0.1 with live reload, drafts shown")
    parser.add_argument("site", metavar="SITE", help="the site to preview (a folder under --content)")
    parser.add_argument("--content", type=Path, default=Path("content"), help="folder of sites (default content/)")
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000)")
    parser.add_argument("--now", type=parse_now, help="fix 'now' (ISO date-time) instead of the clock")
    parser.add_argument("--themes", type=Path, action="append", default=[], help="extra themes folder")
    parser.set_defaults(func=serve)
