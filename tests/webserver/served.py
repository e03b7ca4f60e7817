"""What a visitor gets from a real server configured as docs/deploy.md says: the same tests
for nginx (test_nginx.py) and Apache (test_apache.py), each with one server start."""
from __future__ import annotations

import gzip
import itertools
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
import yaml

from testkit import REPO
from webserver.conftest import EXAMPLES, FEEDBACK_LIMIT, HOST, HOSTILE_ALIASES, HOSTILE_REMOVED

# Every alias and removed path of the example sites, with where it leads.
EXAMPLE_ALIASES = {
    (HOST, "/kulturskolan/anmalan.html"): "https://www.orebro.se/kulturskolan/anmalan/",
    (HOST, "/stadsarkiv/bestall.aspx"): "https://www.orebro.se/stadsarkiv/forska/bestall-handlingar/",
    (HOST, "/fordjupning/projektlista.aspx"): "https://www.orebro.se/fordjupning/projekt/",
    ("gamla.orebro.se", "/jamstalldhet/styrning.html"):
        "https://www.orebro.se/fordjupning/projekt/jamstalld-styrning/",
}
EXAMPLE_REMOVED = [(HOST, "/fordjupning/gamla-projekt/arkiv.html")]
DEMO_TARGET = "https://www.orebro.se/demo/mal/"
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY",
                    "referrer-policy": "strict-origin-when-cross-origin",
                    "cross-origin-opener-policy": "same-origin"}


def _front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---", 2)[1]) or {} if text.startswith("---") else {}


def test_the_table_holds_every_alias_and_removed_path_of_the_examples():
    aliases = {a for site in EXAMPLES for md in (REPO / "content" / site).rglob("*.md")
               for a in _front_matter(md).get("aliases", [])}
    written = {path if host == HOST else f"https://{host}{path}" for host, path in EXAMPLE_ALIASES}
    assert aliases == written
    removed = {p for site in EXAMPLES
               for p in yaml.safe_load((REPO / "content" / site / "site.yaml").read_text()).get("removed", [])}
    assert removed == {path for _, path in EXAMPLE_REMOVED}


def get(client: httpx.Client, path: str, host: str = HOST, **headers) -> httpx.Response:
    return client.get(quote(path, safe="/%"), headers={"Host": host, **headers})


@pytest.mark.parametrize("host,path", list(EXAMPLE_ALIASES), ids=[p for _, p in EXAMPLE_ALIASES])
def test_every_example_alias_answers_301_to_its_page(client, host, path):
    response = get(client, path, host)
    assert response.status_code == 301
    assert response.headers["location"] == EXAMPLE_ALIASES[host, path]


@pytest.mark.parametrize("host,path", EXAMPLE_REMOVED, ids=[p for _, p in EXAMPLE_REMOVED])
def test_every_example_removed_path_answers_410_with_the_sites_410_page(client, served_build, host, path):
    response = get(client, path, host, **{"Accept-Encoding": "identity"})
    assert response.status_code == 410
    site = path.strip("/").split("/")[0]
    assert response.content == (served_build / site / "410.html").read_bytes()
    assert "Sidan är borttagen" in response.text and "410 Gone" not in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["content-security-policy"]


@pytest.mark.parametrize("alias", HOSTILE_ALIASES)
def test_aliases_with_characters_of_the_rules_syntax_answer_301(client, alias):
    parts = urlsplit(alias)
    host = parts.hostname.encode("idna").decode() if parts.hostname else HOST
    path = re.sub(r"%23", "#", parts.path)
    response = get(client, path, host) if "#" not in path else client.get(
        quote(path, safe="/"), headers={"Host": host})
    assert response.status_code == 301, response.text
    assert response.headers["location"] == DEMO_TARGET


@pytest.mark.parametrize("path", HOSTILE_REMOVED)
def test_removed_paths_with_characters_of_the_rules_syntax_answer_410(client, served_build, path):
    # One inside the site's path, one elsewhere on its host: both get the site's 410 page.
    response = get(client, path, **{"Accept-Encoding": "identity"})
    assert response.status_code == 410
    assert response.content == (served_build / "demo/410.html").read_bytes()


