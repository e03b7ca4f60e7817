"""What a visitor may send, checked field by field.

Every refusal is a ``BadInput`` with an HTTP status, a short stable code and a
plain message; nothing here echoes the visitor's text back, so no message can
carry markup from a post.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from sitegen.feedback.limits import Limits
from sitegen.feedback.records import without_bidi_controls
from sitegen.feedback.sites import Site, SiteIndex

HONEYPOT = "website"
BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
# The page's script sends one random key per answer, so a retry is stored once.
IDEMPOTENCY_KEY = "idempotency_key"
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")


class BadInput(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class FeedbackIn:
    site: Site
    page: str      # path on the host, e.g. /kulturskolan/om/
    useful: bool
    comment: str


@dataclass
class CommentIn:
    site: Site
    page: str
    name: str
    text: str


@dataclass
class MissingIn:
    site: Site
    path: str
    referrer: str


# --- decoding ---------------------------------------------------------------

def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def parse_body(body: bytes, content_type: str, limits: Limits) -> dict[str, object]:
    """Fields of a form-encoded or JSON body (multipart is decoded by the app)."""
    kind = media_type(content_type)
    if kind == "application/x-www-form-urlencoded":
        return parse_form(body, limits)
    if kind in ("application/json", "text/plain"):
        # text/plain: what navigator.sendBeacon sends for a string body.
        return parse_json(body, limits)
    raise BadInput(415, "unsupported_type",
                   "send application/x-www-form-urlencoded, multipart/form-data or JSON")


def parse_form(body: bytes, limits: Limits) -> dict[str, object]:
    try:
        text = body.decode("ascii")  # browsers percent-encode everything else
        # parse_qsl keeps a malformed escape ("%zz") as it stands; a browser never sends one.
        if BAD_ESCAPE.search(text):
            raise ValueError("malformed percent-encoding")
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadInput(400, "bad_encoding", "the form data is not valid UTF-8 form encoding")
    return collect_fields(pairs, limits)


def collect_fields(pairs: list[tuple[str, object]], limits: Limits) -> dict[str, object]:
    if len(pairs) > limits.fields:
        raise BadInput(400, "too_many_fields", "too many fields")
    fields: dict[str, object] = {}
    for key, value in pairs:
        if key in fields:
            raise BadInput(400, "duplicate_field", f"the field '{safe_name(key)}' is given twice")
        fields[key] = value
    return fields


class JSONObject(list):
    """A JSON object as its (key, value) pairs, so a key given twice is seen, not dropped."""


def parse_json(body: bytes, limits: Limits) -> dict[str, object]:
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=JSONObject)
    except UnicodeDecodeError:
        raise BadInput(400, "bad_encoding", "the body is not valid UTF-8")
    except (ValueError, RecursionError):
        raise BadInput(400, "bad_json", "the body is not valid JSON")
    if not isinstance(data, JSONObject):
        raise BadInput(400, "bad_json", "the JSON body must be an object")
    return collect_fields(list(data), limits)


def safe_name(key: str) -> str:
    """A field name fit to quote in a message: known names only."""
    known = {"page", "useful", "comment", "name", "text", "path", "referrer", HONEYPOT,
             IDEMPOTENCY_KEY}
    return key if key in known else "?"


# --- fields -----------------------------------------------------------------

def text_field(fields: dict, key: str, limit: int, required: bool = True) -> str:
    if key not in fields:
        if required:
            raise BadInput(400, "missing_field", f"the field '{key}' is required")
        return ""
    value = fields[key]
    if not isinstance(value, str):  # JSON null, numbers, lists and objects too
        raise BadInput(400, "wrong_type", f"the field '{key}' must be text")
    value = clean_text(value, key)
    if required and not value:
        raise BadInput(422, "empty_field", f"the field '{key}' is empty")
    if len(value) > limit:
        raise BadInput(422, "too_long", f"the field '{key}' is longer than {limit} characters")
    return value


def clean_text(value: str, key: str) -> str:
    """NFC, Unix newlines, trimmed, without bidi controls (records.py); control characters
    (NUL, escapes) are refused."""
    value = without_bidi_controls(value)
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    for ch in value:
        if ch not in "\n\t" and unicodedata.category(ch) in ("Cc", "Cs"):
            raise BadInput(400, "control_character",
                           f"the field '{key}' holds a control character")
    return value.strip()


def check_honeypot(fields: dict) -> None:
    value = fields.get(HONEYPOT, "")
    if not isinstance(value, str):
        raise BadInput(400, "wrong_type", "the field 'website' must be text")
    if value:
        raise BadInput(400, "honeypot", "the field 'website' must be left empty")


def page_field(fields: dict, sites: SiteIndex, key: str, limit: int,
               sent_from: str | None) -> tuple[Site, str]:
    value = text_field(fields, key, limit)
    found = sites.resolve(value, sent_from)
    if found is None:
        raise BadInput(422, "unknown_page", f"the '{key}' is not a page of a site served here")
    return found


def idempotency_key(fields: dict) -> str | None:
    """The post's idempotency key, or None when the form sent none (no JavaScript)."""
    if IDEMPOTENCY_KEY not in fields:
        return None
    value = fields[IDEMPOTENCY_KEY]
    if not isinstance(value, str) or not KEY_PATTERN.fullmatch(value):
        raise BadInput(400, "bad_key", f"the field '{IDEMPOTENCY_KEY}' must be 16 to 64 "
                       "letters, digits, '-' or '_'")
    return value


def check_feedback(fields: dict, sites: SiteIndex, limits: Limits,
                   sent_from: str | None = None) -> FeedbackIn:
    check_honeypot(fields)
    site, page = page_field(fields, sites, "page", limits.page, sent_from)
    useful = text_field(fields, "useful", limits.page).lower()
    if useful not in ("ja", "nej"):
        raise BadInput(422, "bad_choice", "the field 'useful' must be 'ja' or 'nej'")
    comment = text_field(fields, "comment", limits.comment, required=False)
    return FeedbackIn(site, page, useful == "ja", comment)


def check_comment(fields: dict, sites: SiteIndex, limits: Limits,
                  sent_from: str | None = None) -> CommentIn:
    check_honeypot(fields)
    site, page = page_field(fields, sites, "page", limits.page, sent_from)
    name = text_field(fields, "name", limits.name)
    text = text_field(fields, "text", limits.text)
    return CommentIn(site, page, name, text)


def check_missing(fields: dict, sites: SiteIndex, limits: Limits,
                  sent_from: str | None = None) -> MissingIn:
    check_honeypot(fields)
    site, path = page_field(fields, sites, "path", limits.path, sent_from)
    referrer = text_field(fields, "referrer", limits.referrer, required=False)
    return MissingIn(site, path, strip_query(referrer))


def strip_query(url: str) -> str:
    """Keep where a visitor came from, not what they searched for there."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))

