"""Hostile and mistaken input, generated: front matter, site.yaml, data files, aliases and
Markdown. Whatever it is, a build gives no traceback, writes nothing outside its output (and
its cache), reads nothing outside the content (watched with an audit hook on every open) and
reports every problem at a path and line. Bounded and derandomized, so CI sees the same
examples every run."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from sitegen import builder, render, yamlload
from sitegen.builder import BuildOptions
from sitegen.sources import split_front_matter
from sitegen.problems import Problems

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.timezone.utc)
SECRET = "hemligt-lösenord-123"
# No shrinking: a failure shows its example as found, and the test's time stays bounded.
FAST = settings(derandomize=True, database=None, deadline=None, max_examples=300,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
BUILDS = settings(FAST, max_examples=120)

# Pieces that have broken parsers before, or that point outside the content.
YAML_PIECES = ["&a", "*a", "&a [1, 2]", "[*a, *a, *a]", "{", "}", "[", "]", "'", '"', "\x00", "\x1b", "\x7f",
               "\t", "- ", ": ", "? ", "!!python/object/apply:os.system ['id']", "!!binary AAAA", "!!set",
               "2026-02-30", "2026-11-20T10:00:00+99:00", "99999-01-01", "../../../private/passwd",
               "/etc/passwd", "../private/photo.png", "[" * 60 + "]" * 60, "{a: " * 45 + "1" + "}" * 45,
               "~", "null", "yes", "0o777", "1e999", ".inf", "-.nan", "<script>alert(1)</script>", "%", "@",
               "`", "|", ">", "#", "\u2028", "\ufeff", "ö", "\\", "---", "...", "<<: *a", "\n  ", "\n- "]
KEYS = ["title", "ingress", "type", "date", "updated", "aliases", "image", "image_alt", "tags", "cascade",
        "weight", "draft", "publish", "expires", "related", "start", "end", "rrule", "category", "menu",
        "feedback", "nav_title", "author", "comments", "location", "registration_url", "x"]
ALIASES = ["/demo/gammal.aspx", "/../../etc/passwd", "../../../private/passwd", "/demo/../../x", "//evil.se/x",
           "http://127.0.0.1/", "javascript:alert(1)", "/demo/a b\"<>", "/demo/\x00", "/demo/%2e%2e/",
           "/demo/\r\nLocation: http://evil.se", "/demo/ö;", "/demo/$uri", "/demo/{x}"]
MD_PIECES = ["[a](../../../private/passwd)", "![b](../../private/photo.png)", "![c](/etc/passwd)",
             '<img src="../../../private/photo.png" alt="x">', "::: embed http://127.0.0.1/\n:::",
             "::: faktaruta X", ":::", "[x](sida.md)", "[y](privat.md)", "\x00", "<script>x</script>", "```",
             "{.decorative}", "## Rubrik", "# Titel", "\n", "|a|b|\n|-|-|\n", "[^1]", "<!--", "&#0;",
             "![](bild.png)", "[z](../privat/sida.md)", "- " * 12, '<a href="javascript:x()" onclick="x()">',
             "<textarea>", "[k](../kontakt.md)", "[v](Vår historia.md)", "](/demo/sok/)", "<h1>", "> " * 22]


# Free text without control characters: those come from the pieces, so that not every example
# stops at the first one.
TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6)


def pieces(values: list[str], max_size: int = 5):
    return st.lists(st.one_of(st.sampled_from(values), TEXT), max_size=max_size).map("".join)


def yaml_lines(keys: list[str]):
    line = st.tuples(st.sampled_from(["", "  ", "    "]), st.one_of(st.sampled_from(keys), TEXT),
                     pieces(YAML_PIECES)).map(lambda t: f"{t[0]}{t[1]}: {t[2]}")
    return st.lists(line, max_size=8).map("\n".join)


@FAST
@given(text=st.one_of(yaml_lines(KEYS), pieces(YAML_PIECES, 12), st.text(max_size=200)))
def test_any_yaml_loads_or_is_one_problem_at_a_line(text):
    try:
        yamlload.load(text, line_offset=1)
    except yamlload.YamlError as exc:
        assert 1 <= exc.line <= text.count("\n") + 3, (exc.line, text)
        assert exc.message


@FAST
@given(meta=yaml_lines(KEYS), body=pieces(MD_PIECES, 8))
def test_any_front_matter_splits_or_is_a_problem_at_a_line(meta, body):
    problems = Problems()
    split_front_matter(f"---\n{meta}\n---\n{body}\n", Path("sida.md"), problems)
    assert all(p.line >= 1 for p in problems.items), problems.items


# --- whole builds, watched ----------------------------------------------------------

class _Watch:
    """What the build opens, renames and removes, from Python's audit events (an audit hook
    cannot be removed, so one hook is added once and looks at ``active``)."""

    active = False
    private: str = ""
    allowed: tuple[str, ...] = ()
    root = temp = ""
    violations: list[str] = []

    @classmethod
    def hook(cls, event: str, args) -> None:
        if not cls.active:
            return
        if event == "open":
            path, mode, flags = args
            if isinstance(path, int) or path is None:
                return
            writes = (mode is not None and any(c in mode for c in "wax+")) or (
                mode is None and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
            cls._look(event, path, writes)
        elif event in ("os.rename", "os.link"):
            cls._look(event, args[1], True, args[3])
            cls._look(event, args[0], event == "os.rename", args[2])
        elif event == "shutil.copyfile":
            cls._look(event, args[1], True)
            cls._look(event, args[0], False)
        elif event in ("os.remove", "os.rmdir", "os.mkdir", "shutil.rmtree"):
            cls._look(event, args[0], True, args[-1])
        elif event in ("os.symlink", "os.truncate", "os.chmod"):
            path = args[1] if event == "os.symlink" else args[0]
            if not isinstance(path, int):
                cls._look(event, path, True)

    @classmethod
    def _look(cls, event: str, path, writes: bool, dir_fd=None) -> None:
        """``dir_fd``: the folder a relative path is in (shutil.rmtree works with those)."""
        path = os.fsdecode(path)
        if isinstance(dir_fd, int) and dir_fd >= 0:
            path = os.path.join(os.readlink(f"/proc/self/fd/{dir_fd}"), path)
        real = os.path.realpath(path)
        if real == cls.private or real.startswith(cls.private + os.sep):
            cls.violations.append(f"{event} {real}")
        elif writes and not cls._may_write(real):
            cls.violations.append(f"{event} (write) {real}")

    @classmethod
    def _may_write(cls, real: str) -> bool:
        """Into the output or the cache; or a scratch file in the system's temporary folder, but
        not into the content or the private folder that sit there for the test."""
        def under(path: str, folder: str) -> bool:
            return path == folder or path.startswith(folder + os.sep)
        if any(under(real, folder) for folder in cls.allowed):
            return True
        return under(real, cls.temp) and not under(real, cls.root)


sys.addaudithook(_Watch.hook)


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates kept between the examples' builds: compiling them is most of a small build."""

    store: dict = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(scope="module", autouse=True)
