"""Model stage: turn source files into a ``Site`` — URLs, cascade, types, drafts, the page tree."""
from __future__ import annotations

import datetime as dt
from pathlib import Path, PurePosixPath

from sitegen.config import SiteConfig
from sitegen.model import Page, PreviewStatus, Site, as_datetime, first_after, sort_pages
from sitegen.problems import Problems
from sitegen.pagetypes import BUILTIN
from sitegen.localtime import STOCKHOLM
from sitegen.schema import validate
from sitegen.schemas import cascade_schema, front_matter_schema
from sitegen.slugs import slugify, split_date_prefix
from sitegen.sources import Asset, SourceFile
from sitegen.yamlload import MarkedList
from sitegen.messages import _

def _folder_slugs(rel: PurePosixPath, path: Path, problems: Problems) -> tuple[str, ...] | None:
    slugs = []
    for part in rel.parent.parts:
        slug = slugify(part)
        if not slug:
            problems.error(path, 1, _("folder name '{part}' gives an empty URL segment: use letters or digits").format(
                                        part=part))
            return None
        slugs.append(slug)
    return tuple(slugs)


def page_url(source: SourceFile, problems: Problems) -> tuple[str, str | None] | None:
    """URL relative to the site and the date in the file name, if any."""
    folders = _folder_slugs(source.rel, source.path, problems)
    if folders is None:
        return None
    stem = source.rel.stem
    if stem == "index":
        return "".join(f"{s}/" for s in folders), None
    date_text, name = split_date_prefix(stem)
    slug = slugify(name)
    if not slug:
        problems.error(source.path, 1, _("file name '{name}' gives an empty URL segment: use letters or digits").format(
                                           name=source.rel.name))
        return None
    return "".join(f"{s}/" for s in folders) + slug + "/", date_text


def _section_cascades(sources: list[SourceFile], problems: Problems,
                      type_fields: dict | None = None) -> dict[PurePosixPath, dict]:
    """Validated cascade map of every folder, inherited from the folders above it."""
    own: dict[PurePosixPath, dict] = {}
    for source in sources:
        if source.rel.stem == "index" and "cascade" in source.meta:
            cascade = source.meta["cascade"]
            own[source.rel.parent] = validate(cascade, cascade_schema(cascade, type_fields), source.path, problems, "cascade.")
    folders = {s.rel.parent for s in sources} | set(own)
    result: dict[PurePosixPath, dict] = {}
    for folder in sorted(folders, key=lambda f: len(f.parts)):
        inherited: dict = {}
        for depth in range(len(folder.parts) + 1):
            ancestor = PurePosixPath(*folder.parts[:depth]) if depth else PurePosixPath(".")
            inherited.update(own.get(ancestor, {}))
        result[folder] = inherited
    return result


def _defaults_for(source: SourceFile, cascades: dict) -> dict:
    """Cascade values that apply to this file: a section's cascade is for the pages below it."""
    folder = source.rel.parent
    if source.rel.stem == "index":
        if folder == PurePosixPath("."):
            return {}
        folder = folder.parent
    return cascades.get(folder, {})


def _check_dates(source: SourceFile, meta: dict, file_date: str | None, problems: Problems) -> None:
    if file_date:
        try:
            named = dt.date.fromisoformat(file_date)
        except ValueError:
            problems.error(source.path, 1, _("'{file_date}' in the file name is not a valid date").format(
                                               file_date=file_date))
            return
        given = meta.get("date")
        given_day = given.date() if isinstance(given, dt.datetime) else given
        if given is not None and given_day != named:
            problems.error(source.path, source.meta.line_of("date"),
                           _("'date' {given_day} differs from the date {named} in the file name").format(
                               given_day=given_day, named=named))
        elif given is None:
            meta["date"] = named
    publish, expires = as_datetime(meta.get("publish")), as_datetime(meta.get("expires"))
    if publish and expires and expires <= publish:
        problems.error(source.path, source.meta.line_of("expires"), _("'expires' must come after 'publish'"))


def _keys_of_other_types(types: dict, schema: dict) -> dict[str, list[str]]:
    """Key -> the page types that have it, for the keys ``schema`` (one page's type) lacks:
    an event's ``start`` on a page is named as the event's, not as unknown."""
    found: dict[str, list[str]] = {}
    for name, page_type in types.items():
        for key in page_type.fields:
            if key not in schema:
                found.setdefault(key, []).append(name)
    return found


def make_page(source: SourceFile, cascades: dict, problems: Problems, types: dict | None = None) -> Page | None:
    """``types``: the page types of the site (``pagetypes.load``), the built-in ones by default."""
    types = BUILTIN if types is None else types
    located = page_url(source, problems)
    defaults = _defaults_for(source, cascades)
    page_type = source.meta.get("type", defaults.get("type", "page"))
    if page_type not in types:
        problems.error(source.path, source.meta.line_of("type"),
                       _("'type' must be one of {value}, not '{page_type}'. Choose one of them, or remove the "
                         "line for an ordinary page").format(
                           value=', '.join(types), page_type=page_type))
        return None
    if types[page_type].broken:
        return None   # the type's file has an error, reported there: its pages wait for it
    schema = front_matter_schema(page_type, {name: t.fields for name, t in types.items()})
    unknown = any(key not in schema for key in source.meta)   # only then are the other types' keys needed
    own = validate(source.meta, schema, source.path, problems,
                   other_types=_keys_of_other_types(types, schema) if unknown else None)
    if "cascade" in own and source.rel.stem != "index":
        problems.error(source.path, source.meta.line_of("cascade"),
                       _("'cascade' belongs in a section's index.md"))
    meta = {k: v for k, v in defaults.items() if k in schema}
    meta.update(own)
    meta["type"] = page_type
    if located is None:
        return None
    url, file_date = located
    _check_dates(source, meta, file_date, problems)
    for key in types[page_type].required:
        if key == "date" and file_date:   # the file name's date, or its error ("2026-11-31" in the name)
            continue
        if key not in meta and key not in source.meta:   # a bad value is reported as such
            problems.error(source.path, source.meta.line, _("'{key}' is required for type '{page_type}'").format(
                                                              key=key, page_type=page_type))
    return Page(url=url, meta=meta, source=source.path, rel=source.rel.as_posix(),
                lines=dict(source.meta.lines), item_lines=_item_lines(source.meta), body=source.body, body_line=source.body_line,
                is_section=source.rel.stem == "index")


