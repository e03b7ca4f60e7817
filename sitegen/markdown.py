"""Render stage, part one: Markdown bodies to HTML, with links and images resolved.

Links are written as relative ``.md`` paths (or site-absolute ones, /site/a/b.md) and become
page URLs; a link to a missing file is a Problem at the line that holds it, a link to a draft
keeps its text without the link. Box markers that end up as text (an unknown name, a stray
':::'), a box never closed and a raw ``<img>`` without alt or with a missing file are Problems too.
"""
from __future__ import annotations

import difflib
import html
import posixpath
import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen import images
from sitegen.model import Page, Site
from sitegen.problems import Problems
from sitegen.slugs import slugify
from sitegen.messages import _

# Boxes editors may use: ::: faktaruta Rubrik … :::, and ::: embed URL … ::: (a marker that
# features/social.py turns into a click-to-load embed). One container rule serves them all:
# the parser tries each rule at every line, and one rule per name cost 7 % of parsing.
BOXES = {"faktaruta": "aside", "info": "aside", "varning": "aside", "embed": "sitegen-embed"}


def _box_name(info: str) -> str:
    return info.strip().split(" ", 1)[0]


def _known_boxes() -> str:
    names = list(BOXES)
    return ", ".join(names[:-1]) + " and " + names[-1]


# A line of a paragraph that looks like a box marker: ':::' and perhaps a name. Known boxes
# never reach a paragraph (the container rule takes them), so these are mistakes.
_BOX_LINE = re.compile(r"\s*:{3,}\s*(\S*)")
# The line that closes a box (inside a quote it starts with '>').
_BOX_CLOSE = re.compile(r"[\s>]*(:{3,})\s*$")
# Raw HTML images; comments are skipped.
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")


def _render_box(self, tokens, idx, options, env):
    token = tokens[idx]
    open_boxes = env.setdefault("open_boxes", [])   # the closing token does not say which box it ends
    if token.nesting != 1:
        return f"</{open_boxes.pop()}>\n"
    name = _box_name(token.info)
    tag = BOXES[name]
    open_boxes.append(tag)
    rest = token.info.strip()[len(name):].strip()
    if name == "embed":
        return f'<{tag} data-url="{_escape(rest)}">'
    label = f'<p class="{name}-title"><strong>{_escape(rest)}</strong></p>' if rest else ""
    return f'<{tag} class="box {name}">\n{label}'


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def make_parser() -> MarkdownIt:
    md = (
        MarkdownIt("commonmark", {"html": True, "typographer": True})
        .enable(["table", "strikethrough", "replacements", "smartquotes"])
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin)
        .use(attrs_block_plugin)
        .use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)
    )
    md.options["quotes"] = "””’’"  # Swedish quotation marks
    md.use(container_plugin, name="box", validate=lambda params, *_: _box_name(params) in BOXES,
           render=_render_box)
    md.add_render_rule("image", _render_image)
    return md


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return images.image_html(env["site"], token.attrGet("src") or "", alt, env.get("asset_paths", {}),
                             classes=token.attrGet("class") or "", title=token.attrGet("title") or "")


