"""Editor pages and files at addresses sitegen makes itself.

A generated page or file never silently replaces an editor's, nor the other way round: each
clash is a Problem at the editor's file (line 1: the whole file is in the way), found while
the build is planned, so ``check`` reports it as ``build`` would.
"""
from __future__ import annotations

import functools
import importlib

from sitegen.features import FEATURES
from sitegen.messages import _


@functools.cache   # asked for every page of a site; the features are what they are for the run
def reserved_folders() -> dict[str, str]:
    """Folders a feature fills wholly (its ``OUTPUT_FOLDERS``: folder -> what it holds); no
    editor page, file or alias may go there, as the feature replaces the folder as a whole."""
    folders: dict[str, str] = {}
    for name in FEATURES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue   # a feature not part of this installation
        folders.update(getattr(module, "OUTPUT_FOLDERS", {}))
    return folders


def reserved_folder(rel: str) -> tuple[str, str] | None:
    """(folder, what it holds) when output path ``rel`` lies in a reserved folder."""
    for folder, what in reserved_folders().items():
        if rel.startswith(folder):
            return folder, what
    return None


def report_pages(build) -> None:
    """After the ``pages`` phase: editor pages at the URL of a generated list page, and
    editor pages in a reserved folder."""
    site, problems = build.site, build.problems
    for page, made in site.clashes:
        problems.error(page.source, 1, _("{url} is a page sitegen makes itself ('{title}'), which this file would "
                                         "replace; rename or move the file").format(
                                           url=site.href(page), title=made.title))
    site.clashes.clear()
    for page in site.pages:
        found = reserved_folder(page.file_path()) if page.source is not None else None
        if found is not None:
            problems.error(page.source, 1, _reserved_message(site, *found))


def place_assets(build) -> dict:
    """Put the editor's files (not pages) into the output; return what every editor page and
    file put there, so ``report_replaced`` can tell when a feature wrote over one of them."""
    site, problems, files = build.site, build.problems, build.files
    owners = {page.file_path(): page for page in site.pages}
    site_dir = site.config.content_dir
    for rel, url in site.assets.items():
        found = reserved_folder(url)
        if found is not None:
            problems.error(site_dir / rel, 1, _reserved_message(site, *found))
        elif url in files:
            taken = _describe(files[url], owners.get(url), site)
            problems.error(site_dir / rel, 1, _("{url} is also the address of {taken}; rename or move the file").format(
                                                  url=site.href(url), taken=taken))
        else:
            files[url] = site_dir / rel
    placed = {page.file_path(): (page.source, files.get(page.file_path()))
              for page in site.pages if page.source is not None}
    placed.update({url: (site_dir / rel, files[url]) for rel, url in site.assets.items()
                   if files.get(url) == site_dir / rel})
    return placed


def report_replaced(build, placed: dict) -> None:
    """After the ``files`` phase: an editor's page or file that a generated file replaced
    (the theme's assets/css/main.css, robots.txt, sitemap.xml, a feed)."""
    site = build.site
    for url, (source, value) in placed.items():
        if value is not None and build.files.get(url) is not value:
            build.problems.error(source, 1, _("{url} is a file sitegen makes itself; rename or move this file").format(
                                                url=site.href(url)))


def _describe(value, page, site) -> str:
    if page is not None:
        return _("the page {rel}").format(rel=page.rel) if page.rel else _("a page sitegen makes ('{title}')").format(
                                                           title=page.title)
    return _("the file {value}").format(value=value.relative_to(site.config.content_dir).as_posix()) \
        if hasattr(value, "relative_to") else _("a file sitegen makes")


def _reserved_message(site, folder: str, what: str) -> str:
    return _("{url} is a folder sitegen fills itself ({what}); move this file out of "
             "it").format(url=site.href(folder), what=_(what))
