"""``sitegen feedback serve``: the feedback service (and the editorial desk) under uvicorn,
in one process or ``--workers N``; everything is checked before the server starts."""
from __future__ import annotations

import argparse
import json
import os
import socket
import sys
from pathlib import Path

from sitegen.feedback.cli import add_content, add_db, fail, open_db, sites_or_problems
from sitegen.feedback.limits import MISSING_REPORTS_PER_MINUTE, POSTS_PER_MINUTE, Limits, RateLimiter
from sitegen.feedback.sites import Site, SiteIndex, normalise_origin
from sitegen.feedback.store import DEFAULT_TIMEOUT, Store, StoreError
from sitegen.messages import _, language

# With --workers, each worker process builds its own service from these settings.
WORKER_SETTINGS = "SITEGEN_FEEDBACK_WORKER_SETTINGS"


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
    p.add_argument("--rate-limit", type=int, default=POSTS_PER_MINUTE,
                   help=_("answers and comments per client per window (0 switches it off; "
                          "default {count})").format(count=POSTS_PER_MINUTE))
    p.add_argument("--missing-rate-limit", type=int, default=MISSING_REPORTS_PER_MINUTE,
                   help=_("missing-page reports per client per window, counted apart from answers "
                          "and comments (0 switches it off; default {count})").format(
                       count=MISSING_REPORTS_PER_MINUTE))
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


def run_serve(args) -> int:
    import uvicorn  # only the server needs it

    from sitegen.feedback.app import create_app

    if args.rate_limit < 0 or args.missing_rate_limit < 0 or args.rate_window <= 0 or args.retention_days < 0:
        return fail(_("--rate-limit, --missing-rate-limit and --retention-days must be 0 or more, "
                      "--rate-window more than 0"))
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
                      missing_limiter=RateLimiter(args.missing_rate_limit, args.rate_window),
                      retention_days=args.retention_days)
    if not args.no_desk:
        service.desk = open_desk(args, store, index, upkeep)
        if service.desk is None:
            return None
    return service


def worker_settings(args) -> dict:
    return {"content": str(args.content), "db": args.db, "db_timeout": args.db_timeout,
            "allow_origin": args.allow_origin, "rate_limit": args.rate_limit,
            "missing_rate_limit": args.missing_rate_limit,
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
