"""Page keys: after each kind of change an incremental build renders exactly the pages that
show it, and its output is byte for byte a clean build's."""
from __future__ import annotations

import datetime as dt
import filecmp
import shutil
from pathlib import Path

import pytest
from PIL import Image

from sitegen import builder
from testkit import NOW, REPO, page

SITE = {
    "index.md": page("Start"),
    "om/index.md": page("Om oss"),
    "om/kontakt.md": page("Kontakt", weight=1),
    "om/historia.md": page("Historia", weight=2, image="bild.png", image_alt="Skolans första hus"),
    "om/mer/index.md": page("Mer", weight=3),
    "om/mer/a.md": page("Aaa"),
    "om/mer/b.md": page("Bbb"),
    "tjanster/index.md": page("Tjänster"),
    "tjanster/b.md": page("Bbb"),
    "nyheter/index.md": "---\ntitle: Nyheter\ningress: Nytt.\ncascade:\n  type: news\n  category: nyhet\n---\n",
    "nyheter/2026-11-01-forsta.md": page("Första nyheten"),
    "nyheter/2026-11-10-andra.md": page("Andra nyheten"),
    "kalender/index.md": page("Kalender"),
    "kalender/konsert.md": page("Konsert", type="event", start="2026-11-25 18:00", end="2026-11-25 20:00",
                                location="Aulan"),
    "data/fakta.yaml": "antal: 1\n",
}

EVERY_PAGE = {
    "index.html", "404.html", "410.html", "kontakt/index.html", "sok/index.html", "tillganglighet/index.html",
    "webbplatskarta/index.html", "om/index.html", "om/kontakt/index.html", "om/historia/index.html",
    "om/mer/index.html", "om/mer/a/index.html", "om/mer/b/index.html", "tjanster/index.html",
    "tjanster/b/index.html", "nyheter/index.html", "nyheter/2026/index.html", "nyheter/andra/index.html",
    "nyheter/forsta/index.html", "nyheter/kategori/driftstorning/index.html",
    "nyheter/kategori/nyhet/index.html", "nyheter/kategori/servicenyhet/index.html",
    "kalender/index.html", "kalender/arkiv/index.html", "kalender/2026/11/index.html",
    "kalender/konsert/index.html",
}


@pytest.fixture
def root(tmp_path):
    """The site, with a copy of the theme to edit, built once with the cache."""
    site = tmp_path / "content" / "demo"
    site.mkdir(parents=True)
    (site / "site.yaml").write_text("title: Demo\nbase_url: https://www.example.se/demo/\n", encoding="utf-8")
    for rel, text in SITE.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    Image.new("RGB", (40, 30), "red").save(site / "om" / "bild.png")
    shutil.copytree(REPO / "themes" / "orebro", tmp_path / "themes" / "orebro")
    assert rendered(tmp_path) == EVERY_PAGE
    return tmp_path


def build(root: Path, now: str = NOW, cache: bool = True, out: str = "out"):
    problems, builds = builder.execute(builder.BuildOptions(
        content=root / "content", out=root / out, now=dt.datetime.fromisoformat(now), quiet=True,
        themes=[root / "themes"], cache=cache))
    assert not problems.errors, [p.format() for p in problems.errors]
    return builds[0]


def rendered(root: Path, now: str = NOW) -> set[str]:
    """The pages a build rendered (``pending``: those whose key or output file changed)."""
    return set(build(root, now).pending)


def same_as_clean(root: Path, now: str = NOW) -> None:
    build(root, now, cache=False, out="clean")
    differing = []

    def walk(cmp, prefix=""):
        differing.extend(prefix + name for name in cmp.left_only + cmp.right_only)
        _, mismatch, errors = filecmp.cmpfiles(cmp.left, cmp.right, cmp.common_files, shallow=False)
        differing.extend(prefix + name for name in mismatch + errors)
        for name, sub in cmp.subdirs.items():
            if name != "pagefind":   # Pagefind names its index files itself
                walk(sub, prefix + name + "/")
    walk(filecmp.dircmp(root / "out" / "demo", root / "clean" / "demo"))
    assert differing == [], f"stale or missing after an incremental build: {differing}"


