"""Approved comments as ``content/<site>/data/comments.json``, read by the build."""
from __future__ import annotations

import json
import os
import tempfile
from datetime import datetime
from pathlib import Path

from sitegen.feedback.report import LOCAL
from sitegen.feedback.store import Comment


def comment_record(comment: Comment) -> dict[str, str]:
    moment = datetime.fromisoformat(comment.created).astimezone(LOCAL)
    return {"page": comment.page, "name": comment.name, "text": comment.text,
            "date": moment.isoformat(timespec="seconds")}


def comments_json(comments: list[Comment]) -> str:
    records = sorted((comment_record(c) for c in comments), key=lambda r: (r["page"], r["date"]))
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def write_atomically(path: Path, text: str) -> None:
    """A build running at the same time reads the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".comments-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
