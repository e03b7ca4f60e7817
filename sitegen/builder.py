"""The build, stage by stage: load → model → render → features → write.

All problems of all sites are collected first; only a run without errors writes,
and each site is written to a staging folder that is swapped in when complete.
"""
from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import cache as build_cache
from sitegen import checks, clashes, data, images, memory, navigation, output, pagetypes, shortcodes, sources, stamps, swap, tree
from sitegen.config import SiteConfig, find_sites, load_site_config
from sitegen.features import FeatureFiles, in_phase, redirects, run_feature
from sitegen.features import ledger as published_addresses
from sitegen.model import Site, site_now
from sitegen.problems import Problems
from sitegen.progress import Progress, for_terminal
from sitegen.render import Renderer, site_view
from sitegen.render_stage import check_later_links, plan_pages, render_bodies, render_pending
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
    files: dict[str, output.FileContent] = field(default_factory=FeatureFiles)   # output path -> what goes there
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
    # is this text's leaves the model as it is (``render_stage.render_saved``).
    front_matter: dict = field(default_factory=dict)

    @property
    def config(self) -> SiteConfig:
        return self.site.config

    def changes_at(self, moment: dt.datetime | None) -> None:
        """Note that the output holds only until ``moment`` (a scheduled page is published, an
        event ends): every use of ``site.now`` that shapes output must say when its answer turns."""
        if moment is not None and (self.next_change is None or moment < self.next_change):
            self.next_change = moment


# Sources read again (their stat changed) from which the memory of the last build's texts is
# handed back at once: 70 MB at 10,000 pages, which the page keys' workers would otherwise share.
STALE_SOURCES_TRIMMED = 500


def _features(phase: str):
    return in_phase(phase)


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
    stale = known.stale()
    del known   # the last build's sources not reused: let go before the bodies are made
    if stale >= STALE_SOURCES_TRIMMED:   # a fresh checkout: every file read again
        memory.give_back()   # their memory too, before the workers fork
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
        run_feature(feature, build)
    clashes.report_pages(build)
    build.renderer.view = site_view(site)  # features may have added well-known links and feeds
    build.renderer.menu = navigation.Menu(site)
    plan_pages(build)
    placed = clashes.place_assets(build)
    build.files.update(images.derived_files(site, problems))  # the resized copies <picture> uses
    for rel, path in theme.static_files().items():
        build.files[f"assets/{rel}"] = path
    for feature in _features("files"):
        run_feature(feature, build)
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


def save_bodies(build: SiteBuild) -> None:
    """Keep the bodies and sources of this build in the cache: keyed by what they were made
    from, they hold for any later build, whether or not this one goes live."""
    if build.options.cache:
        build.cache.bodies = build.bodies
        _saving(build.cache.save_shards)


def save_cache(build: SiteBuild) -> None:
    """Keep the page keys and the manifest: once the output holds this build's pages."""
    if build.options.cache:
        build.cache.page_keys = build.page_keys
        _saving(build.cache.save_index)


def _saving(save) -> None:
    try:
        save()
    except OSError as exc:   # a cache that cannot be written only makes the next build slower
        print(_("note: the build cache could not be saved: {reason}").format(reason=exc), file=sys.stderr)


def release_texts(build: SiteBuild) -> None:
    """The pages are written: their Markdown and HTML, half of what a large build holds, are
    kept in the cache and let go before the search index is made, so that a Pagefind run of
    a larger part fits beside the build in the memory budget (``search_parts``). Nothing
    after this reads a page's text (the staged features read the written files)."""
    save_bodies(build)
    build.bodies = {}
    build.cache.release_shards()
    for page in build.site.pages:
        page.body = page.html = ""
    memory.give_back()


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
        release_texts(build)
        for feature in _features("staged"):
            run_feature(feature, build)
    if problems.errors:
        for _build, staging in staged:
            swap.discard(staging)
    else:
        for build, staging in staged:
            swap.swap(staging, options.out / build.config.name,
                        background=len(build.files) >= BACKGROUND_REMOVAL, spare=options.cache)
            save_cache(build)
        for build, staging in written:
            if staging is None and build.fresh_bodies:   # the output stands, but bodies were rendered
                save_bodies(build)
                save_cache(build)


def report(problems: Problems, options: BuildOptions, summaries: list[tuple[str, int]],
           unchanged: bool = False) -> None:
    shown = problems.sorted()   # each problem once, however many pages met it (a broken template)
    for problem in shown:
        print(problem.format(), file=sys.stderr)
    if options.quiet:
        return
    errors = sum(1 for p in shown if p.severity == "error")
    warnings = len(shown) - errors
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
