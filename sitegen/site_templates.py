"""A site's own templates (``content/<site>/_types/NAME.html``,
``content/<site>/_shortcodes/NAME.html``) and the sandbox they run in.

They are written by editors, who are only semi-trusted (docs/security.md), so they are read
only from those two folders of the site, checked before they are compiled (HTML a page may not
hold, ``|safe``, autoescape turned off) and run in Jinja2's sandbox with limits on what they
make; a mistyped name in them is an error, not an empty space. ``theme.make_environment``
gives the theme's environment a sandboxed twin built from these parts: the theme's half of
the one place Jinja2 is used.
"""
from __future__ import annotations

import operator
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from sitegen import confine, jinjaadvice, keynames
from sitegen.messages import _
from sitegen.template_limits import (COUNTED_FILTER, MAX_OUTPUT, MAX_SIZE, SIZED_FILTER, WIDTHS, LimitedTemplate,
                                     Limits, Refused, counted, no_wide, no_wide_format, sized,
                                     sized_filter, too_long)

SITE_TYPES = "_types"             # content/<site>/_types/NAME.html, beside NAME.yaml
SITE_SHORTCODES = "_shortcodes"   # content/<site>/_shortcodes/NAME.html
_SITE_NAME = re.compile(r"[a-z][a-z0-9_-]*")
ADDRESS_FILTER = "sitegen_address"   # checks a value printed where an address begins (_guard_addresses)
# The attribute a piece of a template's text leaves open for an address, up to its value: `href="`.
_ADDRESS_OPENS = re.compile(
    r"""\s(?P<name>href|src|srcset|cite|action|formaction|poster)\s*=\s*(?P<quote>["']?)\s*$""", re.I)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)")


class RefusedSource(jinja2.TemplateSyntaxError):
    """A site's template refused before it is compiled: the message is sitegen's advice."""


class UnknownHere(jinja2.UndefinedError):
    """A name a site's template does not get: the message is sitegen's advice."""


ADVICE = (Refused, RefusedSource, UnknownHere)   # errors whose message is shown as it is


@dataclass(frozen=True)
class SiteTemplates:
    """The folder of a site whose ``_types/`` and ``_shortcodes/`` templates the environment
    serves, and the names of the site's own page types (only those get a template)."""
    folder: Path
    types: frozenset = frozenset()

    @property
    def prefix(self) -> str:
        return os.path.abspath(self.folder) + os.sep

    def templates(self) -> list[str]:
        """``_types/NAME.html`` and ``_shortcodes/NAME.html`` files that may be read, relative."""
        found = []
        for sub in (SITE_TYPES, SITE_SHORTCODES):
            folder = self.folder / sub
            if folder.is_dir() and not confine.outside(folder, self.folder):
                found += [f"{sub}/{path.name}" for path in sorted(folder.glob("*.html"))
                          if path.is_file() and not confine.outside(path, self.folder)]
        return found


class SiteLoader(jinja2.BaseLoader):
    """``NAME.html`` from ``_types/NAME.html`` (NAME a site's own type) and
    ``shortcodes/NAME.html`` from ``_shortcodes/NAME.html``; nothing else of the site, never a
    file outside it. Each template is checked before it is compiled (``_refusal``)."""

    def __init__(self, site: SiteTemplates):
        self.site = site

    def _path(self, name: str) -> Path | None:
        folder, _sep, file = name.rpartition("/")
        stem = file[:-len(".html")] if file.endswith(".html") else ""
        if not _SITE_NAME.fullmatch(stem):
            return None
        if folder == "shortcodes":
            return self.site.folder / SITE_SHORTCODES / file
        if folder == "" and stem in self.site.types:
            return self.site.folder / SITE_TYPES / file
        return None

    def serves(self, name: str) -> bool:
        path = self._path(name)
        return path is not None and path.is_file()

    def load(self, environment, name, globals=None):
        if not environment.sandboxed:   # never compiled outside the sandbox (ThemeTemplates)
            raise jinja2.TemplateNotFound(name)
        return super().load(environment, name, globals)

    def get_source(self, environment, template):
        path = self._path(template)
        if path is None or not path.is_file():
            raise jinja2.TemplateNotFound(template)
        filename = os.path.abspath(path)
        if confine.outside(path, self.site.folder):
            raise RefusedSource(_("this is a link to a file outside the site folder, and it is not "
                                               "read: copy the file into the site instead"), 1, template, filename)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise RefusedSource(_("the template cannot be read as UTF-8 text: save it as UTF-8"),
                                             1, template, filename) from None
        refusal = _refusal(environment.parse(source, template, filename), source)
        if refusal is not None:
            raise RefusedSource(refusal[1], refusal[0], template, filename)
        return source, filename, lambda: True

    def list_templates(self) -> list[str]:
        served = (name.replace(f"{SITE_SHORTCODES}/", "shortcodes/").replace(f"{SITE_TYPES}/", "")
                  for name in self.site.templates())
        return [name for name in served if self._path(name) is not None]


