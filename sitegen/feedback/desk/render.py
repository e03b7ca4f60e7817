"""Pages of the desk: Jinja2 templates shipped in the package, in Swedish or English.

The language follows the browser's ``Accept-Language`` (Swedish unless English is
preferred). Responses forbid inline scripts, frames and every other origin.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from sitegen.feedback.desk.session import Session, language
from sitegen.feedback.desk.texts import translator
from sitegen.feedback.report import local_time
from sitegen.theme import Markup, package_environment

HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
}

ENV = package_environment("sitegen.feedback.desk", "templates")
ENV.filters["local_time"] = local_time


@dataclass
class Page:
    """What every template needs: who, in which language, on which site."""
    request: Request
    session: Session
    account: object | None
    lang: str
    site: object | None = None
    sites: list = field(default_factory=list)

    @classmethod
    def of(cls, desk, request: Request, session: Session, account) -> "Page":
        lang = language(request.headers.get("accept-language", ""))
        visible = [s for s in desk.sites.sites if account and account.may_see(s.name)]
        return cls(request, session, account, lang, None, visible)


def render(desk, page: Page, template: str, context: dict, status: int = 200) -> Response:
    _ = translator(page.lang)
    html = ENV.get_template(template).render(
        page=page, _=_, csrf=page.session.csrf, prefix="/desk", svg=Markup, **context)
    response = HTMLResponse(html, status_code=status, headers=HEADERS)
    if page.session.fresh:
        desk.sessions.write(response, page.session)
    return response


def static_file(name: str, media_type: str) -> Response:
    """The desk's stylesheet and its one optional script, from the package."""
    text = resources.files("sitegen.feedback.desk").joinpath(f"static/{name}").read_text("utf-8")
    headers = dict(HEADERS, **{"Cache-Control": "max-age=3600"})
    return Response(text, media_type=media_type, headers=headers)
