"""Published addresses: the ledger of every address a site has published, and what a build
answers, so that no address that was public is lost without an editor's decision (SPEC: "An
address that was published keeps answering (page, alias or an explicit removed:) unless an
editor decided otherwise").

The ledger is ``content/<site>/publicerade-adresser.txt``, committed with the content: one
address a line, then (for the reader of a diff) the page's title or where an old address
leads. ``sitegen adresser uppdatera`` adds what a site publishes now and never drops a line;
the build only reads it (its output is a function of its inputs). Every build writes what it
publishes into ``_server/build.json`` of its output, which ``sitegen deploy`` compares with
the release online (``deploy_checks``).

Addresses are compared as the web servers answer them: the %-decoded path on the site's host
(``/a`` and ``/a/`` are one address when the last segment has no dot: nginx forwards one to
the other), or host and exact path for an old host.
"""
from __future__ import annotations

import hashlib
import json
import os
import textwrap
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from sitegen import confine
from sitegen.fileio import write_atomically
from sitegen.messages import N_, _, translations
from sitegen.problems import Problems, read_text
from sitegen.sources import LEDGER, SourceFile
from sitegen.tree import page_url

RECORD = "_server/build.json"       # what a build published; deploy reads it
RECORD_FORMAT = 1
NOTE_COLUMN = 40
# Kinds of published address that must keep answering; "generated" pages and the addresses
# of unpublished pages answer for an address (or stand for a decision) but are not promised.
PROMISED = ("page", "file", "alias", "removed")


@dataclass(frozen=True)
class Entry:
    """One line of the ledger."""

    address: str     # as written: a path on the site's host, or a full URL on an old host
    note: str        # the page's title, '→ where it leads', ... (for readers; a hint for moves)
    line: int


@dataclass
class Published:
    """An address a build answers, with what tells a moved page by its new address."""

    address: str
    kind: str            # page, generated, file, alias, removed
    note: str = ""
    title: str = ""
    body: str = ""       # digest of the page's rendered text ('' for an empty body)
    source: str = ""     # the page's file (or the alias's), relative to the site folder
    line: int = 0        # an alias's or removed path's line (in its page, in site.yaml)


# --- addresses ----------------------------------------------------------------------

def key(address: str, site_host: str) -> tuple[str, str] | None:
    """(host, path) as the servers compare it; host '' is the site's own. None: no address."""
    if address.startswith("/"):
        # urlsplit only when there is something to split: it is asked for every file of a site
        path = urlsplit(address).path if "?" in address or "#" in address else address
        host, path = "", unquote(path) if "%" in path else path
    elif address.startswith(("http://", "https://")):
        parts = urlsplit(address)
        if not parts.netloc:
            return None
        host = "" if parts.netloc == site_host else parts.netloc
        path = unquote(parts.path) or "/"
    else:
        return None
    trimmed = path.rstrip("/")
    if not host and "." not in trimmed.rsplit("/", 1)[-1]:
        path = trimmed or "/"   # a folder: nginx forwards /a to /a/
    return host, path


def written(address: str) -> str:
    """An address as the ledger holds it: one word, so spaces and '%' are %-encoded."""
    return address.replace("%", "%25").replace(" ", "%20").replace("\t", "%09")


def digest(html: str) -> str:
    """Short digest of a page's rendered text ('' when there is none)."""
    html = html.strip()
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:16] if html else ""


def unpublished_digest(key_: tuple[str, str]) -> str:
    """The build record names unpublished pages by digest only: their addresses are not public."""
    return hashlib.sha256(f"{key_[0]}\0{key_[1]}".encode("utf-8")).hexdigest()[:24]


# --- the ledger -----------------------------------------------------------------------

def ledger_path(site_dir: Path) -> Path:
    return site_dir / LEDGER