def _refusal(tree: nodes.Template, source: str) -> tuple[int, str] | None:
    """(line, why) of the first thing a site's template may not write: HTML a page may not
    hold (the allowlist of sanitize.py), ``|safe`` on anything but the page's or box's own
    cleaned HTML, or autoescape turned off."""
    from sitegen import sanitize   # not at the top: sanitize's catalogue import runs late
    found = []
    inspection = sanitize.inspect(source)
    found += [(line + 1, _("not allowed in a site's template: {why}").format(why=why))
              for line, why in inspection.removed]
    for node in tree.find_all(nodes.Filter):
        if node.name == "safe" and not _cleaned_html(node.node):
            found.append((node.lineno, _("'|safe' is not allowed in a site's template: remove it, and the value "
                                         "is shown as text (only page.html and body are HTML)")))
    for node in tree.find_all(nodes.EvalContextModifier):
        found.append((node.lineno, _("a site's template may not turn autoescape off: remove the "
                                     "'autoescape' tag")))
    return min(found, key=lambda item: item[0]) if found else None


def _cleaned_html(node) -> bool:
    """``page.html`` or ``body``: HTML that has passed the allowlist already."""
    if isinstance(node, nodes.Name):
        return node.name == "body"
    return (isinstance(node, nodes.Getattr) and node.attr == "html" and isinstance(node.node, nodes.Name)
            and node.node.name == "page")


class MistakesReported:
    """Mixed into an environment: any exception in a template (1/0, "a" + 1, a value called that
    is no function) becomes a template error, reported at the template's line and never a
    traceback; the original is its ``__cause__``, which ``jinjaadvice.explain_mistake`` reads."""

    def handle_exception(self, source=None):
        try:
            super().handle_exception(source)
        except jinja2.TemplateError:
            raise
        except Exception as exc:   # noqa: BLE001 - a template's mistake is a problem at its line
            raise jinja2.TemplateRuntimeError(str(exc)).with_traceback(exc.__traceback__) from exc


class SandboxedTemplates(MistakesReported, ImmutableSandboxedEnvironment):
    """Jinja2's sandbox (no ``_`` attributes, no internals, nothing changed in place), plus: a
    refused attribute is an error at once, no value larger than ``MAX_SIZE`` is made, a value
    printed where an address begins keeps to the allowlist's schemes, and any exception in a
    template is a template error (reported at its line, never a traceback)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    template_class = LimitedTemplate

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters = {name: sized_filter(name, function) for name, function in self.filters.items()}
        self.filters.update({ADDRESS_FILTER: checked_address, SIZED_FILTER: sized, COUNTED_FILTER: counted})

    def _parse(self, source, name, filename):
        return _guard_addresses(Limits().visit(super()._parse(source, name, filename)))

    def call(__self, __context, __obj, *args, **kwargs):   # noqa: N805 - Jinja's own signature
        if getattr(__obj, "__name__", "") in WIDTHS:
            no_wide(args, kwargs)
        method = getattr(__obj, "__wrapped__", __obj)   # the sandbox wraps str.format
        if getattr(method, "__name__", "") in ("format", "format_map") \
                and isinstance(getattr(method, "__self__", None), str):
            no_wide_format(method.__self__)
        return sized(super().call(__context, __obj, *args, **kwargs))

    def concat(self, parts):
        """What a template, block or macro writes, joined: at most ``MAX_OUTPUT`` characters. (The
        error is thrown into the template's code while it writes, so it names that line.)"""
        made, size = [], 0
        for part in parts:
            size += len(part)
            if size > MAX_OUTPUT:
                error = too_long()
                if hasattr(parts, "throw"):
                    parts.throw(error)
                raise error
            made.append(part)
        return "".join(made)

    def unsafe_undefined(self, obj, attribute):
        raise Refused(_("'{attribute}' may not be read in a template: use the values docs/architecture.md "
                              "lists (page, site, args, body …)").format(attribute=attribute))

    def call_binop(self, context, operator_name, left, right):
        if operator_name == "+":
            return sized(operator.add(left, right))
        if operator_name == "%":
            if isinstance(left, str):
                no_wide_format(left)
            return sized(operator.mod(left, right))
        if operator_name == "*":
            for sequence, count in ((left, right), (right, left)):
                if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) \
                        and len(sequence) * count > MAX_SIZE:
                    raise Refused(_("'*' would make a value longer than {limit}: make it "
                                          "shorter").format(limit=MAX_SIZE))
            return operator.mul(left, right)
        if isinstance(left, int) and isinstance(right, int) and left.bit_length() * abs(right) > MAX_SIZE:
            raise Refused(_("'**' would make a number too large: use a smaller one"))
        return operator.pow(left, right)



