"""Redirects from the old web's addresses: forwarding pages, server rules, alias errors."""
from pathlib import Path

from testkit import NOW, page, run_sitegen


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_alias_under_the_site_gets_a_forwarding_page(built):
    html = read(built / "gammal-historia.aspx")
    target = "https://www.example.se/demo/om/historia/"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in html
    assert f'<link rel="canonical" href="{target}">' in html
    assert f'<a href="{target}">' in html


def test_server_rules_for_every_alias_and_removed_path(built):
    nginx = read(built / "_server/nginx-redirects.conf")
    assert "location = /demo/gammal-historia.aspx { return 301 https://www.example.se/demo/om/historia/; }" in nginx
    assert "server_name gamla.example.se;" in nginx and "location = /historia.html" in nginx
    assert "location = /demo/borttagen.html { return 410; }" in nginx
    apache = read(built / "_server/apache-redirects.conf")
    assert 'Redirect permanent "/demo/gammal-historia.aspx" "https://www.example.se/demo/om/historia/"' in apache
    assert "%{HTTP_HOST} == 'gamla.example.se'" in apache
    assert 'Redirect gone "/demo/borttagen.html"' in apache


def test_duplicate_alias_is_an_error(make_site, tmp_path):
    content = make_site({"a.md": page("A", aliases="[/demo/x/]"), "b.md": page("B", aliases="[/demo/x/]")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 1
    assert "alias '/demo/x/' is also an alias of a.md" in result.stderr


def test_alias_that_is_no_path_or_url_is_an_error(make_site, tmp_path):
    content = make_site({"a.md": page("A", aliases="[gammal-sida]")})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert "demo/a.md:3: error: alias 'gammal-sida' must start with '/'" in result.stderr


def test_alias_error_names_the_line_of_the_list_item(make_site):
    content = make_site({"a.md": "---\ntitle: A\ningress: x\naliases:\n  - /demo/ok/\n  - fel\n---\n"})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert "demo/a.md:6: error: alias 'fel' must start with '/'" in result.stderr
