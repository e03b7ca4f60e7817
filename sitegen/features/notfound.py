"""The 404 page: a friendly way on, and (with JavaScript) a report of the missing path.

An editor's ``404.md`` gives it its title, ingress and text, as for the other generated
pages; it is still written as ``404.html``, the file web servers are set up to answer with."""
from __future__ import annotations

from sitegen.model import Page

PHASE = "pages"
PROVIDES = ("pages",)


def run(build) -> None:
    strings = build.theme.strings
    page = Page(url="404/", meta={"title": strings.get("notfound_title", "Sidan finns inte"),
                                  "ingress": strings.get("notfound_ingress", ""), "feedback": False},
                template="404.html", output_path="404.html", in_sitemap=False)
    page = build.site.add_page(page, editable=True)
    # The page reports the missing path itself; an editor's 404.md sits among the start
    # page's children, but belongs in no menu or card list.
    page.meta["feedback"] = False
    page.in_cards, page.in_menu = False, False
    page.own_address = False   # served at whatever address was missing: it has none of its own
