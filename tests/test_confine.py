"""Content is read only from inside its site folder: a symlink that leaves it is an error at
its own path and is never followed (pages, assets, data/, site.yaml, social feeds)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from sitegen import builder
from sitegen.builder import BuildOptions
from testkit import page, run_sitegen

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
SECRET = "hemligt-lösenord-123"


@pytest.fixture
def secret(tmp_path) -> Path:
    """A private file and folder outside the content folder that no build may read."""
    private = tmp_path / "private"
    private.mkdir()
    (private / "passwd").write_text(SECRET + "\n", encoding="utf-8")
    (private / "sida.md").write_text(page("Hemlig", SECRET), encoding="utf-8")
    (private / "people.yaml").write_text(f"- name: {SECRET}\n", encoding="utf-8")
    return private


def build(tmp_path: Path, check: bool = False):
    options = BuildOptions(content=tmp_path / "content", out=tmp_path / "out", now=NOW, quiet=True,
                           cache=False, check_only=check)
    problems, _ = builder.execute(options)
    return problems, tmp_path / "out" / "demo"


def lines(problems) -> list[str]:
    return [p.format() for p in problems.sorted()]


def published(out: Path) -> str:
    """Every byte of the built site, to look for the secret in."""
    if not out.exists():
        return ""
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in out.rglob("*") if p.is_file())


def link(site: Path, rel: str, target: Path) -> Path:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)
    return path


def test_a_file_symlink_to_outside_is_an_error_at_its_path_and_never_published(make_site, tmp_path, secret):
    site = make_site({"index.md": page("Start")}) / "demo"
    link(site, "passwd", secret / "passwd")
    problems, out = build(tmp_path)
    assert any(line.startswith("content/demo/passwd:1: error: this is a link to a file outside the site")
               for line in lines(problems)), lines(problems)
    assert SECRET not in published(out)


def test_a_page_symlink_to_outside_is_not_a_page(make_site, tmp_path, secret):
    site = make_site({"index.md": page("Start")}) / "demo"
    link(site, "om/hemlig.md", secret / "sida.md")
    problems, out = build(tmp_path)
    assert any(line.startswith("content/demo/om/hemlig.md:1: error: this is a link to a file outside")
               for line in lines(problems))
    assert SECRET not in published(out)


def test_a_folder_symlink_to_outside_at_depth_is_an_error_and_never_followed(make_site, tmp_path, secret):
    site = make_site({"index.md": page("Start"), "a/b/index.md": page("B")}) / "demo"
    link(site, "a/b/privat", secret)
    problems, _ = build(tmp_path, check=True)
    assert any(line.startswith("content/demo/a/b/privat:1: error: this is a link to a folder outside")
               for line in lines(problems)), lines(problems)
    assert not any("sida.md" in line or "passwd" in line for line in lines(problems))


def test_a_symlink_that_stays_inside_the_site_is_read(make_site, tmp_path):
    site = make_site({"index.md": page("Start"), "bilder/logga.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>"})
    link(site / "demo", "logga.svg", Path("bilder/logga.svg"))
    problems, out = build(tmp_path)
    assert not problems.errors, lines(problems)
    assert (out / "logga.svg").read_text(encoding="utf-8").startswith("<svg")


def test_a_linked_folder_inside_the_site_is_not_followed_and_says_so(make_site, tmp_path):
    site = make_site({"index.md": page("Start"), "kurser/piano.md": page("Piano")}) / "demo"
    link(site, "gamla-kurser", Path("kurser"))
    problems, out = build(tmp_path)
    assert "content/demo/gamla-kurser:1: warning: this is a link to another folder of the site" in \
        "\n".join(lines(problems))
    assert not (out / "gamla-kurser").exists()


def test_a_symlink_to_nothing_is_an_error_not_a_traceback(make_site, tmp_path):
    site = make_site({"index.md": page("Start")}) / "demo"
    link(site, "borta.md", site / "finns-inte.md")
    problems, _ = build(tmp_path)
    assert "content/demo/borta.md:1: error: this is a link to a file that does not exist" in "\n".join(lines(problems))


def test_a_symlink_loop_is_reported_as_a_loop_not_a_missing_file(make_site, tmp_path):
    site = make_site({"index.md": page("Start")}) / "demo"
    link(site, "a.md", site / "b.md")
    link(site, "b.md", site / "a.md")
    problems, _ = build(tmp_path)
    text = "\n".join(lines(problems))
    assert "content/demo/a.md:1: error: this link leads round in a loop" in text
    assert "content/demo/b.md:1: error: this link leads round in a loop" in text
    assert "does not exist" not in text


def test_a_named_pipe_is_an_error_and_never_opened(make_site, tmp_path):
    site = make_site({"index.md": page("Start")}) / "demo"
    os.mkfifo(site / "ror.md")   # opening it would wait forever for a writer
    problems, _ = build(tmp_path, check=True)
    assert "content/demo/ror.md:1: error: this is not an ordinary file" in "\n".join(lines(problems))


def test_a_data_file_symlink_to_outside_is_an_error_and_not_loaded(make_site, tmp_path, secret):
    site = make_site({"index.md": page("Start")}) / "demo"
    link(site, "data/people.yaml", secret / "people.yaml")
    problems, out = build(tmp_path)
    assert any(line.startswith("content/demo/data/people.yaml:1: error: this is a link to a file outside")
               for line in lines(problems)), lines(problems)
    assert SECRET not in published(out)


def test_a_data_folder_symlink_to_outside_is_an_error(make_site, tmp_path, secret):
    site = make_site({"index.md": page("Start")}) / "demo"
    link(site, "data/meals", secret)
    problems, _ = build(tmp_path, check=True)
    assert any(line.startswith("content/demo/data/meals:1: error: this is a link to a folder outside")
               for line in lines(problems))


def test_a_site_yaml_symlink_to_outside_is_an_error(make_site, tmp_path, secret):
    site = make_site({"index.md": page("Start")}) / "demo"
    (secret / "site.yaml").write_text("title: Hemlig\nbase_url: https://www.example.se/demo/\n", encoding="utf-8")
    (site / "site.yaml").unlink()
    link(site, "site.yaml", secret / "site.yaml")
    problems, _ = build(tmp_path, check=True)
    assert any(line.startswith("content/demo/site.yaml:1: error: this is a link to a file outside")
               for line in lines(problems))


SOCIAL_YAML = """title: Demo
base_url: https://www.example.se/demo/
social:
  - {network: instagram, name: "@demo", url: "https://www.instagram.com/demo/", feed: FEED}