class BodyRenderer:
    """Renders page bodies of one site; give it a parser from ``make_parser`` to share one
    (building a parser costs about as much as rendering a short page)."""

    def __init__(self, site: Site, problems: Problems, md: MarkdownIt | None = None):
        self.site = site
        self.problems = problems
        self.md = md or make_parser()

    def render(self, page: Page) -> str:
        if not page.body.strip():
            return ""
        env = {"site": self.site, "asset_paths": {}}
        body = page.body
        tokens = self.md.parse(body, env)
        # Per-page checks that cost nothing unless the text has a box marker or a raw <img>.
        boxes = ":::" in body
        raw_images = "<" in body and _IMG_TAG.search(body) is not None
        lines = body.split("\n") if boxes else []
        stray = {"unknown": 0, "closers": [], "unclosed": []}
        open_boxes: list[Token] = []
        for block in tokens:
            kind = block.type
            if kind == "inline":
                children = block.children
                if boxes and ":::" in block.content:
                    self._check_box_text(page, block, stray)
                if children:
                    for i, token in enumerate(children):
                        kind = token.type
                        if kind == "link_open" or kind == "image" or (raw_images and kind == "html_inline"):
                            self._resolve(page, block, children, i, env)
            elif kind == "container_box_open":
                open_boxes.append(block)
            elif kind == "container_box_close":
                self._check_box_closed(page, open_boxes.pop(), block, lines, stray)
            elif raw_images and kind == "html_block":
                self._raw_images(page, block, block)
        for line in stray["closers"]:   # not one inside (or just after) a box reported as not closed
            if not any(start < line <= end for start, end in stray["unclosed"]):
                self.problems.warning(page.source, page.body_line + line, _("':::' closes no box and is shown as text"))
        return self.md.renderer.render(tokens, self.md.options, env)

    def _check_box_text(self, page: Page, block: Token, stray: dict) -> None:
        """Box markers that ended up as text: an unknown box name, or a ':::' that closes nothing."""
        start = (block.map or (0, 1))[0]
        for offset, text in enumerate(block.content.split("\n")):
            match = _BOX_LINE.match(text)
            if match is None:
                continue
            line = start + offset
            name = match.group(1)
            if name[:1].isalpha() and name not in BOXES:
                stray["unknown"] += 1
                close = difflib.get_close_matches(name.lower(), BOXES, n=1, cutoff=0.6)
                hint = _(" (did you mean '{name}'?)").format(name=close[0]) if close else ""
                self.problems.warning(page.source, page.body_line + line,
                                      _("unknown box '{name}'{hint}: the boxes are {known_boxes}; the text is "
                                        "shown as it is written").format(
                                          name=name, hint=hint, known_boxes=_known_boxes()))
            elif name:
                continue   # ':::' and something else, e.g. ':::)'
            elif stray["unknown"]:
                stray["unknown"] -= 1        # the end of an unknown box, reported at its start
            else:
                stray["closers"].append(line)

    def _check_box_closed(self, page: Page, opening: Token, closing: Token, lines: list, stray: dict) -> None:
        """A box whose end marker is missing runs to the end of the page (or of its list item or quote)."""
        start, end = opening.map or (0, 0)
        match = _BOX_CLOSE.match(lines[end]) if end < len(lines) else None
        if closing.markup and match is not None and len(match.group(1)) >= len(opening.markup):
            return
        stray["unclosed"].append((start, end))
        self.problems.warning(page.source, page.body_line + start,
                              _("box '{box_name}' is not closed: end it with a line '{markup}'; until "
                                "then it holds the rest of the {value}").format(
                                  box_name=_box_name(opening.info), markup=opening.markup, value=_('page') if end >= len(lines) - 1 else _('list item or quote')))

    def _raw_images(self, page: Page, block: Token, token: Token) -> None:
        """<img> tags written as HTML: alt text required, a local src must exist (and is
        rewritten to the image's URL, as for Markdown images)."""
        content = token.content
        comments = [m.span() for m in _HTML_COMMENT.finditer(content)] if "<!--" in content else []
        pieces, last = [], 0
        for tag in _IMG_TAG.finditer(content):
            if any(a <= tag.start() < b for a, b in comments):
                continue
            attrs = {}
            src_span = None
            for attr in _HTML_ATTR.finditer(tag.group(0), 4):
                name = attr.group(1).lower()
                value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
                if name not in attrs:
                    attrs[name] = value
                    if name == "src" and value is not None:
                        group = next(g for g in (2, 3, 4) if attr.group(g) is not None)
                        src_span = attr.span(group)
            src = html.unescape(attrs.get("src") or "")
            line = self._line(page, block, attrs.get("src") or tag.group(0)[:4])
            if attrs.get("alt") is None:
                self.problems.warning(page.source, line,
                                      _("<img> without alt text: describe the image in alt=\"...\" (alt=\"\" if it "
                                        "only decorates), or write it as ![text](...)"))
            target = _local_target(page, src)
            if target is None or src_span is None:
                continue
            output = self.site.assets.get(target)
            if output is None:
                self.problems.error(page.source, line, _("image '{src}' not found: check the file name and its folder").format(src=src))
                continue
            start = tag.start() + src_span[0]
            pieces += [content[last:start], html.escape(self.site.href(output))]
            last = tag.start() + src_span[1]
        if pieces:
            token.content = "".join(pieces) + content[last:]

    def _line(self, page: Page, block: Token, needle: str) -> int:
        start, end = block.map or (0, 1)
        lines = page.body.split("\n")
        for offset in range(start, min(end, len(lines))):
            if needle in lines[offset]:
                return page.body_line + offset
        return page.body_line + start

    def _resolve(self, page: Page, block: Token, children: list, index: int, env: dict) -> None:
        token = children[index]
        if token.type == "link_open":
            href = token.attrGet("href") or ""
            resolved = self.resolve_link(page, href, self._line(page, block, href))
            if resolved == "":   # an unpublished page: the text stays, the link is left out
                token.hidden = True
                closing = next((t for t in children[index + 1:] if t.type == "link_close"), None)
                if closing is not None:
                    closing.hidden = True
            elif resolved is not None:
                token.attrSet("href", resolved)
        elif token.type == "image":
            src = token.attrGet("src") or ""
            line = self._line(page, block, src)
            self._check_alt(page, token, line)
            target = _local_target(page, src)
            if target is None:
                return
            output = self.site.assets.get(target)
            if output is None:
                self.problems.error(page.source, line, _("image '{src}' not found: check the file name and its folder").format(src=src))
                return
            token.attrSet("src", self.site.href(output))
            env["asset_paths"][self.site.href(output)] = target
        else:
            self._raw_images(page, block, token)

    def _check_alt(self, page: Page, token: Token, line: int) -> None:
        decorative = "decorative" in (token.attrGet("class") or "").split()
        if not (token.content or "").strip() and not decorative:
            self.problems.warning(page.source, line,
                                  _("image without alt text: describe it in ![text](...) or mark it "
                                    "{.decorative}"))

    def resolve_link(self, page: Page, href: str, line: int) -> str | None:
        """Page URL for a relative .md link (or asset); None leaves the link as written, "" leaves
        the link out (a draft or unpublished page: its text stays)."""
        target = _local_target(page, href)
        if target is None and href.startswith("/") and ".md" in href:
            target = self._site_target(page, href, line)
        if target is None:
            return None
        fragment = urlsplit(href).fragment
        suffix = f"#{fragment}" if fragment else ""
        if target.endswith(".md"):
            linked = self.site.by_source.get(target)
            if linked is None:
                folder_index = self.site.by_source.get(posixpath.join(target[:-3], "index.md"))
                linked = folder_index
            if linked is not None:
                return self.site.href(linked) + suffix
            if target in self.site.broken or posixpath.join(target[:-3], "index.md") in self.site.broken:
                return None   # the page exists but failed to load: its own error says why
            if target in self.site.hidden:
                self.problems.warning(page.source, line, _("link to '{href}', which is a draft or not yet published; its text is "
                                                           "shown without the link").format(
                                                             href=href))
                return ""
            self.problems.error(page.source, line, _("link to missing page '{href}': check the address, or remove the link").format(href=href))
            return None
        if target in self.site.assets:
            return self.site.href(self.site.assets[target]) + suffix
        index = posixpath.join(target, "index.md")
        if index in self.site.by_source:
            return self.site.href(self.site.by_source[index]) + suffix
        self.problems.error(page.source, line, _("link to missing file '{href}': check the file name, or remove the link").format(href=href))
        return None

    def _site_target(self, page: Page, href: str, line: int) -> str | None:
        """The content file a site-absolute link names (/kulturskolan/kurser/index.md): the path
        is under the site's URL path, the file relative to the site folder."""
        parts = urlsplit(href)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc or not path.endswith(".md"):
            return None
        prefix = self.site.config.path_prefix
        if not path.startswith(prefix):
            self.problems.error(page.source, line, _("link to missing page '{href}': a link to a .md file must point to a "
                                                     "page of this site, under '{prefix}'").format(
                                                       href=href, prefix=prefix))
            return None
        return posixpath.normpath(path[len(prefix):])


def _local_target(page: Page, href: str) -> str | None:
    """The site-relative path a relative link points at, or None for URLs and anchors."""
    if not href or href.startswith(("#", "/", "mailto:", "tel:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = PurePosixPath(page.rel).parent.as_posix() if page.rel else ""
    joined = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return "" if joined == "." else joined
