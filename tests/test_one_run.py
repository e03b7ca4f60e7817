"""Every mistake in one run, and no follow-on errors that point at the wrong file.

An impossible date no longer hides the other problems of its file; a link to a page that
exists but failed to load is not "missing" (that page's own error says what is wrong).
"""
from testkit import NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\n"


def check(make_site, files: dict, site_yaml: str = SITE_YAML):
    content = make_site({"index.md": page("Start"), **files}, site_yaml=site_yaml)
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=content.parent)


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if ": error: " in line]


def dated(key: str, value: str) -> str:
    return f"---\ntitle: Datum\ningress: X.\n{key}: {value}\nweigth: 2\n---\n\nSe [saknas](saknas.md).\n"


# --- an impossible date and the other problems of its file ---------------------------------

def test_impossible_updated_day_and_the_other_errors_of_the_file(make_site):
    result = check(make_site, {"a.md": dated("updated", "2026-02-30")})
    assert errors(result) == [
        "content/demo/a.md:4: error: '2026-02-30' is not a valid date (YYYY-MM-DD)",
        "content/demo/a.md:5: error: unknown key 'weigth' (did you mean 'weight'?)",
        "content/demo/a.md:8: error: link to missing page 'saknas.md': it leads to content/demo/saknas.md, which does not exist; check the address, or remove the link",
    ]
    assert "Traceback" not in result.stderr and result.status == 1


def test_impossible_expires_month_and_the_other_errors_of_the_file(make_site):
    result = check(make_site, {"a.md": dated("expires", "2026-13-45")})
    assert errors(result) == [
        "content/demo/a.md:4: error: '2026-13-45' is not a valid date (YYYY-MM-DD)",
        "content/demo/a.md:5: error: unknown key 'weigth' (did you mean 'weight'?)",
        "content/demo/a.md:8: error: link to missing page 'saknas.md': it leads to content/demo/saknas.md, which does not exist; check the address, or remove the link",
    ]


def test_impossible_offset_and_the_other_errors_of_the_file(make_site):
    result = check(make_site, {"a.md": dated("updated", "2026-11-20T10:00:00+99:00")})
    found = errors(result)
    assert len(found) == 3
    assert found[0].startswith("content/demo/a.md:4: error: '2026-11-20T10:00:00+99:00' is not a valid date and time")
    assert found[1:] == ["content/demo/a.md:5: error: unknown key 'weigth' (did you mean 'weight'?)",
                         "content/demo/a.md:8: error: link to missing page 'saknas.md': it leads to content/demo/saknas.md, which does not exist; check the address, or remove the link"]


# --- links to pages that exist but failed to load ------------------------------------------

def test_link_to_a_page_with_a_yaml_error_is_not_missing(make_site):
    result = check(make_site, {
        "kurser/hiphop.md": "---\ntitle: Hiphop\ningress: [\n---\n\nText.\n",
        "nyheter.md": page("Nyheter", body="Läs om [hiphop](kurser/hiphop.md)."),
    })
    found = errors(result)
    assert len(found) == 1 and found[0].startswith("content/demo/kurser/hiphop.md:3: error: the list that starts with [ is never closed")


def test_link_to_a_page_without_front_matter_is_not_missing(make_site):
    result = check(make_site, {"trasig.md": "Bara text.\n", "om.md": page("Om", body="[Trasig](trasig.md)")})
    assert [e.split(": error: ")[0] for e in errors(result)] == ["content/demo/trasig.md:1"]


def test_link_to_a_page_with_an_unknown_type_is_not_missing(make_site):
    result = check(make_site, {"artikel.md": page("Artikel", type="artikel"),
                               "om.md": page("Om", body="[Artikel](artikel.md)")})
    assert errors(result) == ["content/demo/artikel.md:3: error: 'type' must be one of page, news, blog, "
                              "event, not 'artikel'. Choose one of them, or remove the line for an ordinary page"]


def test_link_to_a_section_whose_index_failed_to_load_is_not_missing(make_site):
    result = check(make_site, {"kurser/index.md": "---\ntitle: [\n---\n",
                               "om.md": page("Om", body="[Kurser](kurser.md)")})
    assert [e.split(": error: ")[0] for e in errors(result)] == ["content/demo/kurser/index.md:2"]


def test_related_naming_a_page_with_a_yaml_error_is_not_missing(make_site):
    result = check(make_site, {"om.md": "---\ntitle: Om\ningress: [\n---\n",
                               "nyheter/2026-11-01-x.md": page("X", type="news", related="[../om.md]")})
    found = errors(result)
    assert len(found) == 1 and found[0].startswith("content/demo/om.md:3: error: the list that starts with [ is never closed")


def test_link_to_a_file_that_does_not_exist_is_still_missing(make_site):
    result = check(make_site, {"trasig.md": "Bara text.\n", "om.md": page("Om", body="[Borta](borta.md)")})
    assert "content/demo/om.md:6: error: link to missing page 'borta.md': it leads to content/demo/borta.md, which does not exist; check the address, or remove the link" in errors(result)


# --- an ingress of only spaces --------------------------------------------------------------

def test_ingress_of_only_spaces_is_missing(make_site):
    result = check(make_site, {"a.md": '---\ntitle: A\ningress: "   "\n---\n\nText.\n'})
    assert errors(result) == ["content/demo/a.md:2: error: 'ingress' missing: add a short summary, it is shown "
                              "first and used as the description in search engines and cards"]


# --- site.yaml: contact and menu depth ------------------------------------------------------

def test_site_contact_email_that_is_not_an_email(make_site):
    result = check(make_site, {}, SITE_YAML + "contact:\n  email: not-an-email\n")
    assert errors(result) == ["content/demo/site.yaml:4: error: 'contact.email': 'not-an-email' is not an "
                              "e-mail address (write it as namn@orebro.se)"]


def test_site_contact_phone_that_is_not_a_phone_number(make_site):
    result = check(make_site, {}, SITE_YAML + "contact:\n  phone: 123\n")
    assert errors(result) == ["content/demo/site.yaml:4: error: 'contact.phone': '123' is not a phone number "
                              "(write it as 019-21 10 00 or +46 19 21 10 00)"]


def test_menu_depth_outside_1_and_2(make_site):
    result = check(make_site, {}, SITE_YAML + "menu_depth: 3\n")
    assert errors(result) == ["content/demo/site.yaml:3: error: 'menu_depth' must be one of 1, 2, not '3'"]


# --- a section's cascade -------------------------------------------------------------------

def test_misspelt_category_in_a_news_cascade(make_site):
    result = check(make_site, {
        "nyheter/index.md": "---\ntitle: Nyheter\ningress: x\ncascade: {type: news, category: driftstoring}\n---\n",
        "nyheter/2026-11-01-a.md": page("A"),
    })
    assert errors(result) == ["content/demo/nyheter/index.md:4: error: 'cascade.category' must be one of "
                              "driftstorning, servicenyhet, nyhet, not 'driftstoring' (did you mean 'driftstorning'?)"]


def test_a_calendar_horizon_below_one_day_is_an_error(make_site):
    result = check(make_site, {}, site_yaml=SITE_YAML + "calendar:\n  horizon_days: -1\n")
    assert errors(result) == ["content/demo/site.yaml:4: error: 'calendar.horizon_days' must be at least 1, not -1"]


def test_a_news_page_size_of_zero_is_an_error(make_site):
    result = check(make_site, {}, site_yaml=SITE_YAML + "news:\n  page_size: 0\n")
    assert errors(result) == ["content/demo/site.yaml:4: error: 'news.page_size' must be at least 1, not 0"]
