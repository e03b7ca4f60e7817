"""`check` and `build` agree on what is an error and what a warning.

One rule (README, "check and build"): a problem has the same severity in both, and only errors
fail them. The one difference is a missing ingress: an error in `check` (SPEC), a warning in
`build`, so an urgent build still goes out.
"""
from __future__ import annotations

import io

import pytest

from PIL import Image

from sitegen.cache import replay
from sitegen.problems import Problem, Problems
from testkit import NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\ncontact:\n  email: info@example.se\n"


def both(make_site, tmp_path, files: dict, *extra: str):
    """(check, build) of the same site, without the build cache unless ``extra`` says otherwise."""
    content = make_site(files, site_yaml=SITE_YAML)
    args = ("--content", str(content), "--now", NOW, *extra)
    return (run_sitegen("check", *args),
            run_sitegen("build", "--out", str(tmp_path / "out"), *args))


def problem_lines(run) -> list[str]:
    return [line for line in run.stderr.splitlines() if ": error: " in line or ": warning: " in line]


def test_a_link_to_a_page_scheduled_for_later_is_a_warning_in_check_and_build(make_site, tmp_path):
    checked, built = both(make_site, tmp_path, {
        "index.md": page("Start", "Snart: [julmarknaden](jul.md)."),
        "jul.md": page("Julmarknad", publish="2026-12-01"),
    })
    warning = ("content/demo/index.md:6: warning: link to 'jul.md', which is a draft or not yet published; "
               "its text is shown without the link")
    assert problem_lines(checked) == problem_lines(built) == [warning]
    assert checked.status == built.status == 0


def test_an_exdate_that_cancels_nothing_is_a_warning_in_check_and_build(make_site, tmp_path):
    checked, built = both(make_site, tmp_path, {
        "index.md": page("Start"),
        "kor.md": page("Kör", type="event", start="2026-11-24 18:00", rrule="FREQ=WEEKLY;COUNT=6",
                       exdate="2026-11-25"),
    })
    warning = ("content/demo/kor.md:6: warning: 'exdate' 2026-11-25 cancels nothing: the event does not "
               "occur then (see 'rrule')")
    assert problem_lines(checked) == problem_lines(built) == [warning]
    assert checked.status == built.status == 0


def test_an_exdate_that_is_no_date_is_an_error_in_check_and_build(make_site, tmp_path):
    checked, built = both(make_site, tmp_path, {
        "index.md": page("Start"),
        "kor.md": page("Kör", type="event", start="2026-11-24 18:00", rrule="FREQ=WEEKLY;COUNT=6",
                       exdate="2026-11-32"),
    })
    error = "content/demo/kor.md:6: error: '2026-11-32' is not a valid date (YYYY-MM-DD)"
    assert problem_lines(checked) == problem_lines(built) == [error]
    assert checked.status == built.status == 1


def test_a_missing_ingress_is_an_error_in_check_and_a_warning_in_build(make_site, tmp_path):
    checked, built = both(make_site, tmp_path, {"index.md": "---\ntitle: Start\n---\nText.\n"})
    message = "'ingress' missing: add a short summary"
    assert checked.status == 1 and f"content/demo/index.md:2: error: {message}" in checked.stderr
    assert built.status == 0 and f"content/demo/index.md:2: warning: {message}" in built.stderr


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(out, "PNG")
    return out.getvalue()


def test_missing_alt_text_is_an_error_in_check_and_build(make_site, tmp_path):
    checked, built = both(make_site, tmp_path, {
        "index.md": page("Start", "![](bild.png)", image="bild.png"), "bild.png": png()})
    errors = ["content/demo/index.md:3: error: 'image_alt' missing: describe the image for those who cannot see it",
              "content/demo/index.md:7: error: image without alt text: describe it in ![text](...) or mark it "
              "{.decorative}"]
    assert problem_lines(checked) == problem_lines(built) == errors
    assert checked.status == built.status == 1


def test_a_cached_problem_takes_the_severity_of_the_run_that_replays_it():
    """The body cache keeps the problems of a body, whichever command rendered it."""
    cached = (Problem("a.md", 3, "m", "error", check_error=True), Problem("a.md", 4, "n", "warning"))
    in_check, in_build = Problems(strict=True), Problems(strict=False)
    replay(in_check, cached)
    replay(in_build, cached)
    assert [p.severity for p in in_check.items] == ["error", "warning"]
    assert [p.severity for p in in_build.items] == ["warning", "warning"]


def test_a_control_character_in_a_message_is_shown_not_sent_to_the_terminal():
    from sitegen.problems import Problem
    line = Problem("content/demo/publicerade-adresser.txt", 4, "'/demo/\x1b]0;pwned\x07\x1b[2J' \u202egpj").format()
    assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line
    assert line.endswith("'/demo/\\x1b]0;pwned\\x07\\x1b[2J' \\u202egpj")


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\n", "\r"])
def test_a_line_separator_in_a_message_does_not_start_a_line_of_its_own(separator):
    """A terminal starts a line at a newline, some text editors and log viewers at U+2028 and U+2029
    too: a value an editor wrote must not show a made-up 'file:line: error:' line there."""
    line = Problem("content/demo/om.md", 2, f"'Om{separator}content/demo/kontakt.md:1: error: x'").format()
    assert separator not in line
    assert line.startswith("content/demo/om.md:2: error: 'Om\\")
