"""Links and images in one Markdown body: relative ``.md`` paths become page URLs, images
their published URLs, and what they point at must exist.

Links are written as relative ``.md`` paths (or site-absolute ones, /site/a/b.md); a link to a
missing file is a Problem at the line that holds it, a link to a draft keeps its text without
the link. Paths may hold spaces and Swedish letters as they are (``[historia](Vår historia.md)``).

Pages that sitegen makes itself (kontakt, kalender, nyheter, sok, tillganglighet, …) do not
exist yet while bodies render: a link that names no editor's page or file is kept as the URL
it would have (``../kontakt.md`` → ``/site/kontakt/``, ``/site/sok/`` as written) and checked
once every page and file of the site is known (``missing``).
"""
from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit

from sitegen.messages import _
from sitegen.model import Page
from sitegen.problems import display_path
from sitegen.slugs import slugify

if TYPE_CHECKING:   # names for the annotations only; markdown.py is the module that uses markdown-it
    from sitegen.markdown import MarkdownIt, Token

# Raw HTML images; comments are skipped.
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# A link destination with spaces, as editors write file names: up to a file extension (or a
# trailing /) and an optional #fragment, right before the closing parenthesis.
_SPACED_DESTINATION = re.compile(r"[^\s<>()\"][^<>()\n\"]{0,300}?(?:\.[A-Za-z0-9]{1,5}|/)(?:#[^\s<>()\"]*)?"
                                 r"(?=[ \t]*\))")


@dataclass(frozen=True)
class LaterLink:
    """A link to a page or file that is not an editor's: checked when the site is complete."""

    line: int
    href: str      # as the editor wrote it
    url: str       # site-relative URL it leads to, e.g. kontakt/ or nyheter/rss.xml
    file: str = ""   # the file in the site's folder a relative path names (om-oss.md), to say where it looked


def allow_spaces_in_destinations(md: MarkdownIt) -> None:
    """Let ``[text](Vår historia.md)`` be a link: CommonMark ends a destination at its first
    space, so the whole link would be published as written."""
    standard = md.helpers.parseLinkDestination

    def parse(string: str, pos: int, maximum: int):
        result = standard(string, pos, maximum)
        if result.ok and result.pos < maximum and string[result.pos] in " \t" and string[pos] != "<":
            match = _SPACED_DESTINATION.match(string, pos, maximum)
            if match is not None and match.end() > result.pos:
                result.str, result.pos = match.group(0), match.end()
        return result

    md.helpers = SimpleNamespace(parseLinkLabel=md.helpers.parseLinkLabel, parseLinkTitle=md.helpers.parseLinkTitle,
                                 parseLinkDestination=parse)


