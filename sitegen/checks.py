"""Checks of content pages that are not about one front matter key alone.

A missing ingress is a warning in ``build`` (the page is still useful) and an error in
``check`` (SPEC); missing alt text is an error in both (README, "check and build").
"""
from __future__ import annotations

import posixpath

from sitegen import mdlinks
from sitegen.model import Site
from sitegen.problems import Problems
from sitegen.messages import _
from sitegen.scaffold import PLACEHOLDER


def report_placeholders(page, problems: Problems) -> None:
    """A warning at each text 'sitegen new' wrote for the editor to replace, while it is there:
    a warning, not an error, as the page is right otherwise (README, "check and build")."""
    if _is_placeholder(page.meta.get("ingress")):
        problems.warning(page.source, page.line_of("ingress"), _(
            "the ingress is still the example text from sitegen new. Write your own ingress"))
    if _is_placeholder(page.meta.get("location")):
        problems.warning(page.source, page.line_of("location"), _(
            "'location' is still the example text from sitegen new. Write where the event takes place"))
    if PLACEHOLDER not in page.body:
        return   # most pages: not a line to look at (this runs for every page of every build)
    for index, line in enumerate(page.body.split("\n")):
        if _is_placeholder(line):
            problems.warning(page.source, page.body_line + index, _(
                "the text is still the example text from sitegen new. Write the page's own text"))


def _is_placeholder(text) -> bool:
    return isinstance(text, str) and text.lstrip().startswith(PLACEHOLDER)


def check_pages(site: Site, problems: Problems) -> None:
    for page in site.pages:
        if page.generated:
            continue
        report_placeholders(page, problems)
        if not page.ingress:
            problems.warning(page.source, page.line_of("title"),
                             _("'ingress' missing: add a short summary, it is shown first and used as "
                               "the description in search engines and cards"), strict=True)
        image = page.meta.get("image")
        if image:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page.rel), image))
            if target not in site.assets:
                problems.error(page.source, page.line_of("image"), mdlinks.missing_image(site, image, target, problems))
            if not page.meta.get("image_alt"):
                problems.error(page.source, page.line_of("image"),
                               _("'image_alt' missing: describe the image for those who cannot see it"))
