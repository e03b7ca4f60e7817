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

LABELS = {"email": "[e-postadress]", "phone": "[telefonnummer]", "personnummer": "[personnummer]"}


class SendError(Exception):
    """The mail server refused or could not be reached; the message is for the operator."""


def summary_text(data: DeskData, site: Site, days: int, public_url: str) -> str:
    since = utc_now() - timedelta(days=days)
    out = [f"Sammanfattning för {site.name}, de senaste {days} dagarna.", ""]
    comments = data.feedback_comments(site.name, since, prefix=site.prefix)
    out.append(f"Nya synpunkter ({len(comments)}):")
    for c in comments[:20]:
        answer = "ja" if c.useful else "nej"
        out.append(f"- {local_time(c.created)} {c.page} ({answer}): "
                   f"{printable(mask(c.comment, LABELS), 300)}")
    if not comments:
        out.append("- inga")
    pending = [c for c in data.new_blog_comments(site.name, since) if c.status == "pending"]
    out += ["", f"Kommentarer som väntar på granskning: {len(pending)}"]
    out += ["", "Sidor som oftast fått svaret nej:"]
    worst = data.pages_most_no(site.name, since)
    out += [f"- {page}: {no} nej av {total} svar" for page, no, total in worst] or ["- inga"]
    out += ["", "Nya adresser som inte finns (404):"]
    missing = data.new_missing_paths(site.name, since)
    out += [f"- {path}: {hits} besök" for path, hits in missing] or ["- inga"]
    if public_url:
        out += ["", f"Läs och hantera dem på redaktionen: {public_url.rstrip('/')}/{site.name}/"]
    return "\n".join(out) + "\n"


def messages(accounts: Accounts, sites: list[Site], config: DeskConfig, days: int):
    everyone = [a for a in accounts.all() if a.email]
    for site in sites:
        editors = [a for a in everyone if site.name in a.sites]
        if not editors:
            continue
        body = summary_text(accounts.data, site, days, config.public_url)
        for editor in editors:
            message = EmailMessage()
            message["Subject"] = f"Veckans synpunkter och saknade sidor: {site.name}"
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
        raise SendError(f"cannot send through {smtp.host}:{smtp.port}: {exc}") from exc
    return len(outgoing)
