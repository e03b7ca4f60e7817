"""Raw HTML in Markdown goes through the allowlist: what is removed is a warning at its line."""
import pytest

from test_markdown import render
from testkit import NOW, page, run_sitegen

PNG = b"\x89PNG\r\n\x1a\n"


def test_script_is_removed_with_its_content(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="Före.\n\n<script>alert('x')</script>\n\nEfter.")}), "")
    assert "alert" not in html and "<script" not in html
    assert "Efter." in html
    assert problems == ["demo/index.md:8: warning: <script> removed, with everything up to its </script>: pages "
                        "run no scripts or styles of their own"]


def test_event_attribute_is_removed(make_site):
    html, problems = render(make_site({"index.md": page("Start", body='Text <img src="a.png" alt="A" onerror="alert(1)">'),
                                       "a.png": PNG}), "")
    assert "onerror" not in html and 'alt="A"' in html
    assert problems == ["demo/index.md:6: warning: event attribute 'onerror' on <img> removed: pages run no "
                        "scripts of their own"]


def test_javascript_address_is_removed(make_site):
    html, problems = render(make_site({"index.md": page("Start", body='<a href="java&#x09;script:alert(1)">Klicka</a>')}), "")
    assert "script:" not in html and "Klicka" in html
    assert problems == ["demo/index.md:6: warning: address 'javascript:…' in <a href> removed: use an http(s), "
                        "mailto or tel address or a path"]


def test_data_address_of_a_markdown_image_is_removed(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="![Prick](data:image/png;base64,AAAA)")}), "")
    assert "data:" not in html
    assert problems == ["demo/index.md:6: warning: address 'data:…' in <img src> removed: use an http(s), "
                        "mailto or tel address or a path"]


def test_iframe_is_removed_and_the_embed_box_named(make_site):
    html, problems = render(make_site({"index.md": page("Start", body='<iframe src="https://evil.example/"></iframe>')}), "")
    assert "iframe" not in html
    assert problems == ["demo/index.md:6: warning: <iframe> removed, with everything up to its </iframe>: embed a "
                        "post with '::: embed ADDRESS' (it loads only when the visitor asks)"]


def test_event_attribute_written_in_markdown_braces_is_removed(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="Se\n[här](https://www.orebro.se/){onclick=\"x()\"}")}), "")
    assert "onclick" not in html and 'href="https://www.orebro.se/"' in html
    assert problems == ["demo/index.md:7: warning: event attribute 'onclick' on <a> removed: pages run no "
                        "scripts of their own"]


def test_style_attribute_is_removed_and_table_alignment_is_a_class(make_site):
    html, problems = render(make_site({"index.md": page(
        "Start", body='<p style="background:url(https://spy.example/)">Text</p>\n\n| a | b |\n|--:|---|\n| 1 | 2 |\n')}), "")
    assert "spy.example" not in html
    assert '<th class="align-right">a</th>' in html and "style=" not in html
    assert problems == ["demo/index.md:6: warning: attribute 'style' on <p> removed: it is not allowed in a page"]


ALLOWED = [
    '<details>\n<summary>Mer om avgifter</summary>\n\nAvgiften är 500 kr.\n\n</details>',
    'Det är <abbr title="Örebro kommun">ÖK</abbr> som <mark>bestämmer</mark>, tryck <kbd>Ctrl</kbd>.',
    '<figure>\n<img src="a.png" alt="Fiol">\n<figcaption>En fiol</figcaption>\n</figure>',
    '<table>\n<tr><th scope="col" colspan="2">Tider</th></tr>\n<tr><td>Mån</td><td>9–17</td></tr>\n</table>',
    'H<sub>2</sub>O och m<sup>2</sup>, <a href="mailto:a@orebro.se">mejla</a> eller <a href="tel:+4619">ring</a>.',
    '<div class="kolumner" aria-label="Två spalter">\n\n- ett\n- två\n\n</div>',
]


@pytest.mark.parametrize("body", ALLOWED, ids=["details", "abbr-mark-kbd", "figure", "table", "sub-sup-mailto",
                                              "div-aria"])
def test_what_editors_write_is_kept_without_warnings(make_site, body):
    html, problems = render(make_site({"index.md": page("Start", body=body), "a.png": PNG}), "")
    assert problems == []
    for tag in ("details", "summary", "abbr", "mark", "kbd", "figure", "figcaption", "table", "th", "sub", "sup",
                "div"):
        if f"<{tag}" in body:
            assert f"<{tag}" in html, html
    assert 'class="kolumner"' in html or "kolumner" not in body


