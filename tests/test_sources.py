"""Reading a site's sources: a Markdown file whose stat is as the last build recorded is not
read again (its front matter text and body come from the build cache); any change to it is."""
from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from testkit import NOW, page
from sitegen import builder, sources


@pytest.fixture
def settled_at_once(monkeypatch):
    """Record files however recently they changed (the tests write and build within a second)."""
    monkeypatch.setattr(sources, "SETTLED_NS", -10**12)


@pytest.fixture
def reads(monkeypatch):
    """The Markdown files read from disk, by name, as they are read."""
    seen = []
    real = sources.read_text

    def counting(path, problems):
        seen.append(path.name)
        return real(path, problems)
    monkeypatch.setattr(sources, "read_text", counting)
    return seen


def _build(content, out):
    problems, builds = builder.execute(builder.BuildOptions(
        content=content, out=out, now=dt.datetime.fromisoformat(NOW), quiet=True))
    assert not problems.errors, problems.sorted()
    return builds[0]


def test_a_file_whose_stat_is_as_recorded_is_not_read_again(make_site, tmp_path, settled_at_once, reads):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    _build(content, tmp_path / "out")
    assert sorted(reads) == ["index.md", "om.md"]
    reads.clear()
    (content / "demo/om.md").write_text(page("Om", "Ny text om oss."), encoding="utf-8")
    _build(content, tmp_path / "out")
    assert reads == ["om.md"]
    assert "Ny text om oss." in (tmp_path / "out/demo/om/index.html").read_text(encoding="utf-8")


def test_an_edit_that_keeps_the_size_and_puts_the_mtime_back_is_seen_by_its_ctime(
        make_site, tmp_path, settled_at_once, reads):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om katter.")})
    source = content / "demo/om.md"
    _build(content, tmp_path / "out")
    before = os.stat(source)
    time.sleep(0.01)   # a later clock tick for the ctime
    source.write_text(page("Om", "Text om hundar."), encoding="utf-8")   # the same size
    os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(source)
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    _build(content, tmp_path / "out")
    assert "om.md" in reads[2:]
    assert "Text om hundar." in (tmp_path / "out/demo/om/index.html").read_text(encoding="utf-8")


def test_a_touched_file_with_the_same_bytes_is_read_but_nothing_is_rendered_again(
        make_site, tmp_path, settled_at_once, reads):
    content = make_site({"index.md": page("Start"), "om.md": page("Om", "Text om oss.")})
    _build(content, tmp_path / "out")
    reads.clear()
    os.utime(content / "demo/om.md")
    build = _build(content, tmp_path / "out")
    assert reads == ["om.md"]
    assert build.fresh_bodies == 0 and not build.pending and build.changed == set()


def test_a_file_changed_a_moment_ago_is_not_recorded(tmp_path):
    known = sources.KnownSources()
    just_now = (10, time.time_ns(), time.time_ns(), 1)
    known.remember("om.md", just_now, "title: Om", "Text.", 4)
    assert known.used == {}   # a second write within the same clock tick could leave the stat as it is
    settled = (10, 0, time.time_ns() - 2 * sources.SETTLED_NS, 1)
    known.remember("om.md", settled, "title: Om", "Text.", 4)
    assert known.get("om.md", settled) is None       # nothing recorded before this build
    assert sources.KnownSources(known.used).get("om.md", settled).body == "Text."


def test_the_files_of_the_last_build_read_again_or_gone_are_counted_as_stale():
    settled = time.time_ns() - 2 * sources.SETTLED_NS
    last = {name: sources.KnownSource((10, 0, settled, n), "title: X", "Text.", 4)
            for n, name in enumerate(["a.md", "b.md", "c.md"])}
    known = sources.KnownSources(last)
    assert known.get("a.md", (10, 0, settled, 0)) is last["a.md"]   # as recorded: reused
    assert known.get("b.md", (11, 5, settled, 1)) is None            # touched: read again
    known.remember("b.md", (11, 5, settled, 1), "title: X", "Text!", 4)
    assert known.stale() == 2   # b.md read again, c.md gone
