"""``sitegen feedback serve | moderate | report | export | purge``."""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from datetime import timedelta
from pathlib import Path

from sitegen.feedback.limits import Limits, RateLimiter
from sitegen.feedback.sites import Site, SiteIndex, load_sites, normalise_origin
from sitegen.feedback.store import (
    DEFAULT_TIMEOUT, STATUSES, NoStore, Store, StoreError, shown, utc_now)
from sitegen.messages import _, language
from sitegen.problems import Problems

DEFAULT_DB = "feedback.sqlite3"
# With --workers, each worker process builds its own service from these settings.
WORKER_SETTINGS = "SITEGEN_FEEDBACK_WORKER_SETTINGS"


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "feedback", help=_("receive feedback, comments and 404 reports; moderate and report"),
        description=_("The feedback service and the editors' tools around it."))
    sub = parser.add_subparsers(dest="feedback_command", metavar="COMMAND", required=True)
    add_serve(sub)
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


def add_serve(sub) -> None:
    p = sub.add_parser("serve", help=_("run the receiver (ASGI, uvicorn)"))
    add_content(p)
    add_db(p)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8081)
    p.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                   help=_("an extra origin allowed to post, e.g. http://127.0.0.1:8000 for a local "
                          "preview (repeatable)"))
    p.add_argument("--retention-days", type=int, default=365,
                   help=_("delete feedback, 404 reports and unapproved comments older than this, "
                          "daily (0 keeps everything; default 365)"))
    p.add_argument("--rate-limit", type=int, default=10,
                   help=_("posts per client per window (0 switches it off; default 10)"))
    p.add_argument("--rate-window", type=float, default=60.0,
                   help=_("rate-limit window in seconds (default 60)"))
    p.add_argument("--forwarded-allow-ips", default=None,
                   help=_("proxies whose X-Forwarded-For is trusted: addresses or networks, "
                          "comma-separated (default: 127.0.0.1)"))
    p.add_argument("--workers", type=int, default=1,
                   help=_("worker processes (default 1; each has its own rate-limit counts)"))
    p.add_argument("--db-timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=_("seconds to wait for the database before a post gets 503 "
                          "(default {seconds:g})").format(seconds=DEFAULT_TIMEOUT))
    p.add_argument("--desk-config", type=Path, default=None, metavar="FILE",
                   help=_("settings of the editorial desk at /desk (see docs/feedback.md)"))
    p.add_argument("--no-desk", action="store_true", help=_("do not serve the editorial desk"))
    p.add_argument("--build", type=Path, default=Path("build"),
                   help=_("built sites, for the desk's suggested aliases (default: build/)"))
    p.set_defaults(func=run_serve)


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
    p.add_argument("--output", "-o", type=Path, default=None,
                   help=_("write to this file instead of standard output"))
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


