"""Paths and hosts from editors, judged as the servers see them."""
import pytest

from sitegen import addresses


@pytest.mark.parametrize("path", ["/a/../b", "/a/./b", "/..", "/a/.."])
def test_dot_parts_are_refused(path):
    assert "'.' or '..' part" in addresses.path_problem(path, "alias", path)


@pytest.mark.parametrize("path", ["/a\nb", "/a\tb", "/a\x00b", "/a\x7fb", "/a\x85b"])
def test_control_characters_are_refused(path):
    assert "control character" in addresses.path_problem(path, "alias", path)


def test_a_backslash_is_refused():
    assert "backslash" in addresses.path_problem("/a\\..\\b", "alias", "/a\\..\\b")


def test_an_empty_part_is_refused():
    assert "empty part" in addresses.path_problem("/a//b", "alias", "/a//b")


@pytest.mark.parametrize("path", ["/", "/a/b.html", "/a b/", "/it's \"x\";{y}$1&.html", "/å/ä..ö", "/a/...b"])
def test_plain_paths_pass(path):
    assert addresses.path_problem(path, "alias", path) is None


@pytest.mark.parametrize("netloc,ascii_host", [("gamla.orebro.se", "gamla.orebro.se"),
                                               ("Gamla.Orebro.SE", "gamla.orebro.se"),
                                               ("gamla.örebro.se", "gamla.xn--rebro-iua.se")])
def test_host_names_in_ascii(netloc, ascii_host):
    assert addresses.host_name(netloc) == ascii_host


@pytest.mark.parametrize("netloc", ["old.example.se; listen 80 default_server", "old.example.se'", "a b.se",
                                    "user@old.example.se", "old.example.se:8080", "-bad.se", "bad-.se", "",
                                    "old.example.se\n", "a..b", "x" * 64 + ".se", "[::1]", "%2e.se"])
def test_other_hosts_are_refused(netloc):
    assert addresses.host_name(netloc) is None


@pytest.mark.parametrize("rel,ok", [("a/index.html", True), ("index.html", True), ("../x", False),
                                    ("a/../../x", False), ("/etc/x", False), ("a/./b", False), ("..", False),
                                    ("a\\b", False), ("", False)])
def test_inside_holds_only_for_paths_in_the_folder(rel, ok):
    assert addresses.inside(rel) is ok


@pytest.mark.parametrize("path", ["/site/.htaccess", "/site/.git/config", "/.well-known/x", "/site/.hemlig.html"])
def test_a_hidden_part_is_refused(path):
    assert "starts with '.'" in addresses.path_problem(path, "alias", path)


@pytest.mark.parametrize("value", ["scontent.cdninstagram.com", "*.cdninstagram.com", "localhost",
                                   "bilder.xn--rebro-iua.se"])
def test_image_hosts_that_are_host_names_pass(value):
    assert addresses.image_host_problem(value) is None


@pytest.mark.parametrize("value", ["*", "*.", "*.se", "https://cdn.example.se/", "cdn.example.se/bilder",
                                   "*cdn.example.se", "cdn.example.se:8080", "cdn example.se", ""])
def test_image_hosts_that_would_allow_too_much_or_nothing_are_refused(value):
    assert "is not a host name" in addresses.image_host_problem(value)
