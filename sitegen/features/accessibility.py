"""The accessibility statement (tillgänglighetsredogörelse) from site.yaml's ``accessibility``."""
from __future__ import annotations

from sitegen.model import Page

PHASE = "pages"
URL = "tillganglighet/"


def run(build) -> None:
    site = build.site
    strings = build.theme.strings
    statement = dict(site.config.accessibility)
    statement.setdefault("status", "partial")
    statement.setdefault("contact_email", site.config.contact.get("email", ""))
    page = Page(url=URL, meta={"title": strings.get("a11y_title", "Tillgänglighetsredogörelse"),
                               "ingress": strings.get("a11y_ingress", "").format(site=site.config.title),
                               "menu": False},
                template="accessibility.html")
    page.extra.update(statement=statement, hidden_from_cards=True)
    page = site.add_page(page, parent=site.root, editable=True)
    page.extra.update(hidden_from_cards=True, searchable=True)
    site.root.extra.setdefault("links", {})["accessibility"] = URL
