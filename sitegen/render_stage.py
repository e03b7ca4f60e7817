"""The render stage of a build: page bodies from Markdown, which pages must be rendered (their
cache keys), and those pages through their templates while the site is written.

Bodies are rendered before the features run and pages after them (``builder.prepare_site``);
the preview renders a saved body through the same steps (``render_saved``).
"""
from __future__ import annotations

import pickle
from typing import TYPE_CHECKING

from sitegen import cache as build_cache
from sitegen import mdlinks, memory, output, pagekeys, parallel, sources
from sitegen.features import feature_modules
from sitegen.markdown import BodyRenderer, make_parser
from sitegen.messages import _
from sitegen.problems import Problems
from sitegen.render import template_for
from sitegen.theme import TemplateError

if TYPE_CHECKING:   # the build's state; builder imports this module
    from sitegen.builder import SiteBuild


def _page_hooks():
    """``page_written(build, page, rel, html)`` of every feature that has one: called for each
    page as it is rendered (in the workers), so a feature can use the HTML while it is at hand."""
    return [module.page_written for module in feature_modules() if hasattr(module, "page_written")]


def _body_hooks():
    """``body_rendered(build, page)`` of every feature that has one: what a feature reads from a
    page's body HTML (the players of its embeds), done for each body as it is taken."""
    return [module.body_rendered for module in feature_modules() if hasattr(module, "body_rendered")]


def render_bodies(build: SiteBuild) -> None:
    """Markdown to HTML for every page; a cached body is reused when its text and lookups hold."""
    site, problems, cached = build.site, build.problems, build.cache.bodies
    salt = build_cache.body_salt(site)
    todo = []
    for page in site.pages:
        if not page.body.strip():
            continue
        name, key = page.rel or f"url:{page.url}", build_cache.body_key(page, salt)
        entry = cached.get(name)
        if entry is not None and entry.key == key and build_cache.lookups_hold(site, entry.lookups):
            build_cache.replay(problems, entry.problems)
            build.bodies[name] = entry
        else:
            todo.append((page, name, key))
    dropped = len(cached) - len(build.bodies)
    build.cache.bodies = cached = {}   # the old entries not reused go now, before the workers fork
    if todo and dropped:
        memory.give_back()   # and their memory with them (bodies made anew after an upgrade: 56 MB at 10,000 pages)
    strict, parser = problems.strict, make_parser()   # one parser, inherited by the workers

    def job(index: int) -> build_cache.BodyEntry:
        return build_cache.render_body(BodyRenderer, site, todo[index][0], strict, problems.root, parser)

    with build.progress.step(_("Page texts"), len(todo)) as advance:
        entries = parallel.run(job, len(todo), advance)
    build.fresh_bodies = len(todo)
    for (page, name, key), entry in zip(todo, entries):
        entry.key = key
        problems.items.extend(entry.problems)
        build.bodies[name] = entry
    hooks = _body_hooks()
    for page in site.pages:
        entry = build.bodies.get(page.rel or f"url:{page.url}")
        take_body(build, page, entry.html if entry is not None else page.html, hooks)


def take_body(build: SiteBuild, page, html: str, hooks) -> None:
    """A page gets its body's HTML, and the features read from it what they need."""
    page.html = html
    for hook in hooks:
        hook(build, page)


