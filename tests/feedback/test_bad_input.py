"""Every bad input is refused with a clear 4xx, stores nothing, and echoes nothing."""
from __future__ import annotations

import json

import pytest

PAGE = "https://www.orebro.se/kulturskolan/om/"
POST = "https://www.orebro.se/kulturskolan/blogg/var-konsert/"  # takes comments
JSON = {"Accept": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", **JSON}


def refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False
    assert body["code"] == code
    assert body["error"]


def nothing_stored(store) -> None:
    assert store.count("feedback") + store.count("comments") + store.count("missing") == 0


# --- feedback ---------------------------------------------------------------------

def test_honeypot_filled(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja", "website": "http://spam"},
                    headers=JSON)
    refused(r, 400, "honeypot")
    nothing_stored(store)


def test_body_larger_than_limit(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja", "comment": "x" * 20000},
                    headers=JSON)
    refused(r, 413, "too_large")
    nothing_stored(store)


def test_streamed_body_larger_than_limit_without_length(client, store):
    def chunks():
        for _ in range(40):
            yield b"comment=" + b"x" * 1000 + b"&"

    r = client.post("/feedback", content=chunks(), headers=FORM)
    refused(r, 413, "too_large")
    nothing_stored(store)


def test_comment_longer_than_limit(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "nej", "comment": "å" * 2001},
                    headers=JSON)
    refused(r, 422, "too_long")
    nothing_stored(store)


def test_useful_missing(client, store):
    refused(client.post("/feedback", data={"page": PAGE}, headers=JSON), 400, "missing_field")
    nothing_stored(store)


def test_useful_not_ja_or_nej(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "kanske"}, headers=JSON)
    refused(r, 422, "bad_choice")
    nothing_stored(store)


def test_useful_of_wrong_json_type(client, store):
    r = client.post("/feedback", json={"page": PAGE, "useful": True}, headers=JSON)
    refused(r, 400, "wrong_type")
    nothing_stored(store)


def test_page_of_wrong_json_type(client, store):
    r = client.post("/feedback", json={"page": 17, "useful": "ja"}, headers=JSON)
    refused(r, 400, "wrong_type")


def test_page_as_json_list(client, store):
    r = client.post("/feedback", json={"page": [PAGE], "useful": "ja"}, headers=JSON)
    refused(r, 400, "wrong_type")


def test_json_body_not_an_object(client, store):
    r = client.post("/feedback", json=[PAGE, "ja"], headers=JSON)
    refused(r, 400, "bad_json")


def test_json_body_not_json(client, store):
    r = client.post("/feedback", content=b'{"page": ', headers={
        "Content-Type": "application/json", **JSON})
    refused(r, 400, "bad_json")


def test_page_on_an_unknown_host(client, store):
    r = client.post("/feedback", data={"page": "https://evil.example/kulturskolan/om/",
                                       "useful": "ja"}, headers=JSON)
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_page_outside_every_site_prefix(client, store):
    r = client.post("/feedback", data={"page": "https://www.orebro.se/okand/", "useful": "ja"},
                    headers=JSON)
    refused(r, 422, "unknown_page")


def test_plain_path_outside_the_sites_of_the_posting_origin(client, store):
    r = client.post("/feedback", data={"page": "/okand/", "useful": "ja"},
                    headers={**JSON, "Origin": "https://www.orebro.se"})
    refused(r, 422, "unknown_page")


def test_page_with_dot_segments(client, store):
    r = client.post("/feedback", data={"page": "/kulturskolan/../admin/", "useful": "ja"},
                    headers=JSON)
    refused(r, 422, "unknown_page")


def test_page_as_javascript_url(client, store):
    r = client.post("/feedback", data={"page": "javascript:alert(1)", "useful": "ja"},
                    headers=JSON)
    refused(r, 422, "unknown_page")


def test_page_empty(client, store):
    refused(client.post("/feedback", data={"page": "", "useful": "ja"}, headers=JSON),
            422, "empty_field")


def test_malformed_percent_encoding(client, store):
    r = client.post("/feedback", content=b"page=%2Fkulturskolan%2Fom%2F&useful=ja&comment=%FF%FE",
                    headers=FORM)
    refused(r, 400, "bad_encoding")
    nothing_stored(store)


def test_raw_non_ascii_bytes_in_form_body(client, store):
    r = client.post("/feedback", content="page=/kulturskolan/om/&useful=ja&comment=bö".encode("latin-1"),
                    headers=FORM)
    refused(r, 400, "bad_encoding")


def test_invalid_utf8_in_json(client, store):
    r = client.post("/feedback", content=b'{"page": "/kulturskolan/om/", "useful": "ja", '
                                         b'"comment": "\xff"}',
                    headers={"Content-Type": "application/json", **JSON})
    refused(r, 400, "bad_encoding")


def test_nul_character(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "nej", "comment": "a\x00b"},
                    headers=JSON)
    refused(r, 400, "control_character")
    nothing_stored(store)


def test_terminal_escape_sequence(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "nej",
                                       "comment": "\x1b[2J\x1b[31mhej"}, headers=JSON)
    refused(r, 400, "control_character")


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_controls_in_feedback_are_not_stored(client, store):
    # "\u202egnp.exe" would show as "exe.png" on the desk and in a spreadsheet.
    r = client.post("/feedback", data={"page": PAGE, "useful": "nej", "comment": f"Bra{BIDI} \u202egnp.exe"},
                    headers=JSON)
    assert r.status_code == 200
    with store.transaction() as cur:
        cur.execute("SELECT comment FROM feedback", ())
        assert [row[0] for row in cur.fetchall()] == ["Bra gnp.exe"]


