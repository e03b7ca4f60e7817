import datetime as dt

from sitegen import yamlload
from sitegen.problems import Problems
from sitegen.schema import validate
from sitegen.schemas import COMMON_FIELDS, SITE_SCHEMA, front_matter_schema


def check(text, schema=COMMON_FIELDS):
    problems = Problems()
    values = validate(yamlload.load(text), schema, "x.md", problems)
    return values, [p.format() for p in problems.items]


def test_valid_front_matter_passes():
    values, problems = check("title: A\nweight: 2\ntags: [a, b]\ndraft: false\n")
    assert problems == []
    assert values == {"title": "A", "weight": 2, "tags": ["a", "b"], "draft": False}


def test_unknown_key_suggests_the_right_one():
    _, problems = check("title: A\ningres: B\n")
    assert problems == ["x.md:2: error: unknown key 'ingres' (did you mean 'ingress'?)"]


def test_wrong_type_names_key_and_value():
    _, problems = check("title: A\nweight: tung\n")
    assert problems == ["x.md:2: error: 'weight' must be a whole number, not 'tung': write it in digits, for "
                        "example weight: 2"]


def test_yes_or_no_in_swedish_names_the_two_words_that_work():
    _, problems = check("title: A\ndraft: ja\n")
    assert problems == ["x.md:2: error: 'draft' must be true or false, not 'ja': write draft: true for yes, or "
                        "draft: false for no"]


def test_missing_required_key():
    _, problems = check("ingress: B\n")
    assert problems == ["x.md:1: error: 'title' is required: give the page a title, e.g. title: Öppettider"]


def test_naive_times_are_stockholm_time():
    values, _ = check("title: A\npublish: 2026-07-01T10:00:00\n")
    assert values["publish"].utcoffset() == dt.timedelta(hours=2)


def test_nested_site_keys_are_checked_at_their_line():
    _, problems = check("title: A\nbase_url: https://x.se/\nfeedback:\n  endpont: x\n", SITE_SCHEMA)
    assert problems == ["x.md:4: error: unknown key 'feedback.endpont' (did you mean 'feedback.endpoint'?)"]


def test_the_swedish_word_for_a_contact_setting_names_the_setting():
    _, problems = check("title: A\nbase_url: https://x.se/\ncontact:\n  epost: a@orebro.se\n  telefon: 019-21 10 00\n",
                        SITE_SCHEMA)
    assert problems == ["x.md:4: error: unknown key 'contact.epost' (did you mean 'contact.email'?)",
                        "x.md:5: error: unknown key 'contact.telefon' (did you mean 'contact.phone'?)"]


def test_the_swedish_word_for_a_site_setting_names_the_setting():
    _, problems = check("title: A\nbase_url: https://x.se/\nspråk: sv\n", SITE_SCHEMA)
    assert problems == ["x.md:3: error: unknown key 'språk' (did you mean 'language'?)"]


def test_choice_outside_the_list():
    _, problems = check("title: A\nbase_url: https://x.se/\nlanguage: fi\n", SITE_SCHEMA | {"title": COMMON_FIELDS["title"]})
    assert problems == ["x.md:3: error: 'language' must be one of sv, en, not 'fi'"]


# --- impossible dates: reported at their line, with every other problem of the file -------

def test_impossible_day_is_an_error_beside_the_other_problems():
    values, problems = check("title: A\nupdated: 2026-02-30\nweigth: 2\n")
    assert problems == ["x.md:2: error: '2026-02-30' is not a valid date (YYYY-MM-DD)",
                        "x.md:3: error: unknown key 'weigth' (did you mean 'weight'?)"]
    assert values == {"title": "A"}


def test_impossible_month_is_an_error_beside_the_other_problems():
    _, problems = check("title: A\nexpires: 2026-13-45\nweigth: 2\n")
    assert problems == ["x.md:2: error: '2026-13-45' is not a valid date (YYYY-MM-DD)",
                        "x.md:3: error: unknown key 'weigth' (did you mean 'weight'?)"]


def test_impossible_offset_is_an_error_beside_the_other_problems():
    _, problems = check("title: A\nupdated: 2026-11-20T10:00:00+99:00\nweigth: 2\n")
    assert problems[0].startswith("x.md:2: error: '2026-11-20T10:00:00+99:00' is not a valid date and time")
    assert problems[1] == "x.md:3: error: unknown key 'weigth' (did you mean 'weight'?)"


def test_impossible_date_as_text_is_text():
    values, problems = check("title: 2026-02-30\n")
    assert problems == [] and values == {"title": "2026-02-30"}


# --- lists of dates: the bad item is named, at its line ------------------------------------

EVENT = front_matter_schema("event")


def test_a_list_with_a_bad_item_names_the_item():
    _, problems = check('title: A\nexdate: [2026-10-28, "igår"]\n', EVENT)
    assert problems == ["x.md:2: error: 'exdate' item 2 must be a date (YYYY-MM-DD) or a date and time, "
                        "not 'igår'"]