def render_saved(build: SiteBuild, saved: list[sources.SourceFile], problems: Problems,
                 parser=None) -> dict[str, str] | None:
    """The pages of files whose body alone changed, rendered as this build renders them: the
    body (shortcodes, embeds), the features' body hooks, its links checked, the page through
    its template. Output path -> HTML; None when a file is not a page of this build or its
    front matter is not the text the build read (the model would change: build it all).

    The build is left as it was: each page gets its new body only while it is rendered.
    ``parser``: a Markdown parser to reuse (making one costs as much as rendering a page)."""
    pages = [build.site.by_source.get(source.rel.as_posix()) for source in saved]
    if any(page is None or not same_front_matter(build.front_matter.get(page.rel), source.meta)
           for page, source in zip(pages, saved)):
        return None
    hooks, parser, renderer, shown = _body_hooks(), parser or make_parser(), build.renderer, {}
    problems_before = renderer.problems
    renderer.problems = problems
    try:
        for page, source in zip(pages, saved):
            kept = page.body, page.body_line, page.html, page.frame_origins, page.contributions
            page.body, page.body_line = source.body, source.body_line
            page.frame_origins, page.contributions = list(page.frame_origins), dict(page.contributions)
            try:
                entry = None
                if page.body.strip():
                    entry = build_cache.render_body(BodyRenderer, build.site, page, problems.strict,
                                                    problems.root, parser)
                    problems.items.extend(entry.problems)
                take_body(build, page, entry.html if entry is not None else "", hooks)
                if entry is not None and entry.later:
                    mdlinks.report_missing(page, entry.later, build.site, build.files, problems)
                html = renderer.render_page(page)
                if html is not None:
                    shown[page.file_path()] = html
            finally:
                page.body, page.body_line, page.html, page.frame_origins, page.contributions = kept
    finally:
        renderer.problems = problems_before
    return shown


def same_front_matter(read, saved) -> bool:
    """Is the saved front matter what the build read, values and lines alike?"""
    return read is not None and pickle.dumps(read) == pickle.dumps(saved)


def check_later_links(build: SiteBuild) -> None:
    """Links to pages and files sitegen makes (kontakt/, nyheter/rss.xml), once they all exist."""
    site = build.site
    for page in site.pages:
        entry = build.bodies.get(page.rel or f"url:{page.url}")
        if entry is not None and entry.later:
            mdlinks.report_missing(page, entry.later, site, build.files, build.problems)


def plan_pages(build: SiteBuild) -> None:
    """Which pages must be rendered: those whose key changed or whose output file is gone."""
    cache, final = build.cache, build.options.out / build.config.name
    keys = pagekeys.PageKeys(build)
    check_only = build.options.check_only
    pages = build.site.pages
    for name in {template_for(page, build.renderer.env) for page in pages}:
        keys.chain_of(name)   # what each template reads: worked out once, before the workers fork
    with build.progress.step(_("Changed pages"), len(pages)) as advance:
        found = parallel.run(lambda index: keys.key(pages[index]), len(pages), advance)
    for page, key in zip(pages, found):   # a key is None where something read has no stable digest
        rel = page.file_path()
        if key is not None:
            build.page_keys[rel] = key
        entry = None if check_only or key is None or cache.page_keys.get(rel) != key else \
            output.intact(final, cache.manifest, rel)
        if entry is not None:
            build.files[rel] = output.Unchanged(entry.digest)
        else:
            build.pending[rel] = page
            build.files[rel] = output.ToRender()   # the key says an HTML file goes there
    if keys.reads_now:
        build.changes_at(build.site.now)   # a template shows the clock: every build differs
    keys.forget()
    if build.renderer.menu is not None:
        build.renderer.menu.forget()


def render_pending(build: SiteBuild, stager: output.Stager | None) -> None:
    """Render the pages the cache could not vouch for and write each as it comes (in workers)."""
    pages = list(build.pending.items())
    renderer, problems = build.renderer, build.problems
    hooks = _page_hooks() if stager is not None else []
    for name in {template_for(page, renderer.env) for _, page in pages}:
        try:
            renderer.env.get_template(name)   # compiled once here, inherited by the workers
        except TemplateError:
            pass

    def job(index: int):
        rel, page = pages[index]
        renderer.problems = Problems(strict=problems.strict, root=problems.root)  # its own list: it may run in a worker
        html = renderer.render_page(page)
        written = None
        if html is not None and stager is not None:
            written = stager.put(rel, html)
            for hook in hooks:
                hook(build, page, rel, html)
        return written, html is not None, renderer.problems.items

    with build.progress.step(_("Pages"), len(pages)) as advance:
        try:
            results = parallel.run(job, len(pages), advance)
        finally:
            renderer.problems = problems
    for (rel, _page), (written, ok, found) in zip(pages, results):
        problems.items.extend(found)
        if not ok:
            del build.files[rel]
            build.page_keys.pop(rel, None)
        elif written is not None:
            stager.manifest[rel] = written
            if written != stager.previous.get(rel):   # written anew (maybe in a worker), not linked
                stager.changed.add(rel)
