"""The desk's pages: usefulness per page, visitors' comments, blog comments, missing pages.

Every handler gets the site the guard in ``web.py`` has already allowed (``page.site``)
and reads only that site's rows.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response

from sitegen.feedback.desk.db import PERIODS, SECTION, share
from sitegen.feedback.desk.privacy import find_personal, mask
from sitegen.feedback.desk.render import Page, render
from sitegen.feedback.desk.svg import trend
from sitegen.feedback.desk.texts import translator
from sitegen.feedback.pages import known_pages, suggest
from sitegen.feedback.report import cell, local_time
from sitegen.feedback.store import utc_now
from sitegen.slugs import slugify, split_date_prefix

NOTE_LIMIT = 2000
KINDS = {"email": "e-mail address", "phone": "phone number",
         "personnummer": "personal identity number"}


def home(desk, page: Page) -> Response:
    if len(page.sites) == 1:
        return RedirectResponse(f"/desk/{page.sites[0].name}/", status_code=303)
    return render(desk, page, "home.html", {})


def login_form(desk, page: Page, problem: str = "", status: int = 200) -> Response:
    return render(desk, page, "login.html", {"problem": problem}, status=status)


def not_found(desk, page: Page) -> Response:
    return render(desk, page, "not_found.html", {}, status=404)


# --- filters -------------------------------------------------------------------------

def filters(page: Page, default_days: int = 30) -> dict:
    """Section and period from the query; anything else falls back to the default."""
    query = page.request.query_params
    section = query.get("avsnitt", "")
    days = query.get("period", "")
    return {"section": section if SECTION.fullmatch(section) else "",
            "days": int(days) if days.isdigit() and int(days) in PERIODS else default_days,
            "personal": query.get("personuppgifter") == "visa"}


def sections(desk, site) -> list[str]:
    found = set()
    for path in site_pages(desk, site):
        rest = path[len(site.prefix):].split("/")
        if len(rest) > 2 and SECTION.fullmatch(rest[0]):
            found.add(rest[0])
    return sorted(found)


def site_pages(desk, site) -> list[str]:
    build_dir = desk.build_root / site.name if desk.build_root else None
    return known_pages(site.prefix, site.content_dir, build_dir)


# --- "Hade du nytta av innehållet?" --------------------------------------------------

def usefulness(desk, page: Page) -> Response:
    chosen = filters(page)
    t = translator(page.lang)
    rows = []
    for use in desk.data.usefulness(page.site.name, utc_now(), chosen["section"], page.site.prefix):
        label = t("Share of yes per month: {months}").format(months=", ".join(
            f"{month} {round(100 * yes / total)} %" for month, yes, total in use.months if total))
        rows.append({"page": use.page, "counts": use.counts,
                     "shares": {d: percent(use.counts[d]) for d in PERIODS},
                     "trend": trend(use.months, label)})
    return render(desk, page, "usefulness.html", {"tab": "usefulness",
        "rows": rows, "periods": PERIODS, "filters": chosen,
        "sections": sections(desk, page.site)})


def usefulness_csv(desk, page: Page) -> Response:
    chosen = filters(page)
    t = translator(page.lang)
    header = [t("page")]
    for days in PERIODS:
        header += [t("yes, {days} days").format(days=days), t("answers, {days} days").format(days=days),
                   t("share of yes, {days} days").format(days=days)]
    rows = [header]
    for use in desk.data.usefulness(page.site.name, utc_now(), chosen["section"], page.site.prefix):
        row = [use.page]
        for days in PERIODS:
            yes, total = use.counts[days]
            row += [yes, total, decimal(yes / total, page.lang) if total else ""]
        rows.append(row)
    return csv_response(rows, f"nytta-{page.site.name}.csv", page.lang)


def decimal(value: float, lang: str) -> str:
    """A share with the decimal mark of the desk's language, as a spreadsheet there reads it."""
    text = f"{value:.3f}"
    return text.replace(".", ",") if lang == "sv" else text