def content(root: Path, rel: str) -> Path:
    return root / "content" / "demo" / rel


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_renders_nothing(root):
    assert rendered(root) == set()


def test_front_matter_renders_the_page_and_the_cards_that_show_it(root):
    content(root, "tjanster/b.md").write_text(page("Bbb", ingress="En ny ingress."), encoding="utf-8")
    assert rendered(root) == {"tjanster/b/index.html", "tjanster/index.html"}
    same_as_clean(root)


def test_a_body_renders_its_page_alone(root):
    content(root, "om/mer/a.md").write_text(page("Aaa", "Ny text om a."), encoding="utf-8")
    assert rendered(root) == {"om/mer/a/index.html"}
    same_as_clean(root)


def test_a_template_renders_the_pages_it_renders(root):
    edit(root / "themes/orebro/templates/section.html", "{%", "<!-- ny -->{%")
    assert rendered(root) == {"index.html", "om/index.html", "om/mer/index.html", "tjanster/index.html"}
    same_as_clean(root)


def test_a_partial_renders_every_page_whose_templates_include_it(root):
    edit(root / "themes/orebro/templates/partials/breadcrumbs.html", "<", "<!-- ny --><")
    assert rendered(root) == EVERY_PAGE   # base.html includes it
    same_as_clean(root)


def test_a_theme_string_renders_every_page(root):
    edit(root / "themes/orebro/i18n/sv.yaml", "home: Startsida", "home: Hem")
    assert rendered(root) == EVERY_PAGE
    same_as_clean(root)


def test_site_yaml_renders_every_page(root):
    content(root, "site.yaml").write_text("title: Nytt namn\nbase_url: https://www.example.se/demo/\n",
                                          encoding="utf-8")
    assert rendered(root) == EVERY_PAGE
    same_as_clean(root)


def test_a_data_file_renders_every_page_as_every_template_reads_site(root):
    content(root, "data/fakta.yaml").write_text("antal: 2\n", encoding="utf-8")
    assert rendered(root) == EVERY_PAGE   # site.data is part of ``site``
    same_as_clean(root)


def test_an_image_renders_its_page_and_the_cards_that_show_it(root):
    Image.new("RGB", (60, 30), "blue").save(content(root, "om/bild.png"))
    assert rendered(root) == {"om/historia/index.html", "om/index.html", "om/kontakt/index.html",
                              "om/mer/index.html"}
    same_as_clean(root)


def test_a_new_page_renders_it_its_section_siblings_and_the_site_map(root):
    content(root, "om/mer/c.md").write_text(page("Ccc"), encoding="utf-8")
    assert rendered(root) == {"om/mer/c/index.html", "om/mer/index.html", "om/mer/a/index.html",
                              "om/mer/b/index.html", "webbplatskarta/index.html"}
    same_as_clean(root)


def test_a_removed_page_renders_its_section_siblings_and_the_site_map(root):
    content(root, "om/mer/b.md").unlink()
    assert rendered(root) == {"om/mer/index.html", "om/mer/a/index.html", "webbplatskarta/index.html"}
    assert not (root / "out/demo/om/mer/b").exists()
    same_as_clean(root)


def test_a_renamed_page_renders_it_its_section_siblings_and_the_site_map(root):
    content(root, "om/mer/b.md").rename(content(root, "om/mer/bb.md"))
    assert rendered(root) == {"om/mer/bb/index.html", "om/mer/index.html", "om/mer/a/index.html",
                              "webbplatskarta/index.html"}
    same_as_clean(root)


