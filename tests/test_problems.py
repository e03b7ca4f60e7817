"""`check` and `build` agree on what is an error and what a warning.

One rule (README, "check and build"): a problem has the same severity in both, and only errors
fail them. The one difference is what an editor must complete before publishing, the ingress
and alt texts: errors in `check` (SPEC), warnings in `build`, so an urgent build still goes out.
"""
from __future__ import annotations

import io

from PIL import Image

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


def test_a_cached_missing_alt_text_keeps_each_commands_severity(make_site, tmp_path):
    """The body cache keeps the problems of a body: replayed, they take this run's severity."""
    content = make_site({"index.md": page("Start", "![](bild.png)"), "bild.png": png()}, site_yaml=SITE_YAML)
    args = ("--content", str(content), "--now", NOW, "--out", str(tmp_path / "out"))
    message = "content/demo/index.md:6: {}: image without alt text"
    first = run_sitegen("build", *args)
    checked = run_sitegen("check", *args)
    again = run_sitegen("build", *args, "--drafts")   # other options: a full build, bodies from the cache
    assert first.status == 0 and message.format("warning") in first.stderr
    assert checked.status == 1 and message.format("error") in checked.stderr
    assert again.status == 0 and message.format("warning") in again.stderr
