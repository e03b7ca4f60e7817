"""The command line: a misspelt option, command or choice is named with the nearest one, in
the language of the run, and nothing runs (the real command in a subprocess)."""
from __future__ import annotations

from testkit import run_sitegen

SWEDISH = {"SITEGEN_LANG": ""}


def test_a_misspelt_option_names_the_nearest_in_swedish(tmp_path):
    result = run_sitegen("build", "--outt", str(tmp_path / "ut"), env=SWEDISH)
    assert result.status == 2
    assert "sitegen build: fel: '--outt' finns inte här. Menade du --out?" in result.stderr, result.stderr
    assert not (tmp_path / "ut").exists()


def test_a_misspelt_option_written_with_its_value_names_the_nearest(tmp_path):
    result = run_sitegen("--lang", "en", "check", "--nwo=2026-11-23T12:00")
    assert result.status == 2
    assert "sitegen check: error: '--nwo' is not an option here: did you mean --now?" in result.stderr, result.stderr


def test_a_misspelt_command_names_the_nearest():
    result = run_sitegen("serv", env=SWEDISH)
    assert result.status == 2
    assert "'serv' finns inte att välja. Menade du 'serve'? (välj bland 'build', 'check'" in result.stderr, result.stderr


def test_a_misspelt_command_of_a_group_names_the_nearest():
    result = run_sitegen("adresser", "uppdatra", env=SWEDISH)
    assert result.status == 2
    assert "'uppdatra' finns inte att välja. Menade du 'uppdatera'?" in result.stderr, result.stderr


def test_an_option_like_no_other_is_only_unknown():
    result = run_sitegen("check", "--zzzz", env=SWEDISH)
    assert result.status == 2
    assert "sitegen: fel: okända argument: --zzzz" in result.stderr, result.stderr
    assert "Menade du" not in result.stderr


def test_a_choice_like_no_other_lists_the_choices():
    result = run_sitegen("check", "--lang", "xx")
    assert result.status == 2
    assert "'xx' (choose from 'sv', 'en')" in result.stderr or "'xx' (välj bland 'sv', 'en')" in result.stderr
    assert "did you mean" not in result.stderr and "Menade du" not in result.stderr
