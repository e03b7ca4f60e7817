"""Dates, times and catalogues in a language: the one module that imports Babel.

The theme's ``date``/``time``/``datetime`` filters, the calendar's month names and local
times and the message catalogue (``messages.py``) all use these; Babel's own names are kept,
so its documentation applies (``format_date(value, "d MMMM y", locale="sv_SE")``).
"""
from __future__ import annotations

from babel.dates import format_date, format_datetime, format_time, get_timezone_location
from babel.messages.pofile import read_po

__all__ = ["format_date", "format_datetime", "format_time", "get_timezone_location", "read_po"]
