"""The editorial desk over HTTP: sign-in, sessions, CSRF, sites kept apart, the pages' data."""
from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from feedback.desk_kit import (PASSWORD, add_accounts, client_of, csrf_of, desk_service,
                               sign_in, signed_in)
from sitegen.feedback.desk.config import DeskConfig

OTHER_SITE_PAGES = ["/desk/stadsarkiv/", "/desk/stadsarkiv/nytta.csv", "/desk/stadsarkiv/synpunkter",
                    "/desk/stadsarkiv/synpunkter.csv", "/desk/stadsarkiv/kommentarer",
                    "/desk/stadsarkiv/saknade-sidor"]


@pytest.fixture
def service(store, sites):
    made = desk_service(store, sites)
    add_accounts(made)
    return made


def fill(store):
    """One of everything on two sites; returns the ids."""
    return {
        "k_feedback": store.add_feedback("kulturskolan", "/kulturskolan/om/", False,
                                         "Skriv till anna.a@example.se om kurserna"),
        "s_feedback": store.add_feedback("stadsarkiv", "/stadsarkiv/om/", False,
                                         "Hemligt arkivärende"),
        "k_comment": store.add_comment("kulturskolan", "/kulturskolan/blogg/var-konsert/",
                                       "Bo", "Fin konsert!"),
        "s_comment": store.add_comment("stadsarkiv", "/stadsarkiv/blogg/var-konsert/",
                                       "Cia", "Arkivkommentar"),
        "k_missing": store.add_missing("kulturskolan", "/kulturskolan/gitar/",
                                       "https://www.google.com/search"),
        "s_missing": store.add_missing("stadsarkiv", "/stadsarkiv/karta/", ""),
    }


# --- sign-in -------------------------------------------------------------------------

def test_signing_in_sets_a_strict_secure_httponly_cookie(service):
    client = client_of(service)
    answer = sign_in(client, "anna")
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=strict" in cookie


def test_secure_can_be_switched_off_for_plain_http(store, sites):
    service = desk_service(store, sites, DeskConfig(secure_cookies=False))
    add_accounts(service)
    answer = sign_in(client_of(service), "anna")
    assert answer.status_code == 303
    assert "secure" not in answer.headers["set-cookie"].lower()


def test_a_wrong_password_is_refused(service):
    answer = sign_in(client_of(service), "anna", "fel lösenord igen")
    assert answer.status_code == 400
    assert "Användarnamnet eller lösenordet är fel" in answer.text


def test_an_unknown_account_is_refused(service):
    assert sign_in(client_of(service), "nobody").status_code == 400


def test_sign_in_attempts_are_rate_limited(service):
    client = client_of(service)
    for _ in range(5):
        assert sign_in(client, "anna", "fel lösenord igen").status_code == 400
    answer = sign_in(client, "anna")  # the right password, too late
    assert answer.status_code == 429
    assert "För många försök" in answer.text


def test_signing_in_without_the_csrf_token_is_refused(service):
    client = client_of(service)
    client.get("/desk/logga-in")
    answer = client.post("/desk/logga-in", data={"name": "anna", "password": PASSWORD})
    assert answer.status_code == 403


def test_pages_need_a_signed_in_editor(service):
    answer = client_of(service).get("/desk/kulturskolan/synpunkter")
    assert answer.status_code == 303 and answer.headers["location"] == "/desk/logga-in"


def test_a_forged_cookie_is_not_a_session(service):
    client = client_of(service)
    client.cookies.set("sitegen_desk", "eyJ1IjoiYWRtaW4ifQ.forged.sig", domain="feedback.example.se")
    assert client.get("/desk/kulturskolan/").status_code == 303


def test_a_removed_account_is_signed_out_at_once(service):
    client = signed_in(service, "anna")
    service.desk.accounts.remove("anna")
    assert client.get("/desk/kulturskolan/").status_code == 303


def test_signing_out_ends_the_session(service):
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/").text)
    assert client.post("/desk/logga-ut", data={"csrf": token}).status_code == 303
    assert client.get("/desk/kulturskolan/").status_code == 303


