"""Hostile aliases and removed paths: each attack is an error at its line, and nothing of it
reaches a file outside the site's output or a server rule."""
from pathlib import Path

from testkit import NOW, allow_old_hosts, page, run_sitegen

TWO_SITES = {"other/site.yaml": "title: Other\nbase_url: https://www.example.se/other/\n",
             "other/index.md": page("Other start")}


def write(tmp_path: Path, files: dict) -> Path:
    content = tmp_path / "content"
    files = {"demo/site.yaml": "title: Demo\nbase_url: https://www.example.se/demo/\n", **files}
    for rel, text in files.items():
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text(text, encoding="utf-8")
    if not (tmp_path / "old-hosts.txt").exists():
        allow_old_hosts(content)
    return content


def alias_page(alias: str) -> str:
    return "---\ntitle: A\ningress: x\naliases:\n  - '" + alias.replace("'", "''") + "'\n---\n"


def check(tmp_path: Path, files: dict):
    return run_sitegen("check", "--content", str(write(tmp_path, files)), "--now", NOW)


def build(tmp_path: Path, files: dict, out: Path):
    return run_sitegen("build", "--content", str(write(tmp_path, files)), "--out", str(out), "--now", NOW, "-q")


def test_alias_climbing_into_another_site_is_an_error_and_leaves_its_start_page(tmp_path):
    out = tmp_path / "out"
    files = {**TWO_SITES, "demo/a.md": page("A")}
    assert build(tmp_path, files, out).status == 0
    start = (out / "other/index.html").read_text(encoding="utf-8")
    result = build(tmp_path, {**files, "demo/a.md": alias_page("/demo/../other/index.html")}, out)
    assert result.status == 1
    assert "demo/a.md:5: error: alias '/demo/../other/index.html' has a '.' or '..' part" in result.stderr
    assert (out / "other/index.html").read_text(encoding="utf-8") == start


def test_alias_climbing_out_of_the_output_is_an_error_and_writes_nothing_there(tmp_path):
    out = tmp_path / "deep/er/out"
    result = build(tmp_path, {"demo/a.md": alias_page("/demo/../../../../escaped.html")}, out)
    assert result.status == 1
    assert "demo/a.md:5: error: alias '/demo/../../../../escaped.html' has a '.' or '..' part" in result.stderr
    assert not list(tmp_path.rglob("escaped.html"))


def test_alias_with_percent_encoded_dots_is_an_error(tmp_path):
    result = check(tmp_path, {"demo/a.md": alias_page("/demo/%2e%2E/%2e%2e/x.html")})
    assert "demo/a.md:5: error: alias '/demo/%2e%2E/%2e%2e/x.html' has a '.' or '..' part" in result.stderr


def test_full_url_alias_with_dots_is_an_error(tmp_path):
    result = check(tmp_path, {"demo/a.md": alias_page("https://www.example.se/demo/../other/")})
    assert "demo/a.md:5: error: alias 'https://www.example.se/demo/../other/' has a '.' or '..' part" \
        in result.stderr


def test_removed_path_with_dots_is_an_error_at_its_line(tmp_path):
    site = "title: Demo\nbase_url: https://www.example.se/demo/\nremoved:\n  - /demo/ok.html\n  - /demo/%2e%2e/x\n"
    result = check(tmp_path, {"demo/site.yaml": site})
    assert "demo/site.yaml:5: error: removed path '/demo/%2e%2e/x' has a '.' or '..' part" in result.stderr
    assert "site.yaml:4" not in result.stderr


def test_alias_with_a_line_break_is_an_error(tmp_path):
    result = check(tmp_path, {"demo/a.md": alias_page("/demo/a%0A}return 200 x;")})
    assert "demo/a.md:5: error: alias '/demo/a%0A}return 200 x;' has a control character" in result.stderr


def test_removed_path_with_a_control_character_is_an_error(tmp_path):
    site = "title: Demo\nbase_url: https://www.example.se/demo/\nremoved:\n  - /demo/a%00b\n"
    result = check(tmp_path, {"demo/site.yaml": site})
    assert "demo/site.yaml:4: error: removed path '/demo/a%00b' has a control character" in result.stderr


def test_alias_with_a_backslash_is_an_error(tmp_path):
    result = check(tmp_path, {"demo/a.md": alias_page("/demo/..\\\\other\\\\x.html")})
    assert "demo/a.md:5: error: alias" in result.stderr and "has a backslash" in result.stderr


