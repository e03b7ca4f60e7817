"""Redirects from the old web: a forwarding page for every alias under the site's own
path, and 301 (and 410 for ``removed:``) rules for nginx and Apache.

Both servers match each rule against the exact, %-decoded path, never the query string: an
alias or removed path with a query is an error (every query would end up at one page), and
so is one that would give one path two answers (an alias twice, an alias that is also
removed, a removed path or alias that is a live page)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from sitegen.clashes import reserved_folder
from sitegen.messages import N_, _

PHASE = "files"
RULES_DIR = "_server"
OUTPUT_FOLDERS = {f"{RULES_DIR}/": N_("the web server rules")}   # translated where shown


@dataclass(frozen=True)
class Rule:
    host: str      # '' for the site's own host
    path: str      # %-decoded, as the servers compare it
    target: str


def _alias_target(alias: str, site_host: str) -> tuple[str, str] | None:
    """(host, path) of an alias; host '' means the site's own host."""
    parts = urlsplit(alias)
    if alias.startswith("/"):
        return "", unquote(parts.path)
    if parts.scheme in ("http", "https") and parts.netloc:
        host = "" if parts.netloc == site_host else parts.netloc
        return host, unquote(parts.path) or "/"
    return None


def _forward_path(path: str, prefix: str) -> str | None:
    """Output file of the forwarding page for an alias path under the site, else None."""
    if not path.startswith(prefix):
        return None
    rel = path[len(prefix):]
    if rel == "" or rel.endswith("/"):
        return rel + "index.html"
    last = rel.rsplit("/", 1)[-1]
    return rel if "." in last else rel + "/index.html"


def _query_error(text: str, what: str) -> str | None:
    query = urlsplit(text).query
    if not query:
        return None
    return (_("{what} '{text}' has a query string ('?{query}'): the server rules match "
              "the path only, so it cannot be redirected (each query would get the "
              "same answer)").format(what=what, text=text, query=query))


class _Collector:
    """Aliases and removed paths, checked against each other and the site's own output."""

    def __init__(self, build):
        self.build, self.site, self.problems = build, build.site, build.problems
        self.host = urlsplit(self.site.config.base_url).netloc
        self.prefix = self.site.config.path_prefix
        self.own_urls = {self.site.href(p) for p in self.site.pages}
        self.seen: dict[tuple[str, str], tuple[str, str]] = {}   # (host, path) -> (page rel, alias)
        self.forwards: dict[str, tuple[str, str]] = {}           # forwarding file -> (page rel, alias)
        self.rules: list[Rule] = []

    def is_live(self, path: str) -> bool:
        """Whether a path on the site's host is one of its pages or files (generated ones too)."""
        if path in self.own_urls or path.rstrip("/") + "/" in self.own_urls:
            return True
        out = _forward_path(path, self.prefix)
        return out is not None and (out in self.build.files or path[len(self.prefix):] in self.build.files)

    def alias(self, page, index: int, alias: str) -> None:
        target = _alias_target(alias, self.host)
        out = None if target is None or target[0] else _forward_path(target[1], self.prefix)
        message = self.alias_problem(page, alias, target, out)
        if message:
            self.problems.error(page.source, page.line_of_item("aliases", index), message)
            return
        self.seen[target] = (page.rel, alias)
        if out:
            self.forwards[out] = (page.rel, alias)
        self.rules.append(Rule(target[0], target[1], self.site.absolute_url(page)))

    def alias_problem(self, page, alias: str, target, out: str | None) -> str | None:
        if target is None:
            return _("alias '{alias}' must start with '/' or be a full http(s) URL of the old "
                     "web").format(alias=alias)
        if _query_error(alias, _("alias")):
            return _query_error(alias, _("alias"))
        other = self.seen.get(target)
        if other is None and out in self.forwards and self.forwards[out][0] != page.rel:
            other = self.forwards[out]   # '/a' and '/a/' share one forwarding page: a.html or a/index.html
        if other is not None:
            if other[0] == page.rel:
                problem = _("alias '{alias}' is listed twice").format(alias=alias)
            else:
                problem = _("alias '{alias}' is also an alias of {page}").format(alias=alias, page=other[0])
            return problem + (_(" (as '{alias}')").format(alias=other[1]) if other[1] != alias else "")
        if not target[0] and self.is_live(target[1]):
            return _("alias '{alias}' is the address of an existing page or file").format(alias=alias)
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
            line = config.line_of_item("removed", index)
            path = unquote(urlsplit(text).path)
            message = None
            if not text.startswith("/"):
                message = _("removed path '{text}' must start with '/' (a path on the site's host)").format(
                              text=text)
            elif _query_error(text, _("removed path")):
                message = _query_error(text, _("removed path"))
            elif path in kept:
                message = _("removed path '{text}' is listed twice").format(text=text)
            elif ("", path) in self.seen:
                message = (_("removed path '{text}' is also an alias of {page}: it cannot answer "
                             "both 301 and 410").format(
                               text=text, page=self.seen['', path][0]))
            elif self.is_live(path):
                message = _("removed path '{text}' is the address of an existing page or file, which "
                            "would answer 410").format(text=text)
            if message:
                self.problems.error(config.config_path, line, message)
            else:
                kept.append(path)
        return kept


