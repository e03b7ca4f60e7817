"""The ASGI service: POST /feedback, /comments, /missing and GET /health.

A plain form post gets a 303 back to the page with a thank-you anchor; a
``fetch`` post (``Accept: application/json``) gets JSON. The service sets no
cookies, stores no client address, and never puts a visitor's text into a
response.
"""
from __future__ import annotations

import asyncio
import functools
import html
import logging
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from sitegen.feedback import inputs
from sitegen.feedback.comment_pages import CommentPages
from sitegen.feedback.inputs import BadInput
from sitegen.feedback.limits import MISSING_REPORTS_PER_MINUTE, ClientHasher, Limits, RateLimiter
from sitegen.feedback.sites import SiteIndex, normalise_origin
from sitegen.feedback.store import Store, StoreError, utc_now
from sitegen.messages import _

log = logging.getLogger("sitegen.feedback")

THANKS_ANCHOR = {"feedback": "tack", "comments": "kommentar-tack"}

SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
}

# What a visitor reads after a refused plain form post (Swedish, like the sites).
MESSAGES_SV = {
    "honeypot": "Fältet ”webbplats” ska lämnas tomt.",
    "rate_limited": "Du har skickat många svar på kort tid. Vänta en stund och försök igen.",
    "unknown_page": "Sidan som svaret gäller hör inte till någon av våra webbplatser.",
    "too_large": "Det du skickade är för stort. Korta texten och försök igen.",
    "too_long": "Texten är för lång. Korta den och försök igen.",
    "bad_choice": "Välj Ja eller Nej.",
    "missing_field": "Något obligatoriskt fält saknas.",
    "empty_field": "Fyll i de obligatoriska fälten.",
    "forbidden_origin": "Svaret kommer från en webbplats som inte får skicka hit.",
    "unavailable": "Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.",
    "comments_closed": "Den här sidan tar inte emot kommentarer.",
}
MESSAGES_EN = {
    "honeypot": "The “website” field must be left empty.",
    "rate_limited": "You have sent many answers in a short time. Wait a while and try again.",
    "unknown_page": "The page this answer is about is not one of our websites.",
    "too_large": "What you sent is too large. Shorten the text and try again.",
    "too_long": "The text is too long. Shorten it and try again.",
    "bad_choice": "Choose Yes or No.",
    "missing_field": "A required field is missing.",
    "empty_field": "Fill in the required fields.",
    "forbidden_origin": "The answer comes from a website that may not send it here.",
    "unavailable": "The service is unavailable for a moment. Try again shortly.",
    "comments_closed": "This page does not take comments.",
}
# The rest of the error page, by the language of the site the post came from.
PAGE_TEXT = {
    "sv": {"title": "Det gick inte att skicka", "other": "Svaret kunde inte tas emot.", "back": "Tillbaka till sidan",
           "messages": MESSAGES_SV},
    "en": {"title": "It could not be sent", "other": "The answer could not be received.", "back": "Back to the page",
           "messages": MESSAGES_EN},
}
CLOSED = {
    "comments_closed": "the page takes no comments (only blog posts with comments: true do)",
    "unknown_page": "the 'page' is not a page of the site",
}


@dataclass
class Service:
    store: Store
    sites: SiteIndex
    limits: Limits = field(default_factory=Limits)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    # Missing-page reports, counted apart from answers and comments (limits.py says why).
    missing_limiter: RateLimiter = field(default_factory=lambda: RateLimiter(MISSING_REPORTS_PER_MINUTE))
    hasher: ClientHasher = field(default_factory=ClientHasher)
    retention_days: int = 0  # 0: keep everything
    comment_pages: CommentPages = field(default_factory=CommentPages)
    desk: object | None = None  # the editorial desk (sitegen.feedback.desk.web.Desk), at /desk


def create_app(service: Service) -> Starlette:
    async def feedback(request: Request) -> Response:
        return await handle(service, request, "feedback")

    async def comments(request: Request) -> Response:
        return await handle(service, request, "comments")

    async def missing(request: Request) -> Response:
        return await handle(service, request, "missing")

    async def health(request: Request) -> Response:
        # Monitoring needs to know whether a post would be stored, not only whether the
        # database answers: a read-only store or a full disk is "not healthy" too.
        try:
            problem = await in_store(service, service.store.write_problem)
        except StoreError as exc:
            problem = str(exc)
        if problem:
            log.error(_("health: the store cannot take posts: {problem}").format(
                problem=" ".join(problem.split())))
        body = {"ok": not problem, "store": service.store.kind}
        if problem:
            body["error"] = "the store cannot take posts now"
        return secured(JSONResponse(body, status_code=503 if problem else 200))

    routes = [Route("/health", health, methods=["GET", "HEAD"])]
    for name, endpoint in (("feedback", feedback), ("comments", comments), ("missing", missing)):
        # Also under a prefix: a proxy may forward /kulturskolan/feedback (the build's
        # default endpoint when site.yaml names none) without rewriting the path.
        routes.append(Route(f"/{name}", endpoint, methods=["POST"]))
        routes.append(Route(f"/{{prefix:path}}/{name}", endpoint, methods=["POST"]))
    if service.desk is not None:
        routes.append(service.desk.mount())
    middleware = [Middleware(
        CORSMiddleware, allow_origins=service.sites.origins, allow_methods=["POST"],
        allow_headers=["Content-Type", "Accept"], max_age=86400)]
    return Starlette(routes=routes, middleware=middleware, lifespan=retention(service))


