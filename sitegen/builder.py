"""The build, stage by stage: load → model → render → features → write.

All problems of all sites are collected first; only a run without errors writes,
and each site is written to a staging folder that is swapped in when complete.
"""
from __future__ import annotations

import datetime as dt
import pickle
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import cache as build_cache
from sitegen import checks, clashes, data, images, mdlinks, navigation, output, pagekeys, pagetypes, parallel, shortcodes, sources, stamps, swap, tree
from sitegen.config import SiteConfig, find_sites, load_site_config
from sitegen.features import feature_modules, in_phase, redirects
from sitegen.features import ledger as published_addresses
from sitegen.markdown import BodyRenderer, make_parser
from sitegen.model import Site, site_now
from sitegen.problems import Problems
from sitegen.progress import Progress, for_terminal
from sitegen.render import Renderer, site_view, template_for
from sitegen.theme import TemplateError
from sitegen.theme import Theme, load_theme, theme_dirs
from sitegen.messages import _


# Sites with at least this many files have their previous output removed in the background.
BACKGROUND_REMOVAL = 2000


@dataclass
class BuildOptions:
    content: Path = Path("content")
    out: Path = Path("build")
    sites: list[str] = field(default_factory=list)
    now: dt.datetime | None = None
    drafts: bool = False
    themes: list[Path] = field(default_factory=list)
    check_only: bool = False
    quiet: bool = False
    cache: bool = True            # use and keep .sitegen-cache/ beside the content folder


@dataclass
class SiteBuild:
    """Everything one site's build has; features get this and nothing global."""

    site: Site
    theme: Theme
    renderer: Renderer
    problems: Problems
    options: BuildOptions
    files: dict[str, output.FileContent] = field(default_factory=dict)    # output path -> what goes there
    staging: Path | None = None
    cache: build_cache.SiteCache | None = None
    progress: Progress = field(default_factory=lambda: Progress(False))
    pending: dict = field(default_factory=dict)   # output path -> Page still to render
    page_keys: dict = field(default_factory=dict)  # output path -> cache key of its page
    bodies: dict = field(default_factory=dict)     # source rel -> cache.BodyEntry of this build
    # After writing: the files whose bytes differ from the previous output (staged features
    # and the preview can tell what a rebuild touched).
    changed: set | None = None
    fresh_bodies: int = 0    # bodies rendered by this build (not taken from the cache)
    refreshed: bool = False  # the staging folder began as the live output's files (output.Stager)
    # A folder beside the output for this build's intermediate files (removed at the end),
    # and what features work out once and use again in a later phase or in the workers.
    scratch: Path | None = None
    # What one feature works out for another or for a later step, each a typed field (no
    # string-keyed side channel between features):
    redirects: object | None = None    # features.redirects.Redirects: read by server_rules, old hosts
    addresses: list = field(default_factory=list)   # ledger.published(): compared across sites
    search_parts: int | None = None    # how many index parts (the render workers write records by it)
    # The first moment at which the output would differ by the clock alone (None: never).
    next_change: dt.datetime | None = None
    # Each page's front matter as read (source rel -> MarkedDict): a save whose front matter
    # is this text's leaves the model as it is (``render_saved``).
    front_matter: dict = field(default_factory=dict)

    @property
    def config(self) -> SiteConfig:
        return self.site.config

    def changes_at(self, moment: dt.datetime | None) -> None:
        """Note that the output holds only until ``moment`` (a scheduled page is published, an
        event ends): every use of ``site.now`` that shapes output must say when its answer turns."""
        if moment is not None and (self.next_change is None or moment < self.next_change):
            self.next_change = moment


def _features(phase: str):
    return in_phase(phase)


def _page_hooks():
    """``page_written(build, page, rel, html)`` of every feature that has one: called for each
    page as it is rendered (in the workers), so a feature can use the HTML while it is at hand."""
    return [module.page_written for module in feature_modules() if hasattr(module, "page_written")]


def _body_hooks():
    """``body_rendered(build, page)`` of every feature that has one: what a feature reads from a
    page's body HTML (the players of its embeds), done for each body as it is taken."""
    return [module.body_rendered for module in feature_modules() if hasattr(module, "body_rendered")]


