"""Redirects from the old web: a forwarding page for every alias under the site's own
path, and 301 (and 410 for ``removed:``) rules for nginx and Apache."""
from __future__ import annotations

from urllib.parse import urlsplit

PHASE = "files"
RULES_DIR = "_server"


def _alias_target(alias: str, site_host: str) -> tuple[str, str] | None:
    """(host, path) of an alias; host '' means the site's own host."""
    if alias.startswith("/"):
        return "", urlsplit(alias).path
    parts = urlsplit(alias)
    if parts.scheme in ("http", "https") and parts.netloc:
        host = "" if parts.netloc == site_host else parts.netloc
        return host, parts.path or "/"
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


def collect(build) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Aliases as (host, path, target URL); and the removed paths."""
    site, problems = build.site, build.problems
    host = urlsplit(site.config.base_url).netloc
    seen: dict[tuple[str, str], str] = {}
    rules = []
    own_urls = {site.href(p) for p in site.pages}
    for page in site.pages:
        for index, alias in enumerate(page.meta.get("aliases", [])):
            line = page.line_of_item("aliases", index)
            target = _alias_target(alias, host)
            if target is None:
                problems.error(page.source, line, f"alias '{alias}' must start with '/' or be a full "
                                                  "http(s) URL of the old web")
                continue
            if target in seen:
                problems.error(page.source, line, f"alias '{alias}' is also an alias of {seen[target]}")
                continue
            if not target[0] and (target[1] in own_urls or target[1].rstrip("/") + "/" in own_urls):
                problems.error(page.source, line, f"alias '{alias}' is the address of an existing page")
                continue
            seen[target] = page.rel
            rules.append((target[0], target[1], site.absolute_url(page)))
    return rules, list(site.config.removed)


def nginx_rules(rules, removed) -> str:
    own = [r for r in rules if not r[0]]
    other: dict[str, list] = {}
    for host, path, target in rules:
        if host:
            other.setdefault(host, []).append((path, target))
    lines = ["# Include inside the server block of the site's host.",
             *(f"location = {path} {{ return 301 {target}; }}" for _, path, target in own),
             *(f"location = {path} {{ return 410; }}" for path in removed)]
    for host, items in sorted(other.items()):
        lines += ["", f"# Old host {host}: include in the http block.", "server {",
                  f"    server_name {host};",
                  *(f"    location = {path} {{ return 301 {target}; }}" for path, target in items),
                  "}"]
    return "\n".join(lines) + "\n"


def apache_rules(rules, removed) -> str:
    lines = ["# Include in the virtual host of the site (or the server config)."]
    for host, path, target in rules:
        rule = f'Redirect permanent "{path}" "{target}"'
        lines.append(f"<If \"%{{HTTP_HOST}} == '{host}'\">\n    {rule}\n</If>" if host else rule)
    lines += [f'Redirect gone "{path}"' for path in removed]
    return "\n".join(lines) + "\n"


def run(build) -> None:
    rules, removed = collect(build)
    prefix = build.site.config.path_prefix
    for host, path, target in rules:
        out = None if host else _forward_path(path, prefix)
        if out is None or out in build.files:
            continue
        html = build.renderer.render_template("redirect.html", target=target)
        if html is not None:
            build.files[out] = html
    build.files[f"{RULES_DIR}/nginx-redirects.conf"] = nginx_rules(rules, removed)
    build.files[f"{RULES_DIR}/apache-redirects.conf"] = apache_rules(rules, removed)
