"""Refusals that docs/feedback.md promises: encoded dot segments, malformed escapes, JSON
duplicates and nulls, comments only where the comment form is, and the back link of the
error page a plain form post gets."""
from __future__ import annotations

import re

from sitegen.feedback.app import Service
from sitegen.feedback.comment_pages import CommentPages
from sitegen.feedback.limits import RateLimiter

POST = "https://www.orebro.se/kulturskolan/blogg/var-konsert/"
JSON = {"Accept": "application/json"}
FORM = {"Content-Type": "application/x-www-form-urlencoded", **JSON}
PLAIN = {"Content-Type": "application/x-www-form-urlencoded"}  # no JavaScript


def refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["code"] == code
    assert response.json()["ok"] is False


def nothing_stored(store) -> None:
    assert store.count("feedback") + store.count("comments") + store.count("missing") == 0


def back_link(response) -> str | None:
    found = re.search(r'<a href="([^"]*)">Tillbaka till sidan</a>', response.text)
    return found.group(1) if found else None


# --- percent-encoded dot segments (one check for every endpoint) -----------------------

def test_feedback_page_with_encoded_dot_segments(client, store):
    r = client.post("/feedback", json={"page": "/kulturskolan/%2e%2e/x", "useful": "ja"},
                    headers=JSON)
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_feedback_page_url_with_encoded_dot_segments_in_capitals(client, store):
    r = client.post("/feedback", json={"page": "https://www.orebro.se/kulturskolan/%2E%2e/x",
                                       "useful": "ja"}, headers=JSON)
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_form_page_with_double_encoded_dot_segments(client, store):
    r = client.post("/feedback", content=b"page=/kulturskolan/%252e%252e/x&useful=ja",
                    headers=FORM)
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_page_with_encoded_slash_making_an_empty_segment(client, store):
    r = client.post("/feedback", json={"page": "/kulturskolan/%2f/x/", "useful": "ja"},
                    headers=JSON)
    refused(r, 422, "unknown_page")


def test_missing_path_with_encoded_dot_segments(client, store):
    refused(client.post("/missing", json={"path": "/kulturskolan/.%2e/x"}), 422, "unknown_page")
    nothing_stored(store)


def test_comment_page_with_encoded_dot_segments(client, store):
    r = client.post("/comments", json={"page": "/kulturskolan/blogg/%2e%2e/blogg/var-konsert/",
                                       "name": "A", "text": "B"}, headers=JSON)
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_encoded_letters_in_a_path_are_still_accepted(client, store):
    r = client.post("/missing", json={"path": "/kulturskolan/Gitarr%20Kurs"})
    assert r.status_code == 204
    assert store.count("missing") == 1


# --- encoding and JSON --------------------------------------------------------------

def test_malformed_percent_escape_in_form(client, store):
    r = client.post("/feedback", content=b"page=%2Fkulturskolan%2Fom%2F&useful=ja&comment=%zz",
                    headers=FORM)
    refused(r, 400, "bad_encoding")
    nothing_stored(store)


def test_truncated_percent_escape_at_the_end_of_the_form(client, store):
    r = client.post("/feedback", content=b"page=%2Fkulturskolan%2Fom%2F&useful=ja&comment=a%2",
                    headers=FORM)
    refused(r, 400, "bad_encoding")


def test_duplicate_field_in_json(client, store):
    r = client.post("/feedback", content=b'{"page": "/kulturskolan/om/", "useful": "ja", '
                                         b'"useful": "nej"}',
                    headers={"Content-Type": "application/json", **JSON})
    refused(r, 400, "duplicate_field")
    nothing_stored(store)


def test_json_null_for_an_optional_field(client, store):
    r = client.post("/feedback", json={"page": "/kulturskolan/om/", "useful": "ja",
                                       "comment": None}, headers=JSON)
    refused(r, 400, "wrong_type")
    nothing_stored(store)


def test_json_null_for_a_required_field(client, store):
    r = client.post("/comments", json={"page": POST, "name": None, "text": "B"}, headers=JSON)
    refused(r, 400, "wrong_type")


def test_json_null_honeypot(client, store):
    r = client.post("/feedback", json={"page": "/kulturskolan/om/", "useful": "ja",
                                       "website": None}, headers=JSON)
    refused(r, 400, "wrong_type")


def test_nested_json_object_as_a_value(client, store):
    r = client.post("/feedback", json={"page": "/kulturskolan/om/", "useful": {"a": 1}},
                    headers=JSON)
    refused(r, 400, "wrong_type")


# --- comments only where the comment form is -----------------------------------------

def test_comment_on_a_post_that_takes_comments(client, store):
    r = client.post("/comments", json={"page": POST, "name": "A", "text": "B"}, headers=JSON)
    assert r.json() == {"ok": True}
    assert store.count("comments") == 1


def test_comment_on_a_normal_page(client, store):
    r = client.post("/comments", data={"page": "/kulturskolan/om/", "name": "A", "text": "B"},
                    headers=JSON)
    refused(r, 422, "comments_closed")
    nothing_stored(store)


def test_comment_on_a_blog_post_without_comments(client, store):
    r = client.post("/comments", data={"page": "/kulturskolan/blogg/stangt/", "name": "A",
                                       "text": "B"}, headers=JSON)
    refused(r, 422, "comments_closed")
    nothing_stored(store)


def test_comment_on_a_page_that_does_not_exist(client, store):
    r = client.post("/comments", data={"page": "/kulturskolan/finns-inte/", "name": "A",
                                       "text": "B"}, headers=JSON)
    refused(r, 422, "unknown_page")
    nothing_stored(store)