def read_ledger(site_dir: Path, problems: Problems) -> list[Entry] | None:
    """The ledger's entries; a line that is no address is an error at its line. No file: none.
    None when the file may not be read (a link out of the site: the walk of the site's files
    reports it, ``confine``) or is not UTF-8 (reported here)."""
    path = ledger_path(site_dir)
    if not os.path.lexists(path):
        return []
    if not confine.readable(path, site_dir, Problems()):
        return None
    text = read_text(path, problems)
    if text is None:
        return None
    entries = []
    for number, line in enumerate(text.lstrip("\ufeff").split("\n"), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        address, _sep, note = line.strip().partition(" ")
        if key(address, "") is None:
            problems.error(path, number, _("'{text}' is not an address: each line starts with a path such as "
                                           "/kulturskolan/anmalan/ or a full address such as "
                                           "https://gamla.orebro.se/sida.aspx").format(text=line.strip()))
            continue
        entries.append(Entry(address, note.strip(), number))
    return entries


# The ledger is committed with the content: its words are Swedish, the editors' language,
# whatever language the update runs in, so that a diff shows only addresses.
LEDGER_HEADER = N_("Published addresses of {title}. Each one has been public (in e-mails, letters, search "
                   "engines) and must keep answering: as a page, as an old address that leads to a page "
                   "(aliases: on that page) or as a removed page (removed: in site.yaml). sitegen check and "
                   "sitegen build stop when one would be lost. New addresses are added with "
                   "'sitegen adresser uppdatera {name}'; delete a line only to let that address answer "
                   "'page not found'.")
REMOVED_NOTE = N_("(removed page)")


def in_swedish(message: str) -> str:
    return translations().get(message, message)


def ledger_text(title: str, name: str, notes: dict[str, str]) -> str:
    """The ledger file: a header for its readers, then every address in order with its note."""
    header = in_swedish(LEDGER_HEADER).format(title=title, name=name)
    lines = ["# " + line for line in textwrap.wrap(header, 92, break_long_words=False, break_on_hyphens=False)]
    for address in sorted(notes):
        note = notes[address]
        lines.append(f"{address.ljust(NOTE_COLUMN)}  {note}" if note else address)
    return "\n".join(lines) + "\n"


def updated_notes(entries: list[Entry], published: list[Published], site_host: str) -> dict[str, str]:
    """The ledger after an update: every entry kept (its note brought up to date while it is
    published), every promised address the site publishes now added."""
    notes = {entry.address: entry.note for entry in entries}
    spelled = {key(address, site_host): address for address in notes}
    for item in published:
        if item.kind not in PROMISED:
            continue
        known = spelled.setdefault(key(item.address, site_host), item.address)
        notes[known] = item.note
    return notes


def write_ledger(site_dir: Path, text: str) -> None:
    """Replace the ledger in one step: a reader sees the old file or the new one."""
    write_atomically(ledger_path(site_dir), text)


# --- what a build publishes -------------------------------------------------------------

def site_host(site) -> str:
    return urlsplit(site.config.base_url).netloc


def published(build) -> list[Published]:
    """Every address the build answers: pages (the editors' and sitegen's), the editors' files,
    old addresses (aliases) and removed pages."""
    site = build.site
    prefix, host = site.config.path_prefix, site_host(site)
    found: list[Published] = []
    for page in site.pages:
        address = prefix + (page.output_path or page.url)
        if page.source is None:
            found.append(Published(address, "generated"))
            continue
        title = " ".join(page.title.split())
        found.append(Published(address, "page", note=title, title=title, body=digest(page.html),
                               source=page.rel))
        for index, alias in enumerate(page.meta.get("aliases", [])):
            alias_key = key(alias, host) if isinstance(alias, str) else None
            if alias_key is not None:
                shown = unquote(urlsplit(alias).path) if not alias_key[0] else alias
                found.append(Published(written(shown), "alias", note=f"→ {site.href(page)}", source=page.rel,
                                       line=page.line_of_item("aliases", index)))
    for url in site.assets.values():
        found.append(Published(written(prefix + url), "file"))
    for index, path in enumerate(site.config.removed):
        if isinstance(path, str) and path.startswith("/"):
            found.append(Published(written(unquote(urlsplit(path).path)), "removed", note=in_swedish(REMOVED_NOTE),
                                   line=site.config.line_of_item("removed", index)))
    return found


def unpublished(site) -> set[tuple[str, str]]:
    """Addresses of pages whose file is there but that are not published (drafts, scheduled) or
    that could not be read (their problem is reported): the editor has decided, or will."""
    found = set()
    for rel in set(site.hidden) | set(site.broken):
        source = SourceFile(Path(rel), PurePosixPath(rel), None, "", 0)
        located = page_url(source, Problems())
        if located is not None:
            found.add(("", key(site.config.path_prefix + located[0], "")[1]))
    return found


def answered(build, items: list[Published]) -> set[tuple[str, str]]:
    """Keys of every address the build answers or has a decision for."""
    host, prefix = site_host(build.site), build.site.config.path_prefix
    keys = {key(item.address, host) for item in items}
    keys.update(key(prefix + written(rel), "") for rel in build.files)
    keys.update(key(prefix + written(rel[:-len("index.html")]), "") for rel in build.files
                if rel.endswith("index.html"))
    return keys | unpublished(build.site)


def record(build, items: list[Published]) -> str:
    """``_server/build.json``: whether the build holds drafts, and what it published."""
    host = site_host(build.site)
    hidden = sorted(unpublished_digest(k) for k in unpublished(build.site))
    addresses = {}
    for item in items:
        addresses.setdefault(item.address, {k: v for k, v in (("kind", item.kind), ("title", item.title),
                                                              ("body", item.body), ("source", item.source),
                                                              ("note", item.note)) if v})
    data = {"format": RECORD_FORMAT, "site": build.config.name, "host": host,
            "drafts": bool(build.options.drafts), "addresses": addresses, "unpublished": hidden}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def read_record(path: Path) -> dict | None:
    """The build record in an output folder; None when there is none."""
    try:
        return parse_record(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


def parse_record(text: str) -> dict | None:
    """A build record's data; None when the text is not one (a build of an older sitegen)."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT \
            or not isinstance(data.get("addresses"), dict):
        return None
    return data


# --- a lost address and where it went ------------------------------------------------------

@dataclass
class Hint:
    """What is known of a lost address: from the ledger's note, or from the build record of the
    previous build or of the release online."""

    title: str = ""
    body: str = ""
    target: str = ""     # where it led, when it was an old address (an alias)


def moved_to(hint: Hint, new_pages: list[Published], pages: list[Published],
             host: str) -> tuple[Published, str] | None:
    """The page that a lost address most likely became, and why: ``text`` (the same text),
    ``title`` (the same title; both among ``new_pages``, the editors' pages at addresses not
    published before, and only when one page fits) or ``led`` (the page an old address led
    to, whose line was deleted, among all the editors' ``pages``)."""
    for reason, wanted in (("text", hint.body), ("title", hint.title.casefold())):
        if wanted:
            found = [p for p in new_pages if (p.body if reason == "text" else p.title.casefold()) == wanted]
            if len(found) == 1:
                return found[0], reason
    if hint.target:
        wanted_key = key(hint.target, host)
        for page in pages:
            if key(page.address, host) == wanted_key:
                return page, "led"
    return None


def note_target(note: str) -> str:
    """Where an old address led, from its ledger note '→ /kulturskolan/anmalan/'."""
    return note[1:].strip() if note.startswith("→") else ""


def yaml_item(text: str) -> str:
    """An address as an item of a YAML flow list: plain when safe, else double-quoted."""
    plain = all(ch.isalnum() or ch in "/._~%:@+=-" for ch in text) and not text.startswith(("@", "%"))
    return text if plain else json.dumps(text, ensure_ascii=False)


def flow_list(key_name: str, items: list[str]) -> str:
    return f"{key_name}: [" + ", ".join(yaml_item(i) for i in items) + "]"
