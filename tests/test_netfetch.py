"""``sitegen social fetch`` goes only to public addresses and allowed hosts, redirects included,
and a deadline bounds each request however slowly the server answers."""
from __future__ import annotations

import http.server
import threading

import pytest

from sitegen import netfetch
from testkit import page, run_sitegen, run_sitegen_reaching_loopback

FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Demo</title>
<item><title>Post</title><link>https://www.instagram.com/p/abc/</link>
<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate><media:content url="IMAGE" medium="image"/></item>
</channel></rss>
"""
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
       b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def server():
    """A server on 127.0.0.1: /feed.xml (image given per test), /bild.png, redirects, and
    /trickle and /trickle-headers, which send one byte at a time, forever."""
    routes: dict[str, bytes] = {"/bild.png": PNG}
    stop = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            if self.path.startswith("/redirect?to="):
                self.send_response(302)
                self.send_header("Location", self.path.split("=", 1)[1])
                self.end_headers()
            elif self.path == "/trickle":
                self.send_response(200)
                self.end_headers()
                self._trickle(b"x")
            elif self.path == "/trickle-headers":
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                self._trickle(b"X-A: b\r\n")
            else:
                body = routes.get(self.path, b"")
                self.send_response(200 if body else 404)
                self.end_headers()
                self.wfile.write(body)

        def _trickle(self, unit: bytes):
            try:
                while not stop.is_set():
                    self.wfile.write(unit)
                    self.wfile.flush()
                    stop.wait(0.3)
            except OSError:
                pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{httpd.server_address[1]}", routes
    stop.set()
    httpd.shutdown()


@pytest.fixture
def loopback(monkeypatch):
    monkeypatch.setattr(netfetch, "ALLOW_LOOPBACK_FOR_TESTS", True)


def get(url: str, timeout: float = 5, hosts=None) -> bytes:
    return netfetch.get(url, timeout=timeout, max_bytes=1 << 20, user_agent="test", hosts=hosts)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "[::1]", "[fe80::1]", "[fc00::1]",
                                     "[::ffff:127.0.0.1]", "224.0.0.1", "localhost"])
def test_a_non_public_address_is_refused_before_connecting(address):
    with pytest.raises(netfetch.Refused, match="not a public address"):
        get(f"http://{address}/feed.xml")


def test_loopback_is_reached_only_through_the_test_setting(server, loopback):
    host, routes = server
    assert get(f"http://{host}/bild.png") == PNG


def test_a_redirect_to_a_private_address_is_refused(server, loopback):
    host, _ = server
    with pytest.raises(netfetch.Refused, match="10.0.0.1 is at 10.0.0.1, which is not a public address"):
        get(f"http://{host}/redirect?to=http://10.0.0.1/latest/meta-data/")


def test_an_image_from_a_host_that_is_not_allowed_is_refused_after_a_redirect_too(server, loopback):
    host, _ = server
    port = host.split(":")[1]
    with pytest.raises(netfetch.Refused, match="localhost is not the feed's host"):
        get(f"http://{host}/redirect?to=http://localhost:{port}/bild.png", hosts={"127.0.0.1"})
    assert get(f"http://{host}/redirect?to=http://localhost:{port}/bild.png", hosts={"127.0.0.1", "localhost"}) == PNG


def test_a_listed_wildcard_host_allows_its_sub_domains():
    assert netfetch.allowed_host("scontent-arn2-1.cdninstagram.com", {"*.cdninstagram.com"})
    assert not netfetch.allowed_host("cdninstagram.com.evil.se", {"*.cdninstagram.com"})
    assert not netfetch.allowed_host("evilcdninstagram.com", {"*.cdninstagram.com"})


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_server_that_trickles_bytes_is_cut_off_at_the_deadline(server, loopback, path):
    host, _ = server
    outcome = []

    def fetch():
        try:
            get(f"http://{host}{path}", timeout=1)
        except Exception as exc:   # noqa: BLE001 - the test looks at which
            outcome.append(exc)
    worker = threading.Thread(target=fetch, daemon=True)
    worker.start()
    worker.join(30)   # a bound for the test itself, far above the deadline
    assert not worker.is_alive(), "the fetch went on past its deadline"
    assert isinstance(outcome[0], TimeoutError)


def _site(make_site, feed_url: str, image_hosts: str = ""):
    return make_site({"index.md": page("Start")}, site_yaml=(
        "title: Demo\nbase_url: https://www.example.se/demo/\nsocial:\n"
        f"  - {{network: instagram, name: demo, url: 'https://www.instagram.com/demo/', feed_url: '{feed_url}'"
        f"{image_hosts}}}\n"))


def test_the_command_refuses_a_feed_on_the_machine_itself(make_site, tmp_path, server):
    host, routes = server
    routes["/feed.xml"] = FEED.replace("IMAGE", "/bild.png").encode()
    _site(make_site, f"http://{host}/feed.xml")
    result = run_sitegen("social", "fetch", "--content", "content", "--timeout", "5", cwd=tmp_path)
    assert "which is not a public address; the cached feed is kept" in result.stderr
    assert not (tmp_path / "content/demo/data/social").exists()


def test_the_command_fetches_images_only_from_the_feeds_host_or_image_hosts(make_site, tmp_path, server):
    host, routes = server
    port = host.split(":")[1]
    routes["/feed.xml"] = FEED.replace("IMAGE", f"http://localhost:{port}/bild.png").encode()
    _site(make_site, f"http://{host}/feed.xml")
    result = run_sitegen_reaching_loopback("social", "fetch", "--content", "content", "--timeout", "5", cwd=tmp_path)
    assert "localhost is not the feed's host nor in 'image_hosts' in site.yaml" in result.stderr
    assert not (tmp_path / "content/demo/data/social/media").exists()
    _site(make_site, f"http://{host}/feed.xml", ", image_hosts: [localhost]")
    result = run_sitegen_reaching_loopback("social", "fetch", "--content", "content", "--timeout", "5", cwd=tmp_path)
    assert result.status == 0 and not result.stderr, result.stderr
    assert len(list((tmp_path / "content/demo/data/social/media").iterdir())) == 1
