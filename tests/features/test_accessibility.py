"""The accessibility statement: what site.yaml says, and a warning where the law's parts are missing."""
from testkit import NOW, page, run_sitegen

BASE = "title: Demo\nbase_url: https://www.example.se/demo/\n"
CONTACT = "contact:\n  email: info@example.se\n"


def built(make_site, tmp_path, site_yaml: str):
    content = make_site({"index.md": page("Start")}, site_yaml=site_yaml)
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW)
    assert result.status == 0, result.stderr
    return result, (out / "demo/tillganglighet/index.html").read_text(encoding="utf-8")


def test_without_accessibility_the_statement_claims_nothing(make_site, tmp_path):
    result, html = built(make_site, tmp_path, BASE + CONTACT)
    assert "har ännu inte bedömts" in html and "delvis förenlig" not in html
    assert "warning" not in result.stderr


def test_a_partial_status_without_shortcomings_is_a_warning(make_site, tmp_path):
    yaml = BASE + "accessibility:\n  status: partial\n  assessed: 2026-10-01\n  contact_email: webb@example.se\n"
    result, html = built(make_site, tmp_path, yaml)
    assert ("content/demo/site.yaml:3: warning: 'accessibility.status' is partial but "
            "'accessibility.shortcomings' names nothing that is not accessible") in result.stderr
    assert "står nedan" not in html   # no promise of a list that is not there


def test_a_statement_without_date_or_contact_is_a_warning_in_check_too(make_site):
    content = make_site({"index.md": page("Start")},
                        site_yaml=BASE + "accessibility:\n  status: full\n")
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert result.status == 0   # the organisation's to decide: reported, not refused
    assert ("content/demo/site.yaml:3: warning: the accessibility statement needs 'assessed' (the date of the "
            "latest assessment), 'contact_email' or 'contact_phone' (or contact: in site.yaml) under "
            "'accessibility:' in site.yaml") in result.stderr


def test_the_sites_contact_is_the_statements_contact_when_it_names_none(make_site, tmp_path):
    yaml = BASE + ("contact:\n  phone: 019-21 10 00\naccessibility:\n  status: full\n  assessed: 2026-10-01\n")
    result, html = built(make_site, tmp_path, yaml)
    assert "warning" not in result.stderr
    assert '<a href="tel:019-211000">019-21 10 00</a>' in html


def test_an_english_site_gets_an_english_statement(make_site, tmp_path):
    yaml = BASE + CONTACT + "language: en\naccessibility:\n  status: partial\n  shortcomings: [Some videos lack audio description.]\n  assessed: 2026-10-01\n"
    result, html = built(make_site, tmp_path, yaml)
    statement = html.split('class="body statement"', 1)[1]
    assert "How accessible is this website?" in statement and "The latest assessment was made on" in statement
    assert not any(word in statement for word in ("Webbplatsen", "Tillsyn", "kontakta", "gjordes"))   # no Swedish left