def prepare_site(site_dir: Path, options: BuildOptions, problems: Problems,
                 progress: Progress | None = None) -> SiteBuild | None:
    """Load and model one site, render its bodies and plan its pages (nothing written yet).

    Pages whose cache key shows them unchanged go into ``files`` as ``output.Unchanged``;
    the others wait in ``pending`` and are rendered while the site is written (``write_site``),
    so the HTML of thousands of pages is never all held in memory at once.
    """
    config = load_site_config(site_dir, problems)
    if config is None:
        return None
    cached = build_cache.load_site_cache(options.content, config.name, options.out, options.cache)
    memo = sources.FrontMatterMemo(cached.front_matter)
    known = sources.KnownSources(cached.sources)
    broken: set[str] = set()   # pages that failed to load: links to them are not "missing"
    found, assets = sources.read_sources(site_dir, problems, memo, broken, known)
    cached.front_matter = memo.used
    cached.sources = known.used
    site = tree.build_site(config, found, assets, options.now, options.drafts, problems, broken)
    site.data = data.load_data(site_dir, problems)
    theme = load_theme(config.theme, theme_dirs(options.themes, options.content), config.language,
                       problems, config.config_path, config.lines.get("theme", 1))
    if theme is None:
        return None
    theme.site = pagetypes.site_templates(site_dir, config.page_types)
    if not options.cache:   # --no-cache: resized images too are made afresh, and kept nowhere
        site.image_cache = Path(tempfile.mkdtemp(prefix="sitegen-images-"))
    renderer = Renderer(site, theme, problems)
    site.markup = shortcodes.ThemeMarkup(renderer.env)
    build = SiteBuild(site, theme, renderer, problems, options,
                      progress=progress or Progress(False), cache=cached)
    build.front_matter = {source.rel.as_posix(): source.meta for source in found}
    build.changes_at(site.next_change)
    render_bodies(build)
    checks.check_pages(site, problems)
    for feature in _features("pages"):
        feature.run(build)
    clashes.report_pages(build)
    build.renderer.view = site_view(site)  # features may have added well-known links and feeds
    build.renderer.menu = navigation.Menu(site)
    plan_pages(build)
    placed = clashes.place_assets(build)
    build.files.update(images.derived_files(site, problems))  # the resized copies <picture> uses
    for rel, path in theme.static_files().items():
        build.files[f"assets/{rel}"] = path
    for feature in _features("files"):
        feature.run(build)
    clashes.report_replaced(build, placed)
    refuse_outside_output(build)
    check_later_links(build)
    return build


def refuse_outside_output(build: SiteBuild) -> None:
    """Every file the build would write lies inside the site's output folder: a path that
    slipped past the checks of what editors write is an error, and is never written."""
    for rel in [*build.files, *build.pending]:
        try:
            output.inside_output(rel)
        except output.OutsideOutput:
            build.problems.error(build.config.config_path, 1, _(
                "the build would write '{path}', outside the site's folder, and writes nothing: check the "
                "folders and addresses in site.yaml and the pages' settings").format(path=rel))
            build.files.pop(rel, None)
            build.pending.pop(rel, None)


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
    strict, parser = problems.strict, make_parser()   # one parser, inherited by the workers

    def job(index: int) -> build_cache.BodyEntry:
        return build_cache.render_body(BodyRenderer, site, todo[index][0], strict, problems.root, parser)

    with build.progress.step("Markdown", len(todo)) as advance:
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
    with build.progress.step("Keys", len(pages)) as advance:
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

    with build.progress.step("Pages", len(pages)) as advance:
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


def write_site(build: SiteBuild) -> Path | None:
    """Write the site into a staging folder: pending pages rendered, the rest linked or written.

    None when the live output already holds every file as this build would write it (and the
    staged features' files are intact): nothing is staged or swapped, which on a large site
    saves creating and linking thousands of folders and files."""
    final = build.options.out / build.config.name
    if (not build.pending and output.holds_already(final, build.cache.manifest, build.files)
            and all(feature.intact(build) for feature in _features("staged"))):
        build.changed = set()
        return None
    stager = output.Stager(build.options.out, build.config.name, build.cache.manifest, keeps(build))
    build.staging = stager.folder   # known at once, so a build stopped half-way removes it (execute)
    build.refreshed = stager.refreshed
    build.scratch = Path(tempfile.mkdtemp(prefix=swap.work_prefix(build.config.name, "scratch"),
                                          dir=build.options.out))
    render_pending(build, stager)
    lost = stager.put_all({rel: content for rel, content in build.files.items() if rel not in build.pending})
    if lost:   # files removed from the output while this build ran: render those pages after all
        by_file = {page.file_path(): page for page in build.site.pages}
        build.pending = {rel: by_file[rel] for rel in lost}
        render_pending(build, stager)
    build.cache.manifest = stager.manifest
    build.changed = stager.changed | (set(stager.previous) - set(stager.manifest))   # written or gone
    return stager.close()


def keeps(build: SiteBuild):
    """Which files of the live output a staging folder made from the spare tree may keep: the
    files this build writes and those a staged feature keeps up to date itself (``keeps``)."""
    files = build.files
    owners = [feature.keeps for feature in _features("staged") if hasattr(feature, "keeps")]
    return lambda rel: rel in files or any(owner(build, rel) for owner in owners)


def save_cache(build: SiteBuild) -> None:
    if not build.options.cache:
        return
    build.cache.bodies = build.bodies
    build.cache.page_keys = build.page_keys
    try:
        build.cache.save()
    except OSError as exc:   # a cache that cannot be written only makes the next build slower
        print(_("note: the build cache could not be saved: {reason}").format(reason=exc), file=sys.stderr)


