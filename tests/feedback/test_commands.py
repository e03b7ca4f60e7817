"""``sitegen feedback moderate | export | report | purge`` as an editor runs them."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone

import pytest

from sitegen.cli import main

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
XSS = '<script>alert("x")</script>'


def run(capsys, *args):
    status = main(["feedback", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def filled(store):
    store.add_feedback("kulturskolan", "/kulturskolan/om/", True, "Bra sida", now=T0)
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, XSS, now=T0)
    for _ in range(3):
        store.add_feedback("kulturskolan", "/kulturskolan/kurser/gitarr/", False, now=T0)
    store.add_feedback("stadsarkiv", "/stadsarkiv/", True, "=HYPERLINK(\"http://x\")", now=T0)
    for _ in range(4):
        store.add_missing("kulturskolan", "/kulturskolan/gitar/", "", now=T0)
    store.add_missing("kulturskolan", "/kulturskolan/zzzz/", "", now=T0)
    return store


# --- moderate ---------------------------------------------------------------------

def test_moderate_list_shows_pending(capsys, store, db_target):
    store.add_comment("kulturskolan", "/kulturskolan/blogg/x/", "Anna", "Fin\x1b[31m text")
    status, out, _ = run(capsys, "moderate", "--db", db_target, "list")
    assert status == 0
    assert "#1  pending" in out and "Anna: Fin [31m text" in out
    assert "\x1b" not in out


def test_moderate_approve_and_reject(capsys, store, db_target):
    a = store.add_comment("kulturskolan", "/kulturskolan/blogg/x/", "Anna", "Ja")
    b = store.add_comment("kulturskolan", "/kulturskolan/blogg/x/", "Bo", "Nej")
    assert run(capsys, "moderate", "approve", str(a), "--db", db_target)[0] == 0
    assert run(capsys, "moderate", "--db", db_target, "reject", str(b))[0] == 0
    assert [c.name for c in store.comments(status="approved")] == ["Anna"]
    assert [c.name for c in store.comments(status="rejected")] == ["Bo"]


def test_moderate_unknown_id_is_an_error(capsys, store, db_target):
    status, _, err = run(capsys, "moderate", "--db", db_target, "approve", "42")
    assert status == 1
    assert err.strip() == "error: no comment with id #42"


# --- export -----------------------------------------------------------------------

def test_export_writes_approved_comments_sorted(capsys, store, db_target, content):
    page = "/kulturskolan/blogg/var-konsert/"
    late = store.add_comment("kulturskolan", page, "Bo", "Senare", now=T0 + timedelta(hours=2))
    early = store.add_comment("kulturskolan", page, "Anna", "Först", now=T0)
    other = store.add_comment("kulturskolan", "/kulturskolan/blogg/a/", "Cia", "A", now=T0)
    store.add_comment("kulturskolan", page, "Spam", "väntar", now=T0)
    store.set_comment_status([late, early, other], "approved")
    status, out, _ = run(capsys, "export", "--content", str(content), "--db", db_target)
    assert status == 0
    data = json.loads((content / "kulturskolan" / "data" / "comments.json").read_text("utf-8"))
    assert data == [
        {"page": "/kulturskolan/blogg/a/", "name": "Cia", "text": "A",
         "date": "2026-11-23T10:00:00+01:00"},
        {"page": page, "name": "Anna", "text": "Först", "date": "2026-11-23T10:00:00+01:00"},
        {"page": page, "name": "Bo", "text": "Senare", "date": "2026-11-23T12:00:00+01:00"},
    ]
    assert json.loads((content / "stadsarkiv" / "data" / "comments.json").read_text()) == []


def test_export_one_site(capsys, store, db_target, content):
    status, out, _ = run(capsys, "export", "--content", str(content), "--db", db_target,
                         "--site", "stadsarkiv")
    assert status == 0
    assert (content / "stadsarkiv" / "data" / "comments.json").exists()
    assert not (content / "kulturskolan" / "data" / "comments.json").exists()


def test_export_unknown_site_is_an_error(capsys, store, db_target, content):
    status, _, err = run(capsys, "export", "--content", str(content), "--db", db_target,
                         "--site", "nope")
    assert status == 1
    assert "no site named 'nope'" in err and "Traceback" not in err


# --- report -----------------------------------------------------------------------

def test_report_table_worst_first_with_suggestion(capsys, filled, db_target, content):
    status, out, _ = run(capsys, "report", "--content", str(content), "--db", db_target,
                         "--build", str(content.parent / "nobuild"))
    assert status == 0
    lines = out.splitlines()
    gitarr = next(i for i, l in enumerate(lines) if "kurser/gitarr/" in l)
    om = next(i for i, l in enumerate(lines) if "kulturskolan:/kulturskolan/om/" in l)
    assert gitarr < om
    assert re.search(r"kurser/gitarr/\s+0 %\s+3", lines[gitarr])
    assert "förslag: lägg till alias på /kulturskolan/kurser/gitarr/" in out
    assert out.count("förslag") == 1  # nothing close to /zzzz/


def test_report_suggestions_come_from_the_built_sitemap(capsys, filled, db_target, content,
                                                        tmp_path):
    built = tmp_path / "build" / "kulturskolan"
    built.mkdir(parents=True)
    (built / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://www.orebro.se/kulturskolan/musik/gitarrer/</loc></url></urlset>")
    status, out, _ = run(capsys, "report", "--content", str(content), "--db", db_target,
                         "--build", str(tmp_path / "build"))
    assert "förslag: lägg till alias på /kulturskolan/musik/gitarrer/" in out


def test_report_csv_defuses_formulas(capsys, filled, db_target, content):
    status, out, _ = run(capsys, "report", "--content", str(content), "--db", db_target,
                         "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    texts = [r["text"] for r in rows if r["kind"] == "comment"]
    assert "'=HYPERLINK(\"http://x\")" in texts
    assert XSS in texts
    page = next(r for r in rows if r["kind"] == "page" and r["page"] == "/kulturskolan/om/")
    assert (page["share_yes"], page["answers"]) == ("0.500", "2")


def test_report_html_is_self_contained_and_escaped(capsys, filled, db_target, content, tmp_path):
    target = tmp_path / "rapport.html"
    status, _, err = run(capsys, "report", "--content", str(content), "--db", db_target,
                         "--format", "html", "--output", str(target))
    assert status == 0
    page = target.read_text("utf-8")
    assert "<svg" in page and "<script" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert page.index("/kulturskolan/kurser/gitarr/") < page.index("/kulturskolan/om/")


def test_report_output_dash_is_standard_output(capsys, filled, db_target, content, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, err = run(capsys, "report", "--content", str(content), "--db", db_target,
                           "--format", "csv", "-o", "-")
    assert status == 0 and err == ""
    assert out.startswith("kind,site,page,") and "/kulturskolan/om/" in out
    assert not (tmp_path / "-").exists()   # no file named "-"


def test_report_output_dot_slash_dash_is_a_file_named_dash(capsys, filled, db_target, content, tmp_path,
                                                           monkeypatch):
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "report", "--content", str(content), "--db", db_target,
                         "--format", "csv", "-o", "./-")
    assert status == 0 and out == ""
    assert (tmp_path / "-").read_text("utf-8").startswith("kind,site,page,")


def test_report_since_days(capsys, store, db_target, content):
    now = datetime.now(timezone.utc)
    store.add_feedback("kulturskolan", "/kulturskolan/gammal/", True, now=now - timedelta(days=3))
    store.add_feedback("kulturskolan", "/kulturskolan/ny/", True, now=now)
    status, out, _ = run(capsys, "report", "--content", str(content), "--db", db_target,
                         "--since-days", "1")
    assert "/kulturskolan/ny/" in out and "/kulturskolan/gammal/" not in out


def test_report_bad_content_folder_is_an_error(capsys, db_target, tmp_path):
    status, _, err = run(capsys, "report", "--content", str(tmp_path / "none"), "--db", db_target)
    assert status == 1
    assert "content folder not found" in err


# --- purge and serve errors ---------------------------------------------------------

def test_purge(capsys, store, db_target):
    store.add_feedback("kulturskolan", "/kulturskolan/", True, now=T0 - timedelta(days=1000))
    status, out, _ = run(capsys, "purge", "--db", db_target, "--days", "30")
    assert status == 0 and "feedback: 1 deleted" in out
    assert store.count("feedback") == 0


def test_database_in_missing_folder_is_a_plain_error(capsys, tmp_path):
    status, _, err = run(capsys, "moderate", "--db", str(tmp_path / "x" / "f.db"), "list")
    assert status == 1
    assert err.startswith("error: ") and "Traceback" not in err


def test_serve_refuses_a_bad_origin_option(capsys, content, tmp_path):
    status, _, err = run(capsys, "serve", "--content", str(content), "--db",
                         str(tmp_path / "f.db"), "--allow-origin", "localhost:8000")
    assert status == 1
    assert "--allow-origin needs an origin" in err


def test_serve_on_a_busy_port_is_a_plain_error(capsys, content, tmp_path):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        status, _, err = run(capsys, "serve", "--content", str(content), "--db",
                             str(tmp_path / "f.db"), "--port", str(port))
    assert status == 1
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}")


def test_moderate_list_when_nothing_waits(capsys, store, db_target):
    status, out, _ = run(capsys, "moderate", "--db", db_target, "list")
    assert status == 0 and out.strip() == "no pending comments"
