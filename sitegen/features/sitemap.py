"""sitemap.xml and robots.txt."""
from __future__ import annotations

from xml.sax.saxutils import escape

from sitegen.model import as_datetime

PHASE = "files"
PROVIDES = ("files",)
NEEDS = ("pages",)


def run(build) -> None:
    site = build.site
    entries = []
    for page in sorted(site.pages, key=lambda p: p.url):
        if not page.in_sitemap or page.meta.get("draft"):
            continue
        entry = f"  <url><loc>{escape(site.absolute_url(page))}</loc>"
        changed = as_datetime(page.meta.get("updated") or page.meta.get("date"))
        if changed:
            entry += f"<lastmod>{changed.date().isoformat()}</lastmod>"
        entries.append(entry + "</url>")
    build.files["sitemap.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                                  '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                                  + "\n".join(entries) + "\n</urlset>\n")
    build.files["robots.txt"] = f"User-agent: *\nAllow: /\n\nSitemap: {site.config.base_url}sitemap.xml\n"