def test_details_keeps_the_markdown_inside_it(make_site):
    html, _ = render(make_site({"index.md": page("Start", body=ALLOWED[0])}), "")
    assert "<details>\n<summary>Mer om avgifter</summary>\n<p>Avgiften är 500 kr.</p>\n</details>" in html


def test_a_page_without_raw_html_is_published_as_markdown_made_it(make_site):
    html, _ = render(make_site({"index.md": page("Start", body="Radbrytning  \nhär och ett \"citat\".")}), "")
    assert "<br />" in html   # the allowlist did not rewrite it: no raw HTML, nothing to clean


def test_removed_html_is_a_warning_in_check_too(make_site):
    content = make_site({"index.md": page("Start", body="<script>alert(1)</script>"),
                         "kontakt.md": page("Kontakt")})
    result = run_sitegen("check", "--content", str(content), "--now", NOW)
    assert "demo/index.md:6: warning: <script> removed, with everything up to its </script>" in result.stderr
    assert result.status == 0, result.stderr


def test_removed_html_is_a_warning_in_build_and_not_published(make_site, tmp_path):
    content = make_site({"index.md": page("Start", body='<img src="https://www.orebro.se/a.png" alt="" '
                                                        'onerror="alert(1)">'),
                         "kontakt.md": page("Kontakt")})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), "--now", NOW)
    assert result.status == 0, result.stderr
    assert "demo/index.md:6: warning: event attribute 'onerror' on <img> removed" in result.stderr
    assert "onerror" not in (tmp_path / "out" / "demo" / "index.html").read_text(encoding="utf-8")


MARKDOWN_OF_EVERY_KIND = """## Rubrik

Text med fotnot[^1], ~~struket~~, `kod` och "citat".

![Röd](a.png "Titel")

![](https://www.orebro.se/x.png){.decorative}

::: faktaruta Fakta & mer
Innehåll med [länk](https://www.orebro.se/?a=1&b=2).
:::

::: embed https://www.youtube.com/watch?v=abc&t=1
Filmen om kursen.
:::

| Vänster | Höger |
|:--|--:|
| a | b |

Term
: Definition

```python
print("<hej>")
```

1. ett
2. två

> citat

---

[^1]: Fotnoten.
"""


def test_the_allowlist_keeps_everything_markdown_makes(make_site):
    from html.parser import HTMLParser
    from PIL import Image

    from sitegen import sanitize

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.seen = []

        def handle_starttag(self, tag, attrs):
            self.seen.append((tag, sorted(attrs)))

    def tags(fragment):
        parser = Tags()
        parser.feed(fragment)
        return parser.seen

    content = make_site({"index.md": page("Start", body=MARKDOWN_OF_EVERY_KIND)})
    Image.new("RGB", (900, 600), "red").save(content / "demo" / "a.png")
    html, problems = render(content, "")
    assert problems == []
    assert len(tags(html)) > 30 and "<picture>" in html
    # A shortcode's template output (the embed's figure and script) is the theme's markup and
    # never passes the allowlist; everything else must pass it unchanged.
    import re
    editor_text = re.sub(r'<figure class="social-embed.*?</script>', "", html, flags=re.S)
    assert editor_text != html
    assert tags(sanitize.clean(editor_text)) == tags(editor_text)


def test_data_address_in_srcset_is_removed(make_site):
    html, problems = render(make_site({"index.md": page("Start", body='<img alt="" src="a.png" '
                                                                      'srcset="data:image/png;base64,AAAA 2x">'),
                                       "a.png": PNG}), "")
    assert "data:" not in html and 'src="/demo/a.png"' in html
    assert problems == ["demo/index.md:6: warning: address 'data:…' in <img srcset> removed: use an http(s), "
                        "mailto or tel address or a path"]


def test_unclosed_textarea_is_a_warning_that_says_what_went(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="Före <textarea>\n\nEfter.")}), "")
    assert "textarea" not in html and "Före" in html
    assert problems == ["demo/index.md:6: warning: <textarea> removed, with everything up to its </textarea>: the "
                        "tag is not allowed in a page"]


@pytest.mark.parametrize("address", ["/\\evil.example", "\\\\evil.example/x", "/&#92;evil.example"])
def test_an_address_with_a_backslash_is_removed(make_site, address):
    """Browsers read '\\' as '/': '/\\evil.example' would lead to another site, not a path."""
    html, problems = render(make_site({"index.md": page("Start", body=f'<a href="{address}">Klicka</a>')}), "")
    assert "evil" not in html and "Klicka" in html
    assert len(problems) == 1
    assert problems[0].startswith("demo/index.md:6: warning: address '")
    assert "in <a href> removed: it has a backslash, which browsers read as '/'" in problems[0]
