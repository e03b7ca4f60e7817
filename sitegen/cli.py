"""The ``sitegen`` command line.

Each command lives in its own module with ``register(subparsers)``, which adds
its parser and sets ``func(args) -> exit status``. This file only wires them up.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# Modules that each register one command (or a group of commands).
COMMAND_MODULES = [
    "sitegen.commands",        # build, check, new
    "sitegen.devserver",       # serve
    "sitegen.feedback.cli",    # feedback serve / moderate / report / export
    "sitegen.deploy",          # deploy
    "sitegen.addresses_command",  # addresses update (adresser uppdatera)
    "sitegen.features.social_fetch",  # social fetch
]


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build the municipality's sub-sites from Markdown with front matter.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue  # that command is not part of this installation
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