def test_a_bad_item_in_a_block_list_is_reported_at_its_own_line():
    _, problems = check("title: A\nexdate:\n  - 2026-10-28\n  - 2026-02-30\n", EVENT)
    assert problems == ["x.md:4: error: 'exdate' item 2: '2026-02-30' is not a valid date (YYYY-MM-DD)"]


def test_an_empty_list_of_dates_says_so():
    _, problems = check("title: A\nexdate: []\n", EVENT)
    assert problems == ["x.md:2: error: 'exdate' must be a date (YYYY-MM-DD), a date and time, or a list "
                        "of them, not an empty list: write it as, for example, exdate: 2027-03-14 18:00 (or "
                        "exdate: 2027-03-14 for the whole day)"]


# --- addresses editors give ---------------------------------------------------------------

def test_registration_url_must_not_be_javascript():
    _, problems = check("title: A\nregistration_url: javascript:alert(1)\n", EVENT)
    assert problems == ["x.md:2: error: 'registration_url' must be a full web address (https://…), an e-mail "
                        "link (mailto:namn@orebro.se) or a phone link (tel:+4619211000), not 'javascript:alert(1)'"]


def test_registration_url_without_host_is_an_error():
    _, problems = check("title: A\nregistration_url: https:///anmalan\n", EVENT)
    assert len(problems) == 1 and problems[0].startswith("x.md:2: error: 'registration_url' must be")


def test_registration_url_may_be_web_mail_or_phone():
    for url in ("https://www.orebro.se/anmalan/", "http://x.se", "mailto:anmalan@orebro.se", "tel:+4619214000"):
        values, problems = check(f"title: A\nregistration_url: {url}\n", EVENT)
        assert problems == [] and values["registration_url"] == url


def test_social_url_must_be_a_web_address():
    _, problems = check("title: A\nbase_url: https://x.se/\nsocial:\n  - network: instagram\n    name: a\n"
                        "    url: javascript:alert(1)\n", SITE_SCHEMA)
    assert problems == ["x.md:6: error: 'social[1].url' must be a full web address (https://…), "
                        "not 'javascript:alert(1)'"]


def test_social_feed_url_must_be_a_web_address():
    _, problems = check("title: A\nbase_url: https://x.se/\nsocial:\n  - network: instagram\n    name: a\n"
                        "    url: https://www.instagram.com/a/\n    feed_url: file:///etc/passwd\n", SITE_SCHEMA)
    assert problems == ["x.md:7: error: 'social[1].feed_url' must be a full web address (https://…), "
                        "not 'file:///etc/passwd'"]


def test_feedback_endpoint_must_be_a_web_address_or_a_path():
    _, problems = check("title: A\nbase_url: https://x.se/\nfeedback:\n  endpoint: javascript:x\n", SITE_SCHEMA)
    assert problems == ["x.md:4: error: 'feedback.endpoint' must be a full web address (https://…) or a path "
                        "starting with /, not 'javascript:x'"]
    _, problems = check("title: A\nbase_url: https://x.se/\nfeedback:\n  endpoint: /demo/feedback\n", SITE_SCHEMA)
    assert problems == []


# --- site.yaml: contact and menu depth ------------------------------------------------------

SITE = "title: A\nbase_url: https://x.se/\n"


def test_site_contact_email_is_checked_as_in_people_yaml():
    _, problems = check(SITE + "contact:\n  email: not-an-email\n", SITE_SCHEMA)
    assert problems == ["x.md:4: error: 'contact.email': 'not-an-email' is not an e-mail address "
                        "(write it as namn@orebro.se)"]


def test_site_contact_phone_is_checked_as_in_people_yaml():
    _, problems = check(SITE + "contact:\n  phone: 123\n", SITE_SCHEMA)
    assert problems == ["x.md:4: error: 'contact.phone': '123' is not a phone number "
                        "(write it as 019-21 10 00 or +46 19 21 10 00)"]


def test_accessibility_contact_email_is_checked():
    _, problems = check(SITE + "accessibility:\n  contact_email: kontakt(at)x.se\n", SITE_SCHEMA)
    assert problems == ["x.md:4: error: 'accessibility.contact_email': 'kontakt(at)x.se' is not an e-mail "
                        "address (write it as namn@orebro.se)"]


def test_good_site_contact_passes():
    values, problems = check(SITE + "contact:\n  email: a@orebro.se\n  phone: 019-21 40 00\n", SITE_SCHEMA)
    assert problems == [] and values["contact"] == {"email": "a@orebro.se", "phone": "019-21 40 00"}


def test_menu_depth_0_is_an_error():
    _, problems = check(SITE + "menu_depth: 0\n", SITE_SCHEMA)
    assert problems == ["x.md:3: error: 'menu_depth' must be one of 1, 2, not '0'"]


def test_menu_depth_3_is_an_error():
    _, problems = check(SITE + "menu_depth: 3\n", SITE_SCHEMA)
    assert problems == ["x.md:3: error: 'menu_depth' must be one of 1, 2, not '3'"]


