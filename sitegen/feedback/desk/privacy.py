"""Personal data visitors write anyway: e-mail addresses, phone numbers, personnummer.

The desk shows them masked unless an editor asks to see them, and flags the comment, so
that nobody copies them on by accident. Personnummer are looked for before phone numbers:
``19811218-9876`` is one, not a phone number.
"""
from __future__ import annotations

import re

PATTERNS = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("personnummer", re.compile(r"(?<!\d)(?:19|20)?\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])"
                                r"[-+ ]?\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<![\w+])(?:\+46|0046|0)[\s-]?\d{1,3}(?:[\s-]?\d){5,8}(?!\d)")),
)


def find_personal(text: str) -> set[str]:
    found = set()
    for kind, pattern in PATTERNS:
        if pattern.search(text):
            found.add(kind)
        text = pattern.sub(" ", text)
    return found


def mask(text: str, labels: dict[str, str]) -> str:
    """``text`` with every match replaced by its label, e.g. ``[e-postadress]``."""
    for kind, pattern in PATTERNS:
        text = pattern.sub(labels[kind], text)
    return text
