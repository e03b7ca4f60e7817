"""Themes: the chain of a theme and the themes it extends, its Jinja2 environment,
its UI strings (i18n) and its static files. With ``site_templates.py`` (the sandbox), the one
place that imports jinja2 and markupsafe (the feedback desk's templates and `Markup` come from
here too).

The environment has a sandboxed twin (``site_templates.py``): a site's own templates
(``content/<site>/_types/NAME.html``, ``content/<site>/_shortcodes/NAME.html``) are written
by editors, who are only semi-trusted, and run in it beside the theme's (docs/security.md).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import jinja2.meta
from markupsafe import Markup  # jinja2's own; the type of HTML a template may insert as it is

from sitegen import jinjaadvice, yamlload
from sitegen.features import type_templates
from sitegen.localised import format_date, format_datetime, format_time
from sitegen.problems import Problems
from sitegen.messages import _
from sitegen.site_templates import (ADVICE, MistakesReported, SandboxedTemplates, SiteLoader, SiteTemplates, undefined_for)
from sitegen.template_limits import limited_range

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
    site: "SiteTemplates | None" = None     # the site's own templates, set by the build

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
    """The theme's environment. A site's own template, and what it extends or includes, is
    compiled and rendered in a sandboxed twin of it (same loader, filters and globals): the
    sandbox checks every attribute and call, which made the examples' and a 1,000-page
    corpus's render about twice as slow (docs/architecture.md), so the operators' theme
    templates run without it."""
    loaders = [jinja2.FileSystemLoader(str(folder / "templates")) for folder in theme.chain]
    # A feature's page types' templates come after the chain, so a theme's NAME.html replaces one;
    # they are code the operators installed, so they run as the theme's do.
    loaders.append(FeatureTypeLoader(type_templates()))
    # "orebro/base.html" reaches the parent's template even when the child overrides base.html.
    prefixed = jinja2.PrefixLoader({folder.name: jinja2.FileSystemLoader(str(folder / "templates"))
                                    for folder in theme.chain})
    if theme.site is None:
        return _configured(ThemeTemplates, jinja2.ChoiceLoader([*loaders, prefixed]), theme, language)
    # The site's own templates come first: a site's page type or shortcode replaces the theme's.
    own = SiteLoader(theme.site)
    _SITE_PREFIXES.add(theme.site.prefix)
    loader = jinja2.ChoiceLoader([own, *loaders, prefixed])
    env = _configured(ThemeTemplates, loader, theme, language)
    env.site_loader = own
    env.sandbox = _configured(SandboxedTemplates, loader, theme, language, undefined_for(theme.site))
    return env


def _configured(kind, loader, theme: Theme, language: str, undefined=jinja2.ChainableUndefined):
    env = kind(
        auto_reload=False,   # one environment per build: no stat() of every template per page
        loader=loader,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=undefined,
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
    if env.sandboxed:
        env.globals["range"] = limited_range
    return env


class ThemeTemplates(MistakesReported, jinja2.Environment):
    """The theme's templates, and the site's own (``SiteLoader``) through the sandbox: a
    name the site serves is always loaded by the sandboxed twin, whoever asks for it (a page's
    render, a shortcode, a theme template's include)."""

    site_loader: "SiteLoader | None" = None
    sandbox: "SandboxedTemplates | None" = None

    def get_template(self, name, parent=None, globals=None):
        if self.sandbox is not None and isinstance(name, str) and self.site_loader.serves(name):
            return self.sandbox.get_template(name, parent, globals)
        return super().get_template(name, parent, globals)


class FeatureTypeLoader(jinja2.BaseLoader):
    """The templates of the features' page types, ``NAME.html`` -> its file in the package
    (features.type_templates): only those names, not the rest of the package's files."""

    def __init__(self, files: dict[str, Path]):
        self.files = files

    def get_source(self, environment, template):
        path = self.files.get(template)
        if path is None:
            raise jinja2.TemplateNotFound(template)
        try:
            mtime, source = path.stat().st_mtime_ns, path.read_text(encoding="utf-8")
        except OSError as exc:
            raise jinja2.TemplateNotFound(template) from exc
        return source, str(path), lambda: path.is_file() and path.stat().st_mtime_ns == mtime

    def list_templates(self):
        return sorted(self.files)


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
    """A broken template is reported at its file and line, like content errors; a mistake in
    a site's own template at that template's line, whatever theme template it was in then."""
    in_site = _site_frame(exc)
    where = in_site or _template_frame(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        if in_site is not None:
            message = _("template '{name}' not found: a site's template may extend or include only the "
                        "theme's templates (such as page.html) and the site's own").format(name=exc.name)
        else:
            message = _("template '{name}' not found in the theme").format(name=exc.name)
        problems.error(*(where or ("themes", 0)), message)
    elif isinstance(exc, jinja2.TemplateSyntaxError) and not _named_at_run(exc):
        problems.error(exc.filename or exc.name or "template", exc.lineno, _syntax_advice(exc))
    else:
        problems.error(*(where or _syntax_place(exc) or ("themes", 0)), _mistake_advice(exc))


_FILTERS = frozenset(jinja2.filters.FILTERS) | {"date", "time", "datetime", "isodate"}   # as _configured adds


def _named_at_run(exc: jinja2.TemplateSyntaxError) -> bool:
    """An unknown filter or test: Jinja finds it as it compiles (a syntax error) or, inside an
    ``if``, as it renders; the advice is the same."""
    return isinstance(exc, jinja2.TemplateAssertionError) and jinjaadvice.names_unknown(exc.message or "")


def _syntax_advice(exc: jinja2.TemplateSyntaxError) -> str:
    if isinstance(exc, ADVICE):
        return exc.message or ""
    return jinjaadvice.explain(exc.message or "") or jinjaadvice.unreadable(exc.message or "")


def _mistake_advice(exc: Exception) -> str:
    if isinstance(exc, ADVICE):
        return exc.message or str(exc)
    original = exc.__cause__ if isinstance(exc, jinja2.TemplateRuntimeError) and exc.__cause__ else exc
    message = getattr(original, "message", None) or str(original)
    return jinjaadvice.explain_mistake(type(original).__name__, message, _FILTERS)


def _syntax_place(exc: Exception) -> tuple[str, int] | None:
    if isinstance(exc, jinja2.TemplateSyntaxError) and (exc.filename or exc.name):
        return exc.filename or exc.name, exc.lineno
    return None


_SITE_PREFIXES: set[str] = set()   # the folders of the sites whose templates an environment serves


def _site_frame(exc: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost frame of a site's template in the traceback, if any."""
    found, tb = None, exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if name.startswith(tuple(_SITE_PREFIXES)):
            found = (name, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """(file, line) of the innermost template frame in the traceback: Jinja2 puts each
    template's frames into it with the template's file and line (``jinja2.debug``)."""
    found, tb = None, exc.__traceback__
    while tb is not None:
        if "__jinja_exception__" in tb.tb_frame.f_globals:
            found = (tb.tb_frame.f_code.co_filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


TemplateError = jinja2.TemplateError
TemplateNotFound = jinja2.TemplateNotFound


_DICT_METHODS = frozenset({"get", "items", "keys", "values"})


def argument_names(env: jinja2.Environment, name: str) -> frozenset | None:
    """The keys a shortcode's template reads from ``args`` (``args.title``, ``args['title']``),
    in it and the templates it includes or extends (Jinja2's parser, never a search of the
    text); None when it may read any key: ``args`` used whole, a key or template named by a
    variable, or a template that cannot be read (its render says why)."""
    todo, seen, keys = [name], set(), set()
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        try:
            tree = env.parse(env.loader.get_source(env, current)[0], current)
        except jinja2.TemplateError:
            return None
        found, loads = _argument_reads(tree), list(jinja2.meta.find_referenced_templates(tree))
        if found is None or None in loads:
            return None
        keys |= found
        todo.extend(loads)
    return frozenset(keys)


def _argument_reads(tree: jinja2.nodes.Template) -> set | None:
    keys, reads = set(), 0
    for node in tree.find_all((jinja2.nodes.Getattr, jinja2.nodes.Getitem)):
        if not (isinstance(node.node, jinja2.nodes.Name) and node.node.name == "args"):
            continue
        key = node.attr if isinstance(node, jinja2.nodes.Getattr) else getattr(node.arg, "value", None)
        if not isinstance(key, str) or key in _DICT_METHODS:
            return None
        keys.add(key)
        reads += 1
    uses = sum(1 for node in tree.find_all(jinja2.nodes.Name) if node.name == "args" and node.ctx == "load")
    return keys if uses == reads else None


@dataclass(frozen=True)
class TemplateReads:
    """What rendering a template may read, found in the syntax trees of the templates it loads
    (Jinja2's own parser), never by searching their text."""

    files: tuple        # (name, source or None when missing) of every template the render may load
    names: frozenset    # variables the templates refer to (a superset of the context they use)
    own: frozenset      # attributes read on ``page``, the page being rendered
    other: frozenset    # attributes and string constants read on anything else
    rebinds_page: bool = False   # ``page`` is assigned (a loop, a macro's parameter)
    loads: tuple = ()   # templates this one extends, includes or imports (None: named by a variable)


def template_reads(env: jinja2.Environment, name: str, memo: dict) -> TemplateReads:
    """What rendering ``name`` reads: ``extends``, ``include``, ``import`` and ``from`` followed;
    a template named by a variable may be any template of the theme, so then all are.
    ``memo`` keeps each file's reads (a theme's templates are parsed once per build)."""
    todo, seen, parts = [name], set(), []
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            if current not in memo:
                memo[current] = _file_reads(env, current)
            part = memo[current]
            parts.append(part)
            for found in part.loads:
                todo.extend(env.list_templates() if found is None else [found])
    own = frozenset().union(*(p.own for p in parts))
    other = frozenset().union(*(p.other for p in parts))
    if any(p.rebinds_page for p in parts):   # ``page`` names another page somewhere: no read is surely its own
        other, own = other | own, frozenset()
    return TemplateReads(tuple(sorted(f for p in parts for f in p.files)),
                         frozenset().union(*(p.names for p in parts)), own, other)


def _file_reads(env: jinja2.Environment, name: str) -> TemplateReads:
    try:
        source = env.loader.get_source(env, name)[0]
    except jinja2.TemplateNotFound:   # "ignore missing": the key changes once it exists
        return TemplateReads(((name, None),), frozenset(), frozenset(), frozenset())
    tree = env.parse(source, name)
    names = frozenset(n.name for n in tree.find_all(jinja2.nodes.Name) if n.ctx == "load")
    own, other = set(), set()
    for node in tree.find_all(jinja2.nodes.Getattr):
        is_page = isinstance(node.node, jinja2.nodes.Name) and node.node.name == "page"
        (own if is_page else other).add(node.attr)
    other.update(node.value for node in tree.find_all(jinja2.nodes.Const) if isinstance(node.value, str))
    rebinds = any(n.name == "page" and n.ctx in ("store", "param") for n in tree.find_all(jinja2.nodes.Name))
    return TemplateReads(((name, source),), names, frozenset(own), frozenset(other), rebinds,
                         tuple(jinja2.meta.find_referenced_templates(tree)))