def test_bidi_controls_in_a_comment_and_its_name_are_not_stored(client, store):
    r = client.post("/comments", data={"page": POST, "name": "\u2067Anna\u2069", "text": "Fin\u202e konsert"},
                    headers=JSON)
    assert r.status_code == 200
    with store.transaction() as cur:
        cur.execute("SELECT name, text FROM comments", ())
        assert cur.fetchall() == [("Anna", "Fin konsert")]


def test_duplicate_field(client, store):
    r = client.post("/feedback", content=b"page=%2Fkulturskolan%2Fom%2F&useful=ja&useful=nej",
                    headers=FORM)
    refused(r, 400, "duplicate_field")


def test_too_many_fields(client, store):
    body = "&".join(f"f{i}=1" for i in range(30)) + "&page=%2Fkulturskolan%2F&useful=ja"
    refused(client.post("/feedback", content=body.encode(), headers=FORM), 400, "too_many_fields")


def test_unsupported_content_type(client, store):
    r = client.post("/feedback", content=b"<page/>",
                    headers={"Content-Type": "application/xml", **JSON})
    refused(r, 415, "unsupported_type")


def test_multipart_with_a_file(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"},
                    files={"comment": ("a.txt", b"hello", "text/plain")}, headers=JSON)
    assert r.status_code == 400
    nothing_stored(store)


def test_origin_not_allowed(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"},
                    headers={**JSON, "Origin": "https://evil.example"})
    refused(r, 403, "forbidden_origin")
    nothing_stored(store)


def test_rate_limit(client, new_client, store):
    for _ in range(5):
        assert client.post("/feedback", data={"page": PAGE, "useful": "ja"},
                           headers=JSON).status_code == 200
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"}, headers=JSON)
    refused(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1
    assert store.count("feedback") == 5
    # Another visitor is not affected.
    other = new_client("203.0.113.9")
    assert other.post("/feedback", data={"page": PAGE, "useful": "ja"},
                      headers=JSON).status_code == 200


def test_refused_form_post_gets_an_html_page_without_the_visitors_text(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "<script>alert(1)</script>"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    assert "<script>" not in r.text and "alert(1)" not in r.text
    assert "Välj Ja eller Nej" in r.text


def test_error_page_escapes_the_referer_link(client, store):
    # An unknown page: the link falls back to the Referer.
    r = client.post("/feedback", data={"page": "https://evil.example/", "useful": "x"},
                    headers={"Referer": 'https://www.orebro.se/kulturskolan/om/?"><script>x</script>'})
    assert "<script>x" not in r.text
    assert "&quot;&gt;&lt;script&gt;" in r.text


# --- comments ---------------------------------------------------------------------

def test_comment_honeypot_filled(client, store):
    r = client.post("/comments", data={"page": POST, "name": "A", "text": "B",
                                       "website": "x"}, headers=JSON)
    refused(r, 400, "honeypot")
    nothing_stored(store)


def test_comment_without_name(client, store):
    refused(client.post("/comments", data={"page": POST, "text": "B"}, headers=JSON),
            400, "missing_field")


def test_comment_with_blank_text(client, store):
    r = client.post("/comments", data={"page": POST, "name": "A", "text": "  \n "}, headers=JSON)
    refused(r, 422, "empty_field")


def test_comment_name_too_long(client, store):
    r = client.post("/comments", data={"page": POST, "name": "n" * 101, "text": "B"},
                    headers=JSON)
    refused(r, 422, "too_long")


def test_comment_text_too_long(client, store):
    r = client.post("/comments", json={"page": POST, "name": "A", "text": "t" * 4001},
                    headers=JSON)
    refused(r, 422, "too_long")


def test_comment_on_unknown_page(client, store):
    r = client.post("/comments", data={"page": "https://evil.example/", "name": "A", "text": "B"},
                    headers=JSON)
    refused(r, 422, "unknown_page")


# --- missing-page reports ---------------------------------------------------------

def test_missing_path_not_on_a_site_of_the_origin(client, store):
    r = client.post("/missing", data={"path": "/okand/", "referrer": ""},
                    headers={"Origin": "https://www.orebro.se"})
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_missing_relative_path(client, store):
    refused(client.post("/missing", data={"path": "kulturskolan/x/"}), 422, "unknown_page")


def test_missing_path_too_long(client, store):
    r = client.post("/missing", data={"path": "/kulturskolan/" + "a" * 600})
    refused(r, 422, "too_long")


def test_missing_referrer_of_wrong_type(client, store):
    r = client.post("/missing", content=json.dumps({"path": "/kulturskolan/x/", "referrer": 5}),
                    headers={"Content-Type": "application/json"})
    refused(r, 400, "wrong_type")


def test_missing_path_with_whitespace(client, store):
    refused(client.post("/missing", data={"path": "/kulturskolan/a b/"}), 422, "unknown_page")


@pytest.mark.parametrize("endpoint", ["/feedback", "/comments", "/missing"])
def test_empty_body(client, store, endpoint):
    r = client.post(endpoint, content=b"", headers=FORM)
    refused(r, 400, "missing_field")
