"""What visitors said, for editors: a terminal table, CSV and (in report_html) HTML.

Every visitor text passes through ``printable`` before a terminal sees it, and
CSV cells that a spreadsheet would run as a formula are defused.
"""
from __future__ import annotations

import csv
import io
import shutil
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sitegen.feedback.pages import known_pages, suggest
from sitegen.feedback.records import without_bidi_controls
from sitegen.feedback.sites import Site
from sitegen.feedback.store import MissingSummary, PageSummary, Store
from sitegen.localtime import STOCKHOLM

@dataclass
class MissingRow:
    summary: MissingSummary
    suggestion: str = ""


@dataclass
class Report:
    generated: datetime
    pages: list[PageSummary] = field(default_factory=list)     # worst first
    missing: list[MissingRow] = field(default_factory=list)    # most hit first
    since: datetime | None = None


def build_report(store: Store, sites: list[Site], build_root: Path | None,
                 since: datetime | None, now: datetime, site_name: str | None = None,
                 missing_limit: int = 30) -> Report:
    pages = store.page_summaries(site=site_name, since=since)
    pages.sort(key=lambda p: (p.share_yes, -p.total, p.site, p.page))
    by_name = {s.name: s for s in sites}
    rows = []
    cache: dict[str, list[str]] = {}
    for summary in store.missing_summaries(site=site_name, since=since, limit=missing_limit):
        site = by_name.get(summary.site)
        suggestion = ""
        if site:
            if site.name not in cache:
                build_dir = build_root / site.name if build_root else None
                cache[site.name] = known_pages(site.prefix, site.content_dir, build_dir)
            suggestion = suggest(summary.path, cache[site.name], site.prefix)
        rows.append(MissingRow(summary, suggestion))
    return Report(generated=now, pages=pages, missing=rows, since=since)


def local_time(stamp: str) -> str:
    """A stored UTC timestamp as Swedish local time, to the minute."""
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def printable(text: str, width: int | None = None) -> str:
    """One line without control characters (no terminal escapes from a visitor)."""
    flat = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch
                   for ch in text)
    flat = " ".join(flat.split())
    if width is not None and len(flat) > width:
        flat = flat[: max(width - 1, 0)] + "…"
    return flat


def percent(share: float) -> str:
    return f"{round(share * 100)} %"


# --- terminal table -----------------------------------------------------------

def format_table(report: Report, width: int | None = None) -> str:
    width = width or shutil.get_terminal_size((100, 24)).columns
    out = ["Hade du nytta av innehållet? (sämst först)"]
    if not report.pages:
        out.append("  inga svar ännu")
    else:
        page_w = min(max(len(p.site) + len(p.page) + 1 for p in report.pages), max(width - 24, 20))
        out.append(f"  {'sida':<{page_w}}  {'ja':>5}  {'svar':>5}")
        for p in report.pages:
            label = printable(f"{p.site}:{p.page}", page_w)
            out.append(f"  {label:<{page_w}}  {percent(p.share_yes):>5}  {p.total:>5}")
            for created, comment in p.latest:
                out.append("      " + printable(f"{local_time(created)}  {comment}", width - 6))
    out.append("")
    out.append("Saknade sidor (flest träffar först)")
    if not report.missing:
        out.append("  inga rapporter")
    for row in report.missing:
        m = row.summary
        line = f"  {m.hits:>5}  {printable(m.site + ':' + m.path, width - 9)}"
        out.append(line)
        if row.suggestion:
            out.append(f"         förslag: lägg till alias på {printable(row.suggestion)}")
    return "\n".join(out) + "\n"


# --- CSV ------------------------------------------------------------------------

CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula, and never backwards."""
    text = without_bidi_controls(str(value))
    return "'" + text if text.startswith(CSV_FORMULA_START) else text


def format_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["kind", "site", "page", "share_yes", "answers", "hits",
                     "latest", "text", "suggested_page"])
    for p in report.pages:
        writer.writerow([cell(v) for v in ("page", p.site, p.page, f"{p.share_yes:.3f}",
                                           p.total, "", "", "", "")])
        for created, comment in p.latest:
            writer.writerow([cell(v) for v in ("comment", p.site, p.page, "", "", "",
                                               local_time(created), comment, "")])
    for row in report.missing:
        m = row.summary
        writer.writerow([cell(v) for v in ("missing", m.site, m.path, "", "", m.hits,
                                           local_time(m.last_seen), m.referrer,
                                           row.suggestion)])
    return buffer.getvalue()
