"""Only ``serve`` creates a store; the editors' commands refuse a store that is not there,
and ``export`` does not drop published comments the store has never held."""
from __future__ import annotations

import json

import pytest

from sitegen.cli import main
from sitegen.feedback.store import NoStore, Store, StoreError, shown
from sitegen.messages import set_language

PUBLISHED = [{"page": "/kulturskolan/blogg/var-konsert/", "name": "Anna", "text": "Fin!",
              "date": "2026-11-23T10:00:00+01:00"}]


def run(capsys, *args):
    status = main(["feedback", *args])
    out, err = capsys.readouterr()
    return status, out, err


def one_line_error(err: str) -> None:
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


@pytest.fixture
def published(content):
    target = content / "kulturskolan" / "data" / "comments.json"
    target.parent.mkdir()
    target.write_text(json.dumps(PUBLISHED), "utf-8")
    return target


@pytest.fixture
def no_env(monkeypatch, tmp_path):
    monkeypatch.delenv("SITEGEN_FEEDBACK_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- a store that is not there ------------------------------------------------------

def test_export_without_db_or_environment_refuses_and_keeps_comments(capsys, no_env, content,
                                                                     published):
    status, out, err = run(capsys, "export", "--content", str(content))
    assert status == 1 and out == ""
    one_line_error(err)
    assert "no feedback store at feedback.sqlite3" in err and "--db" in err
    assert "SITEGEN_FEEDBACK_DB" in err
    assert json.loads(published.read_text("utf-8")) == PUBLISHED
    assert not (no_env / "feedback.sqlite3").exists()


def test_export_with_a_mistyped_db_refuses(capsys, no_env, content, published):
    status, _, err = run(capsys, "export", "--content", str(content), "--db", "feedbak.sqlite3")
    assert status == 1
    one_line_error(err)
    assert "feedbak.sqlite3" in err and str(no_env / "feedbak.sqlite3") in err
    assert not (no_env / "feedbak.sqlite3").exists()
    assert json.loads(published.read_text("utf-8")) == PUBLISHED


def test_environment_pointing_nowhere_is_refused(capsys, no_env, monkeypatch, content):
    monkeypatch.setenv("SITEGEN_FEEDBACK_DB", str(no_env / "gone.sqlite3"))
    status, _, err = run(capsys, "report", "--content", str(content))
    assert status == 1 and "gone.sqlite3" in err
    assert not (no_env / "gone.sqlite3").exists()


def test_moderate_list_on_a_missing_store_refuses(capsys, no_env):
    status, out, err = run(capsys, "moderate", "list")
    assert status == 1 and "no pending comments" not in out
    one_line_error(err)
    assert not (no_env / "feedback.sqlite3").exists()


def test_moderate_approve_on_a_missing_store_refuses(capsys, no_env):
    status, _, err = run(capsys, "moderate", "approve", "1", "--db", "x.sqlite3")
    assert status == 1 and "no feedback store at x.sqlite3" in err


def test_report_on_a_missing_store_refuses(capsys, no_env, content):
    status, out, err = run(capsys, "report", "--content", str(content), "--db", "x.sqlite3")
    assert status == 1 and out == ""
    one_line_error(err)


def test_purge_on_a_missing_store_refuses(capsys, no_env):
    status, _, err = run(capsys, "purge", "--days", "30", "--db", "x.sqlite3")
    assert status == 1
    one_line_error(err)
    assert not (no_env / "x.sqlite3").exists()


def test_a_folder_is_not_a_store(capsys, no_env):
    status, _, err = run(capsys, "moderate", "--db", str(no_env), "list")
    assert status == 1 and "is a folder" in err


def test_an_empty_sqlite_file_is_not_a_store(capsys, no_env):
    (no_env / "empty.sqlite3").write_bytes(b"")
    status, _, err = run(capsys, "moderate", "--db", "empty.sqlite3", "list")
    assert status == 1
    one_line_error(err)
    assert "holds no feedback store" in err


def test_a_file_that_is_no_database_is_a_plain_error(capsys, no_env, content):
    status, _, err = run(capsys, "moderate", "--db", str(content / "kulturskolan" / "site.yaml"),
                         "list")
    assert status == 1
    one_line_error(err)


def test_serve_still_creates_its_store(tmp_path):
    target = tmp_path / "new.sqlite3"
    Store(str(target)).close()  # what serve does (create=True)
    assert target.is_file()
    Store(str(target), create=False).close()


def test_store_without_create_raises_no_store(tmp_path):
    with pytest.raises(NoStore):
        Store(str(tmp_path / "none.sqlite3"), create=False)


def test_unreachable_postgresql_is_one_line(capsys):
    status, _, err = run(capsys, "moderate", "--db", "postgresql://nobody:hemligt@127.0.0.1:1/x",
                         "list")
    assert status == 1
    one_line_error(err)
    assert "cannot connect to PostgreSQL" in err and "hemligt" not in err


def test_postgresql_url_with_a_bad_port_is_one_line(capsys):
    status, _, err = run(capsys, "purge", "--days", "3", "--db", "postgresql://nobody@127.0.0.1:x/db")
    assert status == 1
    one_line_error(err)


def test_password_is_not_shown_in_messages():
    assert shown("postgresql://u:pw@h:5432/db") == "postgresql://u:***@h:5432/db"
    assert shown("feedback.sqlite3") == "feedback.sqlite3"


@pytest.mark.postgres
def test_postgresql_database_without_tables_is_refused(capsys, pg_cluster):
    url = pg_cluster.new_database()
    status, _, err = run(capsys, "moderate", "--db", url, "list")
    assert status == 1
    one_line_error(err)
    assert "holds no feedback store" in err
    with pytest.raises(StoreError):
        Store(url, create=False)


# --- export does not drop what the store does not know -----------------------------

def test_export_from_an_empty_store_keeps_published_comments(capsys, store, db_target, content,
                                                             published):
    status, out, err = run(capsys, "export", "--content", str(content), "--db", db_target)
    assert status == 1 and out == ""
    one_line_error(err)
    assert "1 published comment there is not in the store" in err and "--force" in err
    assert json.loads(published.read_text("utf-8")) == PUBLISHED
    assert not (content / "stadsarkiv" / "data" / "comments.json").exists()  # nothing written


def test_export_force_replaces_the_named_site_anyway(capsys, store, db_target, content, published):
    status, _, _ = run(capsys, "export", "--content", str(content), "--db", db_target, "--force",
                       "--site", "kulturskolan")
    assert status == 0
    assert json.loads(published.read_text("utf-8")) == []


def also_published(content, name="stadsarkiv"):
    target = content / name / "data" / "comments.json"
    target.parent.mkdir()
    target.write_text(json.dumps(PUBLISHED), "utf-8")
    return target


def test_export_force_touches_only_the_site_named(capsys, store, db_target, content, published):
    other = also_published(content)
    status, out, _ = run(capsys, "export", "--content", str(content), "--db", db_target, "--force",
                         "--site", "kulturskolan")
    assert status == 0 and str(other) not in out
    assert json.loads(published.read_text("utf-8")) == []
    assert json.loads(other.read_text("utf-8")) == PUBLISHED
    assert not (content / "wadkoping" / "data" / "comments.json").exists()


def test_export_force_without_site_refuses_and_names_every_file_at_risk(capsys, store, db_target, content,
                                                                        published):
    other = also_published(content)
    status, out, err = run(capsys, "export", "--content", str(content), "--db", db_target, "--force")
    assert status == 1 and out == ""
    one_line_error(err)
    assert str(published) in err and str(other) in err and "--site NAME --force" in err
    assert json.loads(published.read_text("utf-8")) == PUBLISHED
    assert json.loads(other.read_text("utf-8")) == PUBLISHED
    assert not (content / "wadkoping" / "data" / "comments.json").exists()   # nothing written


def test_export_without_force_names_every_file_at_risk(capsys, store, db_target, content, published):
    other = also_published(content)
    other.write_text("[{", "utf-8")
    status, _, err = run(capsys, "export", "--content", str(content), "--db", db_target)
    assert status == 1
    one_line_error(err)
    assert f"{published}: 1 published comment there is not in the store" in err and f"{other}: it is not valid JSON" in err


@pytest.mark.parametrize("lang,one,two", [
    ("en", "1 published comment there is not in the store", "2 published comments there are not in the store"),
    ("sv", "1 publicerad kommentar i filen finns inte i databasen",
     "2 publicerade kommentarer i filen finns inte i databasen")])
def test_export_counts_the_comments_at_risk_in_singular_and_plural(capsys, store, db_target, content, published,
                                                                    lang, one, two):
    other = also_published(content)
    other.write_text(json.dumps(PUBLISHED + [{**PUBLISHED[0], "name": "Bo"}]), "utf-8")
    try:
        status, _, err = run(capsys, "export", "--content", str(content), "--db", db_target, "--lang", lang)
    finally:
        set_language(None)
    assert status == 1
    assert f"{published}: {one}" in err and f"{other}: {two}" in err


def test_export_force_without_site_writes_when_no_file_would_lose_comments(capsys, store, db_target, content):
    status, out, _ = run(capsys, "export", "--content", str(content), "--db", db_target, "--force")
    assert status == 0 and out.count("wrote ") == 3


def test_export_drops_a_comment_the_store_holds_as_rejected(capsys, store, db_target, content,
                                                            published):
    from datetime import datetime, timezone

    cid = store.add_comment("kulturskolan", PUBLISHED[0]["page"], "Anna", "Fin!",
                            now=datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc))
    store.set_comment_status([cid], "approved")
    assert run(capsys, "export", "--content", str(content), "--db", db_target)[0] == 0
    assert json.loads(published.read_text("utf-8")) == PUBLISHED
    store.set_comment_status([cid], "rejected")
    status, out, _ = run(capsys, "export", "--content", str(content), "--db", db_target)
    assert status == 0 and "(0 comments)" in out
    assert json.loads(published.read_text("utf-8")) == []


def test_export_refuses_to_replace_a_broken_comments_file(capsys, store, db_target, content,
                                                          published):
    published.write_text("[{", "utf-8")
    status, _, err = run(capsys, "export", "--content", str(content), "--db", db_target)
    assert status == 1
    one_line_error(err)
    assert "not valid JSON" in err
    assert published.read_text("utf-8") == "[{"


# --- purge --days ---------------------------------------------------------------------

def test_purge_days_zero_is_refused(capsys, store, db_target):
    store.add_feedback("kulturskolan", "/kulturskolan/", True)
    status, _, err = run(capsys, "purge", "--db", db_target, "--days", "0")
    assert status == 1
    one_line_error(err)
    assert "--days must be 1 or more" in err
    assert store.count("feedback") == 1


def test_purge_one_day_keeps_todays_feedback(capsys, store, db_target):
    store.add_feedback("kulturskolan", "/kulturskolan/", True)
    status, out, _ = run(capsys, "purge", "--db", db_target, "--days", "1")
    assert status == 0 and "feedback: 0 deleted" in out
    assert store.count("feedback") == 1
