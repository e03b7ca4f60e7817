"""Render stage, part one: Markdown bodies to HTML, with links and images resolved.

Links are written as relative ``.md`` paths and become page URLs; a link to a
missing file is a Problem at the line that holds it.
"""
from __future__ import annotations

import posixpath
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

# Boxes editors may use: ::: faktaruta Rubrik … :::, and ::: embed URL … ::: (a marker that
# features/social.py turns into a click-to-load embed). One container rule serves them all:
# the parser tries each rule at every line, and one rule per name cost 7 % of parsing.
BOXES = {"faktaruta": "aside", "info": "aside", "varning": "aside", "embed": "sitegen-embed"}


def _box_name(info: str) -> str:
    return info.strip().split(" ", 1)[0]


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
        tokens = self.md.parse(page.body, env)
        for block in tokens:
            if block.type == "inline" and block.children:
                for token in block.children:
                    self._resolve(page, block, token, env)
        return self.md.renderer.render(tokens, self.md.options, env)

    def _line(self, page: Page, block: Token, needle: str) -> int:
        start, end = block.map or (0, 1)
        lines = page.body.split("\n")
        for offset in range(start, min(end, len(lines))):
            if needle in lines[offset]:
                return page.body_line + offset
        return page.body_line + start

    def _resolve(self, page: Page, block: Token, token: Token, env: dict) -> None:
        if token.type == "link_open":
            href = token.attrGet("href") or ""
            resolved = self.resolve_link(page, href, self._line(page, block, href))
            if resolved is not None:
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
                self.problems.error(page.source, line, f"image '{src}' not found")
                return
            token.attrSet("src", self.site.href(output))
            env["asset_paths"][self.site.href(output)] = target

    def _check_alt(self, page: Page, token: Token, line: int) -> None:
        decorative = "decorative" in (token.attrGet("class") or "").split()
        if not (token.content or "").strip() and not decorative:
            self.problems.warning(page.source, line,
                                  "image without alt text: describe it in ![text](...) "
                                  "or mark it {.decorative}")

    def resolve_link(self, page: Page, href: str, line: int) -> str | None:
        """Page URL for a relative .md link (or asset); None leaves the link as written."""
        target = _local_target(page, href)
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
            if target in self.site.hidden:
                self.problems.warning(page.source, line, f"link to '{href}', which is a draft or not yet "
                                                         "published")
                return "#"
            self.problems.error(page.source, line, f"link to missing page '{href}'")
            return None
        if target in self.site.assets:
            return self.site.href(self.site.assets[target]) + suffix
        index = posixpath.join(target, "index.md")
        if index in self.site.by_source:
            return self.site.href(self.site.by_source[index]) + suffix
        self.problems.error(page.source, line, f"link to missing file '{href}'")
        return None


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
