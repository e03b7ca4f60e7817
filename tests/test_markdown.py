"""Markdown bodies: .md links become URLs, missing targets are errors at their line."""
import datetime as dt

from testkit import NOW, page, run_sitegen
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
    assert problems == ["demo/index.md:9: error: link to missing page 'saknas.md': check the address, or remove the link"]


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


def test_unknown_box_is_a_warning_at_its_line_naming_the_boxes(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="Före.\n\n::: warning Titel\nText\n:::\n\n::: info Rätt\nOk\n:::\n"),
    }), "")
    assert problems == ["demo/index.md:8: warning: unknown box 'warning' (did you mean 'varning'?): the boxes "
                        "are faktaruta, info, varning and embed; the text is shown as it is written"]
    assert '<aside class="box info">' in html


def test_a_stray_box_end_is_a_warning(make_site):
    _, problems = render(make_site({
        "index.md": page("Start", body="::: info\nText\n:::\n:::\n\nSlut.\n"),
    }), "")
    assert problems == ["demo/index.md:9: warning: ':::' closes no box and is shown as text"]


def test_unclosed_box_is_a_warning_at_its_opening_line(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="Före.\n\n::: faktaruta Öppen\nInne\n\nResten av sidan.\n"),
    }), "")
    assert problems == ["demo/index.md:8: warning: box 'faktaruta' is not closed: end it with a line ':::'; "
                        "until then it holds the rest of the page"]
    assert '<aside class="box faktaruta">' in html


def test_closed_and_nested_boxes_are_fine(make_site):
    _, problems = render(make_site({
        "index.md": page("Start", body=":::: faktaruta Yttre\n::: info Inre\nText\n:::\n::::\n\n"
                                       "> ::: varning\n> Se upp\n> :::\n\n```\n::: warning\n```\n"),
    }), "")
    assert problems == []


def test_raw_img_without_alt_and_with_missing_src(make_site):
    content = make_site({
        "index.md": page("Start", body='<img src="foo.png">\n\nText <img src="a.png" alt="Ett a"> och '
                                       '<IMG SRC=a.png>.\n\n<!-- <img src="gammal.png"> -->\n'),
        "a.png": b"\x89PNG\r\n\x1a\n",
    })
    html, problems = render(content, "")
    assert problems == [
        'demo/index.md:6: warning: <img> without alt text: describe the image in alt="..." '
        '(alt="" if it only decorates), or write it as ![text](...)',
        "demo/index.md:6: error: image 'foo.png' not found: check the file name and its folder",
        'demo/index.md:8: warning: <img> without alt text: describe the image in alt="..." '
        '(alt="" if it only decorates), or write it as ![text](...)',
    ]
    assert '<img src="/demo/a.png" alt="Ett a">' in html   # a local image gets its URL, as in Markdown
    assert "<IMG SRC=/demo/a.png>" in html


def test_raw_img_with_empty_alt_is_decorative(make_site):
    _, problems = render(make_site({"index.md": page("Start", body='<img src="a.png" alt="">\n'),
                                    "a.png": b"\x89PNG\r\n\x1a\n"}), "")
    assert problems == []


def test_site_absolute_md_link_becomes_the_page_url(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="[Kurser](/demo/kurser/index.md), [Piano](/demo/kurser/Piano.md#pris)"),
        "kurser/index.md": page("Kurser"), "kurser/Piano.md": page("Piano"),
    }), "")
    assert problems == []
    assert 'href="/demo/kurser/"' in html and 'href="/demo/kurser/piano/#pris"' in html


def test_site_absolute_md_link_to_a_missing_page_is_an_error(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="[x](/demo/saknas.md)\n\n[y](/annan/sida.md)"),
    }), "")
    assert problems == ["demo/index.md:6: error: link to missing page '/demo/saknas.md': check the address, or remove the link",
                        "demo/index.md:8: error: link to missing page '/annan/sida.md': a link to a .md file "
                        "must point to a page of this site, under '/demo/'"]


def test_link_to_a_draft_keeps_its_text_without_a_link(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="Läs [utkastet](utkast.md) och [om](om.md)."),
        "utkast.md": page("Utkast", draft="true"), "om.md": page("Om"),
    }), "")
    assert problems == ["demo/index.md:6: warning: link to 'utkast.md', which is a draft or not yet published; "
                        "its text is shown without the link"]
    assert "<p>Läs utkastet och <a href=\"/demo/om/\">om</a>.</p>" in html
    assert 'href="#"' not in html


def test_new_warnings_survive_a_cached_rebuild(make_site, tmp_path):
    from PIL import Image
    content = make_site({"index.md": page("Start", body="::: warning\nText\n:::\n\n<img src=\"a.png\">\n\n"
                                                        "[u](utkast.md)\n\n::: info\nÖppen\n"),
                         "utkast.md": page("Utkast", draft="true")})
    Image.new("RGB", (8, 8), "red").save(content / "demo" / "a.png")
    expected = ["content/demo/index.md:6: warning: unknown box 'warning'",
                "content/demo/index.md:10: warning: <img> without alt text",
                "content/demo/index.md:12: warning: link to 'utkast.md'",
                "content/demo/index.md:14: warning: box 'info' is not closed"]
    for _ in range(2):
        result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
        assert result.status == 0, result.stderr
        for line in expected:
            assert line in result.stderr, result.stderr
