"""The HTML allowlist: what raw HTML in Markdown may hold, and the one module that imports nh3.

Editors may write HTML where Markdown has no words for it (details/summary, abbr, figure,
tables with merged cells, …). Everything else is removed before a page is published, and
each removal is a warning at its line, in ``check`` and ``build`` alike, with no setting
that turns it off: no script or style, no event attribute (``onerror=``…), no address but
http(s), mailto, tel and relative ones (so no ``javascript:`` or ``data:``), no iframe
(a post is embedded with ``::: embed URL``, which loads nothing until the visitor asks).

Two parts share the policy below: ``removals`` reads raw HTML with the standard library's
tokenizer to say what will go and where (nh3 does not say), and ``clean`` has nh3 remove it.
What is published is always nh3's output, so a report that misses an odd case never lets
anything through.
"""
from __future__ import annotations

import html
from html.parser import HTMLParser
from urllib.parse import urlsplit

import nh3

from sitegen.messages import _

# Tags editors may write, plus what the Markdown renderer itself makes (picture/source for
# resized images, aside for boxes, section for footnotes).
TAGS = frozenset("""
a abbr address article aside b bdi bdo blockquote br caption cite code col colgroup data dd del
details dfn div dl dt em figcaption figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p picture
pre q rp rt ruby s samp section small source span strong sub summary sup table tbody td tfoot th
thead time tr u ul var wbr
""".split())
# Attributes every allowed tag may have; aria-* too (GENERIC_PREFIXES).
GENERIC = frozenset({"class", "id", "title", "lang", "dir", "role", "translate"})
GENERIC_PREFIXES = frozenset({"aria-"})
ATTRIBUTES = {
    "a": {"href", "hreflang", "type"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"}, "colgroup": {"span"},
    "ol": {"start", "reversed", "type"}, "li": {"value"},
    "details": {"open"},
    "time": {"datetime"}, "data": {"value"},
    "q": {"cite"}, "blockquote": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
}
URL_ATTRIBUTES = frozenset({"href", "src", "cite", "srcset"})
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Removed with everything inside them, not only the tags: scripts and styles, and the elements
# whose content a browser reads as text (what was inside would be shown as markup).
CONTENT_REMOVED = frozenset({"script", "style", "iframe", "noscript", "noembed", "noframes", "textarea", "title",
                             "xmp", "plaintext", "template"})


def clean(fragment: str) -> str:
    """The HTML with everything outside the allowlist removed."""
    return nh3.clean(fragment, tags=set(TAGS), clean_content_tags=set(CONTENT_REMOVED),
                     attributes={"*": set(GENERIC), **{tag: set(names) for tag, names in ATTRIBUTES.items()}},
                     generic_attribute_prefixes=set(GENERIC_PREFIXES), url_schemes=set(URL_SCHEMES),
                     link_rel=None, strip_comments=True,
                     attribute_filter=_keep_attribute)


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    # nh3 checks the schemes of href and src, not of srcset or cite: the one rule decides all.
    return value if attribute_removal(tag, name, value) is None else None


def text_only(fragment: str) -> str:
    """The text of someone else's HTML (a social post): every tag removed, scripts with their content."""
    return nh3.clean(fragment, tags=set())


def attribute_removal(tag: str, name: str, value: str | None) -> str | None:
    """Why an attribute on an allowed tag is removed, or None when it stays."""
    name = name.lower()
    if name.startswith("on"):
        return _("event attribute '{name}' on <{tag}> removed: pages run no scripts of their own").format(
            name=name, tag=tag)
    allowed = name in GENERIC or name in ATTRIBUTES.get(tag, ()) or name.startswith(tuple(GENERIC_PREFIXES))
    if not allowed:
        return _("attribute '{name}' on <{tag}> removed: it is not allowed in a page").format(name=name, tag=tag)
    if name in URL_ATTRIBUTES and value:
        return address_removal(tag, name, value)
    return None


def address_removal(tag: str, name: str, value: str) -> str | None:
    """Why the address ``value`` of ``<tag name>`` is removed (a scheme but http(s), mailto and
    tel, or a backslash), or None when it stays."""
    if "\\" in html.unescape(value):
        # Browsers read '\' as '/' in an address: "/\evil.example" is "//evil.example", another site.
        return _("address '{value}' in <{tag} {name}> removed: it has a backslash, which browsers read as '/' "
                 "(so '/\\' leads to another site); write addresses with '/'").format(value=value, tag=tag, name=name)
    scheme = _scheme(value)
    if scheme and scheme not in URL_SCHEMES:
        return _("address '{scheme}:…' in <{tag} {name}> removed: use an http(s), mailto or tel address "
                 "or a path").format(scheme=scheme, tag=tag, name=name)
    return None


def tag_removal(tag: str) -> str | None:
    """Why a tag is removed, or None when it stays."""
    if tag in TAGS:
        return None
    if tag == "iframe":
        return _("<iframe> removed, with everything up to its </iframe>: embed a post with '::: embed ADDRESS' "
                 "(it loads only when the visitor asks)")
    if tag in ("script", "style"):
        return _("<{tag}> removed, with everything up to its </{tag}>: pages run no scripts or styles of "
                 "their own").format(tag=tag)
    if tag in CONTENT_REMOVED:
        return _("<{tag}> removed, with everything up to its </{tag}>: the tag is not allowed in a page").format(
            tag=tag)
    return _("<{tag}> removed: the tag is not allowed in a page; its text is kept").format(tag=tag)


def _scheme(url: str) -> str:
    # Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
    squeezed = "".join(ch for ch in html.unescape(url) if ch > " ").lower()
    try:
        return urlsplit(squeezed).scheme
    except ValueError:
        return "invalid"


def inspect(fragment: str) -> "_Inspection":
    """What ``clean`` removes from a piece of raw HTML (``removed``: line within the piece,
    from 0, and why), and where it holds a level-1 heading (``level_one``: lines)."""
    inspection = _Inspection()
    inspection.feed(fragment)
    inspection.close()
    return inspection


class _Inspection(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed: list[tuple[int, str]] = []
        self.level_one: list[int] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0] - 1
        if tag == "h1":
            self.level_one.append(line)
        why = tag_removal(tag)
        if why is not None:
            self.removed.append((line, why))
            return
        for name, value in attrs:
            why = attribute_removal(tag, name, value)
            if why is not None:
                self.removed.append((line, why))

    handle_startendtag = handle_starttag
