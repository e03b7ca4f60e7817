"""Published addresses in the build: every address in the site's ledger
(``publicerade-adresser.txt``) must still answer, and the build records what it publishes
(``_server/build.json``) for ``sitegen deploy`` to compare with the release online.

A lost address is an error where the editor fixes it: at the page that most likely has its
content now (suggesting the ``aliases:`` line), else at site.yaml (suggesting ``removed:``).
Runs in ``check`` as in ``build``, so ``check`` lists every lost address at once.
"""
from __future__ import annotations

from sitegen import ledger
from sitegen.messages import _

PHASE = "files"
PROVIDES = ()
NEEDS = ("files", "redirect rules", "server rules")   # last: every file of the site is known


def run(build) -> None:
    items = ledger.published(build)
    build.addresses = items   # the builder compares the sites of a run
    check_ledger(build, items)
    build.files[ledger.RECORD] = ledger.record(build, items)


def check_across_sites(builds: list, problems) -> None:
    """Sites on one host share its address space: an old address (alias) or removed path of
    one site must not be a page or file of another, nor an alias or removed path of another
    (the server rules of both would claim it, and nginx refuses two equal locations). An alias
    on an old host belongs to the one site that has that host (``redirects.check_old_hosts``)."""
    pages: dict = {}
    for build in builds:
        host = ledger.site_host(build.site)
        for item in build.addresses:
            if item.kind in ("page", "generated", "file"):
                pages.setdefault(_on_host(item, host), (build, item))
    claimed: dict = {}
    for build in builds:
        host = ledger.site_host(build.site)
        for item in build.addresses:
            if item.kind not in ("alias", "removed") or ledger.key(item.address, host)[0]:
                continue
            where = _on_host(item, host)
            other = pages.get(where) or claimed.get(where)
            if other is not None and other[0] is not build:
                _report_claimed(build, item, *other)
            else:
                claimed.setdefault(where, (build, item))


def _on_host(item: ledger.Published, host: str) -> tuple[str, str]:
    found = ledger.key(item.address, host)
    return found[0] or host, found[1]


def _report_claimed(build, item: ledger.Published, other_build, other: ledger.Published) -> None:
    site = other_build.config.name
    if other.kind in ("page", "generated", "file"):
        what = _("the address of {address} in the site '{site}'").format(address=other.address, site=site)
    elif other.kind == "alias":
        what = _("also an old address of {page} in the site '{site}'").format(page=other.source, site=site)
    else:
        what = _("also a removed page in the site '{site}'").format(site=site)
    if item.kind == "alias":
        build.problems.error(build.config.content_dir / item.source, item.line,
                             _("alias '{alias}' is {what}: each address can lead to one place only; "
                               "remove it here or there").format(alias=item.address, what=what))
    else:
        build.problems.error(build.config.config_path, item.line,
                             _("removed path '{path}' is {what}: remove it here or there").format(
                                 path=item.address, what=what))


def check_ledger(build, items: list[ledger.Published]) -> None:
    site = build.site
    entries = ledger.read_ledger(site.config.content_dir, build.problems) or []
    host, have = ledger.site_host(site), ledger.answered(build, items)
    lost = [entry for entry in entries if ledger.key(entry.address, host) not in have]
    if not lost:
        return
    recorded = {ledger.key(entry.address, host) for entry in entries}
    pages = [item for item in items if item.kind == "page"]
    new_pages = [item for item in pages if ledger.key(item.address, host) not in recorded]
    previous = _previous_hints(build, host)
    gone = []
    for entry in lost:
        hint = previous.get(ledger.key(entry.address, host)) or ledger.Hint()
        hint.title = hint.title or (entry.note if not ledger.note_target(entry.note) else "")
        hint.target = hint.target or ledger.note_target(entry.note)
        found = ledger.moved_to(hint, new_pages, pages, host)
        if found is None:
            gone.append(entry)
        else:
            _report_moved(build, entry, *found)
    _report_gone(build, gone)


