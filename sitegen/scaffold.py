"""``sitegen new``: files with valid front matter to start from.

``site`` makes a site folder, ``section`` a section page (``<folder>/index.md``), ``page`` a
page, ``news``, ``blog`` and ``event`` a dated item in their usual folder. A page goes into the
section ``--section`` names, which must exist (an editor who mistypes it gets the list of
sections rather than a new, empty section); a news item, blog post or event goes into its
type's folder, which is made when it is missing.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

from sitegen import keynames
from sitegen.config import find_sites, load_site_config
from sitegen.messages import _
from sitegen.problems import Problems
from sitegen.slugs import slugify
from sitegen.sources import NON_PAGE_DIRS
from sitegen.yamlload import dump_scalar

# Only what someone has decided: no accessibility status or date (the statement says the
# site is not yet assessed until 'accessibility:' is filled in), and no feedback endpoint
# (the form posts to <path>feedback on the site's own host, as on the example sites).
SITE_YAML = """title: {title}
base_url: https://www.orebro.se/{slug}/
language: sv
theme: orebro
organization: Örebro kommun
# Formuläret "Hade du nytta av innehållet?" skickar till /{slug}/feedback på webbplatsens egen
# adress. Webbservern skickar det vidare till återkopplingstjänsten (se docs/feedback.md).
#
# Tillgänglighetsredogörelsen (tillganglighet/) säger att webbplatsen inte är granskad än.
# När den är granskad fyller du i det här (se README, "site.yaml"):
# accessibility:
#   status: partial            # full, partial eller none
#   shortcomings: [Det som inte är tillgängligt.]
#   assessed: ÅÅÅÅ-MM-DD       # när granskningen gjordes
#   contact_email: namn@orebro.se
"""

# Every text an editor must replace starts with PLACEHOLDER, so that check and build can point
# at it while it is still there (checks.report_placeholders) and a reader sees what it is.
PLACEHOLDER = "EXEMPELTEXT"
INGRESS = PLACEHOLDER + " – skriv en kort sammanfattning{of}, en eller två meningar."
BODY = PLACEHOLDER + " – skriv {whose} text här.\n"
TEMPLATES = {
    "start": ("---\ntitle: {title}\ningress: " + INGRESS.format(of=" av webbplatsen") + "\n---\n\n"
              + BODY.format(whose="startsidans")),
    "section": ("---\ntitle: {title}\ningress: " + INGRESS.format(of=" av avsnittet") + "\n---\n\n"
                + BODY.format(whose="avsnittets")),
    "page": "---\ntitle: {title}\ningress: " + INGRESS.format(of="") + "\n---\n\n" + BODY.format(whose="sidans"),
    "news": ("---\ntitle: {title}\ningress: " + INGRESS.format(of=" av nyheten") + "\ntype: news\ncategory: nyhet\n"
             "date: {today}\n---\n\n" + BODY.format(whose="nyhetens")),
    "blog": ("---\ntitle: {title}\ningress: " + INGRESS.format(of=" av inlägget") + "\ntype: blog\n{author}"
             "date: {today}\n---\n\n" + BODY.format(whose="inläggets")),
    "event": ("---\ntitle: {title}\ningress: " + INGRESS.format(of=" av evenemanget") + "\ntype: event\n"
              "start: {today}T18:00\nend: {today}T20:00\nlocation: " + PLACEHOLDER + " – skriv platsen\n---\n\n"
              + BODY.format(whose="evenemangets")),
}
DATED = ("news", "blog")   # the file name starts with the date, as the archives expect


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
        return new_site(args, title, name)
    if args.name:
        return _error(_("--name is for 'sitegen new site'; a page's file name comes from its title"))
    if not args.site:
        return _error(_("name the site with --site, e.g. --site kulturskolan"))
    problems = Problems()
    known = [p.name for p in find_sites(args.content, [], problems)]
    if args.site not in known:
        if not args.content.is_dir():
            return _error(_("content folder not found: {path}").format(path=args.content))
        names = ", ".join(known) or _("none; create one with 'sitegen new site'")
        close = keynames.nearest_choice(args.site, known)
        hint = _(" (did you mean '{name}'?)").format(name=close) if close else ""
        return _error(_("no site named '{site}'{hint} in {content} (sites: {names})").format(
            site=args.site, hint=hint, content=args.content, names=names))
    site_folder = args.content / args.site
    folder = target_folder(args, site_folder)
    if isinstance(folder, int):
        return folder
    values = {"title": dump_scalar(title), "today": today,
              "author": f"author: {dump_scalar(args.author)}\n" if args.author else ""}
    if args.kind == "section":
        return _write(folder / name / "index.md", TEMPLATES["section"].format(**values))
    if args.kind in DATED:
        name = f"{today}-{name}"
    return _write(folder / f"{name}.md", TEMPLATES[args.kind].format(**values))


def new_site(args, title: str, slug: str) -> int:
    """A site folder named ``--name`` (else after the title) with site.yaml and a start page."""
    if args.name is not None:
        if slugify(args.name) != args.name:
            hint = slugify(args.name) or "karlslund"
            return _error(_("--name '{name}' is not a folder name for an address: use lower-case letters a-z, "
                            "digits and '-', e.g. --name {hint}").format(name=args.name, hint=hint))
        slug = args.name
    folder = args.content / slug
    if (folder / "index.md").exists():
        return _error(_("{path} already exists").format(path=folder / "index.md"))
    status = _write(folder / "site.yaml", SITE_YAML.format(title=dump_scalar(title), slug=slug))
    return status or _write(folder / "index.md", TEMPLATES["start"].format(title=dump_scalar(title)))


def default_folder(kind: str, site_folder: Path) -> str:
    """Where a news item, blog post or event goes without --section: the folder site.yaml
    names for news and events, else nyheter/, blogg/, kalender/."""
    config = load_site_config(site_folder, Problems()) if kind in ("news", "event") else None
    if kind == "news":
        return (config.news.get("folder") if config else None) or "nyheter"
    if kind == "event":
        return (config.calendar.get("folder") if config else None) or "kalender"
    return "blogg" if kind == "blog" else ""


def target_folder(args, site_folder: Path) -> Path | int:
    """The folder the new file goes into, or the exit status of the error."""
    default = default_folder(args.kind, site_folder)
    section = args.section if args.section is not None else default
    # Only a section the editor chose must exist; the type's own folder is made for its first item.
    must_exist = args.section is not None and os.path.normpath(args.section) != os.path.normpath(default or ".")
    if Path(section).is_absolute() or not _inside(site_folder / os.path.normpath(section), site_folder):
        return _error(_("--section '{section}' is outside the site folder {site}: give a folder inside the site, "
                        "e.g. --section om-oss").format(section=section, site=site_folder))
    folder = site_folder
    for part in Path(os.path.normpath(section)).parts:
        if part == ".":
            continue
        found = existing_section(folder, part)
        if found is None and must_exist:
            names = sorted(p.name for p in folder.iterdir()
                           if p.is_dir() and p.name not in NON_PAGE_DIRS and not p.name.startswith("."))
            close = keynames.meant(part, names)
            if close:   # a slip of the keyboard: the section that exists, before making a new one
                return _error(_("there is no section '{section}' in {folder}: did you mean --section {close}? "
                                "If it is a new section, make it first with sitegen new section \"{title}\" "
                                "--site {site}").format(section=args.section, folder=folder, close=close,
                                                        title=part, site=args.site))
            sections = ", ".join(names)
            return _error(_("there is no section '{section}' in {folder} (sections: {sections}); make it first with "
                            "sitegen new section \"{title}\" --site {site}").format(
                section=args.section, folder=folder, sections=sections or _("none"), title=part, site=args.site))
        folder = found or folder / part
    return folder


def existing_section(folder: Path, part: str) -> Path | None:
    """The folder ``part`` names: by its exact name, or by the address it gets (``Om oss``
    finds ``om-oss/``)."""
    if (folder / part).is_dir():
        return folder / part
    wanted = slugify(part)
    matches = [p for p in folder.iterdir() if p.is_dir() and slugify(p.name) == wanted] if folder.is_dir() else []
    return matches[0] if len(matches) == 1 else None


def register(sub) -> None:
    parser = sub.add_parser("new", help=_("create a site, section, page, news item, blog post or event "
                                          "with valid front matter"))
    parser.add_argument("kind", choices=["site", "section", "page", "news", "blog", "event"],
                        help=_("what to create: site, section, page, news (a news item), blog (a blog post) or event"))
    parser.add_argument("title", nargs="+", help=_("the title of the page or site"))
    parser.add_argument("--site", help=_("the site (folder under content/)"))
    parser.add_argument("--section", help=_("the section (folder inside the site) it goes in"))
    parser.add_argument("--name", help=_("new site: its folder name, the last part of its address (default: from the title)"))
    parser.add_argument("--author", help=_("blog post: the author's name"))
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("folder of sites (default content/)"))
    parser.set_defaults(func=run)
