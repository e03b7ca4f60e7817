"""``sitegen feedback user add|remove|list`` and ``sitegen feedback summary``.

Accounts are made on the server by the operator; the password is typed twice at a prompt
(or read from standard input with ``--password-stdin``, for scripts), never given as an
argument, where other users of the machine could read it.
"""
from __future__ import annotations

import getpass
import sys
from pathlib import Path

from sitegen.feedback.desk.accounts import NAME, Accounts
from sitegen.feedback.desk.config import DeskConfig, load_config
from sitegen.feedback.desk.db import DeskData
from sitegen.feedback.store import StoreError
from sitegen.messages import _
from sitegen.problems import Problems

MIN_PASSWORD = 12


def register(sub, add_db, add_content, open_db, fail, sites_or_problems) -> None:
    """Called by ``sitegen.feedback.cli`` with its helpers (one store option, one error style)."""
    user = sub.add_parser("user", help=_("accounts of the editorial desk"))
    usub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = usub.add_parser("add", help=_("add an account, or change one (password, sites)"))
    add.add_argument("name")
    add.add_argument("--site", action="append", default=[], help=_("a site the account edits (repeatable)"))
    add.add_argument("--admin", action="store_true", help=_("an administrator: every site"))
    add.add_argument("--email", default="", help=_("where the weekly summary goes"))
    add.add_argument("--password-stdin", action="store_true",
                     help=_("read the password from standard input instead of a prompt"))
    add.add_argument("--sso-only", action="store_true",
                     help=_("no password: the account signs in only through single sign-on"))
    add_content(add)
    remove = usub.add_parser("remove", help=_("remove an account (signed out at once)"))
    remove.add_argument("name")
    listing = usub.add_parser("list", help=_("list the accounts"))
    for parser in (add, remove, listing):
        add_db(parser)
    helpers = {"open_db": open_db, "fail": fail, "sites": sites_or_problems}
    add.set_defaults(func=lambda args: run_add(args, helpers))
    remove.set_defaults(func=lambda args: run_remove(args, helpers))
    listing.set_defaults(func=lambda args: run_list(args, helpers))

    summary = sub.add_parser("summary", help=_("e-mail each site's editors a summary of the week"))
    add_content(summary)
    add_db(summary)
    summary.add_argument("--desk-config", type=Path, default=None,
                         help=_("the desk settings (smtp, public_url)"))
    summary.add_argument("--days", type=int, default=7, help=_("the period (default 7 days)"))
    summary.add_argument("--dry-run", action="store_true",
                         help=_("print the e-mails instead of sending them"))
    summary.set_defaults(func=lambda args: run_summary(args, helpers))


def accounts_of(args, helpers) -> Accounts | None:
    store = helpers["open_db"](args.db)
    if store is None:
        return None
    data = DeskData(store)
    data.create_tables()
    return Accounts(data)


def read_password(args) -> str | None:
    if args.sso_only:
        return ""
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(_("Password for {name}: ").format(name=args.name))
    if getpass.getpass(_("The same password again: ")) != first:
        return None
    return first


def run_add(args, helpers) -> int:
    fail = helpers["fail"]
    if not NAME.fullmatch(args.name):
        return fail(_("'{name}' cannot be a user name: use letters a-z, digits, '.', '_', '-' "
                      "or '@'").format(name=args.name))
    if not args.admin and not args.site:
        return fail(_("give --site NAME (repeatable) for an editor, or --admin"))
    if args.site and helpers["sites"](args.content, args.site) is None:
        return 1
    password = read_password(args)
    if password is None:
        return fail(_("the two passwords differ; run the command again"))
    if not args.sso_only and len(password) < MIN_PASSWORD:
        return fail(_("the password must be at least {n} characters").format(n=MIN_PASSWORD))
    accounts = accounts_of(args, helpers)
    if accounts is None:
        return 1
    try:
        accounts.add(args.name, password, sorted(set(args.site)), args.admin, args.email)
    except StoreError as exc:
        return fail(str(exc))
    what = _("administrator") if args.admin else ", ".join(sorted(set(args.site)))
    print(_("account {name} saved ({what})").format(name=args.name, what=what))
    return 0


def run_remove(args, helpers) -> int:
    accounts = accounts_of(args, helpers)
    if accounts is None:
        return 1
    if not accounts.remove(args.name):
        return helpers["fail"](_("there is no account {name}").format(name=args.name))
    print(_("account {name} removed").format(name=args.name))
    return 0


def run_list(args, helpers) -> int:
    accounts = accounts_of(args, helpers)
    if accounts is None:
        return 1
    for account in accounts.all():
        what = _("administrator") if account.admin else ", ".join(account.sites)
        print(f"{account.name}  {what}  {account.email}".rstrip())
    return 0


def desk_config(path: Path | None) -> DeskConfig | None:
    problems = Problems()
    config = load_config(path, problems)
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    return None if problems.errors else config


def run_summary(args, helpers) -> int:
    from sitegen.feedback.desk.summary import SendError, send_summaries

    fail = helpers["fail"]
    if args.days < 1:
        return fail(_("--days must be 1 or more"))
    config = desk_config(args.desk_config)
    if config is None:
        return 1
    if not args.dry_run and not config.smtp.configured:
        return fail(_("no mail server: set smtp.host and smtp.sender in the desk settings "
                      "(--desk-config), or use --dry-run"))
    sites = helpers["sites"](args.content, [])
    if sites is None:
        return 1
    accounts = accounts_of(args, helpers)
    if accounts is None:
        return 1
    try:
        sent = send_summaries(accounts, sites, config, args.days, dry_run=args.dry_run)
    except (StoreError, SendError) as exc:
        return fail(str(exc))
    if not args.dry_run:
        print(_("{n} summaries sent").format(n=sent))
    return 0