def cannot_listen(host: str, port: int) -> str:
    """Why the address cannot be bound ("" when it can), checked before starting uvicorn
    so a busy port is a one-line error rather than a server log."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


# --- commands ------------------------------------------------------------------

def run_serve(args) -> int:
    import uvicorn  # only the server needs it

    from sitegen.feedback.app import create_app

    if args.rate_limit < 0 or args.rate_window <= 0 or args.retention_days < 0:
        return fail(_("--rate-limit and --retention-days must be 0 or more, --rate-window more "
                      "than 0"))
    if args.workers < 1 or not 0 < args.db_timeout <= 600:
        return fail(_("--workers must be 1 or more and --db-timeout between 0 and 600 "
                      "seconds (more than 0)"))
    bad = [o for o in args.allow_origin if not o.startswith(("http://", "https://"))]
    if bad:
        return fail(_("--allow-origin needs an origin such as http://127.0.0.1:8000, not "
                      "{value!r}").format(value=bad[0]))
    sites = sites_or_problems(args.content, [])
    if sites is None:
        return 1
    problem = cannot_listen(args.host, args.port)
    if problem:
        return fail(_("cannot listen on {host}:{port}: {problem}").format(
                        host=args.host, port=args.port, problem=problem))
    store = open_db(args.db, create=True, timeout=args.db_timeout)
    if store is None:
        return 1
    service = make_service(args, sites, store, upkeep=args.workers == 1)
    if service is None:
        return 1
    kind = store.kind
    if args.workers > 1:
        kind = _("{store}, {workers} workers").format(store=store.kind, workers=args.workers)
    print(_("feedback service on http://{host}:{port} ({store}; origins: {origins})").format(
        host=args.host, port=args.port, store=kind, origins=", ".join(service.sites.origins)),
        file=sys.stderr, flush=True)
    if service.desk is not None:
        print(_("editorial desk on http://{host}:{port}/desk/").format(
            host=args.host, port=args.port), file=sys.stderr, flush=True)
    options = {"forwarded_allow_ips": args.forwarded_allow_ips} if args.forwarded_allow_ips else {}
    # No access log: it would write every visitor's IP address to disk.
    options.update(host=args.host, port=args.port, access_log=False, server_header=False,
                   log_level="warning")
    if args.workers == 1:
        uvicorn.run(create_app(service), **options)
        store.close()
        return 0
    # The store is created and checked above; each worker opens its own connection.
    store.close()
    os.environ[WORKER_SETTINGS] = json.dumps(worker_settings(args))
    os.environ["SITEGEN_LANG"] = language()  # workers speak the language of this run
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=args.workers, **options)
    return 0


def make_service(args, sites: list[Site], store: Store, upkeep: bool = True):
    """The service (with the editorial desk unless --no-desk), or None after an error.
    ``upkeep=False``: only checked, not served (the manager of --workers), so no
    background work is started on a store that is closed next."""
    from sitegen.feedback.app import Service

    index = SiteIndex(sites, [normalise_origin(o) for o in args.allow_origin])
    service = Service(store=store, sites=index, limits=Limits(),
                      limiter=RateLimiter(args.rate_limit, args.rate_window),
                      retention_days=args.retention_days)
    if not args.no_desk:
        service.desk = open_desk(args, store, index, upkeep)
        if service.desk is None:
            return None
    return service


def worker_settings(args) -> dict:
    return {"content": str(args.content), "db": args.db, "db_timeout": args.db_timeout,
            "allow_origin": args.allow_origin, "rate_limit": args.rate_limit,
            "rate_window": args.rate_window, "retention_days": args.retention_days,
            "no_desk": args.no_desk, "build": str(args.build),
            "desk_config": str(args.desk_config) if args.desk_config else None}


def worker_app():
    """The app of one worker process (``--workers N``), from the settings ``serve`` checked."""
    from sitegen.feedback.app import create_app

    args = argparse.Namespace(**json.loads(os.environ[WORKER_SETTINGS]))
    args.content, args.build = Path(args.content), Path(args.build)
    args.desk_config = Path(args.desk_config) if args.desk_config else None
    sites = sites_or_problems(args.content, [])
    store = Store(args.db, create=False, timeout=args.db_timeout) if sites is not None else None
    service = make_service(args, sites, store) if store is not None else None
    if service is None:
        raise SystemExit(1)
    return create_app(service)


def open_desk(args, store: Store, index: SiteIndex, upkeep: bool = True):
    from sitegen.feedback.desk.cli import desk_config
    from sitegen.feedback.desk.web import Desk

    config = desk_config(args.desk_config)
    if config is None:
        return None
    unknown = sorted(set(config.publish) - {s.name for s in index.sites})
    if unknown:
        fail(_("{config}: publish names a site that is not in {content}: {site}").format(
            config=args.desk_config, content=args.content, site=unknown[0]))
        return None
    try:
        desk = Desk(config, store, index, args.build)
    except StoreError as exc:
        fail(str(exc))
        return None
    if upkeep:
        desk.start_upkeep()
    return desk


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
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
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