def test_a_child_pages_title_renders_the_cards_that_show_it(root):
    content(root, "om/mer/a.md").write_text(page("Ny titel på a"), encoding="utf-8")
    assert rendered(root) == {"om/mer/a/index.html", "om/mer/index.html", "om/mer/b/index.html",
                              "webbplatskarta/index.html"}
    same_as_clean(root)


def test_a_title_in_the_menu_renders_every_page(root):
    content(root, "tjanster/index.md").write_text(page("Våra tjänster"), encoding="utf-8")
    assert rendered(root) == EVERY_PAGE
    same_as_clean(root)


def test_a_news_items_title_renders_the_lists_and_start_page_blocks_that_show_it(root):
    content(root, "nyheter/2026-11-10-andra.md").write_text(page("Andra nyheten, ny rubrik"), encoding="utf-8")
    assert rendered(root) == {"index.html", "nyheter/index.html", "nyheter/2026/index.html",
                              "nyheter/kategori/nyhet/index.html", "nyheter/andra/index.html",
                              "webbplatskarta/index.html"}
    same_as_clean(root)


def test_a_news_items_body_renders_that_item_alone(root):
    content(root, "nyheter/2026-11-10-andra.md").write_text(page("Andra nyheten", "Mer text."), encoding="utf-8")
    assert rendered(root) == {"nyheter/andra/index.html"}
    same_as_clean(root)


def test_now_crossing_an_events_end_renders_the_pages_that_list_it(root):
    later = "2026-11-26T12:00:00+01:00"   # the concert of the 25th is over
    assert rendered(root, later) == {"index.html", "kalender/index.html", "kalender/arkiv/index.html",
                                     "kalender/2026/11/index.html", "kalender/konsert/index.html"}
    same_as_clean(root, later)


def test_now_within_the_same_day_renders_nothing(root):
    assert rendered(root, "2026-11-23T15:00:00+01:00") == set()


def test_a_template_that_shows_the_clock_renders_its_pages_every_build(root):
    edit(root / "themes/orebro/templates/section.html", "{%", "<p>{{ now.year }}</p>{%")
    assert rendered(root) == {"index.html", "om/index.html", "om/mer/index.html", "tjanster/index.html"}
    later = "2026-11-23T12:05:00+01:00"
    assert rendered(root, later) == {"index.html", "om/index.html", "om/mer/index.html", "tjanster/index.html"}
    assert build(root, later).next_change == dt.datetime.fromisoformat(later)   # every build differs
    same_as_clean(root, later)


def test_a_template_that_shows_childrens_bodies_renders_the_section_for_a_childs_body(root):
    edit(root / "themes/orebro/templates/section.html", "{%",
         "{% for child in page.children %}{{ child.html|safe }}{% endfor %}{%")
    build(root)
    content(root, "om/mer/a.md").write_text(page("Aaa", "Ny text om a."), encoding="utf-8")
    assert rendered(root) == {"om/mer/a/index.html", "om/mer/index.html"}
    same_as_clean(root)


def test_a_value_without_a_stable_digest_is_a_miss(root):
    from sitegen.pagekeys import PageKeys
    done = build(root)
    konsert = done.site.page_at("kalender/konsert/")   # its event data names the page itself
    keys = PageKeys(done)
    assert keys.key(konsert) is not None and keys.key(konsert) == PageKeys(done).key(konsert)
    konsert.meta["oklar"] = object()
    assert PageKeys(done).key(konsert) is None


def test_keys_do_not_depend_on_the_order_pages_are_keyed_in(root):
    """Workers key pages in any order; a key must be the same whatever was keyed before it."""
    from sitegen.pagekeys import PageKeys
    done = build(root)
    pages = done.site.pages
    forward = PageKeys(done)
    backward = PageKeys(done)
    ahead = {page.file_path(): forward.key(page) for page in pages}
    behind = {page.file_path(): backward.key(page) for page in reversed(pages)}
    assert ahead == behind and None not in ahead.values()
