"""Render stage, part one: Markdown bodies to HTML, with links and images resolved.

Links and images are resolved in mdlinks.py; raw HTML goes through the allowlist of
sanitize.py. Box markers that end up as text (an unknown name, a stray ':::') and a box never
closed are Problems here, as are a level-1 heading in the text and lists or quotes nested
deeper than the parser follows.
"""
from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it import __version__ as PARSER_VERSION   # part of the body cache's key
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from sitegen import images, sanitize, shortcodes
from sitegen.keynames import nearest_choice
from sitegen.mdlinks import PageLinks, allow_spaces_in_destinations
from sitegen.messages import _
from sitegen.model import Page, Site
from sitegen.problems import Problems
from sitegen.slugs import slugify

# Boxes and the other shortcodes are templates of the theme (shortcodes.py): ::: faktaruta
# Rubrik … :::, ::: embed URL … :::, ::: video src="…" … :::. One container rule serves them
# all: the parser tries each rule at every line, and one rule per name cost 7 % of parsing.
_box_name = shortcodes.name_of


def _known_boxes() -> str:
    names = shortcodes.names()
    return ", ".join(names[:-1]) + _(" and ") + names[-1]


# A line of a paragraph that looks like a box marker: ':::' and perhaps a name. Known boxes
# never reach a paragraph (the container rule takes them), so these are mistakes.
_BOX_LINE = re.compile(r"\s*:{3,}\s*(\S*)")
# The line that closes a box (inside a quote it starts with '>').
_BOX_CLOSE = re.compile(r"[\s>]*(:{3,})\s*$")


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
    md.use(container_plugin, name="box", validate=lambda params, *_: shortcodes.known(_box_name(params)))
    md.add_render_rule("image", _render_image)
    allow_spaces_in_destinations(md)
    _note_nesting_limit(md)
    md.core.ruler.push("align_by_class", _align_by_class)
    return md


def _align_by_class(state) -> None:
    """A table column's alignment as a class (``align-right``): the Content-Security-Policy
    lets no page carry inline styles, so ``style="text-align:right"`` would be ignored."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if style and str(style).startswith("text-align:"):
                token.attrJoin("class", "align-" + str(style).split(":", 1)[1])


def _note_nesting_limit(md: MarkdownIt) -> None:
    """Note in ``env["too_deep"]`` the first line the parser skips because lists or quotes are
    nested deeper than ``maxNesting``: markdown-it drops the rest of that list item, quote or
    box (with '- - - - … text' on one line, the rest of the page) without a word."""
    tokenize = md.block.tokenize
    limit = md.options.maxNesting

    def guarded(state, start: int, end: int) -> None:
        if state.level >= limit and "too_deep" not in state.env:
            line = state.skipEmptyLines(start)
            if line < end and state.sCount[line] >= state.blkIndent:
                state.env["too_deep"] = line
        tokenize(state, start, end)

    md.block.tokenize = guarded   # nested lists, quotes and boxes call it through the instance


def _render_image(self, tokens, idx, options, env):
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return images.image_html(env["site"], token.attrGet("src") or "", alt, env.get("asset_paths", {}),
                             classes=token.attrGet("class") or "", title=token.attrGet("title") or "",
                             problems=env.get("problems"))


# The attributes Markdown itself gives links and images; markdown-it has checked their
# addresses, and lets through only data: images, which the allowlist removes.
_MARKDOWN_ATTRIBUTES = {"link_open": {"href", "title"}, "image": {"src", "alt", "title"}}


def _plain(token: Token) -> bool:
    """A link or image with nothing but Markdown's own attributes (most of them): nothing to check."""
    own = _MARKDOWN_ATTRIBUTES.get(token.type)
    if own is None or token.meta.get("insecure_attrs") or not own.issuperset(token.attrs):
        return False
    address = str(token.attrs.get("href") or token.attrs.get("src") or "")
    return not address[:5].lower() == "data:"


