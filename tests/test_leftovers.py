"""Editor leftovers (backups, swap, lock and thumbnail files) are never published; one that
may hold text is a warning at its path, in check too."""
from __future__ import annotations

import datetime as dt

import pytest

from sitegen import builder, leftovers
from sitegen.builder import BuildOptions
from testkit import page

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)


SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\ncontact: {email: demo@example.se}\n"


def build(make_site, tmp_path, files: dict, check: bool = False):
    make_site({"index.md": page("Start"), "om/index.md": page("Om"), **files}, site_yaml=SITE_YAML)
    options = BuildOptions(content=tmp_path / "content", out=tmp_path / "out", now=NOW, quiet=True,
                           cache=False, check_only=check)
    problems, _ = builder.execute(options)
    return problems, tmp_path / "out" / "demo"


LEAKY = ["om/index.md~", "om/index.md.bak", "om/index.md.orig", "om/index.swp", "om/index.markdown",
         "om/#index.md#", "om/rapport.docx.tmp", "om/BILD.JPG.BAK"]
SILENT = ["om/Thumbs.db", "om/desktop.ini", "om/~$rapport.docx", "om/film.mp4.part"]


@pytest.mark.parametrize("name", LEAKY)
def test_a_leftover_that_may_hold_text_is_not_published_and_warned_at_its_path(make_site, tmp_path, name):
    problems, out = build(make_site, tmp_path, {name: "gammal text"})
    assert not problems.errors
    assert [(p.path, p.line, p.severity) for p in problems.items] == [(f"content/demo/{name}", 1, "warning")]
    assert not any(p.name == name.split("/")[-1] for p in out.rglob("*"))
    assert "gammal text" not in "".join(p.read_text("utf-8", "replace") for p in out.rglob("*.*") if p.is_file()
                                        and p.suffix in (".html", ".xml", ".json", ".txt", ".md"))


def test_a_leftover_is_a_warning_in_check_too(make_site, tmp_path):
    problems, _ = build(make_site, tmp_path, {"om/index.md~": "gammal text"}, check=True)
    assert [p.format() for p in problems.items] == [
        "content/demo/om/index.md~:1: warning: 'index.md~' looks like a backup or temporary file and is not "
        "published: remove it (it may hold an old copy of a text)"]


def test_a_markdown_file_is_named_as_not_a_page(make_site, tmp_path):
    problems, _ = build(make_site, tmp_path, {"om/kontakt.markdown": page("Kontakt")})
    assert "a page is a .md file" in problems.items[0].message


@pytest.mark.parametrize("name", SILENT)
def test_a_leftover_without_text_is_left_out_silently(make_site, tmp_path, name):
    problems, out = build(make_site, tmp_path, {name: b"\x00\x01"})
    assert not problems.items
    assert not any(p.name.lower() == name.split("/")[-1].lower() for p in out.rglob("*"))


@pytest.mark.parametrize("name", ["rapport.docx", "bild.jpg", "sida.md", "pris~lista.pdf", "a.backup.txt"])
def test_ordinary_names_are_no_leftovers(name):
    assert leftovers.kind(name) is None
