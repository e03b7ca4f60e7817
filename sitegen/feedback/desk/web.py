"""The desk's routes, sign-in and the checks every request passes.

Every page under ``/desk/<site>/`` first asks whether the signed-in account may see that
site; when not (or when there is no such site) the answer is the same 404 as for a page
that does not exist, so an editor cannot even learn which other sites there are. Every
form post must come from the desk's own origin and carry the session's CSRF token.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route

from sitegen.feedback.desk import views
from sitegen.feedback.desk.accounts import Account, Accounts
from sitegen.feedback.desk.config import DeskConfig
from sitegen.feedback.desk.db import DeskData
from sitegen.feedback.desk.publish import Publisher
from sitegen.feedback.desk.render import Page, render, static_file
from sitegen.feedback.desk.session import Session, Sessions, same_origin, token_matches
from sitegen.feedback.limits import ClientHasher, RateLimiter
from sitegen.feedback.sites import SiteIndex
from sitegen.feedback.store import Store, StoreError, utc_now

log = logging.getLogger("sitegen.feedback.desk")
# What stays of personal data in a stored comment after the retention (in Swedish: the
# comments are Swedish, and the mask is kept for good).
STORED_MASKS = {"email": "[e-postadress]", "phone": "[telefonnummer]",
                "personnummer": "[personnummer]"}

PREFIX = "/desk"


@dataclass
class Desk:
    config: DeskConfig
    store: Store
    sites: SiteIndex
    build_root: Path | None = None
    data: DeskData = field(init=False)
    accounts: Accounts = field(init=False)
    sessions: Sessions = field(init=False)
    publisher: Publisher = field(init=False)
    sign_ins: RateLimiter = field(init=False)
    hasher: ClientHasher = field(default_factory=ClientHasher)

    def __post_init__(self):
        self.data = DeskData(self.store)
        self.data.create_tables()
        self.accounts = Accounts(self.data)
        self.sessions = Sessions(self.data.secret(), self.config.secure_cookies,
                                 self.config.session_hours, PREFIX)
        self.publisher = Publisher(self.store, self.config)
        self.sign_ins = RateLimiter(self.config.login_attempts, self.config.login_window)

    def mount(self) -> Mount:
        return Mount(PREFIX, routes=routes(self))

    def upkeep(self) -> None:
        """What the retention asks of the desk: personal data in old comments masked,
        marks of rows the service's retention deleted forgotten."""
        if self.config.personal_data_days:
            cutoff = utc_now() - timedelta(days=self.config.personal_data_days)
            masked = self.data.mask_personal_data(cutoff, STORED_MASKS)
            log.info("desk: personal data masked in %s old comments", masked)
        self.data.forget_orphan_marks()

    def start_upkeep(self) -> None:
        """At start and then daily, in the background, whether or not anyone signs in."""
        def loop():
            while True:
                try:
                    self.upkeep()
                except StoreError as exc:
                    log.error("desk upkeep: %s", exc)
                time.sleep(86400)

        threading.Thread(target=loop, daemon=True, name="desk-upkeep").start()


