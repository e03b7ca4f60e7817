"""``sitegen feedback moderate | report | export | purge``, and the options and helpers every
``sitegen feedback`` command shares (``serve`` is in ``serve.py``, the desk's in ``desk/cli.py``)."""
from __future__ import annotations

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

from sitegen.feedback.sites import Site, load_sites
from sitegen.feedback.store import (
    DEFAULT_TIMEOUT, STATUSES, NoStore, Store, StoreError, shown, utc_now)
from sitegen.messages import _
from sitegen.problems import Problems

DEFAULT_DB = "feedback.sqlite3"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "feedback", help=_("receive feedback, comments and 404 reports; moderate and report"),
        description=_("The feedback service and the editors' tools around it."))
    sub = parser.add_subparsers(dest="feedback_command", metavar="COMMAND", required=True)
    from sitegen.feedback import serve   # the service; this module has the editors' commands
    serve.add_serve(sub)
    add_moderate(sub)
    add_report(sub)
    add_export(sub)
    add_purge(sub)
    from sitegen.feedback.desk import cli as desk_cli  # user accounts and the weekly summary
    desk_cli.register(sub, add_db, add_content, open_db, fail, sites_or_problems)


def add_db(parser: argparse.ArgumentParser, suppress: bool = False) -> None:
    # SUPPRESS on an action's parser, so it does not overwrite a --db given before it.
    default = argparse.SUPPRESS if suppress else os.environ.get("SITEGEN_FEEDBACK_DB", DEFAULT_DB)
    parser.add_argument(
        "--db", default=default,
        help=_("SQLite file or postgresql:// URL (default: $SITEGEN_FEEDBACK_DB or "
               "{DEFAULT_DB})").format(DEFAULT_DB=DEFAULT_DB))


def add_content(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"),
                        help=_("folder of the sites (default: content/)"))


def add_moderate(sub) -> None:
    p = sub.add_parser("moderate", help=_("list, approve or reject comments"))
    add_db(p)
    msub = p.add_subparsers(dest="moderate_command", metavar=_("ACTION"), required=True)
    lst = msub.add_parser("list", help=_("list comments (pending ones by default)"))
    lst.add_argument("--status", choices=STATUSES + ("all",), default="pending",
                     help=_("which comments: pending (default), approved, rejected or all"))
    lst.add_argument("--site", default=None, help=_("only this site"))
    lst.set_defaults(func=run_list)
    for action, status, text in (("approve", "approved", _("approve comments by id")),
                                 ("reject", "rejected", _("reject comments by id"))):
        a = msub.add_parser(action, help=text)
        a.add_argument("ids", type=int, nargs="+", metavar="ID")
        a.set_defaults(func=run_set_status, status=status)
    for parser in msub.choices.values():
        add_db(parser, suppress=True)  # --db is accepted before or after the action


def add_report(sub) -> None:
    p = sub.add_parser("report", help=_("usefulness per page, comments, missing pages"))
    add_content(p)
    add_db(p)
    p.add_argument("--build", type=Path, default=Path("build"),
                   help=_("built sites; their sitemap.xml gives the pages for alias suggestions "
                          "(default: build/)"))
    p.add_argument("--site", default=None, help=_("only this site"))
    p.add_argument("--since-days", type=int, default=None,
                   help=_("only answers from the last N days"))
    p.add_argument("--format", choices=("table", "csv", "html"), default="table")
    # A string, not a Path: Path("./-") is "-" again, and "./-" is how to name a file "-".
    p.add_argument("--output", "-o", default=None, metavar="FILE",
                   help=_("write to this file instead of standard output ('-' is standard output, "
                          "as in other commands)"))
    p.set_defaults(func=run_report)


def add_export(sub) -> None:
    p = sub.add_parser("export", help=_("write approved comments to content/<site>/data/comments.json"))
    add_content(p)
    add_db(p)
    p.add_argument("--site", action="append", default=[], help=_("only this site (repeatable)"))
    p.add_argument("--force", action="store_true",
                   help=_("with --site: replace that site's comments.json even when that drops comments "
                          "the store does not hold (added by hand, or a different store)"))
    p.set_defaults(func=run_export)


def add_purge(sub) -> None:
    p = sub.add_parser("purge", help=_("delete what is older than the retention"))
    add_db(p)
    p.add_argument("--days", type=int, required=True,
                   help=_("delete feedback, 404 reports and unapproved comments older than this "
                          "many days (1 or more)"))
    p.set_defaults(func=run_purge)


# --- helpers -------------------------------------------------------------------

def fail(message: str) -> int:
    print(_("error: {message}").format(message=" ".join(message.split())), file=sys.stderr)  # one line
    return 1


