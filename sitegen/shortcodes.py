"""Shortcodes: boxes and other blocks an editor calls from Markdown, made by theme templates.

A shortcode is ``templates/shortcodes/NAME.html`` of the theme chain (a child theme or a
site's own theme adds one or replaces its parent's), or ``content/<site>/_shortcodes/NAME.html``
of the site itself, which replaces the theme's of that name and runs in the sandbox of
site_templates.py (its markup held to the allowlist). The editor writes one syntax::

    ::: NAME free text                  (a box: the text is its heading)
    ::: NAME key="value" other="value"  (named arguments)
    The body: ordinary Markdown.
    :::

The template gets ``name``, ``text`` (the free text), ``args`` (the named arguments),
``body`` (the body's HTML), ``site`` (title, language, ``asset()``), ``line``, plus what the
shortcode's Python side adds (a feature's ``SHORTCODES = {name: prepare}``, e.g. the
player address of an embed). Arguments are escaped by the template (autoescape); what a
theme's template writes is the theme's markup and is trusted as such. The body is editor text and is
rendered (and cleaned) as every other Markdown is.

The same templates make ``partials/picture.html``: the ``<picture>`` of an image (images.py).
"""
from __future__ import annotations

import contextvars
import functools
import hashlib
import re

from sitegen.keynames import nearest_choice
from sitegen.messages import _
from sitegen.theme import (Markup, PACKAGE_THEMES, TemplateError, Theme, argument_names, load_theme, make_environment,
                           template_problem)

FOLDER = "shortcodes/"
PICTURE = "partials/picture.html"
DEFAULT_THEME = "orebro"

# key="value", key='value' or key=value, nothing else on the line.
_ARG = re.compile(r"""\s*([A-Za-z_][\w-]*)=(?:"([^"]*)"|'([^']*)'|([^\s"'=]+))\s*""")

# The names the parser accepts while one body is parsed (the parser is shared by the sites of
# a run, whose themes may differ; the container rule's check gets no environment of its own).
_active: contextvars.ContextVar[frozenset] = contextvars.ContextVar("shortcodes", default=frozenset())


class ShortcodeError(Exception):
    """A shortcode's arguments a feature cannot use: reported at the shortcode's line."""


class ThemeMarkup:
    """The templates of one site's theme chain that page bodies use: shortcodes and the picture."""

    def __init__(self, env):
        self.env = env
        self._arguments: dict[str, frozenset | None] = {}
        self.names = sorted(name[len(FOLDER):-len(".html")] for name in env.list_templates(
            filter_func=lambda n: n.startswith(FOLDER) and n.endswith(".html") and "/" not in n[len(FOLDER):]))

    def arguments(self, name: str) -> frozenset | None:
        """The keys the shortcode ``name`` reads from ``args``; None: it may read any."""
        if name not in self._arguments:
            self._arguments[name] = argument_names(self.env, f"{FOLDER}{name}.html")
        return self._arguments[name]

    def render(self, template: str, problems, **context) -> str:
        try:
            return self.env.get_template(template).render(**context)
        except TemplateError as exc:
            if problems is None:
                raise   # the caller reports it (a page's render)
            template_problem(exc, problems)
            return ""

    def digest(self) -> str:
        """What the body cache must see of these templates: a changed shortcode re-renders bodies."""
        sources = b""
        for name in [*(f"{FOLDER}{n}.html" for n in self.names), PICTURE]:
            try:
                source, _filename, _uptodate = self.env.loader.get_source(self.env, name)
            except TemplateError:
                continue
            sources += name.encode() + b"\0" + source.encode("utf-8", "surrogatepass") + b"\0"
        return hashlib.sha256(sources).hexdigest()


@functools.cache
def _default_markup() -> ThemeMarkup:
    """For bodies rendered without a build (tests, tools): the package's own theme."""
    from sitegen.problems import Problems
    theme = load_theme(DEFAULT_THEME, [PACKAGE_THEMES], "sv", Problems(), PACKAGE_THEMES, 1)
    return ThemeMarkup(make_environment(theme or Theme(DEFAULT_THEME, [PACKAGE_THEMES / DEFAULT_THEME]), "sv"))


def markup_of(site) -> ThemeMarkup:
    return getattr(site, "markup", None) or _default_markup()


