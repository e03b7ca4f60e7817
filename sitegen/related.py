"""``related`` of news items: the pages on which a news item is also shown.

Items are relative ``.md`` paths, resolved like links in Markdown; a missing target is
an error at the line of that list item.
"""
from __future__ import annotations

import posixpath

from sitegen.mdlinks import local_target as _local_target  # the one rule for relative paths in content
from sitegen.model import Page, Site
from sitegen.problems import Problems, display_path
from sitegen.messages import _


def item_lines(page: Page, count: int) -> list[int]:
    """Line of each item of ``related``: the key's line for ``[a, b]``, else the '- ' lines below it."""
    key_line = page.line_of("related")
    try:
        lines = page.source.read_text(encoding="utf-8").split("\n") if page.source else []
    except OSError:
        lines = []
    if key_line > len(lines) or lines[key_line - 1].split(":", 1)[-1].strip():
        return [key_line] * count
    found = []
    for number in range(key_line + 1, len(lines) + 1):
        stripped = lines[number - 1].strip()
        if stripped.startswith("-"):
            found.append(number)
        elif stripped and not stripped.startswith("#") and not lines[number - 1][:1].isspace():
            break  # the next key: the list has ended
    return (found + [key_line] * count)[:count]


def resolve(site: Site, page: Page, problems: Problems) -> list[Page]:
    """The pages ``related`` names; each unresolvable item is reported at its own line."""
    items = page.meta.get("related", [])
    targets = []
    for item, line in zip(items, item_lines(page, len(items))):
        target = _local_target(page, item.strip())
        if target is None or not target.endswith(".md"):
            problems.error(page.source, line, _("'related' item '{item}' must be a relative path to a Markdown file, "
                                                "such as ../om-oss/lokaler.md").format(
                                                  item=item))
            continue
        linked = site.by_source.get(target) or site.by_source.get(posixpath.join(target[:-3], "index.md"))
        if linked is not None:
            targets.append(linked)
        elif target in site.broken:
            continue   # the page exists but failed to load: its own error says why
        elif target in site.hidden:
            problems.warning(page.source, line, _("'related' page '{item}' is a draft or not yet published").format(
                                                    item=item))
        else:
            problems.error(page.source, line, _("'related' names a missing page '{item}': it leads to {file}, which "
                                                "does not exist; check the path").format(
                item=item, file=display_path(site.config.content_dir / target, problems.root)))
    return targets


def attach(site: Site, news: list[Page], listed: set[int], problems: Problems) -> list[tuple[Page, list[Page]]]:
    """Check every item's ``related``; the listed (not expired) ones to show on each page they
    name, as (page, items) in the order the pages are first named.

    ``news`` is newest first, so each page lists its related news newest first.
    """
    shown: dict[int, tuple[Page, list[Page]]] = {}
    for item in news:
        for target in resolve(site, item, problems):
            if id(item) in listed and target is not item:
                items = shown.setdefault(id(target), (target, []))[1]
                if item not in items:
                    items.append(item)
    return list(shown.values())