def routes(desk: Desk) -> list[Route]:
    def get(handler):
        async def endpoint(request: Request) -> Response:
            return await guarded(desk, request, handler, post=False)
        return endpoint

    def post(handler):
        async def endpoint(request: Request) -> Response:
            return await guarded(desk, request, handler, post=True)
        return endpoint

    async def login_page(request: Request) -> Response:
        return await run_in_threadpool(views.login_form, desk, Page.of(desk, request, *who(desk, request)))

    async def login(request: Request) -> Response:
        return await sign_in(desk, request)

    async def logout(request: Request) -> Response:
        session, account = who(desk, request)
        form = await request.form()
        if not (same_origin(request, desk.config.public_url)
                and token_matches(session, form.get("csrf"))):
            return refused(desk, request)
        if account:
            # Every session of the account ends, also a copied cookie elsewhere.
            await run_in_threadpool(desk.accounts.sign_out_everywhere, account.name)
        response = RedirectResponse(f"{PREFIX}/logga-in", status_code=303)
        desk.sessions.clear(response)
        return response

    async def css(request: Request) -> Response:
        return static_file("desk.css", "text/css")

    async def js(request: Request) -> Response:
        return static_file("desk.js", "text/javascript")

    return [
        Route("/", get(views.home), methods=["GET", "HEAD"]),
        Route("/desk.css", css, methods=["GET", "HEAD"]),
        Route("/desk.js", js, methods=["GET", "HEAD"]),
        Route("/logga-in", login_page, methods=["GET", "HEAD"]),
        Route("/logga-in", login, methods=["POST"]),
        Route("/logga-ut", logout, methods=["POST"]),
        Route("/{site}/", get(views.usefulness), methods=["GET", "HEAD"]),
        Route("/{site}/nytta.csv", get(views.usefulness_csv), methods=["GET", "HEAD"]),
        Route("/{site}/synpunkter", get(views.feedback_comments), methods=["GET", "HEAD"]),
        Route("/{site}/synpunkter.csv", get(views.feedback_csv), methods=["GET", "HEAD"]),
        Route("/{site}/synpunkter/{item:int}", post(views.mark_feedback), methods=["POST"]),
        Route("/{site}/kommentarer", get(views.blog_comments), methods=["GET", "HEAD"]),
        Route("/{site}/kommentarer/{item:int}", post(views.moderate), methods=["POST"]),
        Route("/{site}/saknade-sidor", get(views.missing_pages), methods=["GET", "HEAD"]),
        Route("/{site}/saknade-sidor", post(views.mark_missing), methods=["POST"]),
    ]


def who(desk: Desk, request: Request) -> tuple[Session, Account | None]:
    session = desk.sessions.read(request)
    if desk.config.sso_header:
        # Only when the operator switched it on: the proxy in front signs people in and
        # always sets (or clears) this header. The account must exist here all the same.
        name = request.headers.get(desk.config.sso_header, "").strip()
        if name:
            return session, desk.accounts.get(name)
    account = desk.accounts.get(session.user) if session.user else None
    if account and session.issued < account.signed_out:
        return session, None  # signed out since, or the account was changed
    return session, account


async def guarded(desk: Desk, request: Request, handler, post: bool) -> Response:
    session, account = await run_in_threadpool(who, desk, request)
    page = Page.of(desk, request, session, account)
    if post and not same_origin(request, desk.config.public_url):
        return refused(desk, request, page)
    form = await request.form() if post else None
    if post and not token_matches(session, form.get("csrf")):
        return refused(desk, request, page)
    if account is None:
        if post:
            return refused(desk, request, page)
        return RedirectResponse(f"{PREFIX}/logga-in", status_code=303)
    site_name = request.path_params.get("site")
    if site_name is not None:
        site = desk.sites.by_name(site_name)
        if site is None or not account.may_see(site.name):
            return await run_in_threadpool(views.not_found, desk, page)
        page.site = site
    if post:
        return await run_in_threadpool(handler, desk, page, form)
    return await run_in_threadpool(handler, desk, page)


def refused(desk: Desk, request: Request, page: Page | None = None) -> Response:
    page = page or Page.of(desk, request, *who(desk, request))
    return render(desk, page, "refused.html", {}, status=403)


async def sign_in(desk: Desk, request: Request) -> Response:
    session, _ = who(desk, request)
    page = Page.of(desk, request, session, None)
    if not same_origin(request, desk.config.public_url):
        return refused(desk, request, page)
    form = await request.form()
    if not token_matches(session, form.get("csrf")):
        return refused(desk, request, page)
    name, password = str(form.get("name", "")).strip(), str(form.get("password", ""))
    client = request.client.host if request.client else "unknown"
    waits = [desk.sign_ins.hit("client:" + desk.hasher.key(client))]
    if name:
        waits.append(desk.sign_ins.hit("account:" + name.lower()))
    if any(w is not None for w in waits):
        return await run_in_threadpool(views.login_form, desk, page, "too_many", 429)
    account = await run_in_threadpool(desk.accounts.check, name, password) if name else None
    if account is None:
        return await run_in_threadpool(views.login_form, desk, page, "wrong", 400)
    response = RedirectResponse(f"{PREFIX}/", status_code=303)
    desk.sessions.write(response, desk.sessions.start(account.name))
    return response