def test_the_410_page_is_only_for_removed_paths(client, served_build):
    # Elsewhere on the host (outside every site's path) a 410 page of the site would be wrong.
    response = get(client, "/ute;return 201.html")
    assert response.status_code in (403, 404)   # as the host answers it (Apache: Debian's Require all denied)
    assert "Sidan är borttagen" not in response.text
    assert response.content != (served_build / "demo/410.html").read_bytes()


def test_a_crafted_path_is_no_rule_for_other_paths(client):
    assert get(client, "/demo/x").status_code == 404
    assert get(client, "/ute").status_code != 410


def test_an_old_host_answers_404_for_other_paths(client):
    assert get(client, "/", "gamla.orebro.se").status_code == 404
    assert get(client, "/kulturskolan/", "gamla.orebro.se").status_code == 404


def test_a_page_is_sent_compressed_with_the_security_headers(client, served_build):
    response = get(client, "/kulturskolan/kurser/", **{"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == (served_build / "kulturskolan/kurser/index.html").read_bytes()
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert response.headers["cache-control"] == "public, max-age=300"


def test_a_page_is_sent_plain_to_a_client_without_gzip(client, served_build):
    response = get(client, "/kulturskolan/kurser/", **{"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers
    assert response.content == (served_build / "kulturskolan/kurser/index.html").read_bytes()


def test_the_gz_file_sent_is_the_one_the_build_wrote(client, served_build):
    with httpx.stream("GET", f"{client.base_url}/kulturskolan/assets/css/main.css",
                      headers={"Host": HOST, "Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
    assert raw == (served_build / "kulturskolan/assets/css/main.css.gz").read_bytes()
    assert gzip.decompress(raw) == (served_build / "kulturskolan/assets/css/main.css").read_bytes()
    assert response.headers["content-type"].startswith("text/css")


def test_the_csp_header_is_the_sites_policy_with_frame_ancestors(client, served_build):
    policy = get(client, "/demo/").headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "connect-src 'self' https://feedback.example.se" in policy
    assert "form-action 'self' https://feedback.example.se" in policy
    assert "unsafe-inline" not in policy


def directives(policy: str) -> dict[str, set[str]]:
    return {name: set(values) for name, *values in (part.split() for part in policy.split(";") if part.strip())}


@pytest.mark.parametrize("page", ["kulturskolan/index.html", "kulturskolan/sok/index.html", "demo/index.html"])
def test_a_pages_meta_policy_allows_nothing_the_header_does_not(client, served_build, page):
    header = directives(get(client, "/" + page.removesuffix("index.html")).headers["content-security-policy"])
    html = (served_build / page).read_text(encoding="utf-8")
    meta = directives(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
                      .group(1).replace("&#39;", "'"))
    assert "frame-ancestors" not in meta and header["frame-ancestors"] == {"'none'"}
    for name, values in meta.items():
        assert values <= header[name] or values == {"'none'"}, name   # 'none' is the narrowest


def test_a_missing_page_answers_404_with_the_sites_404_page(client, served_build):
    response = get(client, "/stadsarkiv/finns-inte/", **{"Accept-Encoding": "identity"})
    assert response.status_code == 404
    assert response.content == (served_build / "stadsarkiv/404.html").read_bytes()
    assert response.headers["content-security-policy"]


def test_the_server_rules_are_never_served(client):
    for name in ("nginx-location.conf", "apache-directory.conf", "nginx-http.conf"):
        response = get(client, f"/kulturskolan/_server/{name}")
        assert response.status_code == 404
        assert "location" not in response.text and "RedirectMatch" not in response.text


def test_content_hashed_files_are_cached_for_a_year(client, served_build):
    image = next((served_build / "kulturskolan/assets/img").rglob("*.jpg")).relative_to(served_build)
    response = get(client, f"/{image.as_posix()}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"   # the headers are not lost there
    fragment = next((served_build / "kulturskolan/pagefind/fragment").iterdir()).relative_to(served_build)
    assert get(client, f"/{fragment.as_posix()}").headers["cache-control"].endswith("immutable")


@pytest.mark.parametrize("path", ["/kulturskolan/assets/css/main.css", "/kulturskolan/assets/js/menu.js",
                                  "/kulturskolan/sitemap.xml", "/kulturskolan/kalender/kalender.ics"])
def test_text_files_are_sent_with_their_charset(client, path):
    for encoding in ("gzip", "identity"):
        response = get(client, path, **{"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["content-type"].replace(" ", "").lower().endswith(";charset=utf-8"), encoding


def test_the_themes_files_are_cached_briefly(client):
    assert get(client, "/kulturskolan/assets/js/menu.js").headers["cache-control"] == "public, max-age=300"


@pytest.mark.parametrize("path", ["/kulturskolan/kalender/kalender.ics",
                                  "/kulturskolan/kalender/kategori/konsert.ics"])
def test_calendars_are_sent_as_text_calendar_with_the_security_headers(client, served_build, path):
    assert (served_build / path.lstrip("/")).is_file()
    for encoding in ("gzip", "identity"):
        response = get(client, path, **{"Accept-Encoding": encoding})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == "text/calendar"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "public, max-age=300"
        assert response.content == (served_build / path.lstrip("/")).read_bytes()


def test_a_name_no_server_has_is_answered_by_the_hosts_server_not_an_old_hosts(client):
    # The first server of a port answers names it does not know (the machine's address, a
    # health check); docs/deploy.md has the old hosts' servers included after the host's.
    response = get(client, "/kulturskolan/", "192.0.2.7")
    assert response.status_code == 200
    assert "Kulturskolan" in response.text


# --- the feedback service on the site's own host (docs/deploy.md) -----------------------

FEEDBACK_PAGE = "https://www.orebro.se/kulturskolan/kurser/"
SITE_ORIGIN = {"Origin": "https://www.orebro.se"}
_ADDRESSES = itertools.count(11)   # shared by the nginx and Apache modules: one per visitor


def visitor(client: httpx.Client) -> httpx.Client:
    """A visitor of their own: connections from a loopback address no other test uses, so
    the service's rate limit counts them alone."""
    return httpx.Client(base_url=client.base_url, headers={"Host": HOST}, timeout=10,
                        transport=httpx.HTTPTransport(local_address=f"127.0.0.{next(_ADDRESSES)}"))


def test_an_answer_posted_to_the_sites_own_host_reaches_the_feedback_service(client):
    with visitor(client) as anna:
        response = anna.post("/kulturskolan/feedback", data={"page": FEEDBACK_PAGE, "useful": "ja"},
                             headers=SITE_ORIGIN)
    assert response.status_code == 303
    assert response.headers["location"] == FEEDBACK_PAGE + "#tack"
    assert response.headers["cache-control"] == "no-store"   # the service's, not the site's


def test_a_comment_and_a_404_report_reach_the_feedback_service(client):
    post = "https://www.orebro.se/kulturskolan/blogg/att-ova-hemma/"
    with visitor(client) as anna:
        comment = anna.post("/kulturskolan/comments", data={"page": post, "name": "Anna", "text": "Bra tips!"},
                            headers={**SITE_ORIGIN, "Accept": "application/json"})
        report = anna.post("/kulturskolan/missing", data={"path": "/kulturskolan/gitarr/"}, headers=SITE_ORIGIN)
    assert comment.status_code == 200 and comment.json() == {"ok": True}
    assert report.status_code == 204


def test_only_the_three_addresses_are_forwarded(client):
    with visitor(client) as anna:
        for path in ("/kulturskolan/feedback/", "/kulturskolan/feedbackx", "/kulturskolan/kurser/feedback"):
            response = anna.post(path, data={"page": FEEDBACK_PAGE, "useful": "ja"}, headers=SITE_ORIGIN)
            assert response.status_code in (404, 405), path
            assert "no-store" not in response.headers.get("cache-control", ""), path


def test_a_visitors_own_forwarded_header_does_not_escape_the_rate_limit(client):
    with visitor(client) as anna:
        answers = [anna.post("/kulturskolan/feedback", data={"page": FEEDBACK_PAGE, "useful": "ja"},
                             headers={**SITE_ORIGIN, "Accept": "application/json",
                                      "X-Forwarded-For": f"203.0.113.{i}"}).status_code
                   for i in range(FEEDBACK_LIMIT + 1)]
    assert answers == [200] * FEEDBACK_LIMIT + [429]
