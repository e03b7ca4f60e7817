"""Shortcodes: boxes and blocks as theme templates, one syntax, arguments escaped, the body
rendered as Markdown, a child theme adding or replacing one, and the picture partial."""
from testkit import NOW, page, run_sitegen

from sitegen.shortcodes import parse_arguments
from test_markdown import render


def test_named_arguments_or_one_free_text():
    assert parse_arguments('src="https://a.se/x?y=1" title=\'Ett namn\' size=3') == (
        "", {"src": "https://a.se/x?y=1", "title": "Ett namn", "size": "3"})
    assert parse_arguments("Bra att veta") == ("Bra att veta", {})
    assert parse_arguments('Fakta "om" oss') == ('Fakta "om" oss', {})
    assert parse_arguments("") == ("", {})


def test_a_box_keeps_its_markup_and_renders_its_body_as_markdown(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="::: faktaruta Bra att veta\nText med **fet**.\n:::\n")}), "")
    assert problems == []
    assert html == ('<aside class="box faktaruta">\n<p class="faktaruta-title"><strong>Bra att veta</strong></p>'
                    "<p>Text med <strong>fet</strong>.</p>\n</aside>\n")


def test_a_box_heading_is_escaped(make_site):
    html, _ = render(make_site({"index.md": page("Start", body="::: info <script>alert(1)</script>\nText\n:::\n")}), "")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_dragspel_is_details_and_summary(make_site):
    html, problems = render(make_site({"index.md": page("Start", body="::: dragspel Öppettider i jul\n- 24 dec: stängt\n:::\n")}), "")
    assert problems == []
    assert '<details class="box dragspel">\n<summary>Öppettider i jul</summary>\n<ul>' in html
    assert html.rstrip().endswith("</ul>\n</details>")


def test_nested_shortcodes_render_inside_out(make_site):
    html, problems = render(make_site({"index.md": page(
        "Start", body=":::: dragspel Mer\n::: info Inre\nText\n:::\n::::\n")}), "")
    assert problems == []
    assert html.index("<details") < html.index('<aside class="box info">') < html.index("</aside>") < html.index("</details>")


def test_a_video_loads_nothing_before_the_click(make_site):
    html, problems = render(make_site({"index.md": page("Start", body=(
        '::: video src="https://www.youtube.com/watch?v=dQw4w9WgXcQ" title="Kören & orkestern"\n'
        "Från vårkonserten.\n:::\n"))}), "")
    assert problems == []
    assert 'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'data-frame-title="Kören &amp; orkestern"' in html
    assert "<iframe" not in html and ' src="https://' not in html   # only the click (embed.js) loads it
    assert '<p class="embed-action" hidden><button type="button" class="primary embed-load">' in html
    assert '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">' in html
    assert "<p>Från vårkonserten.</p>" in html


def test_a_video_attribute_cannot_break_out(make_site):
    html, _ = render(make_site({"index.md": page("Start", body=(
        "::: video src=\"https://vimeo.com/123\" title='\"><script>x()</script>'\n:::\n"))}), "")
    assert "<script>x()" not in html
    assert 'data-frame-title="&#34;&gt;&lt;script&gt;x()&lt;/script&gt;"' in html


def test_a_video_without_title_is_an_error_at_its_line(make_site):
    _, problems = render(make_site({"index.md": page("Start", body='Text.\n\n::: video src="https://youtu.be/abc"\n:::\n')}), "")
    assert problems == ['demo/index.md:8: error: the video has no title: write what the film shows as title="…", '
                        'e.g. ::: video src="https://youtu.be/abc" title="Rundtur i forskarsalen"']


def test_a_video_with_its_address_as_text_says_to_write_src(make_site):
    _, problems = render(make_site({"index.md": page("Start", body="::: video https://vimeo.com/123 Rundtur\n:::\n")}), "")
    assert problems == ['demo/index.md:6: error: the video has no address: write it as src="…", e.g. ::: video '
                        'src="https://vimeo.com/123" title="…"']


def test_a_video_from_elsewhere_is_an_error_at_its_line(make_site):
    _, problems = render(make_site({"index.md": page("Start", body='::: video src="https://evil.example/v.mp4" title="X"\n:::\n')}), "")
    assert problems == ["demo/index.md:6: error: cannot show the video 'https://evil.example/v.mp4': give the "
                        "https address of a film on YouTube or Vimeo"]


