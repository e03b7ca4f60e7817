"""``sitegen adresser uppdatera [SITE ...]`` (in English ``sitegen addresses update``): add the
addresses each site publishes now to its ledger, ``content/<site>/publicerade-adresser.txt``.

It adds and never drops a line (a line is dropped by hand, an editor's decision seen in the
diff), and brings each line's note (the page's title, where an old address leads) up to date.
The site is loaded as ``check`` does, without drafts, at the real time (or ``--now``); nothing
is written but the ledger.
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from sitegen import ledger
from sitegen import builder
from sitegen.commands import parse_now
from sitegen.config import find_sites
from sitegen.messages import _, language
from sitegen.model import site_now
from sitegen.problems import Problems, display_path


def register(sub) -> None:
    # Named in the language of this run first, so that usage and the list of commands say
    # what the editor typed ("sitegen adresser"); the other name works as well.
    name, aliases = _names("addresses", "adresser")
    group = sub.add_parser(name, aliases=aliases,
                           help=_("the list of published addresses (publicerade-adresser.txt)"))
    inner = group.add_subparsers(dest="addresses_command", metavar=_("COMMAND"))
    group.set_defaults(func=lambda args: group.print_help() or 2)
    name, aliases = _names("update", "uppdatera")
    update = inner.add_parser(name, aliases=aliases,
                              help=_("add the addresses the sites publish now to "
                                     "content/<site>/publicerade-adresser.txt"))
    update.add_argument("sites", nargs="*", metavar=_("SITE"), help=_("sites (default: all)"))
    update.add_argument("--content", type=Path, default=Path("content"),
                        help=_("folder of sites (default content/)"))
    update.add_argument("--themes", type=Path, action="append", default=[], help=_("extra themes folder"))
    update.add_argument("--now", type=parse_now, help=_("the time to publish at (default: now)"))
    update.set_defaults(func=run_update)


def _names(english: str, swedish: str) -> tuple[str, list[str]]:
    """``(name, aliases)`` for ``add_parser``: the name in the language of this run first."""
    return (english, [swedish]) if language() == "en" else (swedish, [english])


def run_update(args: argparse.Namespace) -> int:
    options = builder.BuildOptions(content=args.content, sites=args.sites, now=site_now(args.now),
                                   themes=args.themes, check_only=True, quiet=True)
    problems = Problems(root=options.content.resolve().parent)
    messages = []
    for site_dir in find_sites(options.content, options.sites, problems):
        errors_before = len(problems.errors)
        build = builder.prepare_site(site_dir, options, problems)
        if build is None:
            continue
        try:
            if len(problems.errors) > errors_before:   # a page that did not build would be recorded
                messages.append(refused(build))
                continue
            messages.append(update_site(build))
        finally:
            if build.site.image_cache is not None:
                shutil.rmtree(build.site.image_cache, ignore_errors=True)
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    for message in messages:
        print(message)
    return 1 if problems.errors else 0


def refused(build) -> str:
    """A site with errors is not recorded: its addresses are not yet what the editor means to
    publish (a page that failed to load has none, a date that does not exist gives none)."""
    shown = display_path(ledger.ledger_path(build.config.content_dir), build.problems.root)
    return _("{site}: {path} not updated: the site has errors. Correct the errors first, then run "
             "sitegen addresses update again").format(site=build.config.name, path=shown)


def update_site(build) -> str:
    """Write the site's ledger with what it publishes now; what was done, in a sentence."""
    site_dir, name = build.config.content_dir, build.config.name
    path = ledger.ledger_path(site_dir)
    shown = display_path(path, build.problems.root)
    unread = Problems()
    entries = ledger.read_ledger(site_dir, unread)
    if entries is None or unread.items:   # reported by the build already; rewriting would drop lines
        return _("{site}: {path} not updated: correct the lines above first").format(site=name, path=shown)
    host = ledger.site_host(build.site)
    notes = ledger.updated_notes(entries, ledger.published(build), host)
    text = ledger.ledger_text(build.config.title, name, notes)
    before = path.read_text(encoding="utf-8") if path.is_file() else None
    if text == before:
        return _("{site}: {path} is up to date ({count} addresses)").format(site=name, path=shown, count=len(notes))
    ledger.write_ledger(site_dir, text)
    added = len(notes) - len(entries)
    if not added:   # titles beside the addresses changed, or the file's header
        return _("{site}: {path} brought up to date, no new addresses ({count} in all)").format(
            site=name, path=shown, count=len(notes))
    if added == 1:   # the catalogue has no plural forms: one is its own message
        return _("{site}: 1 new address recorded in {path} ({count} in all)").format(
            site=name, path=shown, count=len(notes))
    return _("{site}: {added} new addresses recorded in {path} ({count} in all)").format(
        site=name, added=added, path=shown, count=len(notes))