def test_the_desk_speaks_english_when_the_browser_asks(service):
    client = signed_in(service, "anna")
    page = client.get("/desk/kulturskolan/", headers={"Accept-Language": "en-GB,en;q=0.9,sv;q=0.5"})
    assert '<html lang="en">' in page.text and "Was the content useful?" in page.text
    page = client.get("/desk/kulturskolan/", headers={"Accept-Language": "sv-SE,en;q=0.8"})
    assert '<html lang="sv">' in page.text and "Hade du nytta av innehållet?" in page.text


def test_single_sign_on_header_is_ignored_unless_configured(service):
    answer = client_of(service).get("/desk/kulturskolan/", headers={"X-Remote-User": "anna"})
    assert answer.status_code == 303


def test_single_sign_on_header_signs_in_a_known_account(store, sites):
    service = desk_service(store, sites, DeskConfig(sso_header="X-Remote-User"))
    add_accounts(service)
    client = client_of(service)
    assert client.get("/desk/kulturskolan/", headers={"X-Remote-User": "anna"}).status_code == 200
    assert client.get("/desk/stadsarkiv/", headers={"X-Remote-User": "anna"}).status_code == 404
    assert client.get("/desk/kulturskolan/", headers={"X-Remote-User": "okand"}).status_code == 303


# --- one site's editor never sees another's -------------------------------------------

@pytest.mark.parametrize("url", OTHER_SITE_PAGES + ["/desk/nosuchsite/"])
def test_another_sites_pages_are_not_found(service, url):
    answer = signed_in(service, "anna").get(url)
    assert answer.status_code == 404
    assert "Arkiv" not in answer.text and "stadsarkiv/" not in answer.text


def test_own_pages_and_export_hold_no_other_sites_data(service, store):
    fill(store)
    client = signed_in(service, "anna")
    for url in [u.replace("stadsarkiv", "kulturskolan") for u in OTHER_SITE_PAGES] + ["/desk/"]:
        answer = client.get(url)
        assert answer.status_code in (200, 303), url
        assert "Arkivkommentar" not in answer.text and "Hemligt" not in answer.text, url
        assert "/stadsarkiv/" not in answer.text, url


def test_posts_to_another_site_change_nothing(service, store):
    ids = fill(store)
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/").text)
    posts = [(f"/desk/stadsarkiv/kommentarer/{ids['s_comment']}", {"beslut": "godkann"}),
             # another site's id through one's own site:
             (f"/desk/kulturskolan/kommentarer/{ids['s_comment']}", {"beslut": "godkann"}),
             (f"/desk/stadsarkiv/synpunkter/{ids['s_feedback']}", {"handled": "ja"}),
             (f"/desk/kulturskolan/synpunkter/{ids['s_feedback']}", {"handled": "ja"}),
             ("/desk/stadsarkiv/saknade-sidor", {"path": "/stadsarkiv/karta/"}),
             ("/desk/kulturskolan/saknade-sidor", {"path": "/stadsarkiv/karta/"})]
    for url, data in posts:
        assert client.post(url, data={"csrf": token, **data}).status_code == 404, url
    assert store.count("comments", status="pending") == 2
    admin = signed_in(service, "admin")
    assert "Hemligt arkivärende" in admin.get("/desk/stadsarkiv/synpunkter").text
    assert "Hanterad</span>" not in admin.get("/desk/stadsarkiv/synpunkter").text
    assert "/stadsarkiv/karta/" in admin.get("/desk/stadsarkiv/saknade-sidor").text


def test_an_administrator_sees_every_site(service):
    client = signed_in(service, "admin")
    home = client.get("/desk/")
    assert "/desk/kulturskolan/" in home.text and "/desk/stadsarkiv/" in home.text


# --- forms only from the desk ------------------------------------------------------------

def test_a_post_without_the_token_is_refused(service, store):
    ids = fill(store)
    client = signed_in(service, "anna")
    answer = client.post(f"/desk/kulturskolan/kommentarer/{ids['k_comment']}",
                         data={"beslut": "godkann"})
    assert answer.status_code == 403
    assert store.count("comments", status="approved") == 0


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"},
                                     {"Origin": "https://www.orebro.se"},
                                     {"Origin": "null"},
                                     {"Sec-Fetch-Site": "cross-site"},
                                     {"Sec-Fetch-Site": "same-site"}])