def _previous_hints(build, host: str) -> dict:
    """Hints from the previous build's record in the output folder, when there is one (not in a
    fresh checkout): it knows each page's text, so a page moved and renamed is found too."""
    data = ledger.read_record(build.options.out / build.config.name / ledger.RECORD) or {}
    hints = {}
    for address, info in data.get("addresses", {}).items():
        if isinstance(info, dict) and info.get("kind") in ("page", "alias"):
            hints[ledger.key(address, host)] = ledger.Hint(
                title=str(info.get("title", "")), body=str(info.get("body", "")),
                target=ledger.note_target(str(info.get("note", ""))))
    return hints


def _where(entry: ledger.Entry) -> str:
    return _("{address} was published ({ledger}, line {line}) and would no longer answer").format(
        address=entry.address, ledger=ledger.LEDGER, line=entry.line)


def _report_moved(build, entry: ledger.Entry, item: ledger.Published, reason: str) -> None:
    page = build.site.by_source[item.source]
    aliases = [a for a in page.meta.get("aliases", []) if isinstance(a, str)]
    block = "aliases" in page.item_lines and any(line != page.line_of("aliases")
                                                 for line in page.item_lines["aliases"])
    if block:
        fix = _("add the line '  - {item}' under aliases:").format(item=ledger.yaml_item(entry.address))
    else:
        fix = _flow_fix("aliases", page.lines, [*aliases, entry.address])
    why = {"text": _("this page has its text now"),
           "title": _("this page has its title ('{title}') now").format(title=item.title),
           "led": _("it led to this page")}[reason]
    line = page.line_of("aliases") if "aliases" in page.lines else page.line_of("title")
    build.problems.error(page.source, line, _("the address {where}; {why}: keep it as an old address that "
                                              "leads here, {fix}").format(where=_where(entry), why=why, fix=fix))


def _report_gone(build, gone: list[ledger.Entry]) -> None:
    """One error per lost address at site.yaml, each with the ``removed:`` line that keeps them
    all (an editor who fixes one by one copies the same line)."""
    config = build.config
    paths = [entry.address for entry in gone if entry.address.startswith("/")]
    removed = [r for r in config.removed if isinstance(r, str)]
    block = "removed" in config.item_lines and any(line != config.lines.get("removed")
                                                   for line in config.item_lines["removed"])
    for entry in gone:
        if block:
            fix = _("add the line '  - {item}' under removed:").format(item=ledger.yaml_item(entry.address))
        else:
            fix = _flow_fix("removed", config.lines, [*removed, *paths])
        if not entry.address.startswith("/"):
            message = _("the address {where}: add it to the page that should answer it as an old address "
                        "that leads there (aliases: [{address}])")
        elif _is_file(entry):
            message = _("the file {where}: put the file back, or, to let it answer 'removed page' (410), {fix}")
        else:
            message = _("the address {where}. If another page has its content now, add the address to that "
                        "page as an old address that leads there (aliases: [{address}]); if the page is gone "
                        "for good, make it a removed page (410): {fix}")
        build.problems.error(config.config_path, config.lines.get("removed", 1),
                             message.format(where=_where(entry), fix=fix, address=ledger.yaml_item(entry.address)))


def _flow_fix(key: str, lines: dict, items: list[str]) -> str:
    """The line that keeps every item; when the key is already written, that line is to be
    replaced (a second line with the same key is itself an error)."""
    line = ledger.flow_list(key, items)
    if key in lines:
        return _("replace line {number} ({key}: …) with the line {line} (the whole list), or add the "
                 "missing addresses to the list on that line").format(number=lines[key], key=key, line=line)
    return _("write the line {line}").format(line=line)


def _is_file(entry: ledger.Entry) -> bool:
    return not entry.note and "." in entry.address.rsplit("/", 1)[-1]
