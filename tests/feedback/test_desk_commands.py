"""``sitegen feedback user`` and ``summary`` (against a local SMTP server), and the desk's
settings file."""
from __future__ import annotations

import io
import sys

import pytest

from sitegen.cli import main
from sitegen.feedback.desk.config import load_config
from sitegen.feedback.desk.accounts import Accounts
from sitegen.feedback.desk.db import DeskData
from sitegen.feedback.store import Store
from sitegen.problems import Problems

PASSWORD = "ett långt lösenord"


@pytest.fixture
def db(tmp_path):
    target = str(tmp_path / "feedback.sqlite3")
    Store(target).close()  # the service made it
    return target


def add_user(monkeypatch, db, content, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    return main(["feedback", "user", "add", *args, "--password-stdin", "--db", db,
                 "--content", str(content)])


def test_user_add_makes_an_editor_who_can_sign_in(monkeypatch, db, content):
    assert add_user(monkeypatch, db, content, "anna", "--site", "kulturskolan") == 0
    store = Store(db, create=False)
    account = Accounts(DeskData(store)).check("anna", PASSWORD)
    assert account.sites == ("kulturskolan",) and not account.admin
    raw = store.transaction
    with raw() as cur:
        cur.execute("SELECT password FROM desk_users", ())
        assert cur.fetchone()[0].startswith("$argon2id$")
    store.close()


def test_user_add_refuses_an_unknown_site(monkeypatch, db, content, capsys):
    assert add_user(monkeypatch, db, content, "anna", "--site", "nosuch") == 1
    assert "no site named 'nosuch'" in capsys.readouterr().err


def test_user_add_needs_a_site_or_admin(monkeypatch, db, content, capsys):
    assert add_user(monkeypatch, db, content, "anna") == 1
    assert "--site NAME" in capsys.readouterr().err


def test_user_add_refuses_a_short_password(monkeypatch, db, content, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("kort\n"))
    assert main(["feedback", "user", "add", "anna", "--admin", "--password-stdin",
                 "--db", db]) == 1
    assert "at least 12 characters" in capsys.readouterr().err


def test_user_add_refuses_a_missing_store(monkeypatch, tmp_path, content, capsys):
    assert add_user(monkeypatch, str(tmp_path / "typo.sqlite3"), content, "anna", "--admin") == 1
    assert "no feedback store" in capsys.readouterr().err


def test_user_remove_and_list(monkeypatch, db, content, capsys):
    add_user(monkeypatch, db, content, "anna", "--site", "kulturskolan")
    assert main(["feedback", "user", "list", "--db", db]) == 0
    assert "anna  kulturskolan" in capsys.readouterr().out
    assert main(["feedback", "user", "remove", "anna", "--db", db]) == 0
    assert main(["feedback", "user", "remove", "anna", "--db", db]) == 1


# --- the weekly summary ---------------------------------------------------------------

@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(message)

    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


@pytest.fixture
def in_swedish(monkeypatch):
    from sitegen import messages

    monkeypatch.setenv("SITEGEN_LANG", "sv")   # the editors' language (the tests run in English)
    messages.set_language(None)
    yield
    monkeypatch.undo()
    messages.set_language(None)


def test_summary_mails_each_sites_editors(monkeypatch, db, content, tmp_path, smtp_server,
                                          in_swedish):
    port, received = smtp_server
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    main(["feedback", "user", "add", "anna", "--site", "kulturskolan", "--email",
          "anna@example.se", "--password-stdin", "--db", db, "--content", str(content)])
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    main(["feedback", "user", "add", "bo", "--site", "stadsarkiv", "--email",
          "bo@example.se", "--password-stdin", "--db", db, "--content", str(content)])
    store = Store(db)
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "Ring 070-123 45 67")
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "")
    store.add_missing("kulturskolan", "/kulturskolan/gitar/", "")
    store.add_comment("kulturskolan", "/kulturskolan/blogg/var-konsert/", "Bo", "Fint")
    store.add_feedback("stadsarkiv", "/stadsarkiv/om/", False, "Arkivsynpunkt")
    store.close()
    config = tmp_path / "desk.yaml"
    config.write_text(f"public_url: https://feedback.example.se/desk/\nsmtp:\n  host: 127.0.0.1\n"
                      f"  port: {port}\n  sender: redaktionen@example.se\n", "utf-8")
    assert main(["feedback", "summary", "--db", db, "--content", str(content),
                 "--desk-config", str(config)]) == 0
    by_recipient = {m["To"]: m for m in received}
    assert set(by_recipient) == {"anna@example.se", "bo@example.se"}
    anna = by_recipient["anna@example.se"].get_payload(decode=True).decode("utf-8")
    assert "Ring [telefonnummer]" in anna and "070-123" not in anna
    assert "/kulturskolan/om/: 2 nej av 2 svar" in anna
    assert "/kulturskolan/gitar/: 1 besök" in anna
    assert "Kommentarer som väntar på granskning: 1" in anna
    assert "https://feedback.example.se/desk/kulturskolan/" in anna
    assert "Arkivsynpunkt" not in anna
    assert by_recipient["anna@example.se"]["Subject"] == "Veckans synpunkter och saknade sidor: kulturskolan"


