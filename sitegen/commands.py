"""The build, check and new commands."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sitegen import builder, scaffold
from sitegen.localtime import STOCKHOLM
from sitegen.messages import _


def parse_now(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("'{text}' is not an ISO date-time such as 2026-11-23T12:00").format(text=text)) from None
    return value if value.tzinfo else value.replace(tzinfo=STOCKHOLM)


def add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sites", nargs="*", metavar=_("SITE"), help=_("sites to build (default: all)"))
    parser.add_argument("--content", type=Path, default=Path("content"), help=_("folder of sites (default content/)"))
    parser.add_argument("--out", type=Path, default=Path("build"), help=_("output folder (default build/)"))
    parser.add_argument("--now", type=parse_now, help=_("fix 'now' (ISO date-time) for reproducible builds"))
    parser.add_argument("--drafts", action="store_true", help=_("include drafts and unpublished pages"))
    parser.add_argument("--themes", type=Path, action="append", default=[], help=_("extra themes folder"))
    parser.add_argument("-q", "--quiet", action="store_true", help=_("print only problems"))
    parser.add_argument("--no-cache", dest="cache", action="store_false",
                        help=_("ignore and do not update .sitegen-cache/ (a cold build)"))


def options_from(args, check_only: bool) -> builder.BuildOptions:
    return builder.BuildOptions(content=args.content, out=args.out, sites=args.sites, now=args.now,
                                drafts=args.drafts, themes=args.themes, check_only=check_only,
                                quiet=args.quiet, cache=args.cache)


def register(sub) -> None:
    build = sub.add_parser("build", help=_("build sites into build/<site>/"))
    add_build_options(build)
    build.set_defaults(func=lambda args: builder.run(options_from(args, False)))

    check = sub.add_parser("check", help=_("validate without writing; exit 1 on any error"))
    add_build_options(check)
    check.set_defaults(func=lambda args: builder.run(options_from(args, True)))

    scaffold.register(sub)
