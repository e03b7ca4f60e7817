"""Approved comments as ``content/<site>/data/comments.json``, read by the build.

Export never drops a published comment the store does not hold without being told, site by
site: ``--force`` replaces the files of the sites named with ``--site``, and an export of
every site (no ``--site``) refuses, naming every file at risk, when any of them would lose a
comment, with or without ``--force``.
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from sitegen.localtime import STOCKHOLM
from sitegen.messages import _
from sitegen.feedback.store import Comment


def comment_record(comment: Comment) -> dict[str, str]:
    moment = datetime.fromisoformat(comment.created).astimezone(STOCKHOLM)
    return {"page": comment.page, "name": comment.name, "text": comment.text,
            "date": moment.isoformat(timespec="seconds")}


def comments_json(comments: list[Comment]) -> str:
    records = sorted((comment_record(c) for c in comments), key=lambda r: (r["page"], r["date"]))
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"




def unknown_to_store(path: Path, known: list[Comment]) -> int:
    """How many comments in the existing ``path`` the store has never held (in any status).

    Replacing the file drops those; for a comment the store holds as pending or rejected
    that is the point (it is unpublished), but one the store does not know at all means
    the wrong store, or a comment added to the file by hand. Raises ``ValueError`` when
    the file is there but is not a list of comments.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(_("cannot read it ({reason})").format(reason=getattr(exc, "strerror", None) or exc)) from exc
    try:
        existing = json.loads(text) if text.strip() else []
    except ValueError as exc:
        raise ValueError(_("it is not valid JSON")) from exc
    if not isinstance(existing, list):
        raise ValueError(_("it is not a JSON list"))
    keys = {tuple(comment_record(c).values()) for c in known}
    return sum(1 for entry in existing
               if not isinstance(entry, dict) or tuple(
                   entry.get(k) for k in ("page", "name", "text", "date")) not in keys)


def at_risk(path: Path, known: list[Comment]) -> str:
    """What replacing ``path`` with the store's comments would lose ("" when nothing)."""
    try:
        unknown = unknown_to_store(path, known)
    except ValueError as exc:
        return _("{reason}, so it cannot be checked").format(reason=exc)
    if unknown == 1:
        return _("1 published comment there is not in the store")
    if unknown:
        return _("{count} published comments there are not in the store").format(count=unknown)
    return ""


def refusal(risks: list[tuple[Path, str]], db: str, force: bool) -> str:
    """One line naming every file that would lose comments, and what to do about it."""
    files = "; ".join(f"{path}: {why}" for path, why in risks)
    if force:
        return _("--force without --site would replace every site's comments.json, and these would lose "
                 "comments: {files}. Check --db (or SITEGEN_FEEDBACK_DB) first, or replace one site's "
                 "file with --site NAME --force").format(files=files)
    return _("these files would lose comments: {files}. Check that --db (or SITEGEN_FEEDBACK_DB) is the "
             "store 'sitegen feedback serve' uses, not {db}; fix a file that cannot be read; or replace "
             "a site's file anyway with --site NAME --force").format(files=files, db=db)
