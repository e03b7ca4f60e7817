"""`sitegen new` writes files that build and check cleanly."""
from testkit import NOW, run_sitegen


def test_new_site_page_news_and_event_pass_check(tmp_path):
    content = tmp_path / "content"
    assert run_sitegen("new", "site", "Karlslund", "--content", str(content)).status == 0
    assert run_sitegen("new", "page", "Om gården", "--site", "karlslund", "--content", str(content)).status == 0
    assert run_sitegen("new", "news", "Ny utställning", "--site", "karlslund", "--content", str(content)).status == 0
    assert run_sitegen("new", "event", "Julmarknad", "--site", "karlslund", "--content", str(content)).status == 0
    assert (content / "karlslund" / "om-garden.md").is_file()
    assert any((content / "karlslund" / "nyheter").glob("*-ny-utstallning.md"))
    result = run_sitegen("check", "--content", str(content))
    assert result.status == 0, result.stderr


def test_new_refuses_to_overwrite(tmp_path):
    content = tmp_path / "content"
    run_sitegen("new", "site", "Karlslund", "--content", str(content))
    again = run_sitegen("new", "site", "Karlslund", "--content", str(content))
    assert again.status == 1
    assert "already exists" in again.stderr


def test_new_page_needs_a_site(tmp_path):
    result = run_sitegen("new", "page", "Om", "--content", str(tmp_path))
    assert result.status == 1 and "--site" in result.stderr