def _guard_addresses(tree: nodes.Template) -> nodes.Template:
    """Every value printed at the start of an address (``href="{{ page.meta.lank }}"``, also
    inside an ``if``) goes through ``checked_address``: the source was checked before it was
    compiled, but a value comes from a page or a feed, and ``javascript:`` would run when the
    link is followed (escaping does not stop it). A value after the address's own first
    characters (``href="/sok?q={{ ord }}"``) is not at its start and is left as it is."""
    open_at = None   # (tag, attribute, quote) while an address is open with nothing in it yet
    tag = "a"
    for output in tree.find_all(nodes.Output):
        for index, node in enumerate(output.nodes):
            if not isinstance(node, nodes.TemplateData):
                if open_at is not None:
                    output.nodes[index] = nodes.Filter(node, ADDRESS_FILTER, [nodes.Const(open_at[0]), nodes.Const(
                        open_at[1])], [], None, None, lineno=node.lineno)
                continue
            text = node.data
            if open_at is not None:
                if not text.strip() and open_at[2]:
                    continue   # still at the start of the address
                open_at = None   # the address has its first characters, or the attribute ends
            if tags := _TAG.findall(text):
                tag = tags[-1].lower()
            if found := _ADDRESS_OPENS.search(text):
                open_at = (tag, found["name"].lower(), found["quote"])
    return tree


def checked_address(value, tag: str, attribute: str):
    """``value`` as it is, unless it would be an address the allowlist removes (``javascript:``,
    a backslash): an error of the template at the line that prints it."""
    from sitegen import sanitize   # not at the top: sanitize's catalogue import runs late
    if isinstance(value, jinja2.Undefined):
        return value   # printing it decides (an error in a site's template, else nothing)
    why = sanitize.address_removal(tag, attribute, str(value))
    if why is not None:
        raise Refused(_("not allowed in a site's template: {why}").format(why=why))
    return value


def undefined_for(site: SiteTemplates | None):
    """The theme's lenient undefined (a missing value prints as nothing), except in a site's
    own template, where printing or looping over an unknown name or attribute is an error: a
    mistyped name must not be published as an empty space. A key missing from a mapping
    (``page.meta.tid`` of a page that leaves the optional ``tid`` out, ``args.fran``) stays
    empty there too."""
    if site is None:
        return jinja2.ChainableUndefined
    return type("SiteUndefined", (_SiteUndefined,), {"site_prefix": site.prefix, "__slots__": ()})


class _SiteUndefined(jinja2.ChainableUndefined):
    __slots__ = ()
    site_prefix = ""

    def _strict_here(self) -> bool:
        if isinstance(self._undefined_obj, dict):
            return False
        frame = sys._getframe(2)
        while frame is not None:   # the nearest template on the stack decides
            name = frame.f_code.co_filename
            if name.startswith(self.site_prefix):
                return True
            if name.endswith(".html"):
                return False
            frame = frame.f_back
        return False

    def _refuse(self):
        if self._undefined_obj is None:   # page.date.year on a page without a date: nothing misspelt
            raise UnknownHere(jinjaadvice.read_from_nothing(self._undefined_name))
        close = self._nearest_name()
        if close:
            raise UnknownHere(_("'{name}' is not known here (did you mean '{close}'?): what a template "
                                "gets is listed in docs/architecture.md").format(name=self._undefined_name, close=close))
        raise UnknownHere(_("'{name}' is not known here: check the spelling; what a template "
                            "gets is listed in docs/architecture.md").format(name=self._undefined_name))

    def _nearest_name(self) -> str | None:
        """For a misspelt attribute (``site.titel``, a feature's ``oppettider.todya``): the
        object's public name it most likely stands for."""
        owner = self._undefined_obj
        if owner is jinja2.utils.missing or not isinstance(self._undefined_name, str):
            return None
        return keynames.nearest_choice(self._undefined_name, [n for n in dir(owner) if not n.startswith("_")])

    def __str__(self) -> str:
        if self._strict_here():
            self._refuse()
        return super().__str__()

    def __iter__(self):
        if self._strict_here():
            self._refuse()
        return super().__iter__()
