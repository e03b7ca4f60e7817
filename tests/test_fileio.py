"""fileio: the one digest of the build's bookkeeping and the one writer of files replaced whole."""
import os
import stat

import pytest

from sitegen.fileio import content_digest, write_atomically


def test_a_file_is_replaced_and_its_old_inode_keeps_the_old_bytes(tmp_path):
    target = tmp_path / "index.html"
    target.write_bytes(b"old")
    kept = tmp_path / "kept.html"
    os.link(target, kept)   # as the build cache links unchanged output
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert kept.read_bytes() == b"old"


def test_text_is_written_as_utf8_into_folders_made_on_the_way(tmp_path):
    target = tmp_path / "data" / "comments" / "kommentarer.json"
    write_atomically(target, "Örebro\n")
    assert target.read_bytes() == "Örebro\n".encode("utf-8")
    assert os.listdir(target.parent) == ["kommentarer.json"]   # no temporary file left beside it


def test_a_new_file_gets_the_mode_of_an_ordinary_write(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "feed.xml", b"<rss/>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "feed.xml").stat().st_mode) == 0o644


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "publicerade-adresser.txt"
    target.write_text("/a/\n", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(target, 42)   # not bytes: the write fails after the temporary file is made
    assert target.read_text(encoding="utf-8") == "/a/\n"
    assert os.listdir(tmp_path) == ["publicerade-adresser.txt"]


def test_the_digest_is_the_same_for_the_same_bytes_and_differs_otherwise():
    assert content_digest(b"a") == content_digest(b"a")
    assert content_digest(b"a") != content_digest(b"b")
    assert len(content_digest(b"")) == 32
