"""The accessibility statement (tillgänglighetsredogörelse) from site.yaml's ``accessibility``."""
from __future__ import annotations

from dataclasses import dataclass

from sitegen.model import Page
from sitegen.messages import _

PHASE = "pages"
PROVIDES = ("pages", "links")
URL = "tillganglighet/"
# Who stands behind the site when site.yaml names no organisation: the municipality these
# sites belong to, never the site's own title ("Kulturskolan står bakom" is not a legal body).
DEFAULT_ORGANIZATION = "Örebro kommun"


@dataclass(frozen=True)
class AccessibilityPage:
    """What the statement's template gets as ``accessibility``."""

    statement: dict    # site.yaml's accessibility, with contact and status filled in


def run(build) -> None:
    site = build.site
    strings = build.theme.strings
    statement = dict(site.config.accessibility)
    statement.setdefault("contact_email", site.config.contact.get("email", ""))
    statement.setdefault("contact_phone", site.config.contact.get("phone", ""))
    if site.config.accessibility:
        check_statement(build, statement)
    statement.setdefault("status", "partial" if site.config.accessibility else "unknown")   # unknown: not assessed
    page = Page(url=URL, meta={"title": strings.get("a11y_title", "Tillgänglighetsredogörelse"),
                               "ingress": strings.get("a11y_ingress", "").format(
                                   site=site.config.organization or DEFAULT_ORGANIZATION),
                               "menu": False},
                template="accessibility.html")
    page = site.add_page(page, parent=site.root, editable=True)
    page.in_cards, page.in_search = False, True
    page.contribute("accessibility", AccessibilityPage(statement))
    site.links.accessibility = URL


def check_statement(build, statement: dict) -> None:
    """What the law asks of the statement and only site.yaml can say: how accessible the site
    is, what is not, how to reach someone, and when it was assessed. The page would otherwise
    claim things nobody stated. A warning in ``check`` too: what the statement says is the
    organisation's to decide. (Without ``accessibility:`` at all the page says the site has
    not been assessed yet, which claims nothing.)"""
    config, problems = build.site.config, build.problems
    line = config.lines.get("accessibility", 1)
    missing = [f"'{key}' ({what})" for key, what in (("status", _("full, partial or none")),
                                                        ("assessed", _("the date of the latest assessment")))
               if not statement.get(key)]
    if not (statement.get("contact_email") or statement.get("contact_phone")):
        missing.append(_("'contact_email' or 'contact_phone' (or contact: in site.yaml)"))
    if missing:
        problems.warning(config.config_path, line, _("the accessibility statement needs {settings} under "
                                                     "'accessibility:' in site.yaml").format(settings=", ".join(missing)),
                         strict=False)
    if statement.get("status") in ("partial", "none") and not statement.get("shortcomings"):
        problems.warning(config.config_path, line, _("'accessibility.status' is {status} but 'accessibility.shortcomings' "
                                                     "names nothing that is not accessible").format(
                                                       status=statement['status']),
                         strict=False)
