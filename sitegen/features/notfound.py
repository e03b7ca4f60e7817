"""The 404 page: a friendly way on, and (with JavaScript) a report of the missing path."""
from __future__ import annotations

from sitegen.model import Page

PHASE = "pages"


def run(build) -> None:
    strings = build.theme.strings
    page = Page(url="404/", meta={"title": strings.get("notfound_title", "Sidan finns inte"),
                                  "ingress": strings.get("notfound_ingress", ""), "feedback": False},
                template="404.html", output_path="404.html", in_sitemap=False)
    page.extra["hidden_from_cards"] = True
    build.site.add_page(page)