class BodyRenderer:
    """Renders page bodies of one site; give it a parser from ``make_parser`` to share one
    (building a parser costs about as much as rendering a short page). After ``render``,
    ``later`` holds the page's links to pages sitegen makes itself, to check with
    ``mdlinks.report_missing`` once the site is complete."""

    def __init__(self, site: Site, problems: Problems, md: MarkdownIt | None = None):
        self.site = site
        self.problems = problems
        self.md = md or make_parser()
        self.later: list = []

    def render(self, page: Page) -> str:
        self.later = []
        if not page.body.strip():
            return ""
        env = {"site": self.site, "asset_paths": {}, "page": page, "problems": self.problems}
        body = page.body
        shortcodes.activate(self.site)
        tokens = self.md.parse(body, env)
        links = PageLinks(self.site, self.problems, page, env)
        self.later = links.later
        # Per-page checks that cost nothing unless the text has a box marker.
        boxes = ":::" in body
        lines = body.split("\n") if boxes else []
        stray = {"unknown": 0, "closers": [], "unclosed": []}
        open_boxes: list[Token] = []
        unsafe = False   # whether the HTML holds anything the allowlist must look at
        for position, block in enumerate(tokens):
            kind = block.type
            if (block.attrs or block.meta) and self._attributes(page, block, self._line(page, block)):
                unsafe = True   # {…} on a paragraph, a table's alignment
            if kind == "inline":
                if boxes and ":::" in block.content:
                    self._check_box_text(page, block, stray)
                if block.children and self._inline(page, block, links):
                    unsafe = True
            elif kind == "heading_open" and block.tag == "h1":
                self._level_one(page, block, tokens[position + 1] if position + 1 < len(tokens) else None)
            elif kind == "container_box_open":
                open_boxes.append(block)
            elif kind == "container_box_close":
                self._check_box_closed(page, open_boxes.pop(), block, lines, stray, open_boxes[-1:])
            elif kind == "html_block":
                unsafe = True
                first = self._line(page, block)
                links.raw_images(block, first)
                self._raw_html(page, block.content, first)
        if "too_deep" in env:
            self._too_deep(page, env["too_deep"])
        for line in stray["closers"]:   # not one inside (or just after) a box reported as not closed
            if not any(start < line <= end for start, end in stray["unclosed"]):
                self.problems.warning(page.source, page.body_line + line,
                                      _("':::' closes no box and is shown as text"))
        # Editor text goes through the allowlist; a shortcode's template output is the theme's own.
        return shortcodes.render_tokens(self.md, tokens, env, sanitize.clean if unsafe else None)

    def _inline(self, page: Page, block: Token, links: PageLinks) -> bool:
        """Links, images and raw HTML of one paragraph (or heading, table cell); True when it
        holds something the allowlist must look at. Lines are counted by the line breaks
        passed, so a long page costs no more per link than a short one."""
        children = block.children
        line = self._line(page, block)
        unsafe = False
        for index, token in enumerate(children):
            kind = token.type
            if kind == "softbreak" or kind == "hardbreak":
                line += 1
                continue
            if kind == "link_open":
                links.link(children, index, line)
            elif kind == "image":
                links.image(token, line)
                if token.children:   # an alt text written over two lines
                    line += sum(1 for child in token.children if child.type in ("softbreak", "hardbreak"))
            elif kind == "html_inline":
                unsafe = True
                links.raw_images(token, line)
                self._raw_html(page, token.content, line)
                line += token.content.count("\n")
            if (token.attrs or token.meta) and not _plain(token) and self._attributes(page, token, line):
                unsafe = True
        return unsafe

    def _attributes(self, page: Page, token: Token, line: int) -> bool:
        """Attributes Markdown gave a token (a data: image, {onclick=...} after a link): what the
        allowlist removes is a warning here."""
        flagged = False
        for name, value in token.attrs.items():
            why = sanitize.attribute_removal(token.tag, str(name), str(value))
            if why is not None:
                flagged = True
                self._removed(page, line, why)
        # What the {…} syntax took away itself (onclick=, a javascript: href) is said here too.
        for name, value in (token.meta.get("insecure_attrs") or {}).items():
            why = sanitize.attribute_removal(token.tag, str(name), str(value))
            self._removed(page, line, why or _("attribute '{name}' on <{tag}> removed: it is not allowed "
                                               "in a page").format(name=name, tag=token.tag))
        return flagged

    @staticmethod
    def _line(page: Page, block: Token) -> int:
        return page.body_line + (block.map or (0, 1))[0]

    def _raw_html(self, page: Page, content: str, first_line: int) -> None:
        found = sanitize.inspect(content)
        for offset, why in found.removed:
            self._removed(page, first_line + offset, why)
        for offset in found.level_one:
            self.problems.error(page.source, first_line + offset,
                                _("<h1> in the text: the page title is the page's only level-1 heading; "
                                  "use <h2> (or '## ' in Markdown) instead"))

    def _removed(self, page: Page, line: int, why: str) -> None:
        # A warning in check too: the page is published safely without it, and the editor sees why.
        self.problems.warning(page.source, line, why, strict=False)

    def _level_one(self, page: Page, heading: Token, inline: Token | None) -> None:
        text = inline.content if inline is not None else ""
        self.problems.error(page.source, self._line(page, heading),
                            _("level-1 heading '{text}' in the text: the page title is the page's only "
                              "level-1 heading; change it to '## {text}'").format(text=text))

    def _too_deep(self, page: Page, line: int) -> None:
        self.problems.error(page.source, page.body_line + line,
                            _("lists or quotes nested too deep (a list in a list ten times over): what is "
                              "inside them would not be shown; start the line with fewer '-', '*', '1.' or '>'"))

    def _check_box_text(self, page: Page, block: Token, stray: dict) -> None:
        """Box markers that ended up as text: an unknown box name, or a ':::' that closes nothing."""
        start = (block.map or (0, 1))[0]
        for offset, text in enumerate(block.content.split("\n")):
            match = _BOX_LINE.match(text)
            if match is None:
                continue
            line = start + offset
            name = match.group(1)
            if name[:1].isalpha() and not shortcodes.known(name):
                stray["unknown"] += 1
                close = nearest_choice(name.lower(), shortcodes.names())
                hint = _(" (did you mean '{name}'?)").format(name=close) if close else ""
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

    def _check_box_closed(self, page: Page, opening: Token, closing: Token, lines: list, stray: dict,
                          outer: list) -> None:
        """A box whose end marker is missing runs to the end of the page, or of the box it is in
        (whose ':::' the editor meant for this one), or of its list item or quote."""
        start, end = opening.map or (0, 0)
        match = _BOX_CLOSE.match(lines[end]) if end < len(lines) else None
        if closing.markup and match is not None and len(match.group(1)) >= len(opening.markup):
            return
        stray["unclosed"].append((start, end))
        if end >= len(lines) - 1:
            value = _("page")
        elif outer and opening.level == outer[0].level + 1:   # right inside another box
            value = _("box '{name}'").format(name=_box_name(outer[0].info))
        else:
            value = _("list item or quote")
        self.problems.warning(page.source, page.body_line + start,
                              _("box '{box_name}' is not closed: end it with a line '{markup}'; until "
                                "then it holds the rest of the {value}").format(
                                  box_name=_box_name(opening.info), markup=opening.markup, value=value))