def test_a_post_from_another_origin_is_refused(service, store, headers):
    ids = fill(store)
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/").text)
    answer = client.post(f"/desk/kulturskolan/kommentarer/{ids['k_comment']}",
                         data={"csrf": token, "beslut": "godkann"}, headers=headers)
    assert answer.status_code == 403
    assert store.count("comments", status="approved") == 0


def test_a_post_from_the_desk_itself_is_accepted(service, store):
    ids = fill(store)
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/").text)
    answer = client.post(f"/desk/kulturskolan/kommentarer/{ids['k_comment']}",
                         data={"csrf": token, "beslut": "godkann"},
                         headers={"Origin": "https://feedback.example.se",
                                  "Sec-Fetch-Site": "same-origin"})
    assert answer.status_code == 303
    assert store.count("comments", status="approved") == 1


# --- what the pages show ----------------------------------------------------------------

def test_personal_data_is_masked_and_flagged_by_default(service, store):
    fill(store)
    client = signed_in(service, "anna")
    page = client.get("/desk/kulturskolan/synpunkter").text
    assert "anna.a@example.se" not in page and "[e-postadress]" in page
    assert "Innehåller personuppgifter: e-postadress" in page
    csv_text = client.get("/desk/kulturskolan/synpunkter.csv").text
    assert "anna.a@example.se" not in csv_text and "[e-postadress]" in csv_text
    shown = client.get("/desk/kulturskolan/synpunkter?personuppgifter=visa").text
    assert "anna.a@example.se" in shown


def test_a_comment_is_marked_handled_with_a_note(service, store):
    ids = fill(store)
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/synpunkter").text)
    answer = client.post(f"/desk/kulturskolan/synpunkter/{ids['k_feedback']}",
                         data={"csrf": token, "handled": "ja", "note": "Svarat per e-post",
                               "period": "90"})
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/desk/kulturskolan/synpunkter?period=90")
    page = client.get("/desk/kulturskolan/synpunkter").text
    assert "Svarat per e-post" in page and 'value="ja" checked' in page
    assert "hanterad;anteckning" in client.get("/desk/kulturskolan/synpunkter.csv").text


def test_bidi_controls_stored_before_are_shown_nowhere(service, store):
    # Rows stored before the service took them out on receipt: the desk, its CSV and the
    # moderation page show the text as it reads, never turned around.
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "Se bilagan \u202egnp.exe\u202c nu")
    store.add_comment("kulturskolan", "/kulturskolan/blogg/var-konsert/", "\u2067Bo\u2069", "Fin\u202d konsert")
    client = signed_in(service, "anna")
    shown = [client.get(f"/desk/kulturskolan/{page}").text
             for page in ("synpunkter", "synpunkter.csv", "kommentarer")]
    for text in shown:
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "Se bilagan gnp.exe nu" in shown[0] and "Se bilagan gnp.exe nu" in shown[1]
    assert "Fin konsert" in shown[2]


def test_the_csv_defuses_formulas(service, store):
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "=HYPERLINK(\"x\")")
    client = signed_in(service, "anna")
    assert "'=HYPERLINK" in client.get("/desk/kulturskolan/synpunkter.csv").text


def test_usefulness_shows_shares_per_period_and_a_trend(service, store):
    from datetime import timedelta
    from sitegen.feedback.store import utc_now

    now = utc_now()
    for days, useful in [(1, True), (2, False), (60, False), (200, True), (300, True)]:
        store.add_feedback("kulturskolan", "/kulturskolan/om/", useful, "", now - timedelta(days=days))
    page = signed_in(service, "anna").get("/desk/kulturskolan/").text
    assert "50 %" in page and "33 %" in page and "60 %" in page
    assert '<svg class="trend" role="img" aria-label="Andel ja per månad:' in page
    csv_text = signed_in(service, "anna").get("/desk/kulturskolan/nytta.csv").text
    assert "/kulturskolan/om/;1;2;0,500;1;3;0,333;3;5;0,600" in csv_text


