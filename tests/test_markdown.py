"""Markdown bodies: .md links become URLs, missing targets are errors at their line."""
import datetime as dt

from testkit import page
from sitegen import sources, tree
from sitegen.config import load_site_config
from sitegen.markdown import BodyRenderer
from sitegen.problems import Problems
from sitegen.schema import STOCKHOLM


def render(content, url, name="demo"):
    problems = Problems(root=content)
    config = load_site_config(content / name, problems)
    found, assets = sources.read_sources(content / name, problems)
    site = tree.build_site(config, found, assets, dt.datetime(2026, 11, 23, tzinfo=STOCKHOLM), False, problems)
    html = BodyRenderer(site, problems).render(site.page_at(url))
    return html, [p.format() for p in problems.items]


def test_relative_md_links_become_urls(make_site):
    html, problems = render(make_site({
        "a/index.md": page("A", body="[B](b.md), [C](../c/index.md#del), [upp](../index.md)"),
        "a/b.md": page("B"), "c/index.md": page("C"), "index.md": page("Start"),
    }), "a/")
    assert problems == []
    assert 'href="/demo/a/b/"' in html
    assert 'href="/demo/c/#del"' in html
    assert 'href="/demo/"' in html


def test_link_with_spaces_and_swedish_letters(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="[Läs](<Jämställd styrning.md>)"),
        "Jämställd styrning.md": page("Jämställd styrning"),
    }), "")
    assert problems == []
    assert 'href="/demo/jamstalld-styrning/"' in html


def test_missing_link_is_an_error_at_its_line(make_site):
    _, problems = render(make_site({
        "index.md": "---\ntitle: Start\ningress: x\n---\n\nFörsta stycket.\n\nAndra\nmed [länk](saknas.md).\n",
    }), "")
    assert problems == ["demo/index.md:9: error: link to missing page 'saknas.md'"]


def test_external_links_stay_as_written(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="[x](https://www.orebro.se/) [y](#a)")}), "")
    assert problems == []
    assert 'href="https://www.orebro.se/"' in html and 'href="#a"' in html


def test_faktaruta_becomes_an_aside(make_site):
    html, _ = render(make_site({"index.md": page("Start", body="::: faktaruta Fakta\nInnehåll\n:::\n")}), "")
    assert '<aside class="box faktaruta">' in html and "Fakta" in html


def test_headings_get_ids_and_tables_render(make_site):
    html, _ = render(make_site({"index.md": page("Start", body="## Öppna tider\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")}), "")
    assert '<h2 id="oppna-tider">' in html
    assert "<table>" in html


def test_image_without_alt_is_a_warning_and_decorative_is_fine(make_site):
    content = make_site({"index.md": page("Start", body="![](a.png)\n\n![](a.png){.decorative}\n"),
                         "a.png": b"\x89PNG\r\n\x1a\n"})
    _, problems = render(content, "")
    assert len(problems) == 1 and "warning: image without alt text" in problems[0]