def collect(build) -> tuple[list[Rule], list[str]]:
    """Aliases as rules (host, path, target URL); and the removed paths."""
    collector = _Collector(build)
    for page in build.site.pages:
        for index, alias in enumerate(page.meta.get("aliases", [])):
            collector.alias(page, index, alias)
    return collector.rules, collector.removed()


def _quoted(text: str) -> str:
    """A double-quoted argument for nginx and Apache alike: both read \\\\ and \\" in quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def nginx_rules(rules: list[Rule], removed: list[str]) -> str:
    own = [r for r in rules if not r.host]
    other: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.host:
            other.setdefault(rule.host, []).append(rule)
    lines = ["# Include inside the server block of the site's host.",
             *(f"location = {_quoted(r.path)} {{ return 301 {_quoted(r.target)}; }}" for r in own),
             *(f"location = {_quoted(path)} {{ return 410; }}" for path in removed)]
    for host, items in sorted(other.items()):
        lines += ["", f"# Old host {host}: include in the http block.", "server {",
                  f"    server_name {host};",
                  *(f"    location = {_quoted(r.path)} {{ return 301 {_quoted(r.target)}; }}" for r in items),
                  "}"]
    return "\n".join(lines) + "\n"


def _exact(path: str) -> str:
    """An anchored pattern: Apache's plain Redirect would also match every path below this one."""
    return _quoted("^" + re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", path) + "$")


def _apache_target(url: str) -> str:
    # In RedirectMatch's target, $1 and & stand for parts of the match; \ makes them plain.
    return _quoted(re.sub(r"([$&])", r"\\\1", url))


def apache_rules(rules: list[Rule], removed: list[str]) -> str:
    lines = ["# Include in the virtual host of the site (or the server config)."]
    for rule in rules:
        line = f"RedirectMatch permanent {_exact(rule.path)} {_apache_target(rule.target)}"
        lines.append(f"<If \"%{{HTTP_HOST}} == '{rule.host}'\">\n    {line}\n</If>" if rule.host else line)
    lines += [f"RedirectMatch gone {_exact(path)}" for path in removed]
    return "\n".join(lines) + "\n"


def run(build) -> None:
    rules, removed = collect(build)
    prefix = build.site.config.path_prefix
    for rule in rules:
        out = None if rule.host else _forward_path(rule.path, prefix)
        if out is None or out in build.files:   # the same page's other spelling ('/a' and '/a/')
            continue
        html = build.renderer.render_template("redirect.html", target=rule.target)
        if html is not None:
            build.files[out] = html
    build.files[f"{RULES_DIR}/nginx-redirects.conf"] = nginx_rules(rules, removed)
    build.files[f"{RULES_DIR}/apache-redirects.conf"] = apache_rules(rules, removed)