def activate(site) -> None:
    """Before a body is parsed: the shortcode names of this site's theme."""
    _active.set(frozenset(markup_of(site).names))


def known(name: str) -> bool:
    return name in _active.get()


def names() -> list[str]:
    return sorted(_active.get())


def name_of(info: str) -> str:
    return info.strip().split(" ", 1)[0]


def parse_arguments(rest: str) -> tuple[str, dict]:
    """(free text, named arguments) of what follows the name: named arguments when the whole
    rest is key="value" pairs, else the rest is one free text (a box's heading, an address)."""
    args, position = {}, 0
    while position < len(rest):
        match = _ARG.match(rest, position)
        if match is None or match.end() == position:
            return rest, {}
        args[match.group(1)] = next(v for v in match.group(2, 3, 4) if v is not None)
        position = match.end()
    return ("", args) if args else (rest, {})


def _preparers() -> dict:
    """``SHORTCODES`` of every feature: name -> prepare(text, args) -> extra template values."""
    from sitegen.features import feature_modules
    found = {}
    for module in feature_modules():
        found.update(getattr(module, "SHORTCODES", {}))
    return found


def render_tokens(md, tokens: list, env: dict, clean=None) -> str:
    """The HTML of a body's tokens, each shortcode (``container_box`` pair) through its template.
    ``clean`` (the allowlist) is applied to the editor's text, around and inside each shortcode,
    never to what a shortcode's template writes."""
    def editor_text(part: list) -> str:
        html = md.renderer.render(part, md.options, env)
        return clean(html) if clean is not None and html else html

    out, start, index = [], 0, 0
    while index < len(tokens):
        token = tokens[index]
        if token.type != "container_box_open":
            index += 1
            continue
        end = _closing(tokens, index)
        out.append(editor_text(tokens[start:index]))
        body = render_tokens(md, tokens[index + 1:end], env, clean)
        out.append(_render_one(token, body, env))
        index = start = end + 1
    out.append(editor_text(tokens[start:]))
    return "".join(out)


def _closing(tokens: list, index: int) -> int:
    depth = 0
    for position in range(index, len(tokens)):
        kind = tokens[position].type
        if kind == "container_box_open":
            depth += 1
        elif kind == "container_box_close":
            depth -= 1
            if depth == 0:
                return position
    return len(tokens)


def _render_one(token, body: str, env: dict) -> str:
    site, page, problems = env["site"], env.get("page"), env.get("problems")
    info = token.info.strip()
    name = name_of(info)
    text, args = parse_arguments(info[len(name):].strip())
    line = (page.body_line if page else 0) + (token.map or (0, 0))[0]
    context = {"name": name, "text": text, "args": args, "body": Markup(body), "line": line}
    prepare = _preparers().get(name)
    if prepare is not None:
        try:
            context.update(prepare(text, args))
        except ShortcodeError as exc:
            if problems is not None:
                problems.error(page.source, line, str(exc))
            return ""
    elif args and problems is not None:
        _check_arguments(markup_of(site).arguments(name), name, args, page, line, problems)
    if "view" not in env:
        from sitegen.render import site_view
        env["view"] = site_view(site)
    return markup_of(site).render(f"{FOLDER}{name}.html", problems, site=env["view"], **context)


def _check_arguments(known: frozenset | None, name: str, args: dict, page, line: int, problems) -> None:
    """A key="value" the box's template never reads would vanish without a word (``::: info
    titel="Obs"``): a warning naming what to write instead. Boxes with a feature's ``prepare``
    check their own."""
    if known is None:
        return
    for key, value in args.items():
        if key in known:
            continue
        if not known:
            message = _("the box '{name}' has no settings such as {key}=\"…\", and it is left out: write its "
                        "heading right after the name, e.g. ::: {name} {value}").format(name=name, key=key, value=value)
        else:
            close = nearest_choice(key, sorted(known))
            hint = _(" (did you mean '{name}'?)").format(name=close) if close else ""
            message = _("the box '{name}' has no setting '{key}'{hint}, and it is left out: its settings are "
                        "{known}").format(name=name, key=key, hint=hint, known=", ".join(sorted(known)))
        problems.warning(page.source, line, message)