def csv_response(rows: list[list], name: str, lang: str) -> Response:
    """A CSV download for the spreadsheet an editor opens it in: cells shown as text, never run
    as formulas; a UTF-8 byte order mark, without which Excel reads å, ä and ö as Windows-1252;
    and in Swedish ';' between cells, since Excel in Swedish splits only on its list separator
    ';' (',' is the decimal mark there) and would put each row in one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "sv" else ",", lineterminator="\n")
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return Response("\ufeff" + buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff"})


def percent(counts: tuple[int, int]) -> str:
    return f"{round(100 * share(counts))} %" if counts[1] else "–"


def shown_comments(desk, page: Page, chosen: dict) -> list[dict]:
    t = translator(page.lang)
    labels = {"email": t("[e-mail address]"), "phone": t("[phone number]"),
              "personnummer": t("[personal identity number]")}
    since = utc_now() - timedelta(days=chosen["days"])
    items = []
    for c in desk.data.feedback_comments(page.site.name, since, chosen["section"],
                                         page.site.prefix):
        # The editor's own note is shown as written: masking it would save the mask.
        text = c.comment if chosen["personal"] else mask(c.comment, labels)
        items.append({"item": c, "text": text, "note": c.note,
                      "personal": sorted(find_personal(c.comment))})
    return items


def feedback_comments(desk, page: Page) -> Response:
    chosen = filters(page)
    query = {k: v for k, v in (("avsnitt", chosen["section"]), ("period", chosen["days"])) if v}
    return render(desk, page, "comments.html", {"tab": "comments",
        "items": shown_comments(desk, page, chosen), "filters": chosen, "periods": PERIODS,
        "sections": sections(desk, page.site), "query": urlencode(query),
        "saved": page.request.query_params.get("sparat") == "1"})


def feedback_csv(desk, page: Page) -> Response:
    chosen = filters(page)
    t = translator(page.lang)
    rows = [[t("date"), t("page"), t("useful"), t("comment"), t("handled"), t("note"),
             t("personal data")]]
    for entry in shown_comments(desk, page, chosen):
        c = entry["item"]
        rows.append([local_time(c.created), c.page, t("yes") if c.useful else t("no"),
                     entry["text"], t("yes") if c.handled else t("no"), entry["note"],
                     ", ".join(t(KINDS[kind]) for kind in entry["personal"])])
    return csv_response(rows, f"synpunkter-{page.site.name}-{chosen['days']}d.csv", page.lang)


def mark_feedback(desk, page: Page, form) -> Response:
    item = page.request.path_params["item"]
    if not desk.data.feedback_exists(page.site.name, item):
        return not_found(desk, page)
    note = str(form.get("note", ""))[:NOTE_LIMIT]
    desk.data.mark("feedback", page.site.name, str(item), form.get("handled") == "ja", note,
                   page.account.name)
    section, days = str(form.get("avsnitt", "")), str(form.get("period", ""))
    query = {"avsnitt": section if SECTION.fullmatch(section) else "",
             "period": days if days.isdigit() and int(days) in PERIODS else "", "sparat": "1"}
    query = urlencode({k: v for k, v in query.items() if v})
    return RedirectResponse(f"/desk/{page.site.name}/synpunkter?{query}#synpunkt-{item}",
                            status_code=303)


# --- blog comments --------------------------------------------------------------------

def blog_comments(desk, page: Page) -> Response:
    comments = desk.data.blog_comments(page.site.name)
    order = {"pending": 0, "approved": 1, "rejected": 2}
    comments.sort(key=lambda c: (order.get(c.status, 3), c.created), reverse=False)
    return render(desk, page, "moderation.html", {"tab": "moderation",
        "pending": [c for c in comments if c.status == "pending"],
        "decided": sorted((c for c in comments if c.status != "pending"),
                          key=lambda c: c.created, reverse=True)[:50],
        # Flagged, never masked: the editor decides on what the page would show.
        "personal": {c.id: sorted(find_personal(f"{c.name}\n{c.text}")) for c in comments},
        "publishing": page.site.name in desk.config.publish,
        "outcome": desk.publisher.status(page.site.name),
        "done": page.request.query_params.get("klart", "")})


def moderate(desk, page: Page, form) -> Response:
    action = form.get("beslut")
    status = {"godkann": "approved", "avvisa": "rejected"}.get(action)
    item = page.request.path_params["item"]
    if status is None or not desk.data.set_comment_status(page.site.name, item, status):
        return not_found(desk, page)
    if page.site.name in desk.config.publish:
        desk.publisher.trigger(page.site)
    return RedirectResponse(f"/desk/{page.site.name}/kommentarer?klart={action}",
                            status_code=303)


# --- missing pages --------------------------------------------------------------------

def missing_pages(desk, page: Page) -> Response:
    site = page.site
    chosen = filters(page, default_days=90)
    pages = site_pages(desk, site)
    files = page_files(site)
    rows = []
    for missing in desk.data.missing_paths(site.name, utc_now() - timedelta(days=chosen["days"])):
        target = suggest(missing.path, pages, site.prefix)
        rows.append({"missing": missing, "target": target, "file": files.get(target, ""),
                     "line": "aliases: " + json.dumps([missing.path], ensure_ascii=False)})
    return render(desk, page, "missing.html", {"tab": "missing",
        "rows": rows, "filters": chosen, "periods": PERIODS,
        "saved": page.request.query_params.get("sparat") == "1"})


def page_files(site) -> dict[str, str]:
    """Page path -> its Markdown file (``content/<site>/…``), to say where the line goes."""
    files = {}
    root = Path(site.content_dir)
    if not root.is_dir():
        return files
    for md in sorted(root.rglob("*.md")):
        rel = md.relative_to(root)
        parts = [slugify(p) for p in rel.parent.parts]
        stem = split_date_prefix(md.stem)[1]
        if stem not in ("index", "_index"):
            parts.append(slugify(stem))
        if all(parts):
            files[site.prefix + "".join(p + "/" for p in parts)] = f"{root.name}/{rel.as_posix()}"
    return files


def mark_missing(desk, page: Page, form) -> Response:
    path = str(form.get("path", ""))
    if not desk.data.path_is_missing(page.site.name, path):
        return not_found(desk, page)
    desk.data.mark("missing", page.site.name, path, form.get("handled") != "nej", "",
                   page.account.name)
    return RedirectResponse(f"/desk/{page.site.name}/saknade-sidor?sparat=1", status_code=303)
