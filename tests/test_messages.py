"""The message catalogue: every text an editor or operator reads has a Swedish translation in
sitegen/locale/sv/LC_MESSAGES/sitegen.po; Swedish is the default, English comes with --lang en
or SITEGEN_LANG=en, on every command.

The catalogue tests read the code with Babel's own extractor, as ``scripts/messages.sh`` does,
so a message added without a translation fails here, not in front of an editor.
"""
from __future__ import annotations

import ast
import re
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from sitegen import messages, preview_answer
from testkit import REPO, page, run_sitegen

SOURCE = REPO / "sitegen"
SWEDISH = {"SITEGEN_LANG": ""}   # no language chosen: the default


def extracted() -> dict[str, str]:
    """Every message id in the code: ``{id: 'file:line' of its first use}``."""
    found: dict[str, str] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
            str(SOURCE), method_map=[("**.py", "python")], keywords={"_": None, "N_": None}):
        found.setdefault(message, f"sitegen/{filename}:{line}")
    return found


def catalogue():
    with messages.CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="sv")


def placeholders(text: str) -> set[str]:
    """``{name}`` fields (with their conversion and format) and ``%(name)s`` / ``%s``."""
    fields = {f"{name}!{conversion}:{spec}" for _lit, name, spec, conversion in string.Formatter().parse(text)
              if name is not None}
    return fields | set(re.findall(r"%(?:\(\w+\))?[sdr]", text))


@pytest.fixture
def in_swedish():
    messages.set_language("sv")
    yield
    messages.set_language(None)


def test_every_message_has_a_swedish_translation():
    known = {m.id: m for m in catalogue() if m.id}
    missing = [f"{where}: {message!r}" for message, where in extracted().items()
               if message not in known or not known[message].string or known[message].fuzzy]
    assert not missing, ("messages without a Swedish text (run scripts/messages.sh, then fill in "
                         "msgstr in the .po):\n" + "\n".join(missing))


def test_the_catalogue_holds_only_messages_the_code_uses():
    used = extracted()
    unused = [m.id for m in catalogue() if m.id and m.id not in used]
    assert not unused, "run scripts/messages.sh to drop:\n" + "\n".join(map(repr, unused))


def test_translations_keep_every_placeholder():
    wrong = [(m.id, m.string) for m in catalogue() if m.id and placeholders(m.id) != placeholders(m.string)]
    assert not wrong, "\n".join(f"{i!r}\n  -> {s!r}" for i, s in wrong)


def test_messages_are_literal_texts_the_extractor_can_read():
    """``_(f"...")`` or ``_("a" + b)`` would never be found in the catalogue: fill in with .format."""
    bad = []
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "N_")
                    and node.args and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))):
                bad.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not bad, "\n".join(bad)


def test_an_unknown_message_is_shown_as_it_is(in_swedish):
    assert messages._("no such message {x}") == "no such message {x}"


@pytest.mark.parametrize("value,language", [("en", "en"), ("en_GB.UTF-8", "en"), ("EN", "en"),
                                            ("sv", "sv"), ("", "sv"), (None, "sv"), ("de", "sv")])
def test_sitegen_lang_chooses_english_and_anything_else_is_swedish(value, language):
    assert messages.language_from_env(value) == language


# --- the language of a run -------------------------------------------------------------

BROKEN = ("check", "--content", "tests/broken", "--now", "2026-11-23T12:00")
MISSING_TITLE = "tests/broken/trasig/utan-titel.md:2: "


def test_swedish_is_the_default():
    result = run_sitegen(*BROKEN, env=SWEDISH)
    assert result.status == 1
    assert MISSING_TITLE + "fel: rubriken saknas. Skriv en rubrik: title: …" in result.stderr
    assert "tests/broken/trasig/site.yaml:1: varning: kontaktsidan (kontakt/) har inget att visa" in result.stderr
    assert "kontrollen hittade 24 fel och 2 varningar" in result.stderr
    assert ": error: " not in result.stderr


def test_sitegen_lang_en_gives_english():
    result = run_sitegen(*BROKEN, env={"SITEGEN_LANG": "en"})
    assert result.status == 1
    assert MISSING_TITLE + "error: 'title' is required" in result.stderr
    assert "tests/broken/trasig/site.yaml:1: warning: the contact page (kontakt/)" in result.stderr
    assert ": fel: " not in result.stderr


@pytest.mark.parametrize("args", [("--lang", "en", *BROKEN), (*BROKEN, "--lang", "en"), (*BROKEN, "--lang=en")],
                         ids=["before the command", "after the command", "with ="])
