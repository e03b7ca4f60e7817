"""Markdown bodies: .md links become URLs, missing targets are errors at their line."""
import datetime as dt

from testkit import NOW, page, run_sitegen
from sitegen import mdlinks, sources, tree
from sitegen.config import load_site_config
from sitegen.markdown import BodyRenderer
from sitegen.problems import Problems
from sitegen.schema import STOCKHOLM


def render(content, url, name="demo"):
    problems = Problems(root=content)
    config = load_site_config(content / name, problems)
    found, assets = sources.read_sources(content / name, problems)
    site = tree.build_site(config, found, assets, dt.datetime(2026, 11, 23, tzinfo=STOCKHOLM), False, problems)
    renderer = BodyRenderer(site, problems)
    html = renderer.render(site.page_at(url))
    mdlinks.report_missing(site.page_at(url), renderer.later, site, {}, problems)   # as a build does at its end
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
    assert problems == ["demo/index.md:9: error: link to missing page 'saknas.md': it leads to demo/saknas.md, which does not exist; check the address, or remove the link"]


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


def test_image_without_alt_is_an_error_and_decorative_is_fine(make_site):
    content = make_site({"index.md": page("Start", body="![](a.png)\n\n![](a.png){.decorative}\n"),
                         "a.png": b"\x89PNG\r\n\x1a\n"})
    _, problems = render(content, "")
    assert problems == ["demo/index.md:6: error: image without alt text: describe it in ![text](...) "
                        "or mark it {.decorative}"]


def test_unknown_box_is_a_warning_at_its_line_naming_the_boxes(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="Före.\n\n::: warning Titel\nText\n:::\n\n::: info Rätt\nOk\n:::\n"),
    }), "")
    assert problems == ["demo/index.md:8: warning: unknown box 'warning' (did you mean 'varning'?): the boxes "
                        "are dragspel, embed, faktaruta, info, varning and video; the text is shown as it is written"]
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


def test_a_box_left_open_inside_another_says_it_runs_to_the_end_of_that_box(make_site):
    html, problems = render(make_site({
        "index.md": page("Start", body="::: faktaruta Bra att veta\nTa med legitimation.\n\n"
                                       "::: varning Stängt i jul\nVi har stängt.\n:::\n\nSlut.\n"),
    }), "")
    assert problems == ["demo/index.md:9: warning: box 'varning' is not closed: end it with a line ':::'; "
                        "until then it holds the rest of the box 'faktaruta'"]


def test_a_box_left_open_in_a_list_item_inside_a_box_says_list_item(make_site):
    _, problems = render(make_site({
        "index.md": page("Start", body="::: faktaruta Bra att veta\n- ::: info Obs\n  Text\n\nMer.\n:::\n\nSlut.\n"),
    }), "")
    assert problems == ["demo/index.md:7: warning: box 'info' is not closed: end it with a line ':::'; "
                        "until then it holds the rest of the list item or quote"]


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
        'demo/index.md:6: error: <img> without alt text: describe the image in alt="..." '
        '(alt="" if it only decorates), or write it as ![text](...)',
        "demo/index.md:6: error: image 'foo.png' not found (looked for demo/foo.png): check the file name and its folder",
        'demo/index.md:8: error: <img> without alt text: describe the image in alt="..." '
        '(alt="" if it only decorates), or write it as ![text](...)',
    ]
    assert '<img src="/demo/a.png" alt="Ett a">' in html   # a local image gets its URL, as in Markdown
    assert '<img src="/demo/a.png">' in html


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
    assert sorted(problems) == ["demo/index.md:6: error: link to missing page '/demo/saknas.md': it leads to demo/saknas.md, "
                                "which does not exist; check the address, or remove the link",
                                "demo/index.md:8: error: link to missing page '/annan/sida.md': a link to a .md "
                                "file must point to a page of this site, under '/demo/'"]


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
    content = make_site({"index.md": page("Start", body="::: warning\nText\n:::\n\n<img src=\"a.png\" alt=\"\" "
                                                        "onerror=\"x()\">\n\n[u](utkast.md)\n\n::: info\nÖppen\n"),
                         "utkast.md": page("Utkast", draft="true")})
    Image.new("RGB", (8, 8), "red").save(content / "demo" / "a.png")
    expected = ["content/demo/index.md:6: warning: unknown box 'warning'",
                "content/demo/index.md:10: warning: event attribute 'onerror' on <img> removed",
                "content/demo/index.md:12: warning: link to 'utkast.md'",
                "content/demo/index.md:14: warning: box 'info' is not closed"]
    for _ in range(2):
        result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
        assert result.status == 0, result.stderr
        for line in expected:
            assert line in result.stderr, result.stderr


# --- what would vanish or be published wrong ---------------------------------------------

