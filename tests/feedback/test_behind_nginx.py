"""The service behind a real nginx, configured with contrib/nginx-feedback.conf as shipped
(in the `location /` of a feedback host, as docs/feedback.md shows),
and the systemd unit in contrib/.

nginx reaches the service from 127.0.0.2 (``proxy_bind``), the one address the service is
told to trust (``--forwarded-allow-ips``); visitors come from other loopback addresses. So a
visitor's own X-Forwarded-For is ignored, both when sent straight to the service and through
nginx, and each visitor behind nginx is counted as themselves by the rate limit.
"""
from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .conftest import CLIENT_TIMEOUT, REPO, SERVED_PAGE, Served, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SNIPPET = REPO / "contrib" / "nginx-feedback.conf"
UNIT = REPO / "contrib" / "sitegen-feedback.service"
PROXY_ADDRESS = "127.0.0.2"
LIMIT = 2


def nginx_conf(folder: Path, port: int, service_port: int) -> Path:
    snippet = SNIPPET.read_text(encoding="utf-8")
    assert "proxy_pass http://127.0.0.1:8081;" in snippet
    (folder / "feedback.conf").write_text(
        snippet.replace("127.0.0.1:8081", f"127.0.0.1:{service_port}"), encoding="utf-8")
    temp = "\n".join(f"  {kind}_temp_path {folder / kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = folder / "nginx.conf"
    conf.write_text(f"""
daemon off;
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'nginx-error.log'} warn;
events {{ worker_connections 64; }}
http {{
{temp}
  access_log off;
  server {{
    listen 127.0.0.1:{port};
    server_name feedback.example.se;
    proxy_bind {PROXY_ADDRESS};
    location / {{ include {folder / 'feedback.conf'}; }}
  }}
}}
""", encoding="utf-8")
    return conf


@pytest.fixture
def behind_nginx(folder, tmp_path):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx)")
    served = Served(folder, str(tmp_path / "feedback.sqlite3"), "--rate-limit", str(LIMIT),
                    "--forwarded-allow-ips", PROXY_ADDRESS)
    port = free_port()
    conf = nginx_conf(folder, port, served.port)
    checked = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(folder)],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(proxy + "/health", timeout=CLIENT_TIMEOUT)
                break
            except httpx.TransportError:
                if nginx.poll() is not None:
                    raise AssertionError((folder / "nginx-error.log").read_text())
                time.sleep(0.05)
        yield {"proxy": proxy, "direct": served.url, "served": served}
    finally:
        nginx.terminate()
        nginx.wait(20)
        served.stop()


def visitor(address: str) -> httpx.Client:
    """A visitor whose connections come from ``address`` (any 127.x.y.z is loopback)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address),
                        timeout=CLIENT_TIMEOUT, headers={"Accept": "application/json"})


def post(client: httpx.Client, url: str, spoofed: str | None = None) -> int:
    headers = {"X-Forwarded-For": spoofed} if spoofed else {}
    return client.post(url + "/feedback", data={"page": SERVED_PAGE, "useful": "ja"},
                       headers=headers).status_code


def test_each_visitor_behind_nginx_has_their_own_rate_limit(behind_nginx):
    proxy = behind_nginx["proxy"]
    with visitor("127.0.0.3") as anna, visitor("127.0.0.4") as bo:
        assert [post(anna, proxy) for _ in range(LIMIT)] == [200] * LIMIT
        assert post(anna, proxy) == 429
        assert post(bo, proxy) == 200  # not counted as nginx's one address


def test_a_visitor_cannot_escape_the_limit_with_their_own_forwarded_header(behind_nginx):
    proxy = behind_nginx["proxy"]
    with visitor("127.0.0.5") as anna:
        answers = [post(anna, proxy, spoofed=f"203.0.113.{i}") for i in range(LIMIT + 1)]
    assert answers == [200] * LIMIT + [429]


def test_forwarded_header_from_an_untrusted_address_is_ignored(behind_nginx):
    """Straight to the service, not through the trusted proxy: the header counts for nothing."""
    direct = behind_nginx["direct"]
    with visitor("127.0.0.6") as anna:
        answers = [post(anna, direct, spoofed=f"203.0.113.{i}") for i in range(LIMIT + 1)]
    assert answers == [200] * LIMIT + [429]


def test_the_plain_form_post_is_redirected_back_through_nginx(behind_nginx):
    with httpx.Client(timeout=CLIENT_TIMEOUT) as client:
        r = client.post(behind_nginx["proxy"] + "/kulturskolan/feedback",
                        data={"page": SERVED_PAGE, "useful": "nej"})
    assert r.status_code == 303 and r.headers["location"] == SERVED_PAGE + "#tack"


def test_nginx_refuses_a_body_over_its_limit_before_the_service(behind_nginx):
    with httpx.Client(timeout=CLIENT_TIMEOUT) as client:
        r = client.post(behind_nginx["proxy"] + "/feedback",
                        data={"page": SERVED_PAGE, "useful": "ja", "comment": "x" * 40_000})
    assert r.status_code == 413


# --- the systemd unit ----------------------------------------------------------------

def read_unit() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(UNIT, encoding="utf-8")
    return parser


def test_the_unit_restarts_the_service_and_runs_it_unprivileged():
    unit = read_unit()["Service"]
    assert unit["Restart"] in ("on-failure", "always")
    assert unit["User"] not in ("", "root", "0") and unit.get("DynamicUser") != "yes"
    assert unit["NoNewPrivileges"] == "yes" and unit["ProtectSystem"] == "strict"
    command = unit["ExecStart"].split()
    assert command[1:3] == ["feedback", "serve"] and "--host" in command
    assert command[command.index("--host") + 1] == "127.0.0.1"  # only nginx reaches it
    # The SQLite store is in the one folder the unit may write.
    assert unit["Environment"].startswith(
        f"SITEGEN_FEEDBACK_DB=/var/lib/{unit['StateDirectory']}/")


def test_the_unit_passes_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("no systemd-analyze")
    # verify checks that the program exists: point it at this environment's sitegen.
    sitegen = Path(sys.executable).parent / "sitegen"
    text = UNIT.read_text(encoding="utf-8").replace("/opt/sitegen/bin/sitegen", str(sitegen))
    copy = tmp_path / "sitegen-feedback.service"
    copy.write_text(text, encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(copy)], capture_output=True,
                          text=True, timeout=120, env=dict(os.environ, SYSTEMD_LOG_LEVEL="notice"))
    assert done.returncode == 0 and done.stderr == "", done.stderr
