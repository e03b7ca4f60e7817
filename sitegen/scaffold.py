"""``sitegen new``: files with valid front matter to start from."""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import yaml

from sitegen.config import find_sites
from sitegen.problems import Problems
from sitegen.slugs import slugify
from sitegen.messages import _

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


def scalar(value: str) -> str:
    """``value`` as a YAML scalar on one line: plain when that reads back as the same text
    (``Julmarknad``), quoted when it would not (``'Konsert: jul'``, ``'yes'``, ``'2026-01-01'``)."""
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style=None)
    if text.endswith("\n...\n"):
        text = text[: -len("\n...\n")]
    return text.rstrip("\n")


def _error(message: str) -> int:
    print(_("error: {message}").format(message=message), file=sys.stderr)
    return 1


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _write(path: Path, text: str) -> int:
    if path.exists():
        return _error(_("{path} already exists").format(path=path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        return _error(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc))
    print(_("created {path}").format(path=path))
    return 0


def run(args) -> int:
    today = dt.date.today().isoformat()
    title = " ".join(" ".join(args.title).split())
    if not title:
        return _error(_("the title is empty: write it after the kind, e.g. sitegen new page Öppettider"))
    name = slugify(title)
    if not name:
        return _error(_("the title '{title}' has no letters or digits to make a file name from").format(title=title))
    if args.kind == "site":
        folder = args.content / name
        if (folder / "index.md").exists():
            return _error(_("{path} already exists").format(path=folder / "index.md"))
        status = _write(folder / "site.yaml", SITE_YAML.format(title=scalar(title), slug=name, today=today))
        return status or _write(folder / "index.md", TEMPLATES["start"].format(title=scalar(title)))
    if not args.site:
        return _error(_("name the site with --site, e.g. --site kulturskolan"))
    problems = Problems()
    known = [p.name for p in find_sites(args.content, [], problems)]
    if args.site not in known:
        if not args.content.is_dir():
            return _error(_("content folder not found: {path}").format(path=args.content))
        names = ", ".join(known) or _("none; create one with 'sitegen new site'")
        return _error(_("no site named '{site}' in {content} (sites: {names})").format(
            site=args.site, content=args.content, names=names))
    site_folder = args.content / args.site
    default = {"news": "nyheter", "event": "kalender"}.get(args.kind, "")
    section = args.section or default
    folder = site_folder / os.path.normpath(section)
    if Path(section).is_absolute() or not _inside(folder, site_folder):
        return _error(_("--section '{section}' is outside the site folder {folder}: "
                        "give a folder inside the site, e.g. --section om-oss").format(
                            section=section, folder=site_folder))
    if args.kind == "news":
        name = f"{today}-{name}"
    return _write(folder / f"{name}.md", TEMPLATES[args.kind].format(title=scalar(title), today=today))


def register(sub) -> None:
    parser = sub.add_parser("new", help=_("create a site, page, news item or event with valid front matter"))
    parser.add_argument("kind", choices=["site", "page", "news", "event"],
                        help=_("what to create: site, page, news (a news item) or event"))
    parser.add_argument("title", nargs="+", help=_("the title of the page or site"))
    parser.add_argument("--site", help=_("the site (folder under content/)"))
    parser.add_argument("--section", help=_("folder inside the site"))
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("folder of sites (default content/)"))
    parser.set_defaults(func=run)
