"""The data-access layer (on SQLite and PostgreSQL) and the abuse limits."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sitegen.feedback.limits import ClientHasher, RateLimiter
from sitegen.feedback.store import Store, StoreError, utc_now

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_summaries_count_yes_and_keep_latest_comments(store):
    for i, (useful, comment) in enumerate([(True, ""), (False, "a"), (False, "b"),
                                           (False, "c"), (True, "d")]):
        store.add_feedback("kulturskolan", "/kulturskolan/om/", useful, comment,
                           now=T0 + timedelta(minutes=i))
    [page] = store.page_summaries(latest=3)
    assert (page.yes, page.total) == (2, 5)
    assert [c for _, c in page.latest] == ["d", "c", "b"]


def test_summaries_since(store):
    store.add_feedback("kulturskolan", "/kulturskolan/om/", True, now=T0)
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, now=T0 + timedelta(days=10))
    [page] = store.page_summaries(since=T0 + timedelta(days=5))
    assert page.total == 1


def test_missing_summaries_most_hit_first(store):
    for path, n in (("/kulturskolan/a/", 1), ("/kulturskolan/b/", 3)):
        for i in range(n):
            store.add_missing("kulturskolan", path, f"https://www.orebro.se/r{i}",
                              now=T0 + timedelta(minutes=i))
    rows = store.missing_summaries()
    assert [(r.path, r.hits) for r in rows] == [("/kulturskolan/b/", 3), ("/kulturskolan/a/", 1)]
    assert rows[0].referrer == "https://www.orebro.se/r2"


def test_moderation_status(store):
    first = store.add_comment("kulturskolan", "/kulturskolan/blogg/x/", "Anna", "Hej")
    second = store.add_comment("kulturskolan", "/kulturskolan/blogg/x/", "Bo", "Spam")
    assert store.set_comment_status([first], "approved") == [first]
    assert store.set_comment_status([second, 999], "rejected") == [second]
    assert [c.name for c in store.comments(status="approved")] == ["Anna"]
    assert [c.name for c in store.comments(status="pending")] == []


def test_purge_keeps_recent_rows_and_approved_comments(store):
    old, new = T0 - timedelta(days=400), T0
    store.add_feedback("kulturskolan", "/kulturskolan/", True, now=old)
    store.add_feedback("kulturskolan", "/kulturskolan/", True, now=new)
    store.add_missing("kulturskolan", "/kulturskolan/x/", now=old)
    kept = store.add_comment("kulturskolan", "/kulturskolan/", "A", "publicerad", now=old)
    store.add_comment("kulturskolan", "/kulturskolan/", "B", "väntar", now=old)
    store.set_comment_status([kept], "approved")
    counts = store.purge(T0 - timedelta(days=365))
    assert counts == {"feedback": 1, "missing": 1, "comments": 1}
    assert store.count("feedback") == 1
    assert [c.text for c in store.comments()] == ["publicerad"]


def test_reopening_keeps_the_data(db_target):
    first = Store(db_target)
    first.add_feedback("kulturskolan", "/kulturskolan/", True)
    first.close()
    again = Store(db_target)
    assert again.count("feedback") == 1
    again.close()


def test_sqlite_uses_wal(tmp_path):
    store = Store(str(tmp_path / "f.sqlite3"))
    store.add_feedback("kulturskolan", "/kulturskolan/", True)
    assert (tmp_path / "f.sqlite3-wal").exists()
    store.close()


def test_sqlite_in_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(str(tmp_path / "nope" / "f.sqlite3"))


@pytest.mark.postgres
def test_unreachable_postgres_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect to PostgreSQL"):
        Store("postgresql://nobody@127.0.0.1:1/none")


def test_client_keys_hide_the_address_and_rotate():
    now = [0.0]
    hasher = ClientHasher(rotate_seconds=86400, clock=lambda: now[0])
    key = hasher.key("198.51.100.7")
    assert "198.51.100.7" not in key and len(key) == 32
    assert hasher.key("198.51.100.7") == key
    assert hasher.key("198.51.100.8") != key
    now[0] = 86400.0
    assert hasher.key("198.51.100.7") != key


def test_two_services_do_not_share_keys():
    assert ClientHasher().key("198.51.100.7") != ClientHasher().key("198.51.100.7")


def test_rate_limiter_window_slides():
    now = [0.0]
    limiter = RateLimiter(limit=2, window=60, clock=lambda: now[0])
    assert limiter.hit("k") is None and limiter.hit("k") is None
    assert limiter.hit("k") == pytest.approx(60)
    now[0] = 61.0
    assert limiter.hit("k") is None


def test_rate_limiter_memory_is_bounded():
    now = [0.0]
    limiter = RateLimiter(limit=1, window=60, clock=lambda: now[0], max_keys=100)
    for i in range(1000):
        limiter.hit(f"k{i}")
    assert len(limiter._hits) <= 100


def test_rate_limit_zero_switches_it_off():
    limiter = RateLimiter(limit=0)
    assert all(limiter.hit("k") is None for _ in range(100))


def test_no_client_address_reaches_the_database(tmp_path, sites, client_for):
    from sitegen.feedback.app import Service

    store = Store(str(tmp_path / "f.sqlite3"))
    client = client_for(Service(store=store, sites=sites), "198.51.100.77")
    client.post("/feedback", data={"page": "/kulturskolan/", "useful": "ja"})
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("f.sqlite3*"))
    assert b"198.51.100.77" not in raw
    assert b"/kulturskolan/" in raw


def test_a_key_stores_once_until_the_purge_forgets_it(store):
    key = "0123456789abcdef0123"
    assert store.add_feedback("kulturskolan", "/kulturskolan/", True, key=key, now=T0) is not None
    assert store.add_feedback("kulturskolan", "/kulturskolan/", True, key=key, now=T0) is None
    assert store.count("feedback") == 1
    store.purge(utc_now() + timedelta(days=1))
    assert store.add_feedback("kulturskolan", "/kulturskolan/", True, key=key) is not None


def test_ipv6_visitors_are_counted_by_their_64_network(sites, store, client_for):
    # A network of one home or phone is a /64: picking another address in it for every post
    # must not escape the limit; the next /64 is someone else.
    from sitegen.feedback.app import Service

    service = Service(store=store, sites=sites, limiter=RateLimiter(limit=2, window=60))
    data = {"page": "/kulturskolan/", "useful": "ja"}
    answers = [client_for(service, f"2001:db8:1:2::{i}").post("/feedback", data=data).status_code
               for i in range(1, 4)]
    assert answers == [303, 303, 429]
    assert client_for(service, "2001:db8:1:3::1").post("/feedback", data=data).status_code == 303


def test_ipv4_visitors_are_counted_by_their_address(sites, store, client_for):
    from sitegen.feedback.app import Service

    service = Service(store=store, sites=sites, limiter=RateLimiter(limit=1, window=60))
    data = {"page": "/kulturskolan/", "useful": "ja"}
    assert client_for(service, "198.51.100.7").post("/feedback", data=data).status_code == 303
    assert client_for(service, "::ffff:198.51.100.7").post("/feedback", data=data).status_code == 429
    assert client_for(service, "198.51.100.8").post("/feedback", data=data).status_code == 303


MISSING = {"path": "/kulturskolan/gitarr/", "referrer": ""}
ORIGIN = {"Origin": "https://www.orebro.se"}


def test_missing_page_reports_have_their_own_limit(sites, store, client_for):
    # An office behind one address: the 404 pages' reports (sent without anyone asking)
    # neither use up the office's answers nor are refused by them.
    from sitegen.feedback.app import Service

    service = Service(store=store, sites=sites, limiter=RateLimiter(limit=2, window=60),
                      missing_limiter=RateLimiter(limit=3, window=60))
    office = client_for(service, "198.51.100.20")
    reports = [office.post("/missing", data=MISSING, headers=ORIGIN).status_code for _ in range(4)]
    assert reports == [204, 204, 204, 429]
    answers = [office.post("/feedback", data={"page": "/kulturskolan/", "useful": "ja"}).status_code
               for _ in range(3)]
    assert answers == [303, 303, 429]
    assert office.post("/missing", data=MISSING, headers=ORIGIN).status_code == 429   # still its own count
    assert store.count("missing") == 3 and store.count("feedback") == 2


def test_by_default_missing_page_reports_may_be_many_more_than_answers(sites, store, client_for):
    from sitegen.feedback.app import Service
    from sitegen.feedback.limits import MISSING_REPORTS_PER_MINUTE, POSTS_PER_MINUTE

    assert MISSING_REPORTS_PER_MINUTE == 60 and POSTS_PER_MINUTE == 10   # as docs/feedback.md says
    office = client_for(Service(store=store, sites=sites), "198.51.100.21")
    reports = [office.post("/missing", data=MISSING, headers=ORIGIN).status_code
               for _ in range(MISSING_REPORTS_PER_MINUTE + 1)]
    assert reports == [204] * MISSING_REPORTS_PER_MINUTE + [429]
    assert office.post("/feedback", data={"page": "/kulturskolan/", "useful": "ja"}).status_code == 303