# --- ingress -----------------------------------------------------------------------------

def test_ingress_of_only_spaces_is_left_out_as_if_missing():
    values, problems = check('title: A\ningress: "   "\n')
    assert problems == [] and "ingress" not in values


# --- a choice written as editors spell it counts as that choice ----------------------------

def test_a_category_written_with_its_swedish_letters_is_the_category():
    values, problems = check("title: A\ntype: news\ndate: 2026-11-01\ncategory: driftstörning\n",
                             front_matter_schema("news"))
    assert problems == []
    assert values["category"] == "driftstorning"


def test_a_category_with_a_capital_letter_is_the_category():
    values, problems = check("title: A\ntype: news\ndate: 2026-11-01\ncategory: Driftstörning\n",
                             front_matter_schema("news"))
    assert problems == []
    assert values["category"] == "driftstorning"


def test_a_choice_of_any_setting_may_be_written_in_capitals():
    values, problems = check("title: A\nbase_url: https://x.se/\nlanguage: SV\n",
                             SITE_SCHEMA | {"title": COMMON_FIELDS["title"]})
    assert problems == []
    assert values["language"] == "sv"


def test_a_word_that_is_no_category_is_still_refused():
    _, problems = check("title: A\ntype: news\ndate: 2026-11-01\ncategory: störning\n", front_matter_schema("news"))
    assert problems == ["x.md:4: error: 'category' must be one of driftstorning, servicenyhet, nyhet, not 'störning' (did you mean 'driftstorning'?)"]


# --- the Swedish word for a setting suggests the setting -----------------------------------

def test_an_impossible_day_in_swedish_says_the_day_does_not_exist(monkeypatch):
    """The date is written as ÅÅÅÅ-MM-DD already: the advice is a day that exists, not the format."""
    from sitegen import messages
    monkeypatch.setattr(messages, "_language", "sv")
    _, problems = check("title: A\npublish: 2026-11-31\n")
    assert problems == ["x.md:2: fel: '2026-11-31' är inget riktigt datum: den dagen finns inte. Skriv ett datum "
                        "som finns, som ÅÅÅÅ-MM-DD (månaden 01–12, dagen högst 28–31 beroende på månaden)"]


def test_a_key_of_another_type_is_named_as_that_type_s():
    problems = Problems()
    validate(yamlload.load("title: A\nstart: 2026-12-01\n"), COMMON_FIELDS, "x.md", problems,
             other_types={"start": ["event"]})
    assert [p.format() for p in problems.items] == [
        "x.md:2: error: 'start' belongs only to pages with type: event. Remove the line, or write type: event "
        "if the page is one"]


def test_a_misspelt_choice_suggests_the_nearest_in_swedish(monkeypatch):
    from sitegen import messages
    monkeypatch.setattr(messages, "_language", "sv")
    _, problems = check("title: A\ntype: news\ncategory: Driftstörningar\n", front_matter_schema("news"))
    assert problems == ["x.md:3: fel: 'category' måste vara en av driftstorning, servicenyhet, nyhet, inte "
                        "'Driftstörningar' (menade du 'driftstorning'?)"]


def test_a_choice_far_from_every_option_gets_no_suggestion():
    _, problems = check("title: A\ntype: news\ncategory: sport\n", front_matter_schema("news"))
    assert problems == ["x.md:3: error: 'category' must be one of driftstorning, servicenyhet, nyhet, not 'sport'"]


def test_the_swedish_word_for_title_suggests_title():
    _, problems = check("title: A\nrubrik: Boende\n")
    assert problems == ["x.md:2: error: unknown key 'rubrik' (did you mean 'title'?)"]


def test_the_swedish_word_for_a_setting_suggests_it_in_swedish(monkeypatch):
    from sitegen import messages
    monkeypatch.setattr(messages, "_language", "sv")
    _, problems = check("title: A\ntaggar: [skola]\n")
    assert problems == ["x.md:2: fel: okänd inställning 'taggar' (menade du 'tags'?)"]


def test_the_swedish_word_for_an_events_setting_is_suggested_on_an_event():
    _, problems = check("title: A\ntype: event\nplats: Konserthuset\nSlut: 2026-12-09\n", front_matter_schema("event"))
    assert problems == ["x.md:3: error: unknown key 'plats' (did you mean 'location'?)",
                        "x.md:4: error: unknown key 'Slut' (did you mean 'end'?)"]


def test_the_swedish_word_for_an_events_setting_is_not_suggested_on_a_page():
    _, problems = check("title: A\nplats: Konserthuset\n")
    assert problems == ["x.md:2: error: unknown key 'plats'"]


def test_a_yes_or_no_under_a_mapping_shows_the_keys_own_line():
    _, problems = check("title: A\nbase_url: https://x.se/\nfeedback:\n  endpoint: https://x.se/f\n  enabled: ja\n",
                        SITE_SCHEMA)
    assert problems == ["x.md:5: error: 'feedback.enabled' must be true or false, not 'ja': write enabled: true "
                        "for yes, or enabled: false for no"]