"""

FEED = """<?xml version="1.0"?>
<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Demo</title>
<item><title>Post</title><link>https://www.instagram.com/p/abc/</link>
<pubDate>Fri, 20 Nov 2026 10:00:00 +0000</pubDate><media:content url="IMAGE" medium="image"/></item>
</channel></rss>
"""


def _social_site(make_site, feed: str, image: str) -> Path:
    return make_site({"index.md": page("Start"), "data/social/demo.xml": FEED.replace("IMAGE", image)},
                     site_yaml=SOCIAL_YAML.replace("FEED", feed))


def test_a_social_feed_path_outside_the_site_is_an_error_at_site_yaml(make_site, tmp_path, secret):
    (secret / "feed.xml").write_text(FEED.replace("IMAGE", "x.png"), encoding="utf-8")
    _social_site(make_site, f"../../private/feed.xml", "x.png")
    problems, _ = build(tmp_path, check=True)
    assert any(line.startswith("content/demo/site.yaml:3: error: the feed of @demo is outside the site folder")
               for line in lines(problems)), lines(problems)


@pytest.mark.parametrize("exists", [True, False])
def test_a_post_image_outside_the_site_is_refused_alike_whether_or_not_it_exists(make_site, tmp_path, secret,
                                                                                 exists):
    from PIL import Image
    photo = secret / "photo.png"
    if exists:
        Image.new("RGB", (20, 20), "red").save(photo)
    _social_site(make_site, "data/social/demo.xml", str(photo))
    problems, out = build(tmp_path)
    assert (f"content/demo/data/social/demo.xml:1: warning: image '{photo}' of a post is outside the site "
            "folder, and it is not read; the card is shown without it") in lines(problems)
    assert not list((out / "assets").glob("social/*.jpg"))


def test_a_post_image_climbing_out_with_dots_is_refused(make_site, tmp_path, secret):
    _social_site(make_site, "data/social/demo.xml", "../../../../private/photo.png")
    problems, _ = build(tmp_path)
    assert any("of a post is outside the site folder" in line for line in lines(problems))


def test_a_file_name_that_is_not_utf8_is_an_error_not_a_traceback(tmp_path):
    content = tmp_path / "content"
    site = content / "demo"
    (site / "om-oss").mkdir(parents=True)
    (site / "site.yaml").write_text("title: Demo\nbase_url: https://www.example.se/demo/\n", encoding="utf-8")
    (site / "index.md").write_text("---\ntitle: Start\ningress: Start.\n---\n\nText.\n", encoding="utf-8")
    (site / "om-oss").joinpath(os.fsdecode(b"e\xff\xfe.md")).write_text("---\ntitle: X\n---\n", encoding="utf-8")
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--lang", "en")
    assert result.status == 1 and "Traceback" not in result.stderr
    assert "om-oss/e\\xff\\xfe.md: error: the name of this file or folder is not UTF-8 text" in result.stderr
