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
    nginx = read(built / "_server/nginx-location.conf")
    assert ('location = "/demo/gammal-historia.aspx" { return 301 "https://www.example.se/demo/om/historia/"; }'
            in nginx)
    assert 'location = "/demo/borttagen.html" { return 410; }' in nginx
    old_host = read(built / "_server/nginx-http.conf")
    assert 'server_name "gamla.example.se";' in old_host and 'location = "/historia.html"' in old_host
    apache = read(built / "_server/apache-directory.conf")
    assert (r'RedirectMatch permanent "^/demo/gammal-historia\\.aspx$" "https://www.example.se/demo/om/historia/"'
            in apache)
    assert r'RedirectMatch gone "^/demo/borttagen\\.html$"' in apache
    old_vhost = read(built / "_server/apache-server.conf")
    assert "<VirtualHost ${SITEGEN_OLD_HOSTS}>" in old_vhost and "ServerName gamla.example.se" in old_vhost


def build(make_site, tmp_path, files: dict, site_yaml: str | None = None):
    content = make_site(files, site_yaml=site_yaml)
    out = tmp_path / "o"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    return result, out / "demo"


def check(make_site, files: dict, site_yaml: str | None = None):
    content = make_site(files, site_yaml=site_yaml)
    return run_sitegen("check", "--content", str(content), "--now", NOW)


def test_paths_with_a_space_or_quote_are_quoted_in_both_server_rules(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"a.md": page("A", aliases='["/demo/gam mal/", \'/demo/"x;y\']')})
    assert result.status == 0, result.stderr
    nginx = read(site / "_server/nginx-location.conf")
    assert 'location = "/demo/gam mal/" { return 301 "https://www.example.se/demo/a/"; }' in nginx
    assert r'location = "/demo/\"x;y" {' in nginx    # nginx reads \" in quotes
    apache = read(site / "_server/apache-directory.conf")
    assert 'RedirectMatch permanent "^/demo/gam mal/$" "https://www.example.se/demo/a/"' in apache
    assert r'RedirectMatch permanent "^/demo/\"x;y$"' in apache
    assert (site / "gam mal/index.html").is_file()


def test_apache_rules_match_the_exact_path_not_the_paths_below_it(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"a.md": page("A", aliases="[/demo/x/]")})
    apache = read(site / "_server/apache-directory.conf")
    assert "Redirect " not in apache and 'RedirectMatch permanent "^/demo/x/$"' in apache


def test_alias_with_a_query_string_is_an_error(make_site):
    result = check(make_site, {"a.md": page("A", aliases="[https://gamla.example.se/page.aspx?id=3]"),
                               "b.md": page("B", aliases="[https://gamla.example.se/page.aspx?id=4]")})
    assert "demo/a.md:3: error: alias 'https://gamla.example.se/page.aspx?id=3' has a query string ('?id=3')" \
        in result.stderr
    assert "demo/b.md:3: error: alias 'https://gamla.example.se/page.aspx?id=4' has a query string" in result.stderr
    assert "is also an alias of" not in result.stderr


def test_alias_with_and_without_slash_on_two_pages_is_a_duplicate(make_site):
    result = check(make_site, {"a.md": page("A", aliases="[/demo/gammal]"),
                               "b.md": page("B", aliases="[/demo/gammal/]")})
    assert "demo/b.md:3: error: alias '/demo/gammal/' is also an alias of a.md (as '/demo/gammal')" in result.stderr


def test_alias_with_and_without_slash_on_one_page_is_fine(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"a.md": page("A", aliases="[/demo/gammal, /demo/gammal/]")})
    assert result.status == 0, result.stderr
    nginx = read(site / "_server/nginx-location.conf")
    assert 'location = "/demo/gammal" {' in nginx and 'location = "/demo/gammal/" {' in nginx
    assert (site / "gammal/index.html").is_file()


def test_alias_spelled_twice_on_one_page_is_an_error(make_site):
    result = check(make_site, {"a.md": page("A", aliases='["/demo/a b/", "/demo/a%20b/"]')})
    assert "demo/a.md:3: error: alias '/demo/a%20b/' is listed twice (as '/demo/a b/')" in result.stderr


def test_alias_at_a_generated_file_is_an_error(make_site):
    result = check(make_site, {"a.md": page("A", aliases="[/demo/robots.txt]")})
    assert "demo/a.md:3: error: alias '/demo/robots.txt' is the address of an existing page or file" in result.stderr


def test_alias_in_the_search_index_folder_is_an_error(make_site):
    result = check(make_site, {"a.md": page("A", aliases="[/demo/pagefind/x.js]")})
    assert ("demo/a.md:3: error: alias '/demo/pagefind/x.js' is in /demo/pagefind/, a folder sitegen fills "
            "itself (the search index)") in result.stderr


REMOVED_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\nremoved:\n  - {}\n"


def test_removed_path_that_is_a_live_page_is_an_error_at_its_line(make_site):
    site_yaml = "title: Demo\nbase_url: https://www.example.se/demo/\nremoved:\n  - /demo/borta/\n  - /demo/kurser/\n"
    result = check(make_site, {"kurser/index.md": page("Kurser")}, site_yaml)
    assert ("demo/site.yaml:5: error: removed path '/demo/kurser/' is the address of an existing page or file, "
            "which would answer 410") in result.stderr
    assert "site.yaml:4" not in result.stderr


def test_removed_path_that_is_also_an_alias_is_an_error(make_site, tmp_path):
    site_yaml = REMOVED_YAML.format("/demo/gammal/")
    result, _ = build(make_site, tmp_path, {"a.md": page("A", aliases="[/demo/gammal/]")}, site_yaml)
    assert result.status == 1
    assert ("demo/site.yaml:4: error: removed path '/demo/gammal/' is also an alias of a.md: "
            "it cannot answer both 301 and 410") in result.stderr


def test_removed_path_listed_twice_is_an_error(make_site):
    site_yaml = "title: Demo\nbase_url: https://www.example.se/demo/\nremoved:\n  - /demo/x\n  - /demo/x\n"
    result = check(make_site, {}, site_yaml)
    assert "demo/site.yaml:5: error: removed path '/demo/x' is listed twice" in result.stderr


def test_removed_path_not_starting_with_a_slash_is_an_error(make_site):
    result = check(make_site, {}, REMOVED_YAML.format("demo/x.html"))
    assert "demo/site.yaml:4: error: removed path 'demo/x.html' must start with '/'" in result.stderr


def test_removed_path_with_a_query_string_is_an_error(make_site):
    result = check(make_site, {}, REMOVED_YAML.format("/demo/x.aspx?id=3"))
    assert "demo/site.yaml:4: error: removed path '/demo/x.aspx?id=3' has a query string ('?id=3')" in result.stderr


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


def test_alias_problems_are_explained_in_swedish(make_site):
    content = make_site({"a.md": page("A", aliases="[https://gamla.example.se/page.aspx?id=3]"),
                         "b.md": page("B", aliases="[/demo/gammal]"), "c.md": page("C", aliases="[/demo/gammal/]")})
    result = run_sitegen("check", "--content", str(content), "--now", NOW, env={"SITEGEN_LANG": "sv"})
    assert ("demo/a.md:3: fel: den gamla adressen (alias) 'https://gamla.example.se/page.aspx?id=3' har en "
            "frågedel ('?id=3')") in result.stderr
    assert ("demo/c.md:3: fel: den gamla adressen '/demo/gammal/' (alias) leder redan till b.md. En gammal "
            "adress kan bara leda till en sida (som '/demo/gammal')") in result.stderr
