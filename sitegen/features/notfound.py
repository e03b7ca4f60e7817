"""The error pages: the 404 page (a missing address: a friendly way on, and with JavaScript a
report of the missing path) and the 410 page (a removed page, an editor's ``removed:``: a way
on, and no report, since the address is gone on purpose).

An editor's ``404.md`` or ``410.md`` gives its page the title, ingress and text, as for the
other generated pages; they are still written as ``404.html`` and ``410.html``, the files the
server rules answer with (sitegen/webserver/)."""
from __future__ import annotations

from sitegen.model import Page

PHASE = "pages"
PROVIDES = ("pages",)
# status (the name of its template and file) -> (the theme's string prefix, Swedish fallback title)
ERROR_PAGES = {404: ("notfound", "Sidan finns inte"), 410: ("gone", "Sidan är borttagen")}


def run(build) -> None:
    strings = build.theme.strings
    for status, (strings_prefix, title) in ERROR_PAGES.items():
        page = Page(url=f"{status}/", meta={"title": strings.get(f"{strings_prefix}_title", title),
                                            "ingress": strings.get(f"{strings_prefix}_ingress", ""),
                                            "feedback": False},
                    template=f"{status}.html", output_path=f"{status}.html", in_sitemap=False)
        page = build.site.add_page(page, editable=True)
        # An editor's 404.md or 410.md sits among the start page's children, but belongs in
        # no menu or card list, and asks no "Hade du nytta av innehållet?".
        page.meta["feedback"] = False
        page.in_cards, page.in_menu = False, False
        page.own_address = False   # served at whatever address was asked for: it has none of its own
