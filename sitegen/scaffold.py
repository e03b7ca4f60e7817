"""``sitegen new``: files with valid front matter to start from."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sitegen.slugs import slugify

SITE_YAML = """title: {title}
base_url: https://www.orebro.se/{slug}/
language: sv
theme: orebro
organization: Örebro kommun
feedback:
  endpoint: https://feedback.orebro.se/feedback
accessibility:
  status: partial
  assessed: {today}
  contact_email: webb@orebro.se
"""

TEMPLATES = {
    "start": "---\ntitle: {title}\ningress: Skriv en kort sammanfattning av webbplatsen här.\n---\n\nVälkommen!\n",
    "page": "---\ntitle: {title}\ningress: Skriv en kort sammanfattning, en eller två meningar.\n---\n\nText.\n",
    "news": ("---\ntitle: {title}\ningress: Skriv en kort sammanfattning.\ntype: news\ncategory: nyhet\n"
             "date: {today}\n---\n\nText.\n"),
    "event": ("---\ntitle: {title}\ningress: Skriv en kort sammanfattning.\ntype: event\n"
              "start: {today}T18:00\nend: {today}T20:00\nlocation: Plats\n---\n\nText.\n"),
}


def _write(path: Path, text: str) -> int:
    if path.exists():
        print(f"error: {path} already exists", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"created {path}")
    return 0


def run(args) -> int:
    today = dt.date.today().isoformat()
    title = " ".join(args.title)
    if args.kind == "site":
        slug = slugify(title)
        folder = args.content / slug
        status = _write(folder / "site.yaml", SITE_YAML.format(title=title, slug=slug, today=today))
        return status or _write(folder / "index.md", TEMPLATES["start"].format(title=title))
    if not args.site:
        print("error: name the site with --site", file=sys.stderr)
        return 1
    folder = args.content / args.site / (args.section or "")
    name = slugify(title)
    if args.kind == "news":
        folder = args.content / args.site / (args.section or "nyheter")
        name = f"{today}-{name}"
    elif args.kind == "event":
        folder = args.content / args.site / (args.section or "kalender")
    return _write(folder / f"{name}.md", TEMPLATES[args.kind].format(title=title, today=today))


def register(sub) -> None:
    parser = sub.add_parser("new", help="create a site, page, news item or event with valid front matter")
    parser.add_argument("kind", choices=["site", "page", "news", "event"])
    parser.add_argument("title", nargs="+")
    parser.add_argument("--site", help="the site (folder under content/)")
    parser.add_argument("--section", help="folder inside the site")
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.set_defaults(func=run)
