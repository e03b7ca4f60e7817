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


def _content_with_site(tmp_path):
    content = tmp_path / "content"
    assert run_sitegen("new", "site", "Karlslund", "--content", str(content)).status == 0
    return content


def test_new_event_title_with_colon_is_valid_yaml(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "event", "Konsert: jul", "--site", "karlslund", "--content", str(content))
    assert result.status == 0, result.stderr
    text = (content / "karlslund" / "kalender" / "konsert-jul.md").read_text(encoding="utf-8")
    assert "title: 'Konsert: jul'\n" in text
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_page_title_with_quotes_and_hash_is_valid_yaml(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "page", 'Säg "hej": #1', "--site", "karlslund", "--content", str(content))
    assert result.status == 0, result.stderr
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_news_title_with_ellipsis_and_colon_is_valid_yaml(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "news", "… kolon: ja", "--site", "karlslund", "--content", str(content))
    assert result.status == 0, result.stderr
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_page_title_that_yaml_reads_as_another_type_stays_text(tmp_path):
    content = _content_with_site(tmp_path)
    assert run_sitegen("new", "page", "yes", "--site", "karlslund", "--content", str(content)).status == 0
    assert "title: 'yes'\n" in (content / "karlslund" / "yes.md").read_text(encoding="utf-8")
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_simple_title_stays_unquoted(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "page", "Om gården", "--site", "karlslund", "--content", str(content))
    assert "title: Om gården\n" in (content / "karlslund" / "om-garden.md").read_text(encoding="utf-8")
    assert "title: Karlslund\n" in (content / "karlslund" / "site.yaml").read_text(encoding="utf-8")


def test_new_site_title_with_colon_is_valid_yaml(tmp_path):
    content = tmp_path / "content"
    assert run_sitegen("new", "site", "Karlslund: gården", "--content", str(content)).status == 0
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_refuses_a_section_outside_the_site(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "page", "X", "--site", "karlslund", "--section", "../../etc",
                         "--content", str(content))
    assert result.status == 1
    assert result.stderr.startswith("error: ") and "outside the site folder" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "etc").exists()


def test_new_refuses_an_absolute_section(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "page", "X", "--site", "karlslund", "--section", str(tmp_path / "elsewhere"),
                         "--content", str(content))
    assert result.status == 1 and "outside the site folder" in result.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_new_refuses_an_unknown_site_and_names_the_known_ones(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "page", "X", "--site", "nosuch", "--content", str(content))
    assert result.status == 1
    assert result.stderr.startswith("error: no site named 'nosuch'") and "karlslund" in result.stderr
    assert not (content / "nosuch").exists()


def test_new_refuses_a_title_without_letters(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "page", "!!!", "--site", "karlslund", "--content", str(content))
    assert result.status == 1 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
