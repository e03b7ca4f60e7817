"""Redirects from the old web: a forwarding page for every alias under the site's own
path, and the 301 (and 410 for ``removed:``) rules that ``server_rules`` writes for nginx and
Apache.

Both servers match each rule against the exact, %-decoded path, never the query string: an
alias or removed path with a query is an error (every query would end up at one page), and
so is one that would give one path two answers (an alias twice, an alias that is also
removed, a removed path or alias that is a live page). Paths and hosts are checked by
``addresses`` first: an alias can never name a file outside its site's output, nor put
anything but a host name into a server rule."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen import addresses
from sitegen.clashes import reserved_folder
from sitegen.config import find_sites, load_site_config
from sitegen.messages import N_, _
from sitegen.problems import Problems

PHASE = "files"
PROVIDES = ("redirect rules",)
NEEDS = ("pages", "files")   # last of the files: an alias must not take a generated file's place
RULES_DIR = "_server"
OUTPUT_FOLDERS = {f"{RULES_DIR}/": N_("the web server rules")}   # translated where shown


@dataclass(frozen=True)
class Rule:
    host: str      # '' for the site's own host; else the old host's ASCII (IDNA) name
    path: str      # %-decoded, as the servers compare it
    target: str
    alias: str = field(default="", compare=False)            # as the editor wrote it
    source: Path | None = field(default=None, compare=False)  # and where
    line: int = field(default=0, compare=False)


@dataclass
class Redirects:
    """What the server rules need: the 301 rules and the removed paths (on the site's host)."""

    rules: list[Rule]
    removed: list[str]


def _alias_target(alias: str, site_host: str) -> tuple[str, str] | str:
    """(host, path) of an alias, host '' meaning the site's own host; or what is wrong with it."""
    parts = urlsplit(alias)
    if alias.startswith("/") and not alias.startswith("//"):
        return "", unquote(parts.path)
    if parts.scheme in ("http", "https") and parts.netloc:
        host = addresses.host_name(parts.netloc)
        if host is None:
            return _("alias '{alias}' has no valid host name ('{host}'): write the old address as "
                     "https://host.example.se/path, without user, port or spaces").format(
                alias=alias, host=parts.netloc)
        return ("" if host == site_host else host), unquote(parts.path) or "/"
    return _("alias '{alias}' must start with '/' or be a full http(s) URL of the old web").format(alias=alias)


def _forward_path(path: str, prefix: str) -> str | None:
    """Output file of the forwarding page for an alias path under the site, else None.

    The path is checked (``addresses.path_problem``) before; the result is proven to stay in
    the site's output folder all the same, as every path written for a redirect must."""
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix):]
    if rel == "" or rel.endswith("/"):
        out = rel + "index.html"
    else:
        last = rel.rsplit("/", 1)[-1]
        out = rel if "." in last else rel + "/index.html"
    return out if addresses.inside(out) else None


def _query_error(text: str, what: str) -> str | None:
    query = urlsplit(text).query
    if not query:
        return None
    return _("{what} '{text}' has a query string ('?{query}'): the server rules match the path "
             "only, so it cannot be redirected (each query would get the same answer)").format(
        what=what, text=text, query=query)