def retention(service: Service):
    """Delete old rows at start and then once a day, when a retention is set."""

    @asynccontextmanager
    async def lifespan(app):
        task = None
        if service.retention_days > 0:
            task = asyncio.create_task(purge_daily(service))
        yield
        if task:
            task.cancel()

    return lifespan


async def purge_daily(service: Service) -> None:
    while True:
        cutoff = utc_now() - timedelta(days=service.retention_days)
        try:
            counts = await run_in_threadpool(service.store.purge, cutoff)
            log.info("retention: deleted %s", counts)
        except StoreError as exc:
            log.error("retention: %s", exc)
        await asyncio.sleep(86400)


async def in_store(service: Service, call, *args):
    """A store call in a worker thread, given up after the store's timeout: a database
    that stops answering mid-statement (frozen, or a lost network) then gives a 503 at
    once. The abandoned thread finishes or fails on its own; a post it still stores is
    not stored again when the page retries it with its idempotency key."""
    try:
        with anyio.fail_after(service.store.timeout):
            return await anyio.to_thread.run_sync(functools.partial(call, *args),
                                                  abandon_on_cancel=True)
    except TimeoutError:
        raise StoreError(_("no answer from the store within {seconds:g} s").format(
            seconds=service.store.timeout))


async def handle(service: Service, request: Request, kind: str) -> Response:
    fields = None  # kept for the back link of a refusal
    try:
        check_origin(service, request)
        client = request.client.host if request.client else "unknown"
        limiter = service.missing_limiter if kind == "missing" else service.limiter
        wait = limiter.hit(service.hasher.key(client))
        if wait is not None:
            raise RateLimited(wait)
        fields = await read_fields(request, service.limits)
        item = validate(kind, fields, service, sent_from(request))
        key = inputs.idempotency_key(fields)
        if kind == "comments":
            await check_open(service, item)
        await in_store(service, save, service.store, kind, item, key)
    except ClientDisconnect:
        # One line, not a traceback: visitors close tabs and lose their network.
        # The endpoint's own name, not the visitor's path: nothing of theirs in the log.
        log.warning(_("/{endpoint}: the client went away before its post was read").format(
            endpoint=kind))
        return Response(status_code=400)
    except RateLimited as exc:
        return await refusal(request, service, fields, 429, "rate_limited",
                             "too many posts; try again later",
                             {"Retry-After": str(int(exc.wait + 0.999))})
    except BadInput as exc:
        return await refusal(request, service, fields, exc.status, exc.code, exc.message)
    except StoreError as exc:
        log.error("store: %s", exc)
        return await refusal(request, service, fields, 503, "unavailable",
                             "the store is unavailable")
    return success(request, service, kind, item)


async def check_open(service: Service, item) -> None:
    """Comments only on the blog posts that show the comment form."""
    code = await run_in_threadpool(service.comment_pages.verdict, item.site, item.page)
    if code:
        raise BadInput(422, code, CLOSED[code])


class RateLimited(Exception):
    def __init__(self, wait: float):
        super().__init__(wait)
        self.wait = wait


def check_origin(service: Service, request: Request) -> None:
    # Browsers send Origin with every POST; "null" comes from privacy settings
    # (no-referrer pages), so it is treated like no Origin at all.
    origin = request.headers.get("origin")
    if origin and origin != "null" and not service.sites.allows_origin(origin):
        raise BadInput(403, "forbidden_origin", "posts from this origin are not accepted")


