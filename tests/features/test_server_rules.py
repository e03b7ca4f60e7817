"""The server rules' files, and the parts of site.yaml they are made of."""
from testkit import NOW, page, run_sitegen


def check(make_site, site_yaml: str):
    content = make_site({"index.md": page("Start")}, site_yaml=site_yaml)
    return run_sitegen("check", "--content", str(content), "--now", NOW)


def test_one_file_per_place_in_each_servers_configuration(built):
    names = sorted(p.name for p in (built / "_server").iterdir())
    assert names == ["apache-directory.conf", "apache-server.conf", "apache-vhost.conf",
                     "build.json",   # not a rule: what the build published, for sitegen deploy
                     "nginx-http.conf", "nginx-location.conf", "nginx-server.conf"]
    location = (built / "_server/nginx-location.conf").read_text()
    assert "server {" not in location and "server_name" not in location   # no http-level block in a location
    assert 'error_page 404 "/demo/404.html";' in location and "gzip_static on;" in location


def test_the_csp_header_names_the_feedback_service(built):
    for name in ("nginx-location.conf", "apache-directory.conf"):
        text = (built / "_server" / name).read_text()
        assert "connect-src 'self' https://feedback.example.se;" in text
        assert "frame-ancestors 'none'" in text


def test_a_base_url_path_with_characters_of_the_rules_syntax_is_an_error(make_site):
    result = check(make_site, 'title: Demo\nbase_url: "https://www.example.se/de mo\\"/"\n')
    assert "demo/site.yaml:2: error: the path of 'base_url'" in result.stderr


def test_a_feedback_endpoint_without_a_valid_host_is_an_error(make_site):
    site_yaml = ("title: Demo\nbase_url: https://www.example.se/demo/\nfeedback:\n"
                 "  endpoint: https://feed_back.example.se/feedback\n")
    result = check(make_site, site_yaml)
    assert "demo/site.yaml:3: error: feedback endpoint" in result.stderr


def test_a_feedback_endpoint_on_the_sites_own_host_is_fine(make_site, tmp_path):
    site_yaml = "title: Demo\nbase_url: https://www.example.se/demo/\nfeedback:\n  endpoint: /api/feedback\n"
    content = make_site({"index.md": page("Start")}, site_yaml=site_yaml)
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    assert "connect-src 'self';" in (tmp_path / "o/demo/_server/nginx-location.conf").read_text()


def test_a_base_url_with_a_port_is_fine_and_its_host_is_the_sites_own(make_site, tmp_path):
    site_yaml = "title: Demo\nbase_url: https://www.example.se:8443/demo/\n"
    content = make_site({"index.md": page("Start"), "a.md": page("A", aliases="[https://www.example.se/demo/x.html]")},
                        site_yaml=site_yaml)
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    assert 'location = "/demo/x.html"' in (tmp_path / "o/demo/_server/nginx-location.conf").read_text()
    assert "server {" not in (tmp_path / "o/demo/_server/nginx-http.conf").read_text()


def test_a_base_url_with_a_line_break_is_an_error(make_site):
    result = check(make_site, 'title: Demo\nbase_url: "https://www.example.se/demo/\\nreturn 200 x;/"\n')
    assert "demo/site.yaml:2: error: the path of 'base_url'" in result.stderr


def test_a_title_with_line_breaks_stays_in_the_comment(make_site, tmp_path):
    site_yaml = 'title: "Demo\\nreturn 200 x;\\rlisten 81;"\nbase_url: https://www.example.se/demo/\n'
    content = make_site({"index.md": page("Start")}, site_yaml=site_yaml)
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "o"), "--now", NOW)
    assert result.status == 0, result.stderr
    for conf in (tmp_path / "o/demo/_server").iterdir():
        assert all(line.startswith("#") or "return 200 x" not in line for line in conf.read_text().splitlines())