class _Collector:
    """Aliases and removed paths, checked against each other and the site's own output."""

    def __init__(self, build):
        self.build, self.site, self.problems = build, build.site, build.problems
        # The host name alone: a port in base_url does not make another host for the server rules.
        self.host = addresses.host_name(urlsplit(self.site.config.base_url).hostname or "") or ""
        self.prefix = self.site.config.path_prefix
        self.own_urls = {self.site.href(p) for p in self.site.pages}
        self.seen: dict[tuple[str, str], tuple[str, str]] = {}   # (host, path) -> (page rel, alias)
        self.forwards: dict[str, tuple[str, str]] = {}           # forwarding file -> (page rel, alias)
        self.rules: list[Rule] = []
        self.others = _other_sites(build, self.host)

    def elsewhere(self, path: str) -> str | None:
        """Why a path on the site's host is not this site's to redirect or remove: the host's
        start page, or the address space of another site of the content folder (also when
        only this site is built, as a deploy does)."""
        if path == "/" and self.prefix != "/":
            return _("'/' is the start page of the whole host, not this site's: give a path under {prefix} or an "
                     "old address of this site").format(prefix=self.prefix)
        for name, prefix in self.others:
            if path == prefix.rstrip("/") or path.startswith(prefix):
                return _("'{path}' is in the site {site} ({prefix}): an old address there belongs in that "
                         "site's pages or its site.yaml").format(path=path, site=name, prefix=prefix)
        return None

    def is_live(self, path: str) -> bool:
        """Whether a path on the site's host is one of its pages or files (generated ones too)."""
        if path in self.own_urls or path.rstrip("/") + "/" in self.own_urls:
            return True
        out = _forward_path(path, self.prefix)
        return out is not None and (out in self.build.files or path[len(self.prefix):] in self.build.files)

    def alias(self, page, index: int, alias: str) -> None:
        target = _alias_target(alias, self.host)
        message = target if isinstance(target, str) else self.alias_problem(page, alias, target)
        if message:
            self.problems.error(page.source, page.line_of_item("aliases", index), message)
            return
        out = None if target[0] else _forward_path(target[1], self.prefix)
        self.seen[target] = (page.rel, alias)
        if out:
            self.forwards[out] = (page.rel, alias)
        self.rules.append(Rule(target[0], target[1], self.site.absolute_url(page), alias, page.source,
                               page.line_of_item("aliases", index)))

    def alias_problem(self, page, alias: str, target: tuple[str, str]) -> str | None:
        problem = _query_error(alias, _("alias")) or addresses.path_problem(target[1], _("alias"), alias)
        if problem:
            return problem
        out = None if target[0] else _forward_path(target[1], self.prefix)
        other = self.seen.get(target)
        if other is None and out in self.forwards and self.forwards[out][0] != page.rel:
            other = self.forwards[out]   # '/a' and '/a/' share one forwarding page: a.html or a/index.html
        if other is not None:
            if other[0] == page.rel:
                text = _("alias '{alias}' is listed twice").format(alias=alias)
            else:
                text = _("alias '{alias}' is also an alias of {page}").format(alias=alias, page=other[0])
            return text + (_(" (as '{alias}')").format(alias=other[1]) if other[1] != alias else "")
        if not target[0] and self.is_live(target[1]):
            return _("alias '{alias}' is the address of an existing page or file").format(alias=alias)
        if not target[0] and self.elsewhere(target[1]):
            return self.elsewhere(target[1])
        folder = reserved_folder(out) if out else None
        if folder is not None:
            return _("alias '{alias}' is in {prefix}{folder}, a folder sitegen fills itself "
                     "({what})").format(
                       alias=alias, prefix=self.prefix, folder=folder[0], what=_(folder[1]))
        return None

    def removed(self) -> list[str]:
        """The removed paths that are fine; the others are errors at their site.yaml line."""
        config, kept = self.site.config, []
        for index, text in enumerate(config.removed):
            message = self.removed_problem(text, kept)
            if message:
                self.problems.error(config.config_path, config.line_of_item("removed", index), message)
            else:
                kept.append(unquote(urlsplit(text).path))
        return kept

    def removed_problem(self, text: str, kept: list[str]) -> str | None:
        path = unquote(urlsplit(text).path)
        if not text.startswith("/") or text.startswith("//"):
            return _("removed path '{text}' must start with '/' (a path on the site's host)").format(text=text)
        problem = _query_error(text, _("removed path")) or addresses.path_problem(path, _("removed path"), text)
        if problem:
            return problem
        if path in kept:
            return _("removed path '{text}' is listed twice").format(text=text)
        if self.elsewhere(path):
            return self.elsewhere(path)
        if ("", path) in self.seen:
            return _("removed path '{text}' is also an alias of {page}: it cannot answer both 301 and 410").format(
                text=text, page=self.seen["", path][0])
        if self.is_live(path):
            return _("removed path '{text}' is the address of an existing page or file, "
                     "which would answer 410").format(text=text)
        return None


def _other_sites(build, host: str) -> list[tuple[str, str]]:
    """(name, path prefix) of the other sites in the content folder on the same host; a site at
    the host's root ('/') is left out, as every path would be in it."""
    found = []
    quiet = Problems()   # the other sites' own mistakes are theirs to report
    for folder in find_sites(build.options.content, [], quiet):
        if folder.resolve() == build.site.config.content_dir.resolve():
            continue
        config = load_site_config(folder, quiet)
        if config is None or config.path_prefix == "/":
            continue
        if (addresses.host_name(urlsplit(config.base_url).hostname or "") or "") == host:
            found.append((config.name, config.path_prefix))
    return found


def collect(build) -> Redirects:
    """Aliases as rules (host, path, target URL); and the removed paths."""
    collector = _Collector(build)
    for page in build.site.pages:
        for index, alias in enumerate(page.meta.get("aliases", [])):
            collector.alias(page, index, alias)
    return Redirects(collector.rules, collector.removed())


def run(build) -> None:
    redirects = collect(build)
    build.redirects = redirects
    prefix = build.site.config.path_prefix
    for rule in redirects.rules:
        out = None if rule.host else _forward_path(rule.path, prefix)
        if out is None or out in build.files:   # the same page's other spelling ('/a' and '/a/')
            continue
        html = build.renderer.render_template("redirect.html", target=rule.target)
        if html is not None:
            build.files[out] = html


def check_old_hosts(builds, problems) -> None:
    """An old host gets one server block (nginx) or virtual host (Apache) that answers for the
    whole host. So an alias may name only a host the operator allows (``old-hosts.txt`` beside
    the content folder: a host another server answers for, such as minasidor.orebro.se, must
    not be taken over by an editor's line), and an old host belongs to one site: a second
    site's block for the same host would be ignored by the server, and its aliases would
    silently stop answering."""
    if not builds:
        return
    content = builds[0].options.content
    allowed = addresses.allowed_old_hosts(content, problems)
    owner: dict[str, str] = {}
    for build in builds:
        redirects = build.redirects
        for rule in redirects.rules if redirects else []:
            if not rule.host:
                continue
            if rule.host not in allowed:
                problems.error(rule.source, rule.line, _(
                    "alias '{alias}' is on the host {host}, which the operator has not allowed for old addresses: "
                    "ask the operator to add {host} to {file} (docs/deploy.md), or remove the alias").format(
                    alias=rule.alias, host=rule.host, file=addresses.OLD_HOSTS_FILE))
                continue
            other = owner.setdefault(rule.host, build.config.name)
            if other != build.config.name:
                problems.error(rule.source, rule.line, _(
                    "alias '{alias}' is on the old host {host}, which has aliases of the site '{other}': the "
                    "server rules give an old host to one site, so put all aliases of {host} in that site").format(
                    alias=rule.alias, host=rule.host, other=other))
