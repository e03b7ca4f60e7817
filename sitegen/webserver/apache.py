"""Apache rules of a site, one file per context (docs/deploy.md says where each goes):

- ``apache-directory.conf``: inside the ``<Directory>`` of the site's release (after
  ``Alias``): headers, caching, precompressed files, the 404 and 410 pages, ``_server/`` hidden, and
  the 301 and 410 answers under the site's path;
- ``apache-vhost.conf``: in the ``<VirtualHost>`` of the site's host: 301 and 410 answers for
  paths of that host outside the site's path (a 410 with the site's 410 page);
- ``apache-server.conf``: in the main configuration: a ``<VirtualHost>`` per old host of the
  aliases, at the address the operator defines as ``SITEGEN_OLD_HOSTS``.

Modules: alias, headers, mime, rewrite (``a2enmod headers rewrite``).
"""
from __future__ import annotations

import re

from sitegen.webserver import COMPRESSED_SUFFIXES, HASHED_PATTERN, LONG_CACHE, SHORT_CACHE, Redirect, SiteRules

OLD_HOSTS_VARIABLE = "SITEGEN_OLD_HOSTS"
# Text files other than pages, sent with charset=utf-8 (their .gz too: mod_mime reads every extension).
CHARSET_SUFFIXES = ("css", "js", "json", "xml", "svg", "txt", "ics")


def quoted(text: str) -> str:
    """A double-quoted Apache argument: Apache reads \\\\ and \\" in quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _header_value(text: str) -> str:
    # mod_headers reads %{...}e and the like in a value; %% is a plain '%'.
    return quoted(text.replace("%", "%%"))


def _exact(path: str) -> str:
    """An anchored pattern: Apache's plain Redirect would also match every path below this one."""
    return quoted("^" + re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", path) + "$")


def _target(url: str) -> str:
    # In RedirectMatch's target, $1 and & stand for parts of the match; \ makes them plain.
    return quoted(re.sub(r"([$&])", r"\\\1", url))


def _answers(redirects: list[Redirect], gone: list[str], indent: str) -> list[str]:
    return [*(f"{indent}RedirectMatch permanent {_exact(r.path)} {_target(r.target)}" for r in redirects),
            *(f"{indent}RedirectMatch gone {_exact(path)}" for path in gone)]


def directory_conf(site: SiteRules) -> str:
    prefix = site.prefix
    hashed = "^" + re.escape(prefix).replace("\\/", "/") + HASHED_PATTERN
    suffixes = "|".join(COMPRESSED_SUFFIXES)
    lines = [f"# {site.title} ({site.base_url}): include inside the <Directory> of the site's release",
             f"# (Alias {prefix} .../current/), see docs/deploy.md.",
             "Options FollowSymLinks",
             "AddDefaultCharset utf-8",
             # AddDefaultCharset covers text/plain and text/html only; the rest as nginx's charset_types.
             f"AddCharset utf-8 {' '.join('.' + s for s in CHARSET_SUFFIXES)}",
             f"ErrorDocument 404 {quoted(prefix + '404.html')}",
             f"ErrorDocument 410 {quoted(prefix + '410.html')}",
             f"Header always set Cache-Control {_header_value(SHORT_CACHE)}",
             *(f"Header always set {name} {_header_value(value)}" for name, value in site.headers),
             f"<If {quoted('%{REQUEST_URI} =~ m#' + hashed + '#')}>",
             f"    Header always set Cache-Control {_header_value(LONG_CACHE)}",
             "</If>",
             "# The .gz files the build writes: sent to browsers that accept gzip.",
             "RemoveType .gz",
             "AddEncoding gzip .gz",
             "RewriteEngine On",
             f"RewriteBase {quoted(prefix)}",
             'RewriteCond "%{HTTP:Accept-Encoding}" "gzip"',
             'RewriteCond "%{REQUEST_FILENAME}.gz" -f',
             f'RewriteRule "^(.+\\.(?:{suffixes}))$" "$1.gz" [L]',
             f'<FilesMatch "\\.(?:{suffixes})(?:\\.gz)?$">',
             '    Header append Vary "Accept-Encoding"',
             "</FilesMatch>",
             f"RedirectMatch 404 {quoted('^' + re.escape(prefix).replace(chr(92) + '/', '/') + '_server/')}",
             *_answers(site.inside, site.gone_inside, "")]
    return "\n".join(lines) + "\n"


def _gone_pages(gone: list[str], page: str) -> list[str]:
    """The site's 410 page for its removed paths outside its path: for those paths alone, as
    the host's other paths are other sites' (or the host's own) to answer."""
    return [line for path in gone for line in (f"<LocationMatch {_exact(path)}>",
                                               f"    ErrorDocument 410 {quoted(page)}", "</LocationMatch>")]


def vhost_conf(site: SiteRules) -> str:
    lines = [f"# {site.title}: include in the <VirtualHost> of {site.host}, beside the site's Alias.",
             "# Old addresses on this host outside the site's path.",
             *_answers(site.outside, site.gone_outside, ""),
             *_gone_pages(site.gone_outside, site.prefix + "410.html")]
    return "\n".join(lines) + "\n"


def server_conf(site: SiteRules) -> str:
    lines = [f"# {site.title}: include in the main configuration. A virtual host for each old host of",
             f"# the aliases, at the address you define first: Define {OLD_HOSTS_VARIABLE} *:80"]
    for host, redirects in sorted(site.old_hosts.items()):
        lines += ["", f"<VirtualHost ${{{OLD_HOSTS_VARIABLE}}}>", f"    ServerName {host}",
                  *_answers(redirects, [], "    "),
                  '    RedirectMatch 404 "^/"', "</VirtualHost>"]
    return "\n".join(lines) + "\n"


FILES = {"apache-directory.conf": directory_conf, "apache-vhost.conf": vhost_conf, "apache-server.conf": server_conf}
