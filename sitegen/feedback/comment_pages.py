"""Which pages take comments: blog posts with ``comments: true``, as a build decides it.

The service reads the sites in ``--content`` with the build's own model (cascade, types,
drafts, ``publish``), so a post takes comments exactly when its page shows the comment
form (``sitegen/features/blog.py``). Content changes while the service runs (a new post is
published, or comments are switched off), so the answer is read again when it is older
than ``max_age`` seconds; comments are few, so that costs little.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass

from sitegen.config import load_site_config
from sitegen.model import site_now
from sitegen.feedback.sites import Site
from sitegen.problems import Problems
from sitegen.sources import read_sources
from sitegen.tree import build_site

log = logging.getLogger("sitegen.feedback")


@dataclass(frozen=True)
class SitePages:
    pages: frozenset[str]   # every page path made from a Markdown file
    open: frozenset[str]    # the blog posts that take comments


def page_key(path: str) -> str:
    """``/kulturskolan/blogg/x`` and ``/kulturskolan/blogg/x/`` are one page."""
    return path.rstrip("/") + "/"


def read_site_pages(site: Site, now: dt.datetime) -> SitePages:
    """The site's pages as a build at ``now`` would publish them (problems are the
    build's business: a page that does not load simply takes no comments)."""
    if site.content_dir is None or not site.content_dir.is_dir():
        return SitePages(frozenset(), frozenset())
    problems = Problems()
    config = load_site_config(site.content_dir, problems)
    if config is None:
        return SitePages(frozenset(), frozenset())
    found, assets = read_sources(site.content_dir, problems)
    model = build_site(config, found, assets, now, False, problems)
    pages = frozenset(page_key(model.href(p)) for p in model.pages if not p.generated)
    open_ = frozenset(page_key(model.href(p)) for p in model.pages
                      if p.kind == "blog" and p.date is not None and p.meta.get("comments"))
    return SitePages(pages, open_)


class CommentPages:
    def __init__(self, max_age: float = 60.0):
        self.max_age = max_age
        self.lock = threading.Lock()
        self.cache: dict[str, tuple[float, SitePages]] = {}

    def of(self, site: Site) -> SitePages:
        """Read in a worker thread: it walks the site's files."""
        with self.lock:
            read_at, pages = self.cache.get(site.name, (float("-inf"), None))
            if pages is None or time.monotonic() - read_at > self.max_age:
                try:
                    pages = read_site_pages(site, site_now(None))
                except OSError as exc:  # e.g. the folder is being replaced: no comments now
                    log.error("cannot read the pages of %s: %s", site.name, exc)
                    return SitePages(frozenset(), frozenset())
                self.cache[site.name] = (time.monotonic(), pages)
            return pages

    def verdict(self, site: Site, path: str) -> str:
        """"" when ``path`` takes comments, else the refusal code: ``comments_closed`` for
        a page without comments, ``unknown_page`` for a path that is no page of the site."""
        pages = self.of(site)
        key = page_key(path)
        if key in pages.open:
            return ""
        return "comments_closed" if key in pages.pages else "unknown_page"
