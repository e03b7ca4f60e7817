"""The build, stage by stage: load → model → render → features → write.

All problems of all sites are collected first; only a run without errors writes,
and each site is written to a staging folder that is swapped in when complete.
"""
from __future__ import annotations

import datetime as dt
import importlib
import sys
from dataclasses import dataclass, field
from pathlib import Path

from sitegen import checks, data, images, output, sources, tree
from sitegen.config import SiteConfig, find_sites, load_site_config
from sitegen.features import FEATURES
from sitegen.markdown import BodyRenderer
from sitegen.model import Site
from sitegen.problems import Problems
from sitegen.render import Renderer, site_view
from sitegen.theme import Theme, load_theme, theme_dirs


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


@dataclass
class SiteBuild:
    """Everything one site's build has; features get this and nothing global."""

    site: Site
    theme: Theme
    renderer: Renderer
    problems: Problems
    options: BuildOptions
    files: dict = field(default_factory=dict)    # output path -> str | bytes | Path (copied)
    staging: Path | None = None

    @property
    def config(self) -> SiteConfig:
        return self.site.config


def _features(phase: str):
    for name in FEATURES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue  # a feature not part of this installation
            raise
        if module.PHASE == phase:
            yield module


def prepare_site(site_dir: Path, options: BuildOptions, problems: Problems) -> SiteBuild | None:
    """Load and model one site, then render it into ``files`` (nothing written yet)."""
    config = load_site_config(site_dir, problems)
    if config is None:
        return None
    found, assets = sources.read_sources(site_dir, problems)
    site = tree.build_site(config, found, assets, options.now, options.drafts, problems)
    site.data = data.load_data(site_dir, problems)
    theme = load_theme(config.theme, theme_dirs(options.themes, options.content), config.language,
                       problems, config.config_path, config.lines.get("theme", 1))
    if theme is None:
        return None
    build = SiteBuild(site, theme, Renderer(site, theme, problems), problems, options)
    bodies = BodyRenderer(site, problems)
    for page in site.pages:
        page.html = bodies.render(page)
    checks.check_pages(site, problems)
    for feature in _features("pages"):
        feature.run(build)
    build.renderer.view = site_view(site)  # features may have added well-known links and feeds
    for page in site.pages:
        html = build.renderer.render_page(page)
        if html is not None:
            build.files[page.file_path()] = html
    for rel, url in site.assets.items():
        build.files[url] = site_dir / rel
    build.files.update(images.derived_files(site, problems))  # the resized copies <picture> uses
    for rel, path in theme.static_files().items():
        build.files[f"assets/{rel}"] = path
    for feature in _features("files"):
        feature.run(build)
    return build


def default_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).astimezone()


def run(options: BuildOptions) -> int:
    """Build (or check) the chosen sites; print problems; return the exit status."""
    if options.now is None:
        options.now = default_now()
    problems = Problems(strict=options.check_only, root=options.content.resolve().parent)
    builds = []
    for site_dir in find_sites(options.content, options.sites, problems):
        build = prepare_site(site_dir, options, problems)
        if build is not None:
            builds.append(build)
    if not problems.errors and not options.check_only:
        staged = [(b, output.stage(b.files, options.out, b.config.name)) for b in builds]
        for build, staging in staged:
            build.staging = staging
            for feature in _features("staged"):
                feature.run(build)
        if problems.errors:
            for _, staging in staged:
                output.discard(staging)
        else:
            for build, staging in staged:
                output.swap(staging, options.out / build.config.name)
    report(problems, options, builds)
    return 1 if problems.errors else 0


def report(problems: Problems, options: BuildOptions, builds: list[SiteBuild]) -> None:
    for problem in problems.sorted():
        print(problem.format(), file=sys.stderr)
    if options.quiet:
        return
    errors, warnings = len(problems.errors), len(problems.warnings)
    if errors:
        verb = "check" if options.check_only else "build"
        print(f"{verb} failed: {errors} error(s), {warnings} warning(s); nothing was written"
              if not options.check_only else f"check failed: {errors} error(s), {warnings} warning(s)",
              file=sys.stderr)
        return
    for build in builds:
        pages = sum(1 for name in build.files if str(name).endswith(".html"))
        where = "checked" if options.check_only else f"built into {options.out / build.config.name}"
        print(f"{build.config.name}: {pages} pages {where}")
    if warnings:
        print(f"{warnings} warning(s)", file=sys.stderr)
