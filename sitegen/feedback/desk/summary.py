"""The weekly summary by e-mail to each site's editors (``sitegen feedback summary``).

One plain-text e-mail per editor and site: the new comments ("Hade du nytta av
innehållet?" and blog comments waiting for review), the pages most often answered "nej",
and the missing pages first seen this week. Personal data in comments is masked: an
e-mail travels further than the desk.
"""
from __future__ import annotations

import smtplib
import ssl
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from sitegen.feedback.desk.accounts import Accounts
from sitegen.feedback.desk.config import DeskConfig
from sitegen.feedback.desk.db import DeskData
from sitegen.feedback.desk.privacy import mask
from sitegen.feedback.report import local_time, printable
from sitegen.feedback.sites import Site
from sitegen.feedback.store import utc_now
from sitegen.messages import _


class SendError(Exception):
    """The mail server refused or could not be reached; the message is for the operator."""


def summary_text(data: DeskData, site: Site, days: int, public_url: str) -> str:
    since = utc_now() - timedelta(days=days)
    out = [_("Summary for {site}, the last {days} days.").format(site=site.name, days=days), ""]
    comments = data.feedback_comments(site.name, since, prefix=site.prefix)
    out.append(_("New comments ({n}):").format(n=len(comments)))
    for c in comments[:20]:
        answer = _("yes") if c.useful else _("no")
        out.append(f"- {local_time(c.created)} {c.page} ({answer}): "
                   f"{printable(mask(c.comment, masks()), 300)}")
    if not comments:
        out.append("- " + _("none"))
    pending = [c for c in data.new_blog_comments(site.name, since) if c.status == "pending"]
    out += ["", _("Blog comments waiting for review: {n}").format(n=len(pending))]
    out += ["", _("Pages most often answered no:")]
    worst = data.pages_most_no(site.name, since)
    out += [_("- {page}: {no} no of {total} answers").format(page=page, no=no, total=total)
            for page, no, total in worst] or ["- " + _("none")]
    out += ["", _("New addresses that do not exist (404):")]
    missing = data.new_missing_paths(site.name, since)
    out += [_("- {path}: {hits} visits").format(path=path, hits=hits)
            for path, hits in missing] or ["- " + _("none")]
    if public_url:
        out += ["", _("Read and handle them on the editorial desk: {url}").format(
            url=f"{public_url.rstrip('/')}/{site.name}/")]
    return "\n".join(out) + "\n"


def masks() -> dict[str, str]:
    return {"email": _("[e-mail address]"), "phone": _("[phone number]"),
            "personnummer": _("[personal identity number]")}


def messages(accounts: Accounts, sites: list[Site], config: DeskConfig, days: int):
    everyone = [a for a in accounts.all() if a.email]
    for site in sites:
        editors = [a for a in everyone if site.name in a.sites]
        if not editors:
            continue
        body = summary_text(accounts.data, site, days, config.public_url)
        for editor in editors:
            message = EmailMessage()
            message["Subject"] = _("Comments and missing pages this week: {site}").format(
                site=site.name)
            message["From"] = config.smtp.sender or "redaktionen@localhost"
            message["To"] = editor.email
            message.set_content(body)
            yield message


def send_summaries(accounts: Accounts, sites: list[Site], config: DeskConfig, days: int,
                   dry_run: bool = False) -> int:
    outgoing = list(messages(accounts, sites, config, days))
    if dry_run:
        for message in outgoing:
            print(message.as_string())
        return len(outgoing)
    if not outgoing:
        return 0
    smtp = config.smtp
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=30) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.username:
                password = Path(smtp.password_file).read_text("utf-8").strip()
                server.login(smtp.username, password)
            for message in outgoing:
                server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SendError(_("cannot send through {host}:{port}: {reason}").format(
            host=smtp.host, port=smtp.port, reason=exc)) from exc
    return len(outgoing)