def test_the_section_filter_keeps_to_the_section(service, store):
    store.add_feedback("kulturskolan", "/kulturskolan/kurser/gitarr/", False, "Gitarrsynpunkt")
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "Omsynpunkt")
    page = signed_in(service, "anna").get("/desk/kulturskolan/synpunkter?avsnitt=kurser").text
    assert "Gitarrsynpunkt" in page and "Omsynpunkt" not in page


def test_missing_pages_show_hosts_a_suggestion_and_the_alias_line(service, store):
    fill(store)
    client = signed_in(service, "anna")
    page = client.get("/desk/kulturskolan/saknade-sidor").text
    assert "www.google.com (1)" in page and "/search" not in page
    assert 'value="aliases: [&#34;/kulturskolan/gitar/&#34;]"' in page
    assert "kulturskolan/kurser/gitarr.md" in page
    token = csrf_of(page)
    client.post("/desk/kulturskolan/saknade-sidor", data={"csrf": token, "path": "/kulturskolan/gitar/"})
    assert "/kulturskolan/gitar/" not in client.get("/desk/kulturskolan/saknade-sidor").text


def test_approving_writes_the_comments_file_and_runs_the_publish_command(store, sites, tmp_path):
    marker = tmp_path / "published.txt"
    config = DeskConfig(publish={"kulturskolan": [[sys.executable, "-c",
        "import sys; open(sys.argv[1], 'w').write(sys.argv[2])", str(marker), "{site}"]]})
    service = desk_service(store, sites, config)
    add_accounts(service)
    ids = fill(store)
    rejected = store.add_comment("kulturskolan", "/kulturskolan/blogg/var-konsert/", "X", "Spam")
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/kommentarer").text)
    client.post(f"/desk/kulturskolan/kommentarer/{rejected}", data={"csrf": token, "beslut": "avvisa"})
    client.post(f"/desk/kulturskolan/kommentarer/{ids['k_comment']}",
                data={"csrf": token, "beslut": "godkann"})
    service.desk.publisher.wait("kulturskolan", 60)
    site = sites.by_name("kulturskolan")
    published = json.loads((site.content_dir / "data" / "comments.json").read_text("utf-8"))
    assert [c["text"] for c in published] == ["Fin konsert!"]
    assert marker.read_text() == "kulturskolan"
    assert "Senast publicerat" in client.get("/desk/kulturskolan/kommentarer").text


def test_a_failing_publish_command_is_shown_to_the_editor(store, sites):
    config = DeskConfig(publish={"kulturskolan": [[sys.executable, "-c", "raise SystemExit(3)"]]})
    service = desk_service(store, sites, config)
    add_accounts(service)
    ids = fill(store)
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/kommentarer").text)
    client.post(f"/desk/kulturskolan/kommentarer/{ids['k_comment']}",
                data={"csrf": token, "beslut": "godkann"})
    service.desk.publisher.wait("kulturskolan", 60)
    assert "Publiceringen misslyckades" in client.get("/desk/kulturskolan/kommentarer").text


def test_marks_of_purged_rows_are_forgotten(service, store):
    from sitegen.feedback.store import utc_now

    ids = fill(store)
    service.desk.data.mark("feedback", "kulturskolan", str(ids["k_feedback"]), True,
                           "ringde 070-123 45 67", "anna")
    store.purge(utc_now())
    service.desk.upkeep()
    with store.transaction() as cur:
        cur.execute("SELECT COUNT(*) FROM desk_marks", ())
        assert cur.fetchone()[0] == 0


def test_personal_data_in_old_comments_is_masked_for_good(service, store):
    from datetime import timedelta
    from sitegen.feedback.store import utc_now

    old = store.add_feedback("kulturskolan", "/kulturskolan/om/", False,
                             "Mejla anna.a@example.se", utc_now() - timedelta(days=31))
    new = store.add_feedback("kulturskolan", "/kulturskolan/om/", False,
                             "Mejla bo.b@example.se", utc_now() - timedelta(days=29))
    service.desk.upkeep()
    assert old and new
    assert sorted(store.feedback_comments("Mejla")) == ["Mejla [e-postadress]",
                                                        "Mejla bo.b@example.se"]
    assert store.count("feedback", useful=0) == 2