class PageLinks:
    """Resolves the links and images of one page's body; reports what is missing."""

    def __init__(self, site, problems, page: Page, env: dict):
        self.site, self.problems, self.page, self.env = site, problems, page, env
        self.later: list[LaterLink] = []
        self._found: dict[str, str] = {}   # href -> URL, for links that found their page or file

    # --- Markdown links and images ------------------------------------------------------

    def link(self, children: list, index: int, line: int) -> None:
        token = children[index]
        href = token.attrGet("href") or ""
        resolved = self.resolve_link(href, line)
        if resolved == "":   # an unpublished page: the text stays, the link is left out
            token.hidden = True
            closing = next((t for t in children[index + 1:] if t.type == "link_close"), None)
            if closing is not None:
                closing.hidden = True
        elif resolved is not None:
            token.attrSet("href", resolved)

    def image(self, token: Token, line: int) -> None:
        src = token.attrGet("src") or ""
        self._check_alt(token, line)
        target = local_target(self.page, src)
        if target is None:
            return
        output = self.site.assets.get(target)
        if output is None:
            self._missing_image(line, unquote(src), target)
            return
        token.attrSet("src", self.site.href(output))
        self.env["asset_paths"][self.site.href(output)] = target

    def _missing_image(self, line: int, src: str, target: str) -> None:
        self.problems.error(self.page.source, line, missing_image(self.site, src, target, self.problems))

    def _check_alt(self, token: Token, line: int) -> None:
        decorative = "decorative" in (token.attrGet("class") or "").split()
        if not (token.content or "").strip() and not decorative:
            self.problems.error(self.page.source, line,
                                _("image without alt text: describe it in ![text](...) "
                                  "or mark it {.decorative}"))

    def resolve_link(self, href: str, line: int) -> str | None:
        """Page URL for a relative .md link (or asset); None leaves the link as written, "" leaves
        the link out (a draft or unpublished page: its text stays)."""
        found = self._found.get(href)
        if found is not None:
            return found
        waiting = len(self.later)
        resolved = self._resolve(href, line)
        if resolved and len(self.later) == waiting:   # found, nothing to report or check later
            self._found[href] = resolved
        return resolved

    def _resolve(self, href: str, line: int) -> str | None:
        page, site = self.page, self.site
        parts = urlsplit(href)
        suffix = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
        target = local_target(page, href)
        if target is None and href.startswith("/") and not href.startswith("//"):
            target = self._site_target(href, line)
        if target is None:
            return None
        if target == ".." or target.startswith("../"):
            self.problems.error(page.source, line, _("link to '{href}', which is outside the site: "
                                                     "link to a page of this site, or give a full address")
                                .format(href=unquote(href)))
            return None
        if target.endswith(".md"):
            linked = site.by_source.get(target) or site.by_source.get(posixpath.join(target[:-3], "index.md"))
            if linked is not None:
                return site.href(linked) + suffix
            if target in site.broken or posixpath.join(target[:-3], "index.md") in site.broken:
                return None   # the page exists but failed to load: its own error says why
            if target in site.hidden:
                self.problems.warning(page.source, line, _("link to '{href}', which is a draft or not yet "
                                                           "published; its text is shown without the link")
                                      .format(href=unquote(href)))
                return ""
            return self._later(line, href, _page_url(target[:-3]), suffix, target)
        if target in site.assets:
            return site.href(site.assets[target]) + suffix
        index = posixpath.join(target, "index.md") if target else "index.md"
        if index in site.by_source:
            return site.href(site.by_source[index]) + suffix
        if target and PurePosixPath(target).suffix:
            return self._later(line, href, target, suffix, target)   # a file sitegen makes: nyheter/rss.xml
        return self._later(line, href, _page_url(target), suffix)

    def _later(self, line: int, href: str, url: str, suffix: str, file: str = "") -> str:
        self.later.append(LaterLink(line, unquote(href), url, file))
        return self.site.href(quote(url)) + suffix

    def _site_target(self, href: str, line: int) -> str | None:
        """The content path a site-absolute link names (/kulturskolan/kurser/index.md,
        /kulturskolan/kontakt/); None for a path outside this site, which is left as written."""
        parts = urlsplit(href)
        path = unquote(parts.path)
        if parts.scheme or parts.netloc:
            return None
        prefix = self.site.config.path_prefix
        if not path.startswith(prefix):
            if path.endswith(".md"):
                self.problems.error(self.page.source, line,
                                    _("link to missing page '{href}': a link to a .md file must point to a "
                                      "page of this site, under '{prefix}'").format(href=unquote(href), prefix=prefix))
            return None
        rest = path[len(prefix):]
        return posixpath.normpath(rest) if rest.strip("/") else ""

    # --- raw HTML images ----------------------------------------------------------------

    def raw_images(self, token: Token, first_line: int) -> None:
        """<img> tags written as HTML: alt text required, a local src must exist (and is
        rewritten to the image's URL, as for Markdown images)."""
        content = token.content
        comments = [m.span() for m in _HTML_COMMENT.finditer(content)] if "<!--" in content else []
        pieces, last = [], 0
        for tag in _IMG_TAG.finditer(content):
            if any(a <= tag.start() < b for a, b in comments):
                continue
            attrs, src_span = _img_attributes(tag.group(0))
            src = html.unescape(attrs.get("src") or "")
            line = first_line + content.count("\n", 0, tag.start())
            if attrs.get("alt") is None:
                self.problems.error(self.page.source, line,
                                    _("<img> without alt text: describe the image in alt=\"...\" "
                                      "(alt=\"\" if it only decorates), or write it as ![text](...)"))
            target = local_target(self.page, src)
            if target is None or src_span is None:
                continue
            output = self.site.assets.get(target)
            if output is None:
                self._missing_image(line, src, target)
                continue
            start = tag.start() + src_span[0]
            pieces += [content[last:start], html.escape(self.site.href(output))]
            last = tag.start() + src_span[1]
        if pieces:
            token.content = "".join(pieces) + content[last:]


