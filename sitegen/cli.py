"""The ``sitegen`` command line.

Each command lives in its own module with ``register(subparsers)``, which adds
its parser and sets ``func(args) -> exit status``. This file only wires them up.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import sys

from sitegen import messages
from sitegen.features import FeatureError, load_if_installed
from sitegen.keynames import nearest_choice
from sitegen.messages import _

# Modules that each register one command (or a group of commands).
COMMAND_MODULES = [
    "sitegen.commands",        # build, check, new
    "sitegen.devserver",       # serve
    "sitegen.feedback.cli",    # feedback serve / moderate / report / export
    "sitegen.deploy",          # deploy
    "sitegen.ledger_command",  # addresses update (adresser uppdatera)
    "sitegen.social_command",  # social fetch
]


def argparse_text(message: str) -> str:
    """argparse's own words (usage, its error messages) from our catalogue: argparse looks
    its texts up through ``gettext``, which has no Swedish for them."""
    texts = {
        "usage: ": _("usage: "),
        "positional arguments": _("positional arguments"),
        "options": _("options"),
        "show this help message and exit": _("show this help message and exit"),
        "%(prog)s: error: %(message)s\n": _("%(prog)s: error: %(message)s\n"),
        "argument %(argument_name)s: %(message)s": _("argument %(argument_name)s: %(message)s"),
        "unrecognized arguments: %s": _("unrecognized arguments: %s"),
        "the following arguments are required: %s": _("the following arguments are required: %s"),
        "invalid choice: %(value)r (choose from %(choices)s)":
            _("invalid choice: %(value)r (choose from %(choices)s)"),
        "invalid %(type)s value: %(value)r": _("invalid %(type)s value: %(value)r"),
        "expected one argument": _("expected one argument"),
        "ambiguous option: %(option)s could match %(matches)s":
            _("ambiguous option: %(option)s could match %(matches)s"),
    }
    return texts.get(message, message)


argparse._ = argparse_text   # argparse calls its module-level ``_`` for every text it shows


class Parser(argparse.ArgumentParser):
    """argparse's parser, plus the nearest name for a misspelt option or command
    (``sitegen build --outt x``, ``sitegen serv``), as front matter has for a misspelt choice.
    Python 3.11's argparse has no ``suggest_on_error``; sub-commands get this class too
    (``add_subparsers`` makes their parsers of the parent's class)."""

    def parse_known_args(self, args=None, namespace=None):
        namespace, extras = super().parse_known_args(args, namespace)
        for extra in extras:
            option = extra.partition("=")[0]
            close = nearest_choice(option, self._option_string_actions) if option.startswith("--") else None
            if close:
                self.error(_("'{option}' is not an option here: did you mean {close}?").format(
                    option=option, close=close))
        return namespace, extras

    def _check_value(self, action, value):
        # argparse's own check (a private method: the one place a choice is refused), with the
        # nearest choice named when there is one.
        if action.choices is not None and value not in action.choices:
            close = nearest_choice(str(value), action.choices)
            if close:
                raise argparse.ArgumentError(action, _("'{value}' is not one of the choices: did you mean '{close}'? "
                                                       "(choose from {choices})").format(
                    value=value, close=close, choices=", ".join(map(repr, action.choices))))
        super()._check_value(action, value)




def add_lang_option(parser: argparse.ArgumentParser, default=None) -> None:
    parser.add_argument("--lang", choices=messages.LANGUAGES, default=default,
                        help=_("language of the messages: sv (default) or en; also SITEGEN_LANG=en"))


def add_lang_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--lang`` on every command and sub-command too (``sitegen check --lang en``); SUPPRESS
    keeps a sub-command from resetting a ``--lang`` given before it."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            # once per parser: a command's aliases (adresser = addresses) share its parser
            for child in {id(each): each for each in action.choices.values()}.values():
                add_lang_option(child, default=argparse.SUPPRESS)
                add_lang_everywhere(child)


def language_of(argv: list[str]) -> str | None:
    """The ``--lang`` value wherever it stands, read before the parser (and its help texts)
    is made, so that help and argparse's own errors are in that language too."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    return known.lang if known.lang in messages.LANGUAGES else None


def make_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="sitegen",
        description=_("Build the municipality's sub-sites from Markdown with front matter."),
    )
    add_lang_option(parser)
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"))
    for name in COMMAND_MODULES:
        module = load_if_installed(name, functools.partial(importlib.import_module, name))
        if module is not None:
            module.register(sub)
    add_lang_everywhere(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    messages.set_language(language_of(argv))
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except FeatureError as exc:   # an installation's features that cannot be ordered: say so, no traceback
        print(_("sitegen: error: {message}").format(message=exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("interrupted"), file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
