"""The message catalogue: every text an editor or operator reads goes through ``_``.

Write the English text as the message id, with ``{name}`` placeholders filled by ``.format``
after the lookup: ``_("unknown key '{key}'").format(key=key)``. The catalogue gives the
Swedish text (the default language); English is the id itself.
"""
from __future__ import annotations


def _(message: str) -> str:
    """The message in the language of this run (for now: the id itself)."""
    return message