def _build_with_theme(tmp_path, templates: dict, body: str):
    content = tmp_path / "content"
    (content / "demo").mkdir(parents=True, exist_ok=True)
    (content / "demo/site.yaml").write_text("title: Demo\nbase_url: https://www.example.se/demo/\ntheme: egen\n")
    (content / "demo/index.md").write_text(page("Start", body=body), encoding="utf-8")
    theme = tmp_path / "themes" / "egen"
    (theme / "templates").mkdir(parents=True)
    (theme / "theme.yaml").write_text("extends: orebro\n")
    for name, text in templates.items():
        (theme / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (theme / "templates" / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    return result, out / "demo"


def test_a_child_theme_adds_a_shortcode_and_replaces_a_box(tmp_path):
    result, site = _build_with_theme(tmp_path, {
        "shortcodes/citat.html": '<blockquote class="citat" cite="{{ args.kalla }}">{{ body }}<p>{{ args.vem }}</p></blockquote>\n',
        "shortcodes/info.html": '<div class="egen-info">{{ text }}{{ body }}</div>\n',
    }, '::: citat vem="Anna <A>" kalla="https://a.se/"\nKultur är *bra*.\n:::\n\n::: info Obs\nText\n:::\n')
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<blockquote class="citat" cite="https://a.se/"><p>Kultur är <em>bra</em>.</p>\n<p>Anna &lt;A&gt;</p></blockquote>' in html
    assert '<div class="egen-info">Obs<p>Text</p>\n</div>' in html


def test_an_unknown_shortcode_names_the_ones_of_the_theme(tmp_path):
    result, _ = _build_with_theme(tmp_path, {"shortcodes/citat.html": "{{ body }}"}, "::: citta\nText\n:::\n")
    assert "index.md:6: warning: unknown box 'citta' (did you mean 'citat'?): the boxes are citat, dragspel" in result.stderr


def test_a_broken_shortcode_template_is_an_error_at_its_line(tmp_path):
    result, _ = _build_with_theme(tmp_path, {"shortcodes/citat.html": "{% if %}"}, "::: citat\nText\n:::\n")
    assert result.status == 1
    assert "citat.html:1: error: this line of the template cannot be read" in result.stderr


def test_a_theme_replaces_the_picture_markup(tmp_path):
    content_image = tmp_path / "content/demo/bild.png"
    content_image.parent.mkdir(parents=True)
    from PIL import Image
    Image.new("RGB", (800, 400), "red").save(content_image)
    result, site = _build_with_theme(tmp_path, {
        "partials/picture.html": '<img class="egen" src="{{ image.src }}" alt="{{ image.alt }}" width="{{ image.width }}">',
    }, "![En röd yta](bild.png)\n")
    assert result.status == 0, result.stderr
    html = (site / "index.html").read_text(encoding="utf-8")
    assert '<img class="egen" src="/demo/assets/img/' in html and 'alt="En röd yta" width="800">' in html


def test_editor_html_inside_a_shortcode_is_cleaned_and_the_template_markup_is_kept(make_site):
    html, problems = render(make_site({"index.md": page("Start", body=(
        '::: video src="https://vimeo.com/123" title="Film"\n<p onclick="x()">Från konserten.</p>\n:::\n'))}), "")
    assert "onclick" not in html and "Från konserten." in html
    assert 'data-player="https://player.vimeo.com/video/123?dnt=1"' in html
    assert '<script src="/demo/assets/js/embed.js" defer></script>' in html   # the theme's own script stays
    assert any("onclick" in p for p in problems)


def test_a_changed_shortcode_template_renders_the_bodies_again(tmp_path):
    result, site = _build_with_theme(tmp_path, {"shortcodes/info.html": "<div class=\"a\">{{ body }}</div>\n"},
                                     "::: info\nText\n:::\n")
    assert result.status == 0 and '<div class="a">' in (site / "index.html").read_text(encoding="utf-8")
    (tmp_path / "themes/egen/templates/shortcodes/info.html").write_text("<div class=\"b\">{{ body }}</div>\n")
    again = run_sitegen("build", "--content", str(tmp_path / "content"), "--out", str(tmp_path / "out"),
                        "--now", NOW, "-q")   # with the build cache of the first build
    assert again.status == 0, again.stderr
    assert '<div class="b">' in (site / "index.html").read_text(encoding="utf-8")


def test_a_setting_a_box_never_reads_is_a_warning_that_names_the_heading(make_site):
    html, problems = render(make_site({"index.md": page("Start", body='::: info titel="Obs"\nText.\n:::\n')}), "")
    assert problems == ["demo/index.md:6: warning: the box 'info' has no settings such as titel=\"…\", and it is "
                        "left out: write its heading right after the name, e.g. ::: info Obs"]
    assert '<aside class="box info">' in html


def test_a_misspelt_setting_of_a_theme_box_names_the_setting_it_reads(tmp_path):
    result, _ = _build_with_theme(tmp_path, {"shortcodes/citat.html": '<blockquote cite="{{ args.kalla }}">'
                                                                      '{{ body }}{{ args["vem"] }}</blockquote>\n'},
                                  '::: citat vem="Anna" kala="https://a.se/"\nText\n:::\n')
    assert result.status == 0, result.stderr
    assert ("index.md:6: warning: the box 'citat' has no setting 'kala' (did you mean 'kalla'?), and it is left "
            "out: its settings are kalla, vem") in result.stderr, result.stderr


def test_a_box_that_reads_its_settings_whole_gets_no_warning(tmp_path):
    result, _ = _build_with_theme(tmp_path, {"shortcodes/citat.html": "<dl>{% for key, value in args.items() %}"
                                                                      "<dt>{{ key }}</dt><dd>{{ value }}</dd>"
                                                                      "{% endfor %}</dl>{{ body }}\n"},
                                  '::: citat vem="Anna" var="Örebro"\nText\n:::\n')
    assert result.status == 0, result.stderr
    assert "warning: the box" not in result.stderr