def run(options: BuildOptions) -> int:
    """Build (or check) the chosen sites; print problems; return the exit status.

    A build whose inputs are all as the last build left them is not run again (``stamps``)."""
    options.now = site_now(options.now)
    if not options.check_only:
        swap.remove_all_leftovers(options.out)   # of builds that were killed half-way
    inputs = stamps.take(options) if options.cache and not options.check_only else None
    done = stamps.replay(options, inputs) if inputs is not None else None
    if done is not None:
        problems = Problems(items=list(done.problems), strict=False)
        report(problems, options, list(done.summaries), unchanged=True)
        return 1 if problems.errors else 0
    problems, builds = execute(options)
    if inputs is not None and builds and not problems.errors:
        stamps.save(options, inputs, builds, problems)
    report(problems, options, [stamps.summary(build) for build in builds])
    return 1 if problems.errors else 0


def execute(options: BuildOptions) -> tuple[Problems, list[SiteBuild]]:
    """Build (or check) the chosen sites; the problems and builds, nothing printed."""
    options.now = site_now(options.now)
    problems = Problems(strict=options.check_only, root=options.content.resolve().parent)
    progress = for_terminal(options.quiet)
    builds = []
    for site_dir in find_sites(options.content, options.sites, problems):
        build = prepare_site(site_dir, options, problems, progress)
        if build is not None:
            builds.append(build)
    check_addresses(builds, problems)
    redirects.check_old_hosts(builds, problems)
    published_addresses.check_across_sites(builds, problems)
    if options.check_only:
        for build in builds:
            render_pending(build, None)   # template errors are found by rendering
    elif not problems.errors:
        try:
            write_all(builds, options, problems)
        finally:   # also when stopped (Ctrl+C): no working folder is left beside the output
            for build in builds:
                if build.scratch is not None:
                    shutil.rmtree(build.scratch, ignore_errors=True)
                if build.staging is not None and build.staging.exists():   # swapped in: gone
                    swap.discard(build.staging)
    for build in builds:
        if build.site.image_cache is not None:
            shutil.rmtree(build.site.image_cache, ignore_errors=True)
    return problems, builds


def check_addresses(builds: list[SiteBuild], problems: Problems) -> None:
    """Each site is served under its own URL path: two sites at one address would overwrite
    each other on the server."""
    seen: dict[str, str] = {}
    for build in builds:
        config = build.config
        host, _sep, path = config.base_url.split("://", 1)[-1].partition("/")
        address = f"{host.lower()}/{path.rstrip('/')}"
        if address in seen:
            problems.error(config.config_path, config.lines.get("base_url", 1),
                           _("base_url '{base_url}' is also the address of the site '{value}'").format(
                               base_url=config.base_url, value=seen[address]))
        else:
            seen[address] = config.name


def write_all(builds: list[SiteBuild], options: BuildOptions, problems: Problems) -> None:
    """Stage every site, run the staged features, and swap all in only when nothing failed."""
    written = [(build, write_site(build)) for build in builds]
    staged = [(build, staging) for build, staging in written if staging is not None]
    if problems.errors:   # a template failed while pages were written
        for _build, staging in staged:
            swap.discard(staging)
        staged = []
    for build, staging in staged:
        build.staging = staging
        for feature in _features("staged"):
            feature.run(build)
    if problems.errors:
        for _build, staging in staged:
            swap.discard(staging)
    else:
        for build, staging in staged:
            swap.swap(staging, options.out / build.config.name,
                        background=len(build.files) >= BACKGROUND_REMOVAL, spare=options.cache)
            save_cache(build)
        for build, staging in written:
            if staging is None and build.fresh_bodies:
                save_cache(build)   # the output stands, but bodies were rendered: remember them


def report(problems: Problems, options: BuildOptions, summaries: list[tuple[str, int]],
           unchanged: bool = False) -> None:
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    if options.quiet:
        return
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        if options.check_only:
            summary = _("check failed: {errors}, {warnings}")
        else:
            summary = _("build failed: {errors}, {warnings}; nothing was written")
        print(summary.format(errors=counted_errors(errors), warnings=counted_warnings(warnings)), file=sys.stderr)
        return
    for name, pages in summaries:
        if options.check_only:
            done = _("{site}: {pages} pages checked").format(site=name, pages=pages)
        else:
            done = _("{site}: {pages} pages built into {folder}").format(site=name, pages=pages, folder=options.out / name)
        print(done + (_(" (nothing changed)") if unchanged else ""))
    if warnings:
        print(counted_warnings(warnings), file=sys.stderr)


def counted_errors(count: int) -> str:
    """The count with its noun (1 error, 2 errors): a message per form, as both languages have two."""
    return (_("{count} error") if count == 1 else _("{count} errors")).format(count=count)


def counted_warnings(count: int) -> str:
    return (_("{count} warning") if count == 1 else _("{count} warnings")).format(count=count)
