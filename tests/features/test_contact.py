"""The contact page (kontakt/) with "Sök person" from data/people.yaml."""
from testkit import NOW, page, run_sitegen

PEOPLE = """\
- name: Örjan Ek
  title: Rektor
  unit: Kulturskolan
  phone: 019-21 40 01
  email: orjan.ek@orebro.se
- name: Anna Berg
  title: Pianolärare
  unit: Musik
"""


def build(make_site, tmp_path, files):
    content = make_site(files)
    result = run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)
    return result, tmp_path / "out" / "demo"


def check(make_site, tmp_path, people):
    make_site({"index.md": "---\ntitle: Start\ningress: Start.\n---\n", "data/people.yaml": people})
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path)


def test_everyone_is_listed_without_javascript_in_swedish_order(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"data/people.yaml": PEOPLE})
    assert result.status == 0, result.stderr
    html = (site / "kontakt" / "index.html").read_text(encoding="utf-8")
    assert html.index("Anna Berg") < html.index("Örjan Ek")  # Ö sorts after the other letters
    assert '<a href="tel:019214001">019-21 40 01</a>' in html
    assert '<a href="mailto:orjan.ek@orebro.se">orjan.ek@orebro.se</a>' in html
    assert "Pianolärare, Musik" in html
    assert '<div class="people-filter" hidden>' in html  # shown by people.js only
    assert "Filtreringen behöver JavaScript" in html
    assert "/demo/assets/js/people.js" in html


def test_header_and_footer_link_to_contact_and_search(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {"om.md": "---\ntitle: Om\ningress: Om oss.\n---\nText.\n"})
    assert result.status == 0, result.stderr
    html = (site / "om" / "index.html").read_text(encoding="utf-8")
    assert html.count('href="/demo/kontakt/"') == 2  # header and footer
    assert '<a href="/demo/sok/">Sök</a>' in html


def test_contact_page_without_people_has_no_person_search(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {})
    assert result.status == 0, result.stderr
    html = (site / "kontakt" / "index.html").read_text(encoding="utf-8")
    assert "Sök person" not in html and "people.js" not in html


def test_an_editors_page_at_kontakt_gives_its_text(make_site, tmp_path):
    result, site = build(make_site, tmp_path, {
        "kontakt.md": "---\ntitle: Kontakta oss\ningress: Så når du oss.\n---\nRing oss gärna.\n",
        "data/people.yaml": PEOPLE})
    assert result.status == 0, result.stderr
    html = (site / "kontakt" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Kontakta oss</h1>" in html and "Ring oss gärna." in html and "Anna Berg" in html


def test_a_person_without_name_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, PEOPLE + "- title: Vaktmästare\n  unit: Lokaler\n")
    assert result.status == 1
    assert "content/demo/data/people.yaml:9: error: 'name' is required" in result.stderr


def test_an_empty_name_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, '- name: ""\n  title: Lärare\n')
    assert result.status == 1
    assert "content/demo/data/people.yaml:1: error: person 1: 'name' is required and must not be empty" \
        in result.stderr


def test_a_malformed_email_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, PEOPLE + "- name: Bo Ek\n  email: bo.ek(at)orebro.se\n")
    assert result.status == 1
    assert ("content/demo/data/people.yaml:10: error: person 3: 'bo.ek(at)orebro.se' is not an e-mail address"
            in result.stderr)


def test_a_malformed_phone_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, PEOPLE + "- name: Bo Ek\n  phone: ring växeln\n")
    assert result.status == 1
    assert "content/demo/data/people.yaml:10: error: person 3: 'ring växeln' is not a phone number" \
        in result.stderr


def test_an_unknown_key_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, "- name: Bo Ek\n  mobil: 070-123 45 67\n")
    assert result.status == 1
    assert "content/demo/data/people.yaml:2: error: unknown key 'mobil'" in result.stderr


def test_people_must_be_a_list(make_site, tmp_path):
    result = check(make_site, tmp_path, "name: Bo Ek\n")
    assert result.status == 1
    assert "content/demo/data/people.yaml:1: error: people must be a list" in result.stderr


def test_all_bad_rows_are_reported_in_one_run(make_site, tmp_path):
    result = check(make_site, tmp_path, "- title: A\n- name: B\n  email: nope\n- name: C\n  phone: x\n")
    assert result.stderr.count("people.yaml:") == 3


def test_a_contact_page_with_nothing_to_show_is_a_warning(make_site, sitegen, tmp_path):
    content = make_site({"index.md": page("Start")})
    result = sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 0
    assert ("content/demo/site.yaml:1: warning: the contact page (kontakt/) has nothing to show: give 'contact:' "
            "(email, phone, address) in site.yaml, data/people.yaml or kontakt.md") in result.stderr
    html = (tmp_path / "out/demo/kontakt/index.html").read_text(encoding="utf-8")
    assert "söka efter en person" not in html   # no promise of a person search that is not there


def test_each_phone_number_is_given_to_the_filter_in_national_digits(make_site, tmp_path):
    people = ("- name: Anna\n  phone: 070-174 06 09\n- name: Bo\n  phone: +46 (0)19 21 40 01\n"
              "- name: Cia\n  phone: +45 12 34 56 78\n- name: Dan\n")
    result, site = build(make_site, tmp_path, {"data/people.yaml": people})
    assert result.status == 0, result.stderr
    html = (site / "kontakt" / "index.html").read_text(encoding="utf-8")
    assert 'data-phone="0701740609"' in html
    assert 'data-phone="019214001"' in html
    assert 'data-phone="004512345678"' in html
    assert html.count("data-phone=") == 3   # Dan has no number


def test_a_malformed_email_is_explained_in_swedish(make_site, tmp_path):
    make_site({"index.md": "---\ntitle: Start\ningress: Start.\n---\n",
               "data/people.yaml": PEOPLE + "- name: Bo Ek\n  email: bo.ek(at)orebro.se\n"})
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path, env={"SITEGEN_LANG": "sv"})
    assert result.status == 1
    assert ("content/demo/data/people.yaml:10: fel: person 3: 'bo.ek(at)orebro.se' är ingen e-postadress "
            "(skriv den som namn@orebro.se)") in result.stderr