def _img_attributes(tag: str) -> tuple[dict, tuple[int, int] | None]:
    attrs: dict = {}
    src_span = None
    for attr in _HTML_ATTR.finditer(tag, 4):
        name = attr.group(1).lower()
        value = next((v for v in attr.group(2, 3, 4) if v is not None), None)
        if name not in attrs:
            attrs[name] = value
            if name == "src" and value is not None:
                group = next(g for g in (2, 3, 4) if attr.group(g) is not None)
                src_span = attr.span(group)
    return attrs, src_span


def _page_url(path: str) -> str:
    """The URL a page at this content path (without .md) has: slugged segments, as tree.py makes them."""
    parts = [slugify(part) for part in path.split("/") if part and part != "index"]
    return "".join(f"{part}/" for part in parts if part)


def missing(later: list[LaterLink], site, files) -> list[LaterLink]:
    """The links among ``later`` that lead to no page and no file of the complete site."""
    found = []
    for link in later:
        url = link.url
        if site.page_at(url) is not None or url in files:
            continue
        if not url.endswith("/") and (site.page_at(url + "/") is not None or f"{url}/index.html" in files):
            continue
        found.append(link)
    return found


def report_missing(page: Page, later: list[LaterLink], site, files, problems) -> None:
    """Each missing link with where it led, so the editor sees why ``../om-oss.md`` is not found:
    the file it names in the site's folder, or the address of a link written as one."""
    for link in missing(later, site, files):
        is_page = link.url.endswith("/") or link.href.endswith(".md")
        if link.file:
            shown = display_path(site.config.content_dir / link.file, problems.root)
            message = _("link to missing page '{href}': it leads to {file}, which does not exist; check the "
                        "address, or remove the link") if is_page else \
                _("link to missing file '{href}': it leads to {file}, which does not exist; check the file "
                  "name, or remove the link")
            message = message.format(href=link.href, file=shown)
        elif (address := site.href(quote(link.url))) != link.href:
            message = _("link to missing page '{href}': it leads to the address {address}, where there is no "
                        "page; check the address, or remove the link").format(href=link.href, address=address)
        else:   # written as the address itself: nothing more to show
            message = _("link to missing page '{href}': check the address, or remove the link").format(href=link.href)
        problems.error(page.source, link.line, message)


def missing_image(site, src: str, target: str, problems) -> str:
    """What to say of an image that is not there: the file it was looked for, so the editor
    sees which folder ``../bilder/x.jpg`` was counted from."""
    return _("image '{src}' not found (looked for {file}): check the file name and its folder").format(
        src=src, file=display_path(site.config.content_dir / target, problems.root))


def local_target(page: Page, href: str) -> str | None:
    """The site-relative path a relative link points at, or None for URLs and anchors."""
    if not href or href.startswith(("#", "/", "mailto:", "tel:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    base = posixpath.dirname(page.rel) if page.rel else ""
    joined = posixpath.normpath(posixpath.join(base, unicodedata.normalize("NFC", unquote(parts.path))))
    return "" if joined == "." else joined
