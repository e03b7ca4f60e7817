"""URL slugs the way Swedish editors expect them: Jämställd styrning → jamstalld-styrning."""
from __future__ import annotations

import functools
import re
import unicodedata

# Letters that do not decompose into a base letter plus a mark.
_SPECIAL = {"æ": "ae", "ø": "o", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "ı": "i"}
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


@functools.lru_cache(maxsize=65536)   # folder names repeat for every file below them
def slugify(text: str) -> str:
    """Lower case; å ä ö é ü … lose their marks; other runs of non-alphanumerics → '-'."""
    text = unicodedata.normalize("NFC", text).lower()
    text = "".join(_SPECIAL.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    ascii_only = ascii_only.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_only).strip("-")


def split_date_prefix(stem: str) -> tuple[str | None, str]:
    """'2026-11-23-Ny skola' → ('2026-11-23', 'Ny skola')."""
    match = _DATE_PREFIX.match(stem)
    if not match:
        return None, stem
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}", match.group(4)


_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def swedish_sort_key(text: str) -> str:
    """Sort key that puts å, ä, ö after z, as a Swedish reader expects."""
    text = unicodedata.normalize("NFC", text).lower().translate(_SWEDISH_ORDER)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