async def read_fields(request: Request, limits: Limits) -> dict[str, object]:
    body = await read_body(request, limits.body_bytes)
    content_type = request.headers.get("content-type", "")
    if inputs.media_type(content_type) == "multipart/form-data":
        return await parse_multipart(request, body, limits)
    return inputs.parse_body(body, content_type, limits)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BadInput(413, "too_large", f"the body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BadInput(413, "too_large", f"the body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def parse_multipart(request: Request, body: bytes, limits: Limits) -> dict[str, object]:
    """What ``fetch(url, {body: new FormData(form)})`` sends; files are refused."""

    async def stream():
        yield body

    parser = MultiPartParser(request.headers, stream(), max_files=0, max_fields=limits.fields)
    try:
        form = await parser.parse()
    except (MultiPartException, UnicodeDecodeError, ValueError, KeyError):
        raise BadInput(400, "bad_encoding", "the multipart body is malformed or holds a file")
    pairs = list(form.multi_items())
    if any(isinstance(value, UploadFile) for _, value in pairs):
        raise BadInput(400, "wrong_type", "files are not accepted")
    return inputs.collect_fields(pairs, limits)


def sent_from(request: Request) -> str | None:
    origin = request.headers.get("origin")
    return normalise_origin(origin) if origin and origin != "null" else None


def validate(kind: str, fields: dict, service: Service, origin: str | None):
    check = {"feedback": inputs.check_feedback, "comments": inputs.check_comment,
             "missing": inputs.check_missing}[kind]
    return check(fields, service.sites, service.limits, origin)


def save(store: Store, kind: str, item, key: str | None = None) -> int | None:
    if kind == "feedback":
        return store.add_feedback(item.site.name, item.page, item.useful, item.comment, key=key)
    if kind == "comments":
        return store.add_comment(item.site.name, item.page, item.name, item.text, key=key)
    return store.add_missing(item.site.name, item.path, item.referrer, key=key)


# --- responses ----------------------------------------------------------------

def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "").lower()


def secured(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def success(request: Request, service: Service, kind: str, item) -> Response:
    if wants_json(request):
        return secured(JSONResponse({"ok": True}))
    if kind == "missing":
        return secured(Response(status_code=204))  # a beacon reads no answer
    target = back_to_page(request, service, item.site.origin, item.page)
    return secured(RedirectResponse(f"{target}#{THANKS_ANCHOR[kind]}", status_code=303))


def back_to_page(request: Request, service: Service, origin: str, page: str) -> str:
    """The page on its site, or the same page on the origin the visitor came from
    (a local preview), when that origin is one this service accepts."""
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.scheme in ("http", "https") and referer.netloc and referer.path == page:
        came_from = normalise_origin(f"{referer.scheme}://{referer.netloc}")
        if service.sites.allows_origin(came_from):
            origin = came_from
    return origin + page


async def refusal(request: Request, service: Service, fields: dict | None, status: int,
                  code: str, message: str, headers: dict | None = None) -> Response:
    if wants_json(request) or "/missing" in request.url.path:
        body = {"ok": False, "error": message, "code": code}
        return secured(JSONResponse(body, status_code=status, headers=headers))
    if fields is None:  # refused before the body was read (rate limit, origin)
        fields = await fields_if_readable(request, service.limits)
    back, language = back_link(request, service, fields)
    return secured(HTMLResponse(error_page(code, message, back, language),
                                status_code=status, headers=headers))


async def fields_if_readable(request: Request, limits: Limits) -> dict:
    try:
        return await read_fields(request, limits)
    except (BadInput, RuntimeError, ClientDisconnect):  # RuntimeError: the body was already read
        return {}


def back_link(request: Request, service: Service, fields: dict) -> str:
    """Where "Tillbaka till sidan" goes: the posted ``page`` when it is a page of a site
    here, else the ``Referer`` when that is; "" when neither is. A browser sends only the
    origin as Referer to another host, so the posted page is the better guide."""
    page = fields.get("page")
    found = service.sites.resolve(page, sent_from(request)) if isinstance(page, str) else None
    if found:
        return back_to_page(request, service, found[0].origin, found[1]), found[0].language
    referer = request.headers.get("referer", "")
    found = service.sites.resolve(referer) if referer else None
    if found and service.sites.allows_origin(referer):
        return referer.split("#", 1)[0], found[0].language
    return "", "sv"


def error_page(code: str, message: str, target: str, language: str = "sv") -> str:
    words = PAGE_TEXT.get(language, PAGE_TEXT["sv"])
    text = words["messages"].get(code, words["other"])
    back = ""
    if target:
        back = f'<p><a href="{html.escape(target, quote=True)}">{words["back"]}</a></p>'
    return (
        f'<!doctype html><html lang="{html.escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{words['title']}</title>"
        "<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5}</style></head><body>"
        f"<h1>{words['title']}</h1><p>{html.escape(text)}</p>"
        f'<p lang="en"><small>{html.escape(message)}</small></p>{back}</body></html>'
    )