def test_lang_en_gives_english_wherever_it_stands(args):
    result = run_sitegen(*args, env=SWEDISH)
    assert result.status == 1
    assert MISSING_TITLE + "error: 'title' is required" in result.stderr


def test_lang_sv_wins_over_the_environment():
    result = run_sitegen("--lang", "sv", *BROKEN, env={"SITEGEN_LANG": "en"})
    assert MISSING_TITLE + "fel: rubriken saknas" in result.stderr


def test_help_is_swedish():
    result = run_sitegen("check", "--help", env=SWEDISH)
    assert result.status == 0
    assert result.stdout.startswith("användning: sitegen check")
    assert "skriv bara ut fel och varningar" in result.stdout
    assert "--lang {sv,en}" in result.stdout


def test_help_is_english_on_request():
    result = run_sitegen("check", "--help", "--lang", "en", env=SWEDISH)
    assert result.stdout.startswith("usage: sitegen check")
    assert "print only problems" in result.stdout


def test_a_wrong_option_is_explained_in_swedish_with_status_2():
    result = run_sitegen("check", "--now", "igår", env=SWEDISH)
    assert result.status == 2
    assert ("sitegen check: fel: argument --now: 'igår' är inte datum och tid i formen 2026-11-23T12:00"
            in result.stderr)


def test_an_unknown_language_is_refused():
    result = run_sitegen("--lang", "de", "check", env=SWEDISH)
    assert result.status == 2
    assert "--lang" in result.stderr and "'de'" in result.stderr


def test_new_speaks_swedish(tmp_path):
    result = run_sitegen("new", "page", "Öppettider", "--site", "finns-inte", "--content", str(tmp_path),
                         env=SWEDISH)
    assert result.status == 1
    assert result.stderr.startswith("fel: det finns ingen webbplats som heter 'finns-inte' i ")
    assert "(webbplatser: inga; skapa en med 'sitegen new site')" in result.stderr


def test_new_speaks_english_on_request(tmp_path):
    result = run_sitegen("new", "page", "Öppettider", "--lang", "en", "--site", "finns-inte",
                         "--content", str(tmp_path), env=SWEDISH)
    assert result.status == 1
    assert result.stderr.startswith("error: no site named 'finns-inte' in ")


def test_deploy_speaks_swedish(tmp_path):
    result = run_sitegen("deploy", "saknas", "--to", str(tmp_path / "ut"), "--out", str(tmp_path), env=SWEDISH)
    assert result.status == 1
    assert f"fel: {tmp_path / 'saknas'} finns inte. Bygg webbplatsen först (sitegen build saknas)" in result.stderr


def test_feedback_speaks_swedish(tmp_path):
    result = run_sitegen("feedback", "moderate", "list", "--db", str(tmp_path / "f.db"), env=SWEDISH)
    assert result.status == 1
    assert result.stderr.startswith(f"fel: ingen databas för svar i {tmp_path / 'f.db'} (")
    assert "ange databasen som 'sitegen feedback serve' använder med --db" in result.stderr


def test_the_preview_error_page_is_swedish(in_swedish):
    page = preview_answer.overlay(["a.md:1: fel: rubriken saknas"], "/demo/").decode()
    assert '<html lang="sv">' in page
    assert "<h1>Sidan kunde inte byggas</h1>" in page
    assert "Rätta felen nedan och spara, så laddas sidan om." in page


def test_the_preview_error_page_is_english_on_request():
    page = preview_answer.overlay(["a.md:1: error: 'title' is required"], "/demo/").decode()
    assert '<html lang="en">' in page
    assert "<h1>The page could not be built</h1>" in page


def test_cached_and_unchanged_builds_speak_the_language_of_this_run(make_site, tmp_path):
    """The body cache and the unchanged-build stamp keep problems: never in another language."""
    content = make_site({"index.md": page("Start", "Snart: [julmarknaden](jul.md)."),
                         "jul.md": page("Julmarknad", publish="2026-12-01")})
    args = ("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", "2026-11-23T12:00")
    swedish = run_sitegen(*args, env=SWEDISH)
    english = run_sitegen(*args, "--lang", "en", env=SWEDISH)
    unchanged = run_sitegen(*args, "--lang", "en", env=SWEDISH)
    assert "index.md:6: varning: länken går till 'jul.md', som är ett utkast" in swedish.stderr
    assert "(inget ändrades)" not in swedish.stdout
    for run in (english, unchanged):
        assert run.status == 0
        assert "index.md:6: warning: link to 'jul.md', which is a draft" in run.stderr
        assert ": varning: " not in run.stderr
    assert "(nothing changed)" in unchanged.stdout   # the stamp was replayed, in English