def _item_lines(meta) -> dict:
    return {key: list(value.lines) for key, value in meta.items() if isinstance(value, MarkedList)}


def publish_moment(page: Page) -> dt.datetime | None:
    """When the page is published: ``publish``; for a news item without it, its ``date`` (a
    news item dated in the future waits for its date, as a scheduled page does). A service
    disruption is the exception: one dated ahead is a planned disruption, announced at once."""
    publish = as_datetime(page.meta.get("publish"))
    if publish is None and page.kind == "news" and page.meta.get("category") != "driftstorning":
        return as_datetime(page.meta.get("date"))
    return publish


def _visible(page: Page, now: dt.datetime, drafts: bool) -> bool:
    if page.meta.get("draft") and not drafts:
        return False
    publish = publish_moment(page)
    return drafts or publish is None or publish <= now


def _mark_for_preview(page: Page, now: dt.datetime) -> None:
    """With drafts shown (``serve``, ``--drafts``) a draft or a page not yet published says so
    on the page, so the editor does not take the preview for what visitors see."""
    publish = publish_moment(page)
    if page.meta.get("draft"):
        page.preview_status = PreviewStatus("draft")
    elif publish is not None and publish > now:
        local = publish.astimezone(STOCKHOLM)
        page.preview_status = PreviewStatus("scheduled", local, (local.hour, local.minute) != (0, 0))


def _virtual_section(url: str, name: str) -> Page:
    """A folder without index.md still gets a section page, so breadcrumbs and menus hold."""
    return Page(url=url, meta={"title": name, "type": "page"}, is_section=True)


def _link_tree(pages: list[Page], config: SiteConfig) -> Page:
    sections = {p.url: p for p in pages if p.is_section}
    if "" not in sections:
        root = Page(url="", meta={"title": config.title, "type": "page"}, is_section=True)
        sections[""] = root
        pages.insert(0, root)
    for page in list(pages):
        if page.url == "":
            continue
        parts = page.url.rstrip("/").split("/")
        parent_url = "".join(f"{s}/" for s in parts[:-1])
        chain = []
        while parent_url not in sections:
            chain.append(parent_url)
            parent_parts = parent_url.rstrip("/").split("/")
            parent_url = "".join(f"{s}/" for s in parent_parts[:-1])
        for missing in reversed(chain):
            name = missing.rstrip("/").split("/")[-1].replace("-", " ").capitalize()
            section = _virtual_section(missing, name)
            section.parent = sections[parent_url]
            section.parent.children.append(section)
            sections[missing] = section
            pages.append(section)
            parent_url = missing
        page.parent = sections[parent_url]
        page.parent.children.append(page)
    for page in pages:
        page.children = sort_pages(page.children)
    return sections[""]


def build_site(config: SiteConfig, sources: list[SourceFile], assets: list[Asset], now: dt.datetime,
               drafts: bool, problems: Problems, broken: set[str] | None = None) -> Site:
    """``broken``: rel paths of pages that failed to load (``sources.read_sources``)."""
    types = config.page_types or BUILTIN
    cascades = _section_cascades(sources, problems, {name: t.fields for name, t in types.items()})
    broken = set(broken or ())
    pages: list[Page] = []
    seen: dict[str, Page] = {}
    hidden: set[str] = set()
    turns: list[dt.datetime | None] = []   # publish and expiry moments: the site changes then
    for source in sources:
        page = make_page(source, cascades, problems, types)
        if page is None:
            broken.add(source.rel.as_posix())
            continue
        turns.append(publish_moment(page))
        if not _visible(page, now, drafts):
            hidden.add(page.rel)
            continue
        if drafts:
            _mark_for_preview(page, now)
        if page.url in seen:
            other = seen[page.url]
            problems.error(page.source, 1, _("same URL '{path_prefix}{url}' as {rel}: rename one of the files").format(
                                               path_prefix=config.path_prefix, url=page.url, rel=other.rel))
            continue
        seen[page.url] = page
        expires = as_datetime(page.meta.get("expires"))
        page.expired = bool(expires and expires <= now)
        turns.append(expires)
        pages.append(page)
    root = _link_tree(pages, config)
    site = Site(config=config, root=root, pages=pages, now=now, drafts=drafts)
    site.by_source = {p.rel: p for p in pages if p.rel}
    site.hidden = hidden
    site.broken = broken
    site.next_change = first_after(turns, now)
    site.assets = _asset_urls(assets, problems)
    return site


def _asset_urls(assets: list[Asset], problems: Problems) -> dict[str, str]:
    """Assets keep their place in the tree, with slugged folder and file names."""
    urls = {}
    for asset in assets:
        folders = _folder_slugs(asset.rel, asset.path, problems)
        stem = slugify(asset.rel.stem)
        if folders is None or not stem:
            if stem == "":
                problems.error(asset.path, 1, _("file name '{name}' gives an empty URL segment").format(
                                                  name=asset.rel.name))
            continue
        urls[asset.rel.as_posix()] = "".join(f"{s}/" for s in folders) + stem + asset.rel.suffix.lower()
    return urls
