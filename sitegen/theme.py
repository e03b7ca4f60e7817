"""Themes: the chain of a theme and the themes it extends, its Jinja2 environment,
its UI strings (i18n) and its static files. The one module that imports jinja2 and markupsafe
(the feedback desk's templates and `Markup` come from here too)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup  # jinja2's own; the type of HTML a template may insert as it is

from sitegen import yamlload
from sitegen.localised import format_date, format_datetime, format_time
from sitegen.problems import Problems
from sitegen.messages import _

def _package_themes() -> Path:
    """The shipped themes: inside an installed package (sitegen/themes, mapped there from
    the top-level themes/ folder at build time), or that folder itself in a checkout."""
    installed = Path(__file__).resolve().parent / "themes"
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "themes"


PACKAGE_THEMES = _package_themes()


@dataclass
class Theme:
    name: str
    chain: list[Path]                       # this theme first, then what it extends
    strings: dict = field(default_factory=dict)
    settings: dict = field(default_factory=dict)  # theme.yaml values, child overriding parent

    def static_files(self) -> dict[str, Path]:
        """Static files of the whole chain; a child's file replaces its parent's."""
        files: dict[str, Path] = {}
        for folder in reversed(self.chain):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        files[path.relative_to(static).as_posix()] = path
        return files


def theme_dirs(extra: list[Path], content_root: Path) -> list[Path]:
    dirs = list(extra) + [content_root.resolve().parent / "themes", Path.cwd() / "themes", PACKAGE_THEMES]
    unique = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in [u.resolve() for u in unique]:
            unique.append(d)
    return unique


THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def load_theme(name: str, search: list[Path], language: str, problems: Problems, config_path: Path,
               config_line: int) -> Theme | None:
    chain: list[Path] = []
    current = name
    while current:
        if not THEME_NAME.fullmatch(str(current)):
            # A name is a folder in a themes folder, never a path: a theme's templates run as
            # code at build time, and content (site.yaml, a page's folder) is not trusted as code.
            where = (chain[-1] / "theme.yaml", 1) if chain else (config_path, config_line)
            problems.error(*where, _("theme '{current}' is not a theme's name: write the name of a folder in "
                                     "themes/ (letters a-z, digits, '-' and '_'), e.g. orebro").format(current=current))
            return None
        folder = next((d / current for d in search if (d / current / "templates").is_dir()
                       or (d / current / "theme.yaml").is_file()), None)
        if folder is None:
            where = ", ".join(str(d) for d in search) or _("no themes folder")
            problems.error(config_path, config_line, _("theme '{current}' not found (looked in {where})").format(
                                                         current=current, where=where))
            return None
        if folder in chain:
            problems.error(folder / "theme.yaml", 1, _("theme '{current}' extends itself").format(
                                                         current=current))
            return None
        chain.append(folder)
        settings = _read_yaml(folder / "theme.yaml", problems) or {}
        current = settings.get("extends", "")
    if not any((folder / "templates" / "page.html").is_file() for folder in chain):
        problems.error(chain[0] / "theme.yaml", 1, _("theme '{name}' has no page templates: give it 'extends: orebro' in its "
                                                     "theme.yaml (or a templates/ folder with page.html)").format(
                                                       name=name))
        return None
    theme = Theme(name=name, chain=chain)
    for folder in reversed(chain):
        own = dict(_read_yaml(folder / "theme.yaml", problems) or {})
        # A theme adds its stylesheets to those of the themes it extends; other settings replace.
        sheets = [*theme.settings.get("stylesheets", []), *own.pop("stylesheets", [])]
        theme.settings.update(own)
        if sheets:
            theme.settings["stylesheets"] = list(dict.fromkeys(sheets))
        theme.strings.update(_read_yaml(folder / "i18n" / f"{language}.yaml", problems) or {})
    return theme


def _read_yaml(path: Path, problems: Problems):
    if not path.is_file():
        return None
    try:
        return yamlload.load(path.read_text(encoding="utf-8"))
    except yamlload.YamlError as exc:
        problems.error(path, exc.line, exc.message)
        return None


def make_environment(theme: Theme, language: str) -> jinja2.Environment:
    loaders = [jinja2.FileSystemLoader(str(folder / "templates")) for folder in theme.chain]
    # "orebro/base.html" reaches the parent's template even when the child overrides base.html.
    prefixed = jinja2.PrefixLoader({folder.name: jinja2.FileSystemLoader(str(folder / "templates"))
                                    for folder in theme.chain})
    env = jinja2.Environment(
        auto_reload=False,   # one environment per build: no stat() of every template per page
        loader=jinja2.ChoiceLoader([*loaders, prefixed]),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.ChainableUndefined,
    )
    locale = {"sv": "sv_SE", "en": "en_GB"}.get(language, language)
    env.filters["date"] = lambda value, fmt="d MMMM y": _format_date(value, fmt, locale)
    env.filters["time"] = lambda value, fmt="HH:mm": format_time(value, fmt, locale=locale) if value else ""
    env.filters["datetime"] = lambda value, fmt="d MMMM y 'kl.' HH:mm": (
        format_datetime(value, fmt, locale=locale) if isinstance(value, dt.datetime) else _format_date(value, "d MMMM y", locale))
    env.filters["isodate"] = lambda value: value.isoformat() if value else ""
    strings = theme.strings
    env.globals["t"] = lambda key, **kw: str(strings.get(key, key)).format(**kw) if kw else str(strings.get(key, key))
    env.globals["theme"] = theme.settings
    return env


def package_environment(package: str, folder: str) -> jinja2.Environment:
    """Templates shipped inside a package (the feedback desk's pages): autoescaped, including
    templates made from a string."""
    return jinja2.Environment(loader=jinja2.PackageLoader(package, folder),
                              autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                              trim_blocks=True, lstrip_blocks=True)


def _format_date(value, fmt: str, locale: str) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, fmt, locale=locale)


def template_problem(exc: Exception, problems: Problems) -> None:
    """A broken template is reported at its file and line, like content errors."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        problems.error(exc.filename or exc.name or "template", exc.lineno, _("template error: {message}").format(
                                                                               message=exc.message))
    elif isinstance(exc, jinja2.TemplateNotFound):
        problems.error("themes", 0, _("template '{name}' not found in the theme").format(name=exc.name))
    else:
        problems.error("themes", 0, _("template error: {exc}").format(exc=exc))


TemplateError = jinja2.TemplateError
