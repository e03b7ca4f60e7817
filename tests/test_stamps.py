"""A build whose inputs are as the last build left them is not run again, and nothing that
should change the output is missed: an edited page, a template, the options, the clock."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from testkit import NOW, page, run_sitegen
from sitegen import builder


def _options(content, out, now=NOW, **more):
    return builder.BuildOptions(content=content, out=out, now=dt.datetime.fromisoformat(now), **more)


@pytest.fixture
def build(make_site, tmp_path, monkeypatch, capsys):
    """Build the site in this process; returns True when the build ran, False when it was skipped."""
    out = tmp_path / "out"
    real = builder.execute
    ran = []

    def counting(options):
        ran.append(options)
        return real(options)
    monkeypatch.setattr(builder, "execute", counting)

    def run(content, now=NOW, **more) -> bool:
        before = len(ran)
        status = builder.run(_options(content, out, now, **more))
        assert status == 0, capsys.readouterr().err
        return len(ran) > before
    return run


def test_building_again_with_nothing_changed_does_not_build(make_site, build, tmp_path, capsys):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    assert build(content)
    first = capsys.readouterr().out
    assert not build(content)
    again = capsys.readouterr().out
    assert first.replace("\n", " (nothing changed)\n") == again   # the same summary, marked


def test_an_edited_page_is_built(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    build(content)
    (content / "demo/om.md").write_text(page("Om", "Ny text om oss."), encoding="utf-8")
    assert build(content)
    assert "Ny text om oss." in (tmp_path / "out/demo/om/index.html").read_text(encoding="utf-8")


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text A.")})
    build(content)
    path = content / "demo/om.md"
    before = path.stat()
    path.write_text(page("Om", "Text B."), encoding="utf-8")   # same length
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the old mtime put back
    assert build(content)   # the ctime cannot be put back
    assert "Text B." in (tmp_path / "out/demo/om/index.html").read_text(encoding="utf-8")


def test_a_new_or_removed_page_is_built(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start")})
    build(content)
    (content / "demo/ny.md").write_text(page("Ny"), encoding="utf-8")
    assert build(content)
    assert (tmp_path / "out/demo/ny/index.html").is_file()
    (content / "demo/ny.md").unlink()
    assert build(content)
    assert not (tmp_path / "out/demo/ny/index.html").exists()


def test_a_changed_template_is_built(make_site, build, tmp_path):
    themes = tmp_path / "themes"   # beside the content folder: found without --themes
    (themes / "eget/templates").mkdir(parents=True)
    (themes / "eget/theme.yaml").write_text("extends: orebro\n", encoding="utf-8")
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: eget\n")
    build(content)
    (themes / "eget/templates/base.html").write_text(
        '{% extends "orebro/base.html" %}{% block logo %}<a class="site-name" href="/">EGEN LOGGA</a>{% endblock %}',
        encoding="utf-8")
    assert build(content)
    assert "EGEN LOGGA" in (tmp_path / "out/demo/index.html").read_text(encoding="utf-8")


def test_a_changed_output_file_is_built_again(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om")})
    build(content)
    written = tmp_path / "out/demo/om/index.html"
    good = written.read_text(encoding="utf-8")
    written.write_text("trasig", encoding="utf-8")
    assert build(content)
    assert written.read_text(encoding="utf-8") == good


def test_a_removed_output_file_or_search_index_is_built_again(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    build(content)
    (tmp_path / "out/demo/om/index.html").unlink()
    assert build(content)
    assert (tmp_path / "out/demo/om/index.html").is_file()
    shutil.rmtree(tmp_path / "out/demo/pagefind")
    assert build(content)
    assert (tmp_path / "out/demo/pagefind/pagefind-entry.json").is_file()


def test_other_options_build(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"), "utkast.md": page("Utkast", draft="true")})
    build(content)
    assert build(content, drafts=True)
    assert (tmp_path / "out/demo/utkast/index.html").is_file()


def test_a_build_without_the_cache_always_builds(make_site, build):
    content = make_site({"index.md": page("Start")})
    build(content)
    assert build(content, cache=False)
    assert build(content, cache=False)


def test_a_scheduled_page_is_published_when_its_time_comes(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"),
                         "snart.md": page("Snart", publish="2026-12-01T08:00:00+01:00")})
    build(content, now="2026-11-23T12:00:00+01:00")
    assert not build(content, now="2026-12-01T07:59:00+01:00")
    assert not (tmp_path / "out/demo/snart/index.html").exists()
    assert build(content, now="2026-12-01T08:00:00+01:00")
    assert (tmp_path / "out/demo/snart/index.html").is_file()


def test_a_clock_set_back_builds(make_site, build):
    content = make_site({"index.md": page("Start")})
    build(content, now="2026-11-23T12:00:00+01:00")
    assert build(content, now="2026-11-22T12:00:00+01:00")


def test_warnings_are_reported_again(make_site, build, capsys):
    content = make_site({"index.md": page("Start", "[Utkast](utkast.md)"), "utkast.md": page("Utkast", draft="true")})
    build(content)
    first = capsys.readouterr().err
    assert "content/demo/index.md:6: warning: link to 'utkast.md', which is a draft" in first
    assert not build(content)
    assert capsys.readouterr().err == first


def test_the_command_line_skips_an_unchanged_build(make_site, tmp_path):
    content = make_site({"index.md": page("Start")})
    args = ("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    first = run_sitegen(*args)
    assert first.status == 0 and "(nothing changed)" not in first.stdout
    again = run_sitegen(*args)
    assert again.status == 0
    assert again.stdout == first.stdout.replace("\n", " (nothing changed)\n")


# --- the clock: what turns by itself is built when it turns --------------------------------

def test_an_event_that_ended_moves_to_the_archive(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"), "kalender/index.md": page("Kalender"),
                         "kalender/konsert.md": page("Konsert", type="event", start="2026-11-23 18:00",
                                                     end="2026-11-23 19:30")})
    build(content, now="2026-11-23T12:00:00+01:00")
    assert not build(content, now="2026-11-23T19:29:00+01:00")
    assert build(content, now="2026-11-23T19:30:00+01:00")
    archive = (tmp_path / "out/demo/kalender/arkiv/index.html").read_text(encoding="utf-8")
    assert "Konsert" in archive


def test_a_calendar_is_built_again_the_next_day(make_site, build):
    content = make_site({"index.md": page("Start"),
                         "kalender/kor.md": page("Kör", type="event", start="2026-11-24 18:00",
                                                 end="2026-11-24 19:00", rrule="FREQ=WEEKLY")})
    build(content, now="2026-11-23T12:00:00+01:00")
    assert not build(content, now="2026-11-23T22:00:00+01:00")
    assert build(content, now="2026-11-24T00:00:00+01:00")   # the window of recurring events moved


def test_a_planned_disruption_is_going_on_when_its_time_comes(make_site, build, tmp_path):
    content = make_site({"index.md": page("Start"),
                         "nyheter/2026-11-25-underhall.md": page("Underhåll", type="news", category="driftstorning")})
    build(content, now="2026-11-23T12:00:00+01:00")
    item = tmp_path / "out/demo/nyheter/underhall/index.html"
    planned = item.read_text(encoding="utf-8")
    assert not build(content, now="2026-11-24T23:00:00+01:00")
    assert build(content, now="2026-11-25T00:00:00+01:00")
    assert item.read_text(encoding="utf-8") != planned


def test_menus_are_built_again_when_a_new_week_begins(make_site, build):
    menu = "name: Storskolan\ndays:\n  - date: 2026-11-23\n    lunch:\n      - Soppa\n"
    content = make_site({"index.md": page("Start"), "data/meals/storskolan.yaml": menu})
    build(content, now="2026-11-23T12:00:00+01:00")   # a Monday
    assert not build(content, now="2026-11-29T22:00:00+01:00")
    assert build(content, now="2026-11-30T00:00:00+01:00")


def test_every_use_of_the_clock_says_when_its_answer_turns():
    """A module that reads ``site.now`` to shape output calls ``changes_at``, or is listed here
    with the reason it need not."""
    from pathlib import Path

    import sitegen
    covered_elsewhere = {
        "calendar_feeds.py": "its events are the calendar's, whose turns calendar.py notes",
        "ics.py": "now is only DTSTAMP, when the file was made",
        "features/feeds.py": "now is only the date of a feed without items",
        "render.py": "templates that read now are found by render_stage.plan_pages",
        "cache.py": "now goes into page keys only when templates read it (see render.py)",
    }
    package = Path(sitegen.__file__).parent
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        text = path.read_text(encoding="utf-8")
        if "site.now" in text and rel not in covered_elsewhere:
            assert "changes_at" in text, rel


def test_an_edit_in_a_linked_site_folder_is_seen(make_site, build, tmp_path):
    elsewhere = make_site({"index.md": page("Start"), "om.md": page("Om", "Text A.")}, name="arkiv")
    content = tmp_path / "linked"
    content.mkdir()
    (content / "demo").symlink_to(elsewhere / "arkiv", target_is_directory=True)
    (content / "loop").symlink_to(content, target_is_directory=True)   # a loop ends the walk, not the build
    build(content)
    (elsewhere / "arkiv/om.md").write_text(page("Om", "Text B, längre."), encoding="utf-8")
    assert build(content)
    assert "Text B, längre." in (tmp_path / "out/demo/om/index.html").read_text(encoding="utf-8")
