"""Sign-in state: a signed cookie (itsdangerous), a CSRF token per session, origin checks.

The cookie is ``HttpOnly``, ``SameSite=Strict`` and ``Secure`` (switchable off for plain
http on a test machine). It holds the account name, the CSRF token and when it was made;
the account is read again on every request, so a removed account is signed out at once.
"""
from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from sitegen.feedback.sites import normalise_origin

COOKIE = "sitegen_desk"


@dataclass
class Session:
    user: str = ""
    csrf: str = ""
    fresh: bool = False   # made on this request: the cookie must be set
    issued: float = 0.0   # when the account signed in (epoch seconds)


class Sessions:
    def __init__(self, secret: str, secure: bool, hours: int, path: str = "/desk"):
        self.signer = URLSafeTimedSerializer(secret, salt="sitegen-desk-session")
        self.secure = secure
        self.max_age = hours * 3600
        self.path = path

    def read(self, request: Request) -> Session:
        value = request.cookies.get(COOKIE, "")
        if value:
            try:
                data = self.signer.loads(value, max_age=self.max_age)
                if isinstance(data, dict) and isinstance(data.get("c"), str):
                    issued = data.get("t", 0)
                    return Session(str(data.get("u", "")), data["c"], False,
                                   float(issued) if isinstance(issued, (int, float)) else 0.0)
            except BadSignature:  # also an expired one (SignatureExpired)
                pass
        return Session("", secrets.token_urlsafe(32), fresh=True)

    def start(self, user: str) -> Session:
        """A new session (and a new CSRF token) at sign-in: nothing carries over."""
        return Session(user, secrets.token_urlsafe(32), fresh=True, issued=time.time())

    def write(self, response: Response, session: Session) -> None:
        data = {"u": session.user, "c": session.csrf, "t": session.issued}
        response.set_cookie(COOKIE, self.signer.dumps(data),
                            max_age=self.max_age, path=self.path, httponly=True,
                            secure=self.secure, samesite="strict")

    def clear(self, response: Response) -> None:
        response.delete_cookie(COOKIE, path=self.path, httponly=True, secure=self.secure,
                               samesite="strict")


def token_matches(session: Session, sent: object) -> bool:
    return isinstance(sent, str) and bool(session.csrf) and hmac.compare_digest(
        session.csrf.encode(), sent.encode())


def same_origin(request: Request, public_url: str = "") -> bool:
    """A form post must come from the desk's own pages. Browsers send ``Origin`` with
    every POST and ``Sec-Fetch-Site``; either naming another site refuses the post.
    The desk's own origin is that of ``public_url`` when the operator gave one (behind a
    proxy the request may name the proxy's upstream address), else the request's."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # an old browser: the CSRF token still guards
    own = normalise_origin(public_url or f"{request.url.scheme}://{request.url.netloc}")
    return origin != "null" and normalise_origin(origin) == own


def language(accept: str) -> str:
    """``en`` when the browser prefers English to Swedish, else ``sv``."""
    best, best_q = "sv", 0.0
    for index, part in enumerate(accept.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        q -= index * 1e-6  # earlier wins among equals
        primary = tag.strip().lower().split("-")[0]
        if primary in ("sv", "en") and q > best_q:
            best, best_q = primary, q
    return best