def open_db(target: str, create: bool = False, timeout: float = DEFAULT_TIMEOUT) -> Store | None:
    """Only ``serve`` creates a store; the editors' commands need the one it uses, so a
    mistyped --db cannot export an empty list over the published comments."""
    try:
        return Store(target, create=create, timeout=timeout)
    except NoStore as exc:
        fail(_("{exc}; give the store 'sitegen feedback serve' uses with --db "
               "PATH-or-URL or SITEGEN_FEEDBACK_DB").format(exc=exc))
    except StoreError as exc:
        fail(str(exc))
    return None


def sites_or_problems(content: Path, names: list[str]) -> list[Site] | None:
    problems = Problems()
    sites = load_sites(content, names, problems)
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    return None if problems.errors else sites


# --- commands ------------------------------------------------------------------

def run_list(args) -> int:
    from sitegen.feedback.report import local_time, printable

    store = open_db(args.db)
    if store is None:
        return 1
    status = None if args.status == "all" else args.status
    try:
        comments = store.comments(status=status, site=args.site)
    except StoreError as exc:
        return fail(str(exc))
    if not comments:
        empty = {"pending": _("no pending comments"), "approved": _("no approved comments"),
                 "rejected": _("no rejected comments")}
        print(empty.get(args.status, _("no comments")))
    for c in comments:
        print(f"#{c.id}  {c.status}  {local_time(c.created)}  {printable(c.site)}:{printable(c.page)}")
        print(f"    {printable(c.name, 60)}: {printable(c.text, 400)}")
    return 0


def run_set_status(args) -> int:
    store = open_db(args.db)
    if store is None:
        return 1
    try:
        changed = store.set_comment_status(args.ids, args.status)
    except StoreError as exc:
        return fail(str(exc))
    for comment_id in changed:
        done = _("#{id} approved") if args.status == "approved" else _("#{id} rejected")
        print(done.format(id=comment_id))
    unknown = [i for i in args.ids if i not in changed]
    if unknown:
        return fail(_("no comment with id {ids}").format(ids=", ".join(f"#{i}" for i in unknown)))
    if args.status == "approved":
        print(_("run 'sitegen feedback export' and rebuild to publish them"))
    return 0


def run_report(args) -> int:
    from sitegen.feedback.report import build_report, format_csv, format_table
    from sitegen.feedback.report_html import format_html

    if args.since_days is not None and args.since_days <= 0:
        return fail(_("--since-days must be more than 0"))
    sites = sites_or_problems(args.content, [args.site] if args.site else [])
    if sites is None:
        return 1
    store = open_db(args.db)
    if store is None:
        return 1
    now = utc_now()
    since = now - timedelta(days=args.since_days) if args.since_days else None
    try:
        report = build_report(store, sites, args.build, since, now, site_name=args.site)
    except StoreError as exc:
        return fail(str(exc))
    formatter = {"table": format_table, "csv": format_csv, "html": format_html}[args.format]
    text = formatter(report)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        return fail(f"{args.output}: {exc.strerror}")
    print(_("wrote {path}").format(path=args.output), file=sys.stderr)
    return 0


def run_export(args) -> int:
    from sitegen.feedback.export import at_risk, comments_json, refusal
    from sitegen.fileio import write_atomically

    sites = sites_or_problems(args.content, args.site)
    if sites is None:
        return 1
    store = open_db(args.db)
    if store is None:
        return 1
    forced = args.force and bool(args.site)   # --force counts only for the sites it names
    planned, risks = [], []  # every site is checked before any file is written
    for site in sites:
        try:
            held = store.comments(site=site.name)
        except StoreError as exc:
            return fail(str(exc))
        target = site.content_dir / "data" / "comments.json"
        risk = "" if forced else at_risk(target, held)
        if risk:
            risks.append((target, risk))
        planned.append((target, [c for c in held if c.status == "approved"]))
    if risks:
        return fail(refusal(risks, shown(args.db), args.force))
    for target, approved in planned:
        try:
            write_atomically(target, comments_json(approved))
        except OSError as exc:
            return fail(f"{target}: {exc.strerror}")
        print(_("wrote {path} ({count} comments)").format(path=target, count=len(approved)))
    return 0


def run_purge(args) -> int:
    if args.days < 1:
        # 0 would delete today's feedback too, while --retention-days 0 keeps everything.
        return fail(_("--days must be 1 or more (0 would delete everything, even today's; to "
                      "keep everything, do not purge)"))
    store = open_db(args.db)
    if store is None:
        return 1
    try:
        counts = store.purge(utc_now() - timedelta(days=args.days))
    except StoreError as exc:
        return fail(str(exc))
    print(", ".join(_("{table}: {count} deleted").format(table=table, count=n) for table, n in counts.items()))
    return 0
