"""URL slugs the way Swedish editors expect them: Jämställd styrning → jamstalld-styrning."""
from __future__ import annotations

import functools
import re
import unicodedata

from anyascii import anyascii

# Letters that do not decompose into a base letter plus a mark.
_SPECIAL = {"æ": "ae", "ø": "o", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "ı": "i"}
_DATE_PREFIX = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")


@functools.lru_cache(maxsize=65536)   # folder names repeat for every file below them
def slugify(text: str) -> str:
    """Lower case; å ä ö é ü … lose their marks; other runs of non-alphanumerics → '-'."""
    text = unicodedata.normalize("NFC", text).lower()
    folded = text.translate(_FOLD)
    if not folded.isascii():   # a letter outside Latin-1 and Latin Extended-A/B: the long way
        folded = _fold(text)
    return _NON_ALNUM.sub("-", folded).strip("-")


def _fold(text: str) -> str:
    text = "".join(_SPECIAL.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not ascii_only.isascii():   # Greek, Cyrillic, Arabic...: transliterated (SPEC), not dropped
        ascii_only = anyascii(ascii_only).lower()
    return ascii_only.encode("ascii", "ignore").decode("ascii")


# What each letter of Latin-1 and Latin Extended-A/B folds to (the long way, worked out once):
# most titles then need one str.translate instead of two Unicode normalisations.
_FOLD = str.maketrans({chr(code): _fold(chr(code)) for code in range(0x80, 0x250)})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def split_date_prefix(stem: str) -> tuple[str | None, str]:
    """'2026-11-23-Ny skola' → ('2026-11-23', 'Ny skola')."""
    match = _DATE_PREFIX.match(stem)
    if not match:
        return None, stem
    return f"{match.group(1)}-{match.group(2)}-{match.group(3)}", match.group(4)


# After z: å, ä (æ), ö (ø), as in a Swedish dictionary; ü is sorted as y.
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"})


@functools.lru_cache(maxsize=65536)   # titles are sorted again in every list they are in
def swedish_sort_key(text: str) -> str:
    """Sort key that puts å, ä, ö after z, as a Swedish reader expects."""
    text = unicodedata.normalize("NFC", text).lower().translate(_SWEDISH_ORDER)
    if text.isascii():
        return text   # nothing left to decompose
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
