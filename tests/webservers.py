"""Real nginx and Apache, configured from the snippets of docs/deploy.md, for the tests.

The snippets are taken from the doc as they are; only what a reader changes is replaced: the
site's name (``kulturskolan``, the part repeated for every site), the folder ``/srv/www/``, and
the listening address (``80`` becomes a free port on 127.0.0.1). Each replacement must find
its text, so a doc that changes shape fails here instead of testing something else.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from testkit import REPO

DOC = REPO / "docs" / "deploy.md"
FEEDBACK_PROXY = REPO / "contrib" / "nginx-feedback.conf"
SNIPPET = re.compile(r"<!-- snippet: ([a-z-]+) -->\n```[a-z]+\n(.*?)```", re.DOTALL)
DOC_SITE = "kulturskolan"
PLACEHOLDER = "    # the part of each site on this host\n"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"


def snippets() -> dict[str, str]:
    found = dict(SNIPPET.findall(DOC.read_text(encoding="utf-8")))
    assert found, "docs/deploy.md has no <!-- snippet: ... --> blocks"
    return found


def replaced(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is not in the snippet:\n{text}"
    return text.replace(old, new)


def per_site(snippet: str, sites: list[str]) -> str:
    return "".join(replaced(snippet, DOC_SITE, site) for site in sites)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def www_root(build: Path, sites: list[str]) -> Path:
    """A folder laid out as docs/deploy.md says (``<root>/<site>/current`` -> the build),
    readable by the servers' worker users."""
    root = Path(tempfile.mkdtemp(prefix="sitegen-www-"))
    root.chmod(0o755)
    for site in sites:
        (root / site).mkdir()
        (root / site / "current").symlink_to(build / site)
    (root / "start" / "current").mkdir(parents=True)
    return root


# --- nginx -----------------------------------------------------------------

def nginx_conf(root: Path, work: Path, port: int, sites: list[str], feedback_port: int) -> Path:
    parts = snippets()
    site_parts = per_site(parts["nginx-site-server"] + parts["nginx-site-feedback"], sites)
    host = replaced(parts["nginx-host"], PLACEHOLDER,
                    "".join("    " + line + "\n" for line in site_parts.splitlines()))
    # sitegen-feedback.conf beside nginx.conf: contrib/nginx-feedback.conf as shipped.
    (work / "sitegen-feedback.conf").write_text(replaced(FEEDBACK_PROXY.read_text(encoding="utf-8"),
        "127.0.0.1:8081", f"127.0.0.1:{feedback_port}"), encoding="utf-8")
    http = replaced(host, "listen 80;", f"listen 127.0.0.1:{port};") + per_site(parts["nginx-site-http"], sites)
    http = replaced(http, "/srv/www/", f"{root}/")
    (work / "sitegen-listen.conf").write_text(replaced(parts["nginx-listen"], "listen 80;",
                                                       f"listen 127.0.0.1:{port};"), encoding="utf-8")
    conf = work / "nginx.conf"
    conf.write_text(f"""pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
worker_processes 1;
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{http}
}}
""", encoding="utf-8")
    return conf


def nginx_test(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NGINX, "-t", "-p", str(conf.parent), "-c", str(conf)],
                          capture_output=True, text=True, timeout=60)


# --- Apache ----------------------------------------------------------------

def apache_conf(root: Path, work: Path, port: int, sites: list[str], feedback_port: int) -> Path:
    parts = snippets()
    feedback = replaced(parts["apache-site-feedback"], "127.0.0.1:8081", f"127.0.0.1:{feedback_port}")
    site_parts = per_site(parts["apache-site-vhost"] + feedback, sites)
    host = replaced(parts["apache-host"], PLACEHOLDER,
                    "".join("    " + line + "\n" for line in site_parts.splitlines()))
    main = replaced(host, "*:80", f"127.0.0.1:{port}") + per_site(parts["apache-site-server"], sites)
    main = replaced(main, "/srv/www/", f"{root}/")
    modules = ["mpm_event", "authz_core", "alias", "dir", "mime", "headers", "rewrite", "proxy", "proxy_http"]
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    conf = work / "apache2.conf"
    conf.write_text("".join(f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so\n" for m in modules) + f"""
ServerRoot {work}
ServerName localhost
DefaultRuntimeDir {work}
PidFile {work}/apache2.pid
ErrorLog {work}/error.log
LogLevel warn
{user}Listen 127.0.0.1:{port}
TypesConfig /etc/mime.types
DirectoryIndex index.html
# As Debian's apache2.conf has it:
<Directory />
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
{main}
""", encoding="utf-8")
    return conf


def apache_test(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([APACHE, "-t", "-f", str(conf)], capture_output=True, text=True, timeout=60)


# --- running ---------------------------------------------------------------

def need(program: str, package: str) -> None:
    if not Path(program).exists():
        pytest.skip(f"{package} is not installed (apt-get install {package})")


class Running:
    """A server process on 127.0.0.1:port, stopped by ``stop``."""

    def __init__(self, command: list[str], port: int, log: Path):
        self.port, self.log = port, log
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{command[0]} stopped: {self.process.stderr.read()} {self._log()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{command[0]} did not listen on {port}: {self._log()}")

    def _log(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_nginx(conf: Path, port: int) -> Running:
    return Running([NGINX, "-p", str(conf.parent), "-c", str(conf), "-g", "daemon off;"], port,
                   conf.parent / "error.log")


def start_apache(conf: Path, port: int) -> Running:
    return Running([APACHE, "-f", str(conf), "-DFOREGROUND"], port, conf.parent / "error.log")
