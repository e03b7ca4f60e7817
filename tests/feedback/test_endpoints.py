"""Every endpoint, as the theme's forms, fetch and sendBeacon use it (SQLite and PostgreSQL)."""
from __future__ import annotations

import json

PAGE = "https://www.orebro.se/kulturskolan/om/"
JSON = {"Accept": "application/json"}


def test_feedback_form_post_redirects_to_thanks_anchor(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja", "website": ""})
    assert r.status_code == 303
    assert r.headers["location"] == PAGE + "#tack"
    assert store.count("feedback", site="kulturskolan", page="/kulturskolan/om/") == 1


def test_feedback_with_comment_is_stored_as_sent(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "nej",
                                       "comment": "Öppettiderna saknas.", "website": ""})
    assert r.status_code == 303
    summary = store.page_summaries()[0]
    assert (summary.yes, summary.total) == (0, 1)
    assert summary.latest[0][1] == "Öppettiderna saknas."


def test_feedback_accepts_a_plain_path(client, store):
    r = client.post("/feedback", data={"page": "/kulturskolan/om/", "useful": "ja"})
    assert r.status_code == 303
    assert r.headers["location"] == "https://www.orebro.se/kulturskolan/om/#tack"


def test_feedback_fetch_gets_json(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"}, headers=JSON)
    assert r.status_code == 200
    assert r.json() == {"ok": True}
    assert store.count("feedback") == 1


def test_feedback_json_body(client, store):
    r = client.post("/feedback", json={"page": PAGE, "useful": "nej", "comment": "Bra"},
                    headers=JSON)
    assert r.json() == {"ok": True}
    assert store.count("feedback", useful=0) == 1


def test_feedback_multipart_body_from_formdata(client, store):
    r = client.post("/feedback", files={"page": (None, PAGE), "useful": (None, "ja")},
                    headers=JSON)
    assert r.status_code == 200, r.text
    assert store.count("feedback") == 1


def test_feedback_redirects_to_local_preview_when_posted_from_it(client):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"},
                    headers={"Referer": "http://127.0.0.1:8000/kulturskolan/om/",
                             "Origin": "http://127.0.0.1:8000"})
    assert r.headers["location"] == "http://127.0.0.1:8000/kulturskolan/om/#tack"


def test_feedback_ignores_referer_of_an_origin_not_allowed(client):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"},
                    headers={"Referer": "https://evil.example/kulturskolan/om/"})
    assert r.headers["location"] == PAGE + "#tack"


def test_feedback_page_on_other_site_is_attributed_to_it(client, store):
    client.post("/feedback", data={"page": "https://wadkoping.example.se/om/", "useful": "ja"})
    assert store.count("feedback", site="wadkoping", page="/om/") == 1


def test_comment_form_post_is_held_for_moderation(client, store):
    r = client.post("/comments", data={"page": "https://www.orebro.se/kulturskolan/blogg/var-konsert/",
                                       "name": "Anna", "text": "Fin konsert!", "website": ""})
    assert r.status_code == 303
    assert r.headers["location"].endswith("/kulturskolan/blogg/var-konsert/#kommentar-tack")
    [comment] = store.comments()
    assert (comment.name, comment.text, comment.status) == ("Anna", "Fin konsert!", "pending")


def test_comment_fetch_gets_json(client, store):
    r = client.post("/comments", data={"page": "/kulturskolan/blogg/var-konsert/", "name": "Bo",
                                       "text": "Hej"}, headers=JSON)
    assert r.json() == {"ok": True}
    assert store.count("comments", status="pending") == 1


def test_missing_beacon_form_encoded(client, store):
    r = client.post("/missing", data={"path": "/kulturskolan/gitarr/",
                                      "referrer": "https://www.orebro.se/kulturskolan/"})
    assert r.status_code == 204
    [row] = store.missing_summaries()
    assert (row.site, row.path, row.hits) == ("kulturskolan", "/kulturskolan/gitarr/", 1)
    assert row.referrer == "https://www.orebro.se/kulturskolan/"


def test_missing_beacon_json_as_text_plain(client, store):
    body = json.dumps({"path": "/stadsarkiv/kartor/", "referrer": ""})
    r = client.post("/missing", content=body,
                    headers={"Content-Type": "text/plain;charset=UTF-8"})
    assert r.status_code == 204
    assert store.count("missing", site="stadsarkiv") == 1


def test_missing_referrer_keeps_no_query(client, store):
    client.post("/missing", data={"path": "/kulturskolan/x/",
                                  "referrer": "https://www.orebro.se/kulturskolan/sok/?q=mitt+namn"})
    assert store.missing_summaries()[0].referrer == "https://www.orebro.se/kulturskolan/sok/"


def test_health(client, store):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json() == {"ok": True, "store": store.kind}


