"""nginx rules of a site, one file per context (docs/deploy.md says where each goes):

- ``nginx-location.conf``: inside the site's ``location`` block (after its ``alias``):
  headers, caching, precompressed files, the 404 and 410 pages, ``_server/`` hidden, and the 301 and
  410 answers under the site's path;
- ``nginx-server.conf``: in the ``server`` block of the site's host: 301 and 410 answers
  for paths of that host outside the site's path (a 410 with the site's 410 page);
- ``nginx-http.conf``: in the ``http`` block: a ``server`` block per old host of the aliases,
  listening as the operator's ``sitegen-listen.conf`` says.
"""
from __future__ import annotations

import re

from sitegen.webserver import COMPRESSED_SUFFIXES, HASHED_PATTERN, LONG_CACHE, SHORT_CACHE, Redirect, SiteRules

LISTEN_FILE = "sitegen-listen.conf"


def quoted(text: str) -> str:
    """A double-quoted nginx argument: nginx reads \\\\ and \\" in quotes, and ';', '{', '}', '#'
    and spaces are plain text there. (A location name is never a variable string.)"""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _target(url: str) -> str:
    # In 'return' a '$' starts a variable and nginx has no escape for it; %24 is the same URL.
    return quoted(url.replace("$", "%24"))


def _headers(site: SiteRules, cache: str, indent: str) -> list[str]:
    return [f"{indent}add_header Cache-Control {quoted(cache)} always;",
            *(f"{indent}add_header {name} {quoted(value)} always;" for name, value in site.headers)]


def _answers(redirects: list[Redirect], gone: list[str], indent: str, gone_page: str = "") -> list[str]:
    """``gone_page``: the site's 410 page, for a removed path outside the site's location,
    whose ``error_page`` it does not inherit."""
    answer = f"error_page 410 {quoted(gone_page)}; return 410;" if gone_page else "return 410;"
    return [*(f"{indent}location = {quoted(r.path)} {{ return 301 {_target(r.target)}; }}" for r in redirects),
            *(f"{indent}location = {quoted(path)} {{ {answer} }}" for path in gone)]


def location_conf(site: SiteRules) -> str:
    prefix = site.prefix
    hashed = "^" + re.escape(prefix).replace("\\/", "/") + HASHED_PATTERN
    calendars = "^" + re.escape(prefix).replace("\\/", "/") + r".*\.ics$"
    lines = [f"# {site.title} ({site.base_url}): include inside the site's location block,",
             f"# location ^~ {prefix} {{ alias .../current/; include .../current/_server/nginx-location.conf; }}",
             "charset utf-8;",
             f"charset_types text/css application/javascript application/json text/xml application/xml "
             f"application/rss+xml application/atom+xml text/calendar text/plain image/svg+xml;",
             f"error_page 404 {quoted(prefix + '404.html')};",
             f"error_page 410 {quoted(prefix + '410.html')};",
             "# The .gz files the build writes beside " + ", ".join(f".{s}" for s in COMPRESSED_SUFFIXES) + " files.",
             "gzip_static on;",
             "gzip_vary on;",
             *_headers(site, SHORT_CACHE, ""),
             f"location ^~ {quoted(prefix + '_server/')} {{ return 404; }}",
             f"location ~ {quoted(hashed)} {{",
             *_headers(site, LONG_CACHE, "    "),
             "}",
             # nginx's mime.types has no .ics: without this the calendars would go out as
             # application/octet-stream, which calendar programs refuse (the headers are inherited).
             f"location ~ {quoted(calendars)} {{ types {{ }} default_type text/calendar; }}",
             *_answers(site.inside, site.gone_inside, "")]
    return "\n".join(lines) + "\n"


def server_conf(site: SiteRules) -> str:
    lines = [f"# {site.title}: include in the server block of {site.host}, beside the site's location block.",
             "# Old addresses on this host outside the site's path.",
             *_answers(site.outside, site.gone_outside, "", gone_page=site.prefix + "410.html")]
    return "\n".join(lines) + "\n"


def http_conf(site: SiteRules) -> str:
    lines = [f"# {site.title}: include in the http block. A server for each old host of the aliases;",
             f"# each listens as {LISTEN_FILE} (beside nginx.conf) says."]
    for host, redirects in sorted(site.old_hosts.items()):
        lines += ["", "server {", f"    include {LISTEN_FILE};", f"    server_name {quoted(host)};",
                  *_answers(redirects, [], "    "),
                  "    location / { return 404; }", "}"]
    return "\n".join(lines) + "\n"


FILES = {"nginx-location.conf": location_conf, "nginx-server.conf": server_conf, "nginx-http.conf": http_conf}