def test_alias_with_a_crafted_host_is_an_error_and_not_in_the_rules(tmp_path):
    alias = "https://old.example.se; listen 80 default_server; return 200 X/x"
    out = tmp_path / "out"
    result = build(tmp_path, {"demo/a.md": alias_page(alias)}, out)
    assert result.status == 1
    assert f"demo/a.md:5: error: alias '{alias}' has no valid host name" in result.stderr
    assert not (out / "demo").exists()


def test_alias_with_a_quote_in_the_host_is_an_error(tmp_path):
    result = check(tmp_path, {"demo/a.md": alias_page("https://old.example.se'/x.html")})
    assert "demo/a.md:5: error: alias 'https://old.example.se'/x.html' has no valid host name" in result.stderr


def test_alias_with_a_port_or_user_in_the_host_is_an_error(tmp_path):
    result = check(tmp_path, {"demo/a.md": alias_page("https://admin@old.example.se:8080/x.html")})
    assert "has no valid host name ('admin@old.example.se:8080')" in result.stderr


def test_international_old_host_is_written_in_its_ascii_form(tmp_path):
    out = tmp_path / "out"
    assert build(tmp_path, {"demo/a.md": alias_page("https://gamla.örebro.se/x.html")}, out).status == 0
    assert 'server_name "gamla.xn--rebro-iua.se";' in (out / "demo/_server/nginx-http.conf").read_text()
    assert "ServerName gamla.xn--rebro-iua.se" in (out / "demo/_server/apache-server.conf").read_text()


def test_an_old_host_with_aliases_of_two_sites_is_an_error(tmp_path):
    files = {**TWO_SITES, "demo/a.md": alias_page("https://gamla.example.se/a.html"),
             "other/b.md": alias_page("https://gamla.example.se/b.html")}
    result = check(tmp_path, files)
    assert ("other/b.md:5: error: alias 'https://gamla.example.se/b.html' is on the old host gamla.example.se, "
            "which has aliases of the site 'demo'") in result.stderr
    assert "demo/a.md" not in result.stderr


def test_an_alias_on_a_host_the_operator_has_not_allowed_is_an_error_at_its_line(tmp_path):
    out = tmp_path / "out"
    result = build(tmp_path, {"demo/index.md": page("Start"),
                              "demo/a.md": alias_page("https://minasidor.orebro.se/x")}, out)
    assert result.status == 1
    assert ("demo/a.md:5: error: alias 'https://minasidor.orebro.se/x' is on the host minasidor.orebro.se, which "
            "the operator has not allowed for old addresses: ask the operator to add minasidor.orebro.se to "
            "old-hosts.txt") in result.stderr
    assert not (out / "demo").exists()


def test_an_empty_old_hosts_txt_allows_no_old_host(tmp_path):
    allow_old_hosts(tmp_path / "content", "# none yet\n")
    result = check(tmp_path, {"demo/a.md": alias_page("https://gamla.example.se/x.html")})
    assert "demo/a.md:5: error: alias 'https://gamla.example.se/x.html' is on the host gamla.example.se, which " \
           "the operator has not allowed" in result.stderr


def test_an_old_hosts_txt_in_the_content_folder_allows_nothing(tmp_path):
    allow_old_hosts(tmp_path / "content", "gamla.example.se\n")
    result = check(tmp_path, {"old-hosts.txt": "minasidor.orebro.se\n", "demo/old-hosts.txt": "minasidor.orebro.se\n",
                              "demo/a.md": alias_page("https://minasidor.orebro.se/x")})
    assert "demo/a.md:5: error: alias 'https://minasidor.orebro.se/x' is on the host minasidor.orebro.se" \
        in result.stderr


def test_a_line_of_old_hosts_txt_that_is_not_a_host_is_an_error_at_its_line(tmp_path):
    allow_old_hosts(tmp_path / "content", "# the old web\ngamla.example.se\nhttps://x.example.se/\n")
    result = check(tmp_path, {"demo/a.md": alias_page("https://gamla.example.se/x.html")})
    assert result.status == 1
    assert "old-hosts.txt:3: error: 'https://x.example.se/' is not a host name" in result.stderr
    assert "demo/a.md" not in result.stderr


def test_an_alias_named_htaccess_writes_no_file(tmp_path):
    out = tmp_path / "out"
    result = build(tmp_path, {"demo/index.md": page("Start"), "demo/a.md": alias_page("/demo/.htaccess")}, out)
    assert result.status == 1
    assert "demo/a.md:5: error: alias '/demo/.htaccess' has a part that starts with '.'" in result.stderr
    assert not (out / "demo").exists()
