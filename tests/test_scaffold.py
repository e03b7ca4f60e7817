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


def test_new_names_the_site_a_misspelt_name_most_likely_means(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "page", "X", "--site", "karlslud", "--content", str(content))
    assert result.status == 1
    assert result.stderr.startswith("error: no site named 'karlslud' (did you mean 'karlslund'?) in "), result.stderr


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


# --- sections, blog posts, the site's folder name ---------------------------------------

def test_new_section_makes_its_section_page_and_passes_check(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "section", "Om oss", "--site", "karlslund", "--content", str(content))
    assert result.status == 0, result.stderr
    text = (content / "karlslund" / "om-oss" / "index.md").read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Om oss\ningress: ")
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_section_inside_a_section(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "section", "Kurser", "--site", "karlslund", "--content", str(content))
    result = run_sitegen("new", "section", "Musik", "--site", "karlslund", "--section", "kurser",
                         "--content", str(content))
    assert result.status == 0, result.stderr
    assert (content / "karlslund" / "kurser" / "musik" / "index.md").is_file()


def test_new_section_refuses_one_that_exists(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "section", "Kurser", "--site", "karlslund", "--content", str(content))
    again = run_sitegen("new", "section", "Kurser", "--site", "karlslund", "--content", str(content))
    assert again.status == 1 and "already exists" in again.stderr


def test_new_blog_post_is_dated_in_the_blog_folder(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "blog", "Att öva hemma", "--site", "karlslund", "--author", "Anna Lind",
                         "--content", str(content))
    assert result.status == 0, result.stderr
    [post] = (content / "karlslund" / "blogg").glob("*-att-ova-hemma.md")
    text = post.read_text(encoding="utf-8")
    assert "type: blog\n" in text and "author: Anna Lind\n" in text
    assert post.name[:10] in text   # date: in the front matter is the date in the file name
    check = run_sitegen("check", "--content", str(content))
    assert check.status == 0, check.stderr


def test_new_page_goes_into_the_section_named(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "section", "Om oss", "--site", "karlslund", "--content", str(content))
    result = run_sitegen("new", "page", "Lokaler", "--site", "karlslund", "--section", "om-oss",
                         "--content", str(content))
    assert result.status == 0, result.stderr
    assert (content / "karlslund" / "om-oss" / "lokaler.md").is_file()
    assert not (content / "karlslund" / "lokaler.md").exists()


def test_new_page_finds_the_section_by_its_title(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "section", "Om oss", "--site", "karlslund", "--content", str(content))
    result = run_sitegen("new", "page", "Lokaler", "--site", "karlslund", "--section", "Om oss",
                         "--content", str(content))
    assert result.status == 0, result.stderr
    assert (content / "karlslund" / "om-oss" / "lokaler.md").is_file()


def test_new_page_in_a_section_that_does_not_exist_is_refused_with_the_sections(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "section", "Om oss", "--site", "karlslund", "--content", str(content))
    result = run_sitegen("new", "page", "Lokaler", "--site", "karlslund", "--section", "kontakt",
                         "--content", str(content))
    assert result.status == 1
    assert "no section 'kontakt'" in result.stderr and "(sections: om-oss)" in result.stderr
    assert "sitegen new section" in result.stderr and "Traceback" not in result.stderr
    assert not (content / "karlslund" / "kontakt").exists()


def test_new_page_in_a_misspelt_section_suggests_the_section_that_exists(tmp_path):
    content = _content_with_site(tmp_path)
    run_sitegen("new", "section", "Om oss", "--site", "karlslund", "--content", str(content))
    result = run_sitegen("new", "page", "Lokaler", "--site", "karlslund", "--section", "om-os",
                         "--content", str(content), env={"SITEGEN_LANG": "sv"})
    assert result.status == 1
    assert "fel: det finns inget avsnitt 'om-os' i " in result.stderr
    assert ": menade du --section om-oss? Är det ett nytt avsnitt skapar du det först med sitegen new section " \
           "\"om-os\" --site karlslund" in result.stderr
    assert not (content / "karlslund" / "om-os").exists()


