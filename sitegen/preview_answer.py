"""What the preview answers for an address, and the page's policy widened for livereload.

``answer`` gives the built site under its URL path (a page the fast path made first), the
problems in place of every page while the build fails (``overlay``), 410 for a removed page;
``allow_snippet`` lets livereload's inline script and websocket through a page's own
Content-Security-Policy, in the preview only. ``devserver.py`` serves what these give.
"""
from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import re

from sitegen import messages
from sitegen.messages import _
from sitegen.preview import Preview

ERROR_STATUS = 500
CSP_META = re.compile(rb'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(")', re.IGNORECASE)


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