def test_health_writes_to_the_store(client, store):
    """Monitoring asks for a write, not only a read: /health commits to its own row."""
    client.get("/health")
    with store.transaction() as cur:
        cur.execute("SELECT COUNT(*) FROM health", ())
        assert cur.fetchone()[0] == 1


def test_health_reports_a_broken_store(client, store):
    store.close()
    r = client.get("/health")
    assert r.status_code == 503
    assert r.json()["ok"] is False


def test_no_cookies_and_no_caching(client):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"})
    assert "set-cookie" not in r.headers
    assert r.headers["cache-control"] == "no-store"


def test_cors_allows_a_configured_site_origin(client):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja"},
                    headers={**JSON, "Origin": "https://www.orebro.se"})
    assert r.headers["access-control-allow-origin"] == "https://www.orebro.se"


def test_cors_preflight_for_a_configured_origin(client):
    r = client.options("/feedback", headers={"Origin": "https://wadkoping.example.se",
                                             "Access-Control-Request-Method": "POST",
                                             "Access-Control-Request-Headers": "content-type"})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "https://wadkoping.example.se"


def test_cors_preflight_refused_for_another_origin(client):
    r = client.options("/feedback", headers={"Origin": "https://evil.example",
                                             "Access-Control-Request-Method": "POST"})
    assert r.status_code == 400
    assert "access-control-allow-origin" not in r.headers


def test_get_on_a_post_endpoint_is_405(client):
    assert client.get("/feedback").status_code == 405


def test_retention_purges_old_rows_when_the_service_starts(store, sites, client_for):
    import time
    from datetime import timedelta

    from sitegen.feedback.app import Service
    from sitegen.feedback.store import utc_now

    store.add_feedback("kulturskolan", "/kulturskolan/", True, now=utc_now() - timedelta(days=40))
    store.add_feedback("kulturskolan", "/kulturskolan/", True)
    with client_for(Service(store=store, sites=sites, retention_days=30)) as running:
        assert running.get("/health").status_code == 200
        for _ in range(100):
            if store.count("feedback") == 1:
                break
            time.sleep(0.05)
    assert store.count("feedback") == 1


def test_endpoints_answer_under_a_site_prefix_a_proxy_forwards(client, store):
    r = client.post("/kulturskolan/feedback", data={"page": "/kulturskolan/om/", "useful": "ja"})
    assert r.status_code == 303
    r = client.post("/kulturskolan/missing", data={"path": "/kulturskolan/x/"})
    assert r.status_code == 204
    assert store.count("feedback") == store.count("missing") == 1


# --- idempotency keys: what feedback.js sends, so a retried answer is stored once ------

KEY = "3f2a9c0d7e6b41a8b5c4d3e2f1a0b9c8"


def test_a_retried_post_with_the_same_key_is_stored_once(client, store):
    fields = {"page": PAGE, "useful": "nej", "comment": "Saknar tider.", "idempotency_key": KEY}
    first = client.post("/feedback", data=fields, headers=JSON)
    again = client.post("/feedback", data=fields)  # the script's fallback: the plain form post
    assert first.json() == {"ok": True}
    assert again.status_code == 303 and again.headers["location"] == PAGE + "#tack"
    assert store.count("feedback") == 1


def test_posts_with_different_keys_are_two_answers(client, store):
    for key in (KEY, KEY[::-1]):
        client.post("/feedback", data={"page": PAGE, "useful": "ja", "idempotency_key": key})
    assert store.count("feedback") == 2


def test_posts_without_a_key_are_each_stored(client, store):
    """The form without JavaScript sends no key: two posts are two answers."""
    for _ in range(2):
        assert client.post("/feedback", data={"page": PAGE, "useful": "ja"}).status_code == 303
    assert store.count("feedback") == 2


def test_a_key_stores_a_comment_once(client, store):
    fields = {"page": "https://www.orebro.se/kulturskolan/blogg/var-konsert/", "name": "Anna",
              "text": "Fin konsert!", "idempotency_key": KEY}
    for _ in range(2):
        assert client.post("/comments", data=fields, headers=JSON).status_code == 200
    assert store.count("comments") == 1


def test_a_malformed_key_is_refused(client, store):
    r = client.post("/feedback", data={"page": PAGE, "useful": "ja", "idempotency_key": "a b"},
                    headers=JSON)
    assert r.status_code == 400 and r.json()["code"] == "bad_key"
    assert store.count("feedback") == 0


def test_a_refused_post_does_not_use_up_its_key(client, store):
    bad = client.post("/feedback", data={"page": PAGE, "useful": "kanske",
                                         "idempotency_key": KEY}, headers=JSON)
    good = client.post("/feedback", data={"page": PAGE, "useful": "ja", "idempotency_key": KEY},
                       headers=JSON)
    assert bad.status_code == 422 and good.json() == {"ok": True}
    assert store.count("feedback") == 1