def test_new_news_goes_into_the_news_folder_site_yaml_names(tmp_path):
    content = _content_with_site(tmp_path)
    with (content / "karlslund" / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("news:\n  folder: aktuellt\n")
    assert run_sitegen("new", "news", "Ny kurs", "--site", "karlslund", "--content", str(content)).status == 0
    assert any((content / "karlslund" / "aktuellt").glob("*-ny-kurs.md"))


def test_new_site_takes_its_folder_name(tmp_path):
    content = tmp_path / "content"
    result = run_sitegen("new", "site", "Karlslunds herrgård", "--name", "karlslund", "--content", str(content))
    assert result.status == 0, result.stderr
    text = (content / "karlslund" / "site.yaml").read_text(encoding="utf-8")
    assert "title: Karlslunds herrgård\n" in text
    assert "base_url: https://www.orebro.se/karlslund/\n" in text
    assert not (content / "karlslunds-herrgard").exists()


def test_new_site_refuses_a_folder_name_that_is_not_an_address(tmp_path):
    content = tmp_path / "content"
    result = run_sitegen("new", "site", "Karlslund", "--name", "Karlslund Gård", "--content", str(content))
    assert result.status == 1 and "--name karlslund-gard" in result.stderr
    assert not content.exists() or not any(content.iterdir())


def test_new_site_claims_no_assessment_and_posts_feedback_to_its_own_host(tmp_path):
    content = _content_with_site(tmp_path)
    text = (content / "karlslund" / "site.yaml").read_text(encoding="utf-8")
    import yaml
    config = yaml.safe_load(text)
    assert "accessibility" not in config and "feedback" not in config
    assert config["organization"] == "Örebro kommun"
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    statement = (out / "karlslund" / "tillganglighet" / "index.html").read_text(encoding="utf-8")
    assert "har ännu inte bedömts" in statement
    assert "självskattning" not in statement and "Senaste bedömningen" not in statement
    assert "Örebro kommun står bakom" in statement and "Karlslund står bakom" not in statement
    start = (out / "karlslund" / "index.html").read_text(encoding="utf-8")
    assert 'action="/karlslund/feedback"' in start


def test_new_event_in_the_calendar_folder_named_makes_it(tmp_path):
    content = _content_with_site(tmp_path)
    result = run_sitegen("new", "event", "Julmarknad", "--site", "karlslund", "--section", "kalender",
                         "--content", str(content))
    assert result.status == 0, result.stderr
    assert (content / "karlslund" / "kalender" / "julmarknad.md").is_file()


def test_example_texts_of_a_new_event_are_warnings_at_their_lines_in_check_and_build(tmp_path):
    content = _content_with_site(tmp_path)
    assert run_sitegen("new", "event", "Julmarknad", "--site", "karlslund", "--content", str(content)).status == 0
    event = "content/karlslund/kalender/julmarknad.md"
    for command in (["check"], ["build", "--out", str(tmp_path / "out")]):
        result = run_sitegen(*command, "--content", str(content), env={"SITEGEN_LANG": ""})
        assert result.status == 0, result.stderr   # the page is right otherwise: it may go out
        for line, message in ((3, "ingressen är fortfarande exempeltexten från sitegen new. Skriv en egen ingress"),
                              (7, "platsen (location) är fortfarande exempeltexten från sitegen new"),
                              (10, "texten är fortfarande exempeltexten från sitegen new. Skriv sidans egen text")):
            assert f"{event}:{line}: varning: {message}" in result.stderr, result.stderr
        assert "content/karlslund/index.md:3: varning: ingressen är fortfarande" in result.stderr


def test_example_texts_replaced_give_no_warning(tmp_path):
    content = _content_with_site(tmp_path)
    assert run_sitegen("new", "page", "Om gården", "--site", "karlslund", "--content", str(content)).status == 0
    for name, ingress in (("index.md", "Gården vid Karlslund."), ("om-garden.md", "Om gården och djuren.")):
        path = content / "karlslund" / name
        text = path.read_text(encoding="utf-8").split("\n")
        text[2] = f"ingress: {ingress}"
        path.write_text("\n".join(text[:5]) + "\nHär bor hästarna.\n", encoding="utf-8")
    result = run_sitegen("check", "--content", str(content))
    assert result.status == 0, result.stderr
    assert "example text" not in result.stderr, result.stderr