def test_comment_on_a_draft_post(content, store, sites, client_for):
    (content / "kulturskolan" / "blogg" / "2026-11-22-utkast.md").write_text(
        "---\ntitle: Utkast\ntype: blog\ncomments: true\ndraft: true\n---\nText.\n", "utf-8")
    client = client_for(Service(store=store, sites=sites))
    r = client.post("/comments", data={"page": "/kulturskolan/blogg/utkast/", "name": "A",
                                       "text": "B"}, headers=JSON)
    refused(r, 422, "unknown_page")


def test_refused_comment_form_post_says_why_in_swedish(client, store):
    r = client.post("/comments", data={"page": "/kulturskolan/om/", "name": "A", "text": "B"})
    assert r.status_code == 422
    assert "tar inte emot kommentarer" in r.text


def test_comments_opened_while_the_service_runs(content, store, sites, client_for):
    client = client_for(Service(store=store, sites=sites, comment_pages=CommentPages(max_age=0)))
    data = {"page": "/kulturskolan/blogg/stangt/", "name": "A", "text": "B"}
    refused(client.post("/comments", data=data, headers=JSON), 422, "comments_closed")
    post = content / "kulturskolan" / "blogg" / "2026-11-21-stangt.md"
    post.write_text(post.read_text("utf-8").replace("type: blog\n", "type: blog\ncomments: true\n"),
                    "utf-8")
    assert client.post("/comments", data=data, headers=JSON).json() == {"ok": True}


# --- the back link of a refused plain form post --------------------------------------

def test_back_link_from_the_posted_page(client, store):
    r = client.post("/feedback", data={"page": "/kulturskolan/om/", "useful": "x"},
                    headers={**PLAIN, "Origin": "https://www.orebro.se"})
    assert r.status_code == 422
    assert back_link(r) == "https://www.orebro.se/kulturskolan/om/"


def test_back_link_ignores_an_origin_only_referer(client, store):
    r = client.post("/feedback", data={"page": "https://www.orebro.se/kulturskolan/om/",
                                       "useful": "x"},
                    headers={**PLAIN, "Referer": "https://www.orebro.se/"})
    assert back_link(r) == "https://www.orebro.se/kulturskolan/om/"


def test_back_link_on_a_rate_limited_post_without_referer(store, sites, client_for):
    client = client_for(Service(store=store, sites=sites, limiter=RateLimiter(limit=1, window=60)))
    data = {"page": "https://www.orebro.se/kulturskolan/om/", "useful": "ja"}
    assert client.post("/feedback", data=data).status_code == 303
    r = client.post("/feedback", data=data)
    assert r.status_code == 429
    assert back_link(r) == "https://www.orebro.se/kulturskolan/om/"


def test_back_link_goes_to_the_local_preview_it_came_from(client, store):
    r = client.post("/feedback", data={"page": "https://www.orebro.se/kulturskolan/om/",
                                       "useful": "x"},
                    headers={**PLAIN, "Referer": "http://127.0.0.1:8000/kulturskolan/om/"})
    assert back_link(r) == "http://127.0.0.1:8000/kulturskolan/om/"


def test_back_link_falls_back_to_a_referer_on_a_site(client, store):
    r = client.post("/feedback", data={"page": "https://evil.example/", "useful": "ja"},
                    headers={**PLAIN, "Referer": "https://www.orebro.se/kulturskolan/kurser/"})
    assert r.status_code == 422
    assert back_link(r) == "https://www.orebro.se/kulturskolan/kurser/"


def test_a_too_large_plain_post_says_what_to_do_and_links_back(client, store):
    r = client.post("/feedback", data={"page": "/kulturskolan/om/", "useful": "nej", "comment": "å" * 9000},
                    headers={**PLAIN, "Referer": "https://www.orebro.se/kulturskolan/om/"})
    assert r.status_code == 413
    assert "Det du skickade är för stort. Korta texten och försök igen." in r.text
    assert back_link(r) == "https://www.orebro.se/kulturskolan/om/"
    nothing_stored(store)


def test_no_back_link_when_neither_page_nor_referer_is_ours(client, store):
    r = client.post("/feedback", data={"page": "https://evil.example/", "useful": "ja"},
                    headers={**PLAIN, "Referer": "https://www.orebro.se/"})
    assert r.status_code == 422
    assert back_link(r) is None


# --- the error page in the language of the site ------------------------------------------

def test_a_refused_post_from_an_english_site_gets_an_english_page(content, store, client_for):
    from sitegen.feedback.limits import ClientHasher, Limits
    from sitegen.feedback.sites import SiteIndex, load_sites
    from sitegen.problems import Problems

    yaml = content / "wadkoping" / "site.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8") + "language: en\n", encoding="utf-8")
    sites = SiteIndex(load_sites(content, [], Problems()), [])
    client = client_for(Service(store=store, sites=sites, limits=Limits(),
                                limiter=RateLimiter(limit=5, window=60), hasher=ClientHasher()))
    r = client.post("/feedback", content=b"page=https://wadkoping.example.se/om/&useful=kanske", headers=PLAIN)
    assert r.status_code == 422
    assert '<html lang="en">' in r.text and "Choose Yes or No." in r.text
    assert '<a href="https://wadkoping.example.se/om/">Back to the page</a>' in r.text
    r = client.post("/feedback", content=b"page=https://www.orebro.se/kulturskolan/om/&useful=kanske", headers=PLAIN)
    assert '<html lang="sv">' in r.text and "Välj Ja eller Nej." in r.text   # a Swedish site's stays Swedish
    nothing_stored(store)