def test_list_markers_nested_too_deep_are_an_error_not_a_lost_page(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="Före.\n\n" + "- " * 10000 + "text\n\nEfter.")}), "")
    assert problems == ["demo/index.md:8: error: lists or quotes nested too deep (a list in a list ten times over): "
                        "what is inside them would not be shown; start the line with fewer '-', '*', '1.' or '>'"]


def test_quotes_nested_too_deep_are_an_error(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="> " * 30 + "citat")}), "")
    assert len(problems) == 1 and "demo/index.md:6: error: lists or quotes nested too deep" in problems[0]


def test_lists_nested_nine_levels_are_fine(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="- " * 9 + "djupt\n\nEfter.")}), "")
    assert problems == [] and "Efter." in html and "djupt" in html


def test_level_one_heading_in_the_text_is_an_error(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="Text.\n\n# Rubrik\n")}), "")
    assert problems == ["demo/index.md:8: error: level-1 heading 'Rubrik' in the text: the page title is the "
                        "page's only level-1 heading; change it to '## Rubrik'"]


def test_underlined_level_one_heading_is_an_error(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="Rubrik\n======\n")}), "")
    assert problems == ["demo/index.md:6: error: level-1 heading 'Rubrik' in the text: the page title is the "
                        "page's only level-1 heading; change it to '## Rubrik'"]


def test_raw_h1_is_an_error(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="<h1>Rubrik</h1>")}), "")
    assert problems == ["demo/index.md:6: error: <h1> in the text: the page title is the page's only level-1 "
                        "heading; use <h2> (or '## ' in Markdown) instead"]


def test_level_two_heading_is_fine(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="## Rubrik\n\nText.")}), "")
    assert problems == []


# --- paths with spaces, generated pages ----------------------------------------------------

def test_link_with_spaces_written_as_it_is(make_site):
    html, problems = render(make_site({
        "om/index.md": page("Om", body="Läs [historia](Vår historia.md) och [mer](Vår historia.md#start)."),
        "om/Vår historia.md": page("Vår historia"),
    }), "om/")
    assert problems == []
    assert '<a href="/demo/om/var-historia/">historia</a>' in html
    assert 'href="/demo/om/var-historia/#start"' in html


def test_image_with_spaces_written_as_it_is(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="![Piano](Bild på kursen.jpg)"),
                                       "Bild på kursen.jpg": b"\xff\xd8\xff"}), "")
    assert problems == []
    assert "![Piano]" not in html and 'alt="Piano"' in html


def test_missing_link_with_spaces_is_an_error(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="[historia](Vår historia.md)")}), "")
    assert problems == ["demo/index.md:6: error: link to missing page 'Vår historia.md': it leads to "
                        "demo/Vår historia.md, which does not exist; check the address, or remove the link"]


def test_missing_image_with_spaces_is_an_error(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="![Piano](Bild på kursen.jpg)")}), "")
    assert problems == ["demo/index.md:6: error: image 'Bild på kursen.jpg' not found (looked for demo/Bild på "
                        "kursen.jpg): check the file name and its folder"]


def test_a_missing_image_up_a_folder_says_which_file_it_looked_for(make_site):
    _, problems = render(make_site({"om/index.md": page("Om", body="![Salen](../bilder/salen.jpg)"),
                                    "index.md": page("Start")}), "om/")
    assert problems == ["demo/om/index.md:6: error: image '../bilder/salen.jpg' not found (looked for "
                        "demo/bilder/salen.jpg): check the file name and its folder"]


def test_words_in_parentheses_after_brackets_stay_text(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="[sic] (som det står)")}), "")
    assert problems == [] and "<a" not in html


def test_link_out_of_the_site_is_an_error(make_site):
    _, problems = render(make_site({"a/index.md": page("A", body="[x](../../annan/sida.md)")}), "a/")
    assert problems == ["demo/a/index.md:6: error: link to '../../annan/sida.md', which is outside the site: "
                        "link to a page of this site, or give a full address"]


GENERATED = {
    "index.md": page("Start"),
    "kurser/index.md": page("Kurser"),
    "kurser/piano.md": page("Piano", body="[Kontakt](../kontakt.md), [Sök](/demo/sok/), "
                                          "[Tillgänglighet](../tillganglighet/), [Nyheter](../nyheter/index.md), "
                                          "[RSS](/demo/nyheter/rss.xml), [Kalender](../kalender.md)"),
    "nyheter/2026-11-20-ny-kurs.md": page("Ny kurs", type="news"),
    "kalender/konsert.md": page("Konsert", type="event", start="2026-12-10 18:00"),
}


def test_links_to_generated_pages_work_from_any_page(make_site, tmp_path):
    content = make_site(GENERATED, site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\n"
                                             "contact: {email: demo@orebro.se}\n")
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (tmp_path / "out" / "demo" / "kurser" / "piano" / "index.html").read_text(encoding="utf-8")
    for href in ("/demo/kontakt/", "/demo/sok/", "/demo/tillganglighet/", "/demo/nyheter/",
                 "/demo/nyheter/rss.xml", "/demo/kalender/"):
        assert f'href="{href}"' in html, href