def quick_templates():
    original = render.make_environment

    def cached(*args, **kwargs):
        env = original(*args, **kwargs)
        env.bytecode_cache = _MemoryBytecode()
        return env
    render.make_environment = cached
    os.environ["SITEGEN_WORKERS"] = "1"
    yield
    render.make_environment = original


SITE_YAML = ("title: Demo\nbase_url: https://www.example.se/demo/\ncontact: {email: demo@example.se}\n"
             "social:\n  - {network: instagram, name: demo, url: 'https://www.instagram.com/demo/', "
             "feed: data/social/demo.xml}\n")
FEED = ('<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        '<title>D</title><item><title>P</title><link>https://www.instagram.com/p/a/</link>'
        '<media:content url="{image}" medium="image"/></item></channel></rss>')


PARTS = ("meta", "body", "aliases", "site", "people", "meals", "json", "image", "links")


@BUILDS
@given(hostile=st.sets(st.sampled_from(PARTS)), meta=yaml_lines(KEYS), body=pieces(MD_PIECES, 8),
       aliases=st.lists(st.sampled_from(ALIASES), min_size=1, max_size=3),
       site_extra=yaml_lines(["menu_depth", "removed", "language", "theme", "news", "accessibility", "x"]),
       people=st.one_of(yaml_lines(["name", "email", "phone", "- name"]), pieces(YAML_PIECES, 8)),
       meals=yaml_lines(["name", "type", "days", "date", "lunch"]), json_text=pieces(["[", "{", "]", '"a"', ":", ","], 8),
       image=st.sampled_from(["../../../private/photo.png", "/etc/passwd", "x.png", "http://10.0.0.1/x.png"]))
def test_a_build_of_any_input_stays_inside_and_reports_at_path_and_line(hostile, meta, body, aliases, site_extra,
                                                                       people, meals, json_text, image):
    """``hostile`` picks the parts that get generated input; the others are as an editor writes
    them, so that many examples build without errors and reach the write stage."""
    def pick(part: str, generated: str, benign: str) -> str:
        return generated if part in hostile else benign
    root = Path(tempfile.mkdtemp(prefix="sitegen-fuzz-")).resolve()
    try:
        _run(root, {
            "site.yaml": SITE_YAML + pick("site", site_extra, "") + "\n",
            "index.md": f"---\ntitle: Start\ningress: Start.\n---\n{pick('body', body, 'Välkommen.')}\n",
            "sida.md": "---\ntitle: Sida\ningress: Om sidan.\n" + pick("meta", meta + "\n", "")
                       + pick("aliases", f"aliases: {aliases!r}\n", "") + "---\n" + pick("body", body, "Text.") + "\n",
            "data/people.yaml": pick("people", people, "- {name: Anna Andersson, email: anna@example.se}\n"),
            "data/meals/skola.yaml": pick("meals", meals, "name: Skolan\ndays:\n  - {date: 2026-11-23, lunch: [Soppa]}\n"),
            "data/lista.json": pick("json", json_text, "[1, 2]"),
            "data/social/demo.xml": FEED.format(image=pick("image", image, "x.png")),
        }, "links" in hostile)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _run(root: Path, files: dict, links: bool) -> None:
    private = root / "private"
    private.mkdir()
    (private / "passwd").write_text(SECRET, encoding="utf-8")
    (private / "sida.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    site = root / "content" / "demo"
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8", errors="surrogatepass")
    if links:
        (site / "privat.md").symlink_to(private / "sida.md")
        (site / "data" / "privat.yaml").symlink_to(private / "passwd")
        (site / "privat").symlink_to(private)
    out = root / "out"
    _Watch.private = str(private)
    _Watch.allowed = (str(out), str(root / ".sitegen-cache"))
    _Watch.root, _Watch.temp = str(root), os.path.realpath(tempfile.gettempdir())
    _Watch.violations = []
    _Watch.active = True
    try:
        problems, _ = builder.execute(BuildOptions(content=root / "content", out=out, now=NOW, quiet=True,
                                                   cache=False))
    finally:
        _Watch.active = False
    assert _Watch.violations == []
    for problem in problems.items:
        assert problem.path and not problem.path.startswith(("/", "..")), problem
        assert problem.line >= 1, problem
    if out.exists():
        for path in out.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), path