def test_summary_in_english_on_request(monkeypatch, db, content, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    main(["feedback", "user", "add", "anna", "--site", "kulturskolan", "--email",
          "anna@example.se", "--password-stdin", "--db", db, "--content", str(content)])
    store = Store(db)
    store.add_feedback("kulturskolan", "/kulturskolan/om/", False, "")
    store.close()
    assert main(["feedback", "summary", "--db", db, "--content", str(content), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Summary for kulturskolan, the last 7 days." in out
    assert "- /kulturskolan/om/: 1 no of 1 answers" in out


def test_summary_without_a_mail_server_is_an_error(db, content, capsys):
    assert main(["feedback", "summary", "--db", db, "--content", str(content)]) == 1
    assert "smtp.host" in capsys.readouterr().err


def test_summary_names_an_unreachable_mail_server(db, content, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    main(["feedback", "user", "add", "anna", "--site", "kulturskolan", "--email", "a@example.se",
          "--password-stdin", "--db", db, "--content", str(content)])
    config = tmp_path / "desk.yaml"
    config.write_text("smtp:\n  host: 127.0.0.1\n  port: 1\n  sender: r@example.se\n", "utf-8")
    assert main(["feedback", "summary", "--db", db, "--content", str(content),
                 "--desk-config", str(config)]) == 1
    assert "cannot send through 127.0.0.1:1" in capsys.readouterr().err


# --- the settings file ------------------------------------------------------------------

def problems_of(tmp_path, text: str) -> list[str]:
    path = tmp_path / "desk.yaml"
    path.write_text(text, "utf-8")
    problems = Problems()
    load_config(path, problems)
    return [p.format() for p in problems.sorted()]


def test_an_unknown_setting_is_an_error_at_its_line(tmp_path):
    [problem] = problems_of(tmp_path, "secure_cookies: false\nsecure_cokies: true\n")
    assert ":2: error: unknown setting 'secure_cokies'" in problem


def test_a_publish_command_must_be_a_list_of_texts(tmp_path):
    [problem] = problems_of(tmp_path, "publish:\n  kulturskolan: sitegen build\n")
    assert ":2: error: the publish commands of 'kulturskolan' must be a list" in problem


def test_a_publish_command_takes_only_known_placeholders(tmp_path):
    [problem] = problems_of(tmp_path, "publish:\n  kulturskolan:\n    - [sh, -c, '{cmd}']\n")
    assert ":2: error: '{cmd}' holds a placeholder" in problem


def test_a_wrong_type_is_an_error_at_its_line(tmp_path):
    [problem] = problems_of(tmp_path, "smtp:\n  host: localhost\n  port: tjugofem\n")
    assert ":3: error: 'smtp.port' must be a whole number" in problem


def test_an_sso_header_must_be_a_header_name(tmp_path):
    [problem] = problems_of(tmp_path, "sso_header: 'X-User: admin'\n")
    assert ":1: error: 'sso_header' must be a header name" in problem


def test_a_plain_http_desk_elsewhere_with_secure_cookies_is_an_error_at_its_line(tmp_path):
    # A browser would not keep the sign-in cookie: every sign-in would lead back to the form.
    [problem] = problems_of(tmp_path, "session_hours: 8\npublic_url: http://feedback.example.se/desk/\n")
    assert ":2: error: the desk at 'http://feedback.example.se/desk/' is plain http" in problem
    assert "secure_cookies: false" in problem


def test_a_plain_http_desk_is_right_without_secure_cookies_or_on_the_machine_itself(tmp_path):
    assert problems_of(tmp_path, "secure_cookies: false\npublic_url: http://feedback.example.se/desk/\n") == []
    assert problems_of(tmp_path, "public_url: http://127.0.0.1:8081/desk/\n") == []
    assert problems_of(tmp_path, "public_url: http://localhost:8081/desk/\n") == []
    assert problems_of(tmp_path, "public_url: https://feedback.example.se/desk/\n") == []


def serve_with(tmp_path, content, settings: str) -> list[str]:
    config = tmp_path / "desk.yaml"
    config.write_text(settings, "utf-8")
    return ["feedback", "serve", "--content", str(content), "--db", str(tmp_path / "f.sqlite3"),
            "--port", "0", "--desk-config", str(config)]


def test_serve_refuses_bad_desk_settings_at_their_line(tmp_path, content, capsys):
    assert main(serve_with(tmp_path, content, "login_attempts: 0\n")) == 1
    assert "desk.yaml:1: error: 'login_attempts' must be 1 or more" in capsys.readouterr().err


def test_serve_refuses_publish_commands_for_an_unknown_site(tmp_path, content, capsys):
    settings = "publish:\n  nosuch:\n    - [sitegen, build, nosuch]\n"
    assert main(serve_with(tmp_path, content, settings)) == 1
    assert "publish names a site that is not in" in capsys.readouterr().err


def test_listing_the_commands_makes_no_password_hash():
    """Every sitegen command (a build too) imports the desk's commands to list them: the
    hash a sign-in with an unknown name is checked against is made when accounts are opened."""
    import subprocess
    import sys

    code = ("from sitegen.cli import make_parser; make_parser(); "
            "from sitegen.feedback.desk import accounts; print(accounts.dummy_hash.cache_info().currsize)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"