def test_behind_a_proxy_the_public_url_is_the_desks_origin(store, sites):
    service = desk_service(store, sites, DeskConfig(public_url="https://redaktion.example.se/desk/"))
    add_accounts(service)
    ids = fill(store)
    client = signed_in(service, "anna")
    token = csrf_of(client.get("/desk/kulturskolan/").text)
    url = f"/desk/kulturskolan/kommentarer/{ids['k_comment']}"
    own = {"Origin": "https://redaktion.example.se"}
    upstream = {"Origin": "https://feedback.example.se"}
    assert client.post(url, data={"csrf": token, "beslut": "godkann"}, headers=upstream).status_code == 403
    assert client.post(url, data={"csrf": token, "beslut": "godkann"}, headers=own).status_code == 303


def test_signing_out_ends_every_session_of_the_account(service):
    first, second = signed_in(service, "anna"), signed_in(service, "anna")
    copied = dict(first.cookies)
    token = csrf_of(first.get("/desk/kulturskolan/").text)
    first.post("/desk/logga-ut", data={"csrf": token})
    assert second.get("/desk/kulturskolan/").status_code == 303
    replayed = client_of(service)
    for name, value in copied.items():
        replayed.cookies.set(name, value, domain="feedback.example.se", path="/desk")
    assert replayed.get("/desk/kulturskolan/").status_code == 303
    assert signed_in(service, "anna").get("/desk/kulturskolan/").status_code == 200


def test_changing_an_account_ends_its_sessions(service):
    client = signed_in(service, "anna")
    service.desk.accounts.add("anna", PASSWORD, ["stadsarkiv"], False)
    assert client.get("/desk/kulturskolan/").status_code == 303


def csv_rows(answer, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=delimiter))


def test_the_swedish_csv_is_what_excel_in_swedish_opens_in_columns(service, store):
    # Excel reads a CSV without a byte order mark as Windows-1252 (å becomes Ã¥) and, in
    # Swedish, splits cells only on ';' (',' is the decimal mark).
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "Svårt att hitta, även på mobil")
    client = signed_in(service, "anna")
    answer = client.get("/desk/kulturskolan/synpunkter.csv")
    assert answer.content.startswith(b"\xef\xbb\xbf")
    header, row = csv_rows(answer, ";")
    assert header[:4] == ["datum", "sida", "nytta", "synpunkt"]
    assert row[1:4] == ["/kulturskolan/om/", "nej", "Svårt att hitta, även på mobil"]
    shares = csv_rows(client.get("/desk/kulturskolan/nytta.csv"), ";")
    assert shares[1][:4] == ["/kulturskolan/om/", "0", "1", "0,000"]


def test_the_english_csv_has_commas_and_decimal_points(service, store):
    store.add_feedback("kulturskolan", "/kulturskolan/om/", True, "Fine, thanks")
    client = signed_in(service, "anna")
    english = {"Accept-Language": "en-GB,en;q=0.9"}
    answer = client.get("/desk/kulturskolan/synpunkter.csv", headers=english)
    assert answer.content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(answer, ",")[1][1:4] == ["/kulturskolan/om/", "yes", "Fine, thanks"]
    shares = csv_rows(client.get("/desk/kulturskolan/nytta.csv", headers=english), ",")
    assert shares[1][:4] == ["/kulturskolan/om/", "1", "1", "1.000"]


def test_a_comment_to_review_with_personal_data_is_flagged_and_shown_as_written(service, store):
    # Approved, a blog comment is public: the editor sees what the page would show and is told.
    store.add_comment("kulturskolan", "/kulturskolan/blogg/var-konsert/", "Eva",
                      "Ring mig på 070-123 45 67 om konserten")
    client = signed_in(service, "anna")
    page = client.get("/desk/kulturskolan/kommentarer").text
    assert "Ring mig på 070-123 45 67" in page
    assert "Innehåller personuppgifter: telefonnummer." in page
    assert "Godkänner du kommentaren visas uppgifterna för alla på webbplatsen." in page


def test_a_comment_to_review_without_personal_data_is_not_flagged(service, store):
    store.add_comment("kulturskolan", "/kulturskolan/blogg/var-konsert/", "Bo", "Fin konsert 2026!")
    page = signed_in(service, "anna").get("/desk/kulturskolan/kommentarer").text
    assert "Fin konsert 2026!" in page and "personuppgifter" not in page
