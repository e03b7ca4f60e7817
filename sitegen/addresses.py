"""Old addresses an editor writes (aliases, ``removed:``), checked before they reach a server
rule or an output path.

Editors are semi-trusted: a mistyped or crafted alias must not replace another site's file,
write outside the output, or change what a web server does for other hosts. So a path is
judged as the servers see it (percent-decoded) and a host as a DNS name (IDNA allowed,
written in its ASCII form), and anything else is an error at the editor's line.

This is the one module that imports ``idna``.
"""
from __future__ import annotations

import posixpath
import re
from pathlib import Path

import idna

from sitegen.messages import _
from sitegen.problems import Problems, read_text

# The old hosts the operator lets aliases claim, one a line, in the folder that holds the
# content folder (beside themes/): never inside it, as the content folder is the editors'.
OLD_HOSTS_FILE = "old-hosts.txt"

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_HIDDEN = re.compile(r"\.[^.]")   # .htaccess, .git: a name servers hide or read as settings


def path_problem(path: str, what: str, text: str) -> str | None:
    """Why a %-decoded path cannot be a server rule or a forwarding page, or None when it can.

    ``what`` names the kind (alias, removed path) and ``text`` is what the editor wrote."""
    if _CONTROL.search(path):
        return _("{what} '{text}' has a control character (a line break, tab or similar): "
                 "write the path as it is in the address").format(what=what, text=text.encode("unicode_escape")
                                                                 .decode("ascii"))
    if "\\" in path:
        return _("{what} '{text}' has a backslash: addresses use '/' between their parts").format(
            what=what, text=text)
    segments = path.split("/")[1:]
    if any(segment in (".", "..") for segment in segments):
        return _("{what} '{text}' has a '.' or '..' part (also when written %2e): "
                 "write the path without it").format(what=what, text=text)
    if any(_HIDDEN.match(segment) for segment in segments):
        # A forwarding page named .htaccess would be read by Apache as its settings for the folder.
        return _("{what} '{text}' has a part that starts with '.' (a hidden file such as .htaccess, which "
                 "web servers read as settings): write the address without it").format(what=what, text=text)
    if "" in segments[:-1]:
        return _("{what} '{text}' has an empty part ('//'): servers merge the slashes, "
                 "so write it with one").format(what=what, text=text)
    return None


def host_name(netloc: str) -> str | None:
    """The ASCII (IDNA) form of a host name as written in a URL, or None when it is not one.

    No user, no port, no other characters: the host is written into server rules."""
    if not netloc or any(c in netloc for c in "@:[]"):
        return None
    host = netloc.rstrip(".") if netloc.count(".") > 0 else netloc
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError, ValueError):
        return None
    labels = ascii_host.split(".")
    if len(ascii_host) > 253 or not all(_LABEL.match(label) for label in labels):
        return None
    return ascii_host


def inside(rel: str) -> bool:
    """Whether an output path (relative to a site's output folder) stays inside that folder,
    as written and after normalising."""
    if not rel or rel.startswith("/") or "\\" in rel or _CONTROL.search(rel):
        return False
    normal = posixpath.normpath(rel)
    return normal == rel.rstrip("/") and normal != ".." and not normal.startswith("../") and normal != "."


def image_host_problem(value: str) -> str | None:
    """Why an ``image_hosts`` entry of site.yaml cannot name where a feed's images may come
    from, or None: a host name (``scontent.cdninstagram.com``) or ``*.`` and a name of at least
    two parts (``*.cdninstagram.com``); ``*``, ``*.se`` or an address would allow far too much."""
    text = str(value)
    name = text[2:] if text.startswith("*.") else text
    host = host_name(name.lower())
    if host is None or host != name.lower() or (text.startswith("*.") and "." not in host):
        return _("'{value}' in 'image_hosts' is not a host name: write a host such as scontent.cdninstagram.com, "
                 "or *.cdninstagram.com for all of its sub-domains").format(value=text)
    return None


def old_hosts_file(content: Path) -> Path:
    return content.resolve().parent / OLD_HOSTS_FILE


def allowed_old_hosts(content: Path, problems: Problems) -> frozenset[str]:
    """The hosts in ``old-hosts.txt`` beside the content folder (ASCII form), none when there is
    no such file. A ``#`` starts a comment; a line that is not a host name is an error at it."""
    path = old_hosts_file(content)
    if not path.is_file():
        return frozenset()
    text = read_text(path, problems)
    hosts = set()
    for number, line in enumerate((text or "").splitlines(), 1):
        written = line.split("#", 1)[0].strip()
        if not written:
            continue
        host = host_name(written.lower())
        if host is None:
            problems.error(path, number, _("'{text}' is not a host name: write one host a line, like "
                                           "gamla.orebro.se, without https:// or a path").format(text=written))
        else:
            hosts.add(host)
    return frozenset(hosts)
