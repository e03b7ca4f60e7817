"""The Content-Security-Policy of a site, from its config: one place for the policy that the
server rules send as a header and every page repeats in a ``<meta http-equiv>``.

What a page may load, and why:

- scripts, styles, images, fonts and media from the site's own origin only; no inline
  script or style, no ``eval``. The search page alone may compile WebAssembly
  (``'wasm-unsafe-eval'``: Pagefind's index reader), which runs no JavaScript from strings;
- forms and ``fetch`` to the site's own origin and the origin of the feedback service
  (``feedback.endpoint`` in site.yaml; comments and 404 reports sit beside it);
- frames only from the players of the social posts embedded on that page, which the visitor
  loads with a click; no frames at all elsewhere;
- never framed by another site (``frame-ancestors``; a header only: browsers ignore it in
  ``<meta>``).

A browser enforces every policy it is given, so the header (one per site, in the server
rules) allows what any page of the site needs, and each page's ``<meta>`` narrows it to
what that page needs.
"""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from sitegen import addresses

SELF = "'self'"


def origin(url: str) -> str | None:
    """``https://host[:port]`` of a URL, or None unless it is http(s) with a valid host name.
    Only such origins go into a policy: the policy is written into server rules."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = addresses.host_name(parts.hostname or "") if parts.username is None else None
    if host is None:
        return None
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def feedback_origins(config) -> list[str]:
    """Where the site's forms post and scripts send: the feedback service's origin, when it is
    not the site's own."""
    if not config.feedback_endpoint or config.feedback_endpoint.startswith("/"):
        return []   # a path: the site's own origin
    found = origin(config.feedback_endpoint)
    return [found] if found and found != origin(config.base_url) else []


def policy(config, *, frames: Iterable[str] = (), wasm: bool = False, header: bool = False) -> str:
    """The policy as one header value. ``frames``: origins of embedded players; ``wasm``: the
    page runs the search; ``header``: the directives a ``<meta>`` cannot carry are added."""
    others = feedback_origins(config)
    frame_list = sorted({o for o in (origin(f) for f in frames) if o})
    directives = [
        ("default-src", ["'none'"]),
        ("script-src", [SELF] + (["'wasm-unsafe-eval'"] if wasm else [])),
        ("style-src", [SELF]),
        ("img-src", [SELF]),
        ("font-src", [SELF]),
        ("media-src", [SELF]),
        ("connect-src", [SELF, *others]),
        ("form-action", [SELF, *others]),
        ("frame-src", frame_list or ["'none'"]),
        ("base-uri", [SELF]),
        ("object-src", ["'none'"]),
    ]
    if header:
        directives.append(("frame-ancestors", ["'none'"]))
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives)


def page_policy(config, page) -> str:
    """The narrowest policy for one page: its own embeds' frames, WebAssembly on the search page."""
    return policy(config, frames=page.frame_origins, wasm=page.needs_wasm)


def site_policy(config, pages) -> str:
    """The header policy: what any page of the site needs (a browser applies header and meta both)."""
    frames = {f for page in pages for f in page.frame_origins}
    wasm = any(page.needs_wasm for page in pages)
    return policy(config, frames=frames, wasm=wasm, header=True)
