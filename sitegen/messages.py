"""The message catalogue: every text an editor or operator reads goes through ``_``.

Write the English text as the message id, with ``{name}`` placeholders filled by ``.format``
after the lookup: ``_("unknown key '{key}'").format(key=key)``. The Swedish texts live in
``sitegen/locale/sv/LC_MESSAGES/sitegen.po``, read at run time with Babel (no compiled
catalogue to keep in step). Swedish is the default; ``--lang en`` or ``SITEGEN_LANG=en``
gives English, which is the message id itself. ``scripts/messages.sh`` refreshes the
catalogue after messages were added or changed.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from sitegen.localised import read_po

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
CATALOGUE = Path(__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "sitegen.po"

# The language of this run: set once by the command line (``--lang``), else read from
# SITEGEN_LANG at the first message. Forked render workers inherit it; parallel.py passes
# it on explicitly as well, so a worker started any other way speaks the same language.
_language: str | None = None


def language_from_env(value: str | None) -> str:
    """``SITEGEN_LANG``: ``en`` (or ``en_GB``, ``en-US.UTF-8``) is English, anything else Swedish."""
    if value and value.strip().lower()[:2] == "en":
        return "en"
    return DEFAULT_LANGUAGE


def set_language(language: str | None) -> None:
    """Use ``language`` (``sv`` or ``en``) for this run; None goes back to SITEGEN_LANG."""
    global _language
    _language = language if language in LANGUAGES else None


def language() -> str:
    global _language
    if _language is None:
        _language = language_from_env(os.environ.get("SITEGEN_LANG"))
    return _language


@cache
def translations(path: Path = CATALOGUE) -> dict[str, str]:
    """The catalogue's translated messages, ``{English id: Swedish text}``; fuzzy (unchecked)
    translations are left out, so their English id is shown until someone confirms them."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="sv", ignore_obsolete=True)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def _(message: str) -> str:
    """The message in the language of this run (English: the id itself)."""
    if language() == "en":
        return message
    return translations().get(message, message)


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined (a table made at import, before the
    language is known); translate it where it is used: ``_(KIND_NAMES[kind])``."""
    return message
