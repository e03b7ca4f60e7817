"""The orebro theme and the themes that extend it: strings, structure, contrast, page weight."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml

from testkit import NOW, page, run_sitegen

REPO = Path(__file__).resolve().parent.parent
THEMES = REPO / "themes"
PIANO = "kulturskolan/kurser/musik/piano/index.html"
# The templates of the base theme itself (features bring their own templates and strings).
BASE_TEMPLATES = ["base.html", "page.html", "section.html", "start.html", "news.html", "blog.html",
                  "404.html", "accessibility.html", "redirect.html", "partials/breadcrumbs.html",
                  "partials/cards.html", "partials/feedback.html", "partials/footer.html",
                  "partials/menu.html", "partials/logo.html"]


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_string_the_base_templates_use_is_translated():
    used = set()
    for name in BASE_TEMPLATES:
        template = THEMES / "orebro" / "templates" / name
        used |= set(re.findall(r"(?<![\w.])t\('([a-z0-9_]+)'[,)]", template.read_text(encoding="utf-8")))
    assert {"feedback_question", "feedback_yes", "skip_to_content", "main_menu"} <= used
    for language in ("sv", "en"):
        strings = yaml.safe_load((THEMES / "orebro" / "i18n" / f"{language}.yaml").read_text(encoding="utf-8"))
        keys = {str(k) for k in strings}
        assert not used - keys, f"{language}.yaml lacks {sorted(used - keys)}"


def test_extending_themes_copy_no_templates():
    for name in ("kulturskolan", "stadsarkiv"):
        settings = yaml.safe_load((THEMES / name / "theme.yaml").read_text(encoding="utf-8"))
        assert settings["extends"] == "orebro"
        for template in (THEMES / name / "templates").rglob("*.html"):
            assert template.read_text(encoding="utf-8").count('{% extends "orebro/') == 1, template


def _variables(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S).group(1)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))


def _luminance(color: str) -> float:
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# Text colour, background: every pair the stylesheet puts together.
PAIRS = [("color-text", "color-bg"), ("color-text", "color-surface"), ("color-muted", "color-bg"),
         ("color-muted", "color-surface"), ("color-brand", "color-bg"), ("color-brand", "color-surface"),
         ("color-brand", "color-brand-tint"), ("color-text", "color-brand-tint"), ("color-on-brand", "color-brand"),
         ("color-on-brand", "color-brand-dark"), ("color-accent", "color-brand"),
         ("color-focus-on-dark", "color-brand-dark")]


@pytest.mark.parametrize("theme", ["orebro", "kulturskolan", "stadsarkiv"])
def test_colour_pairs_meet_wcag_aa(theme):
    colours = _variables((THEMES / "orebro" / "static" / "css" / "main.css").read_text(encoding="utf-8"))
    if theme != "orebro":
        colours.update(_variables((THEMES / theme / "static" / "css" / f"{theme}.css").read_text(encoding="utf-8")))
    for text, background in PAIRS:
        ratio = _contrast(colours[text], colours[background])
        assert ratio >= 4.5, f"{theme}: --{text} on --{background} is {ratio:.2f}:1"


def test_page_has_landmarks_skip_link_and_feedback_form(example_build):
    html = (example_build / PIANO).read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    body = html[html.index("<body"):]
    assert re.search(r"<body[^>]*>\s*<a class=\"skip-link\" href=\"#main\">Gå direkt till innehållet</a>", body)
    for landmark in ('<header class="site-header">', '<nav aria-label="Huvudmeny">', '<main id="main"',
                     '<footer class="site-footer">'):
        assert landmark in html
    assert '<summary class="menu-button">' in html and '<details class="main-menu">' in html
    form = re.search(r'<form class="feedback" method="post".*?</form>', html, re.S).group(0)
    for field in ('name="page"', 'name="useful" value="ja"', 'name="useful" value="nej"', 'name="comment"',
                  'name="website"'):
        assert field in form
    assert "Hade du nytta av innehållet?" in form and "> Ja</label>" in form and "> Nej</label>" in form


def test_child_theme_has_its_own_stylesheet_and_logo(example_build):
    html = (example_build / "kulturskolan" / "index.html").read_text(encoding="utf-8")
    assert 'href="/kulturskolan/assets/css/kulturskolan.css"' in html
    assert (example_build / "kulturskolan" / "assets" / "css" / "kulturskolan.css").is_file()
    assert '<circle cx="24"' in html  # kulturskolan's own logo block
    archive = (example_build / "stadsarkiv" / "index.html").read_text(encoding="utf-8")
    assert "stadsarkiv.css" in archive and '<rect width="48"' in archive
    plain = (example_build / "fordjupning" / "index.html").read_text(encoding="utf-8")
    assert "kulturskolan.css" not in plain and "stadsarkiv.css" not in plain


def test_accessibility_statement_has_what_the_law_asks(example_build):
    html = (example_build / "fordjupning" / "tillganglighet" / "index.html").read_text(encoding="utf-8")
    for text in ("delvis förenlig med lagen om tillgänglighet till digital offentlig service",
                 "Innehåll som inte är tillgängligt", "Några äldre PDF-dokument",
                 "Vad kan du göra om du inte kan använda delar av webbplatsen?", "mailto:webb@orebro.se",
                 "Rapportera brister", "Tillsyn", "digg.se", "Hur vi testat webbplatsen", "1 oktober 2026"):
        assert text in html, text


def test_typical_page_weighs_under_30_kb_compressed(example_build):
    page_weight = _load_script("page_weight")
    weight = page_weight.measure(example_build / PIANO, example_build)
    assert any(name.endswith("main.css") for name in weight.files)
    assert weight.compressed < page_weight.GOAL, weight.files


def test_page_weight_script_reports_the_figure(example_build, capsys):
    page_weight = _load_script("page_weight")
    assert page_weight.main([str(example_build / PIANO)]) == 0
    assert "KB gzip" in capsys.readouterr().out


def test_unknown_theme_is_an_error_at_its_line(make_site):
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: finns-inte\n")
    result = run_sitegen("check", "--content", str(content))
    assert result.status == 1
    assert "demo/site.yaml:3: error: theme 'finns-inte' not found" in result.stderr


def test_theme_extends_another_and_overrides_one_block(make_site, tmp_path):
    themes = tmp_path / "mina-teman"
    (themes / "eget/templates").mkdir(parents=True)
    (themes / "eget/static/css").mkdir(parents=True)
    (themes / "eget/theme.yaml").write_text("extends: orebro\n")
    (themes / "eget/templates/base.html").write_text(
        '{% extends "orebro/base.html" %}{% block logo %}<a class="site-name" href="{{ site.prefix }}">EGEN LOGGA</a>{% endblock %}')
    (themes / "eget/static/css/extra.css").write_text("body{}")
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: eget\n")
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--themes", str(themes), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (out / "demo/index.html").read_text(encoding="utf-8")
    assert "EGEN LOGGA" in html and '<p class="ingress">' in html
    assert (out / "demo/assets/css/extra.css").is_file() and (out / "demo/assets/css/main.css").is_file()


def test_templates_can_show_the_sites_data_files(make_site, tmp_path):
    themes = tmp_path / "mina-teman"
    (themes / "eget/templates").mkdir(parents=True)
    (themes / "eget/theme.yaml").write_text("extends: orebro\n")
    (themes / "eget/templates/base.html").write_text(
        '{% extends "orebro/base.html" %}{% block logo %}<p class="oppet">{{ site.data.oppet.tider }} '
        '{{ site.data.lista|length }} {{ site.data.lista[1].namn }}</p>{% endblock %}')
    content = make_site({"index.md": page("Start"), "data/oppet.yaml": "tider: Mån–fre 8–16\n",
                         "data/lista.csv": "namn,roll\nAnna,rektor\nBo,lärare\n"},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: eget\n")
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--themes", str(themes), "--now", NOW)
    assert result.status == 0, result.stderr
    assert '<p class="oppet">Mån–fre 8–16 2 Bo</p>' in (out / "demo/index.html").read_text(encoding="utf-8")
    (content / "demo/data/oppet.yaml").write_text("tider: Stängt i jul\n", encoding="utf-8")
    again = run_sitegen("build", "--content", str(content), "--out", str(out), "--themes", str(themes), "--now", NOW)
    assert again.status == 0, again.stderr
    assert '<p class="oppet">Stängt i jul 2 Bo</p>' in (out / "demo/index.html").read_text(encoding="utf-8")  # not stale


def test_a_theme_extending_a_theme_keeps_its_parents_stylesheets(make_site, tmp_path):
    themes = tmp_path / "mina-teman"
    for name, parent in (("gron", "orebro"), ("gron2", "gron")):
        (themes / name / "static/css").mkdir(parents=True)
        (themes / name / "theme.yaml").write_text(f"extends: {parent}\nstylesheets: [css/{name}.css]\n")
        (themes / name / "static/css" / f"{name}.css").write_text("body{}")
    content = make_site({"index.md": page("Start")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: gron2\n")
    out = tmp_path / "out"
    result = run_sitegen("build", "--content", str(content), "--out", str(out), "--themes", str(themes), "--now", NOW)
    assert result.status == 0, result.stderr
    html = (out / "demo/index.html").read_text(encoding="utf-8")
    assert html.index("css/gron.css") < html.index("css/gron2.css")   # the parent's first, then its own


def test_a_theme_that_extends_nothing_and_has_no_templates_is_one_clear_error(make_site, tmp_path):
    themes = tmp_path / "mina-teman"
    (themes / "tomt/static/css").mkdir(parents=True)
    (themes / "tomt/theme.yaml").write_text("stylesheets: [css/tomt.css]\n")
    content = make_site({"index.md": page("Start"), "om.md": page("Om")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: tomt\n")
    result = run_sitegen("check", "--content", str(content), "--themes", str(themes), "--now", NOW)
    assert result.status == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1 and errors[0].endswith(
        "tomt/theme.yaml:1: error: theme 'tomt' has no page templates: give it 'extends: orebro' in its "
        "theme.yaml (or a templates/ folder with page.html)")


def _reads(tmp_path, files: dict, name: str):
    from sitegen.theme import Theme, make_environment, template_reads
    folder = tmp_path / "tema"
    for rel, text in files.items():
        (folder / "templates" / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / "templates" / rel).write_text(text, encoding="utf-8")
    theme = Theme(name="tema", chain=[folder])
    return template_reads(make_environment(theme, "sv"), name, {})


def test_template_reads_follow_extends_include_and_import(tmp_path):
    reads = _reads(tmp_path, {
        "page.html": '{% extends "base.html" %}{% block main %}{{ page.title }}{% endblock %}',
        "base.html": '{% import "macros.html" as m %}{% include "partials/menu.html" %}{{ m.x(cards) }}',
        "macros.html": "{% macro x(items) %}{{ items|length }}{% endmacro %}",
        "partials/menu.html": "{% for item in menu %}{{ item.title }}{% endfor %}",
        "unused.html": "{{ now }}",
    }, "page.html")
    assert [name for name, _source in reads.files] == ["base.html", "macros.html", "page.html", "partials/menu.html"]
    assert {"page", "cards", "menu"} <= reads.names and "now" not in reads.names
    assert reads.own == {"title"} and "title" in reads.other


def test_template_reads_of_a_template_named_by_a_variable_are_every_templates(tmp_path):
    reads = _reads(tmp_path, {"page.html": "{% include page.partial %}", "a.html": "{{ now }}"}, "page.html")
    assert "now" in reads.names and {"page.html", "a.html"} <= {name for name, _ in reads.files}


def test_template_reads_count_a_missing_include_so_adding_it_is_seen(tmp_path):
    reads = _reads(tmp_path, {"page.html": '{% include "extra.html" ignore missing %}'}, "page.html")
    assert ("extra.html", None) in reads.files


def test_template_reads_on_page_are_its_own_unless_page_is_rebound(tmp_path):
    reads = _reads(tmp_path, {"page.html": "{{ page.html }}{{ child.html }}"}, "page.html")
    assert reads.own == {"html"} and "html" in reads.other
    reads = _reads(tmp_path, {"page.html": "{{ page.html }}", "list.html": "x"}, "page.html")
    assert "html" not in reads.other
    reads = _reads(tmp_path, {"page.html": "{% for page in items %}{{ page.html }}{% endfor %}"}, "page.html")
    assert "html" in reads.other   # the loop's page is another page


def _theme_page_template(make_site, tmp_path, line: str, lang: str = ""):
    """Check a site whose theme's page.html holds ``line`` at line 3, in Swedish unless ``lang``."""
    themes = tmp_path / "mina-teman"
    (themes / "eget/templates").mkdir(parents=True)
    (themes / "eget/theme.yaml").write_text("extends: orebro\n")
    (themes / "eget/templates/page.html").write_text(
        '{% extends "orebro/page.html" %}\n{% block main %}\n' + line + "\n{{ super() }}{% endblock %}\n")
    content = make_site({"index.md": page("Start"), "om.md": page("Om oss")},
                        site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\ntheme: eget\n")
    return run_sitegen("check", "--content", str(content), "--themes", str(themes), "--now", NOW,
                       env={"SITEGEN_LANG": lang})


def test_a_theme_templates_mistake_as_it_is_shown_is_an_error_at_its_line_in_swedish(make_site, tmp_path):
    result = _theme_page_template(make_site, tmp_path, "{{ page.title + 1 }}")
    assert result.status == 1
    assert "eget/templates/page.html:3: fel: en text och ett tal" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "TypeError" not in result.stderr


def test_a_division_by_zero_in_a_theme_template_is_no_traceback(make_site, tmp_path):
    result = _theme_page_template(make_site, tmp_path, "{{ 1 / 0 }}")
    assert result.status == 1
    assert "eget/templates/page.html:3: fel: raden delar med noll. Kontrollera talet först" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_value_the_page_lacks_in_a_theme_template_is_at_its_line_not_themes(make_site, tmp_path):
    result = _theme_page_template(make_site, tmp_path, "{{ page.date.year + 1 }}")
    assert result.status == 1
    assert ("eget/templates/page.html:3: fel: 'year' hämtas från ett värde som den här sidan inte har "
            "(som page.date på en sida utan datum)") in result.stderr, result.stderr
    assert "\nthemes: " not in "\n" + result.stderr


def test_a_template_message_says_fel_once(make_site, tmp_path):
    result = _theme_page_template(make_site, tmp_path, "{{ page.title() }}")
    assert "page.html:3: fel: ett värde på den här raden har parenteser ()" in result.stderr, result.stderr
    assert "fel i mallen" not in result.stderr


def test_in_english_a_theme_templates_mistake_keeps_pythons_words_after_the_advice(make_site, tmp_path):
    result = _theme_page_template(make_site, tmp_path, "{{ page.title|date }}", lang="en")
    assert result.status == 1
    assert ("page.html:3: error: this line of the template cannot be shown (AssertionError): check the values, "
            "filters and brackets on it") in result.stderr, result.stderr


def test_a_missing_include_in_a_theme_template_is_at_its_line(make_site, tmp_path):
    result = _theme_page_template(make_site, tmp_path, '{% include "finns-inte.html" %}')
    assert result.status == 1
    assert "eget/templates/page.html:3: fel: mallen 'finns-inte.html' finns inte i temat" in result.stderr, result.stderr