def test_link_to_a_generated_page_that_does_not_exist_is_an_error(make_site, tmp_path):
    content = make_site({"index.md": page("Start", body="[Kalender](kalender.md)\n\n[x](/demo/finns-inte/)")})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert "demo/index.md:6: error: link to missing page 'kalender.md'" in result.stderr   # no events, no calendar
    assert "demo/index.md:8: error: link to missing page '/demo/finns-inte/'" in result.stderr


def test_links_to_generated_pages_are_checked_again_on_a_cached_rebuild(make_site, tmp_path):
    content = make_site({"index.md": page("Start", body="[Kalender](kalender.md)"),
                         "kalender/konsert.md": page("Konsert", type="event", start="2026-12-10 18:00"),
                         "kontakt.md": page("Kontakt")})
    out = ["--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW]
    assert run_sitegen("build", *out).status == 0
    (content / "demo" / "kalender" / "konsert.md").unlink()   # the calendar goes, the start page's body stays
    result = run_sitegen("build", *out)
    assert result.status == 1
    assert "demo/index.md:6: error: link to missing page 'kalender.md'" in result.stderr


def test_image_without_alt_text_stops_the_build_too(make_site, tmp_path):
    content = make_site({"index.md": page("Start", body="![](https://www.orebro.se/a.png)"),
                         "kontakt.md": page("Kontakt")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 1
    assert "demo/index.md:6: error: image without alt text" in result.stderr
    assert not (tmp_path / "out" / "demo").exists()


def test_level_one_heading_stops_the_build_too(make_site, tmp_path):
    content = make_site({"index.md": page("Start", body="# Rubrik"), "kontakt.md": page("Kontakt")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 1
    assert "demo/index.md:6: error: level-1 heading 'Rubrik' in the text" in result.stderr
    assert not (tmp_path / "out" / "demo").exists()


def test_problems_after_a_two_line_alt_text_are_at_their_line(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="![Barn\nsom spelar](https://www.orebro.se/a.png)\n"
                                                                   "och [x](saknas.md)")}), "")
    assert problems == ["demo/index.md:8: error: link to missing page 'saknas.md': it leads to demo/saknas.md, "
                        "which does not exist; check the address, or remove the link"]


class CountingText(str):
    """A page body that counts how often the renderer splits it into lines."""

    splits = 0

    def split(self, *args, **kwargs):
        CountingText.splits += 1
        return super().split(*args, **kwargs)


def test_a_long_page_is_split_into_lines_at_most_once(make_site):
    # Looking up the line of each link by splitting the whole text made long pages quadratic.
    body = "\n\n".join(f"Stycke {i} med [en länk](b.md) och ![bild {i}](a.png).\n::: info\nRuta\n:::" for i in range(500))
    content = make_site({"index.md": page("Start", body=body), "b.md": page("B"), "a.png": b"\x89PNG\r\n\x1a\n"})
    problems = Problems(root=content)
    config = load_site_config(content / "demo", problems)
    found, assets = sources.read_sources(content / "demo", problems)
    site = tree.build_site(config, found, assets, dt.datetime(2026, 11, 23, tzinfo=STOCKHOLM), False, problems)
    start = site.page_at("")
    start.body = CountingText(start.body)
    html = BodyRenderer(site, problems).render(start)
    assert html.count('href="/demo/b/"') == 500 and problems.items == []
    assert CountingText.splits <= 1


def test_a_missing_link_up_a_folder_says_which_file_it_looked_for(make_site):
    _, problems = render(make_site({"forska/bestall.md": page("Beställ", body="Läs [om oss](../om-oss.md)."),
                                    "index.md": page("Start")}), "forska/bestall/")
    assert problems == ["demo/forska/bestall.md:6: error: link to missing page '../om-oss.md': it leads to "
                        "demo/om-oss.md, which does not exist; check the address, or remove the link"]


def test_a_missing_relative_address_of_a_page_names_the_address_it_leads_to(make_site):
    _, problems = render(make_site({"forska/index.md": page("Forska", body="Läs [om oss](../om-oss/)."),
                                    "index.md": page("Start")}), "forska/")
    assert problems == ["demo/forska/index.md:6: error: link to missing page '../om-oss/': it leads to the "
                        "address /demo/om-oss/, where there is no page; check the address, or remove the link"]


def test_a_missing_file_says_which_file_it_looked_for(make_site):
    _, problems = render(make_site({"forska/index.md": page("Forska", body="[Regler](../dokument/regler.pdf)"),
                                    "index.md": page("Start")}), "forska/")
    assert problems == ["demo/forska/index.md:6: error: link to missing file '../dokument/regler.pdf': it leads "
                        "to demo/dokument/regler.pdf, which does not exist; check the file name, or remove the link"]
