"""The .gz files beside the text files of a built site."""
import datetime as dt
import gzip
import os

from testkit import NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\n"
LONG = "Ett stycke text som upprepas. " * 40


def write(content, files):
    for rel, text in files.items():
        (content / "demo" / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / "demo" / rel).write_text(text, encoding="utf-8")


def build(tmp_path, files):
    write(tmp_path / "content", {"site.yaml": SITE_YAML, **files})
    result = run_sitegen("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
                         "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    return tmp_path / "out" / "demo"


def test_text_files_get_a_gz_with_the_same_bytes(tmp_path):
    site = build(tmp_path, {"index.md": page("Start", LONG), "a.md": page("A", LONG)})
    for rel in ("index.html", "a/index.html", "assets/css/main.css", "assets/js/menu.js", "sitemap.xml"):
        assert gzip.decompress((site / (rel + ".gz")).read_bytes()) == (site / rel).read_bytes(), rel


def test_the_server_rules_and_tiny_files_get_none(tmp_path):
    site = build(tmp_path, {"index.md": page("Start")})
    assert not list((site / "_server").glob("*.gz"))
    assert (site / "robots.txt").stat().st_size < 256 and not (site / "robots.txt.gz").exists()


def test_a_rebuild_keeps_the_gz_of_an_unchanged_page_and_renews_a_changed_one(tmp_path):
    site = build(tmp_path, {"index.md": page("Start", LONG), "a.md": page("A", LONG), "b.md": page("B", LONG)})
    kept, changed = os.stat(site / "a/index.html.gz"), (site / "b/index.html.gz").read_bytes()
    site = build(tmp_path, {"b.md": page("B", LONG + " Ny mening.")})
    assert os.stat(site / "a/index.html.gz").st_ino == kept.st_ino
    assert os.stat(site / "a/index.html.gz").st_mtime_ns == kept.st_mtime_ns
    assert (site / "b/index.html.gz").read_bytes() != changed
    assert b"Ny mening." in gzip.decompress((site / "b/index.html.gz").read_bytes())


def test_a_page_is_compressed_once_as_it_is_written_and_not_again_after(tmp_path, monkeypatch):
    """The render workers make a page's .gz while its HTML is at hand; the feature's pass over
    the staged folder then compresses only the other files (each file once in all)."""
    from sitegen import builder
    from sitegen.features import precompress
    compressed = []
    monkeypatch.setattr(precompress, "compress", lambda source, live: compressed.append(source.name))
    write(tmp_path / "content", {"site.yaml": SITE_YAML, "index.md": page("Start", LONG), "a.md": page("A", LONG)})
    options = builder.BuildOptions(content=tmp_path / "content", out=tmp_path / "out", now=dt.datetime.fromisoformat(NOW),
                                   quiet=True)
    problems, _builds = builder.execute(options)
    assert not problems.errors
    site = tmp_path / "out" / "demo"
    assert gzip.decompress((site / "a/index.html.gz").read_bytes()) == (site / "a/index.html").read_bytes()
    assert "index.html" not in compressed and "main.css" in compressed


def test_a_rebuild_never_writes_through_into_the_live_files(tmp_path):
    """The third build stages in the spare tree, whose files are hard links to the live ones: the
    .gz made for a changed page (by a render worker) and the page itself are new files, and the
    live output keeps every byte it had until the swap, also through a handle held open."""
    site = build(tmp_path, {"index.md": page("Start", LONG), "a.md": page("A", LONG), "b.md": page("B", LONG)})
    for text in (LONG + " Andra.", LONG, LONG + " Tredje."):
        site = build(tmp_path, {"b.md": page("B", text), "a.md": page("A", text)})
        held = {}
        for path in site.rglob("*"):
            if path.is_file():
                held[path] = (open(path, "rb"), path.read_bytes())
        site = build(tmp_path, {"b.md": page("B", text + " Fjärde."), "a.md": page("A", LONG)})
        for path, (handle, before) in held.items():
            with handle:
                assert handle.read() == before, path
        assert b"Fj\xc3\xa4rde." in gzip.decompress((site / "b/index.html.gz").read_bytes())
