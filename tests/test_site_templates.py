"""A site's own templates (content/<site>/_types/NAME.html, _shortcodes/NAME.html): used like
the theme's, run in the sandbox of sitegen/site_templates.py, and every hostile or broken one is an
error at its own file and line, never a traceback and never a page."""
from __future__ import annotations

import pytest

from testkit import NOW, page, run_sitegen

TYPE = "title: Husbeskrivning\nfields:\n  byggår: {type: int, required: true}\n  arkitekt: str\n"
HUS_TEMPLATE = """{% extends "page.html" %}
{% block main %}<h1>{{ page.title }}</h1>
<dl class="hus"><dt>Byggår</dt><dd>{{ page.meta.byggår }}</dd></dl>
{% if page.meta.arkitekt %}<p class="arkitekt">{{ page.meta.arkitekt }}</p>{% endif %}
{{ page.html|safe }}{% endblock %}
"""
TIDSLINJE = '<ol class="tidslinje" title="{{ args.fran }}">{{ body }}</ol>\n'


def build(tmp_path, files: dict, command: str = "build"):
    content = tmp_path / "content"
    site = content / "wadkoping"
    pages = {"site.yaml": "title: Wadköping\nbase_url: https://www.example.se/wadkoping/\n",
             "index.md": page("Start"),
             "_types/husbeskrivning.yaml": TYPE,
             "hus/kupan.md": page("Kupan", byggår=1820, type="husbeskrivning",
                                  body='::: tidslinje fran="1820"\nFlyttat hit 1965.\n:::\n'),
             **files}
    for rel, text in pages.items():
        if text is None:
            continue
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    args = ["--lang", "en", command, "--content", str(content), "--now", NOW, "-q"]
    if command == "build":
        args += ["--out", str(out)]
    return run_sitegen(*args, cwd=tmp_path), out / "wadkoping"


def test_a_site_adds_a_page_type_and_a_shortcode_from_its_own_folder(tmp_path):
    result, site = build(tmp_path, {"_types/husbeskrivning.html": HUS_TEMPLATE,
                                    "_shortcodes/tidslinje.html": TIDSLINJE})
    assert result.status == 0, result.stderr
    html = (site / "hus/kupan/index.html").read_text(encoding="utf-8")
    assert '<dl class="hus"><dt>Byggår</dt><dd>1820</dd></dl>' in html
    assert "arkitekt" not in html   # an optional key the page leaves out: nothing, not an error
    assert '<ol class="tidslinje" title="1820"><p>Flyttat hit 1965.</p>\n</ol>' in html
    assert 'class="skip' in html or "<header" in html   # the theme's page around the site's block
    assert not (site / "_types").exists() and not (site / "_shortcodes").exists()


def test_a_site_template_escapes_what_editors_write(tmp_path):
    result, site = build(tmp_path, {
        "_shortcodes/tidslinje.html": TIDSLINJE,
        "hus/kupan.md": page("Kupan", body='::: tidslinje fran="<script>x</script>"\nText.\n:::\n')})
    assert result.status == 0, result.stderr
    html = (site / "hus/kupan/index.html").read_text(encoding="utf-8")
    assert 'title="&lt;script&gt;x&lt;/script&gt;"' in html


HOSTILE = {
    "class": ("{{ ''.__class__ }}", "'__class__' may not be read"),
    "mro": ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "'__class__' may not be read"),
    "globals": ("{{ t.__globals__ }}", "'__globals__' may not be read"),
    "context": ("{{ self._TemplateReference__context }}", "'_TemplateReference__context' may not be read"),
    "range": ("{% for i in range(10**8) %}{{ i }}{% endfor %}", "range() of more than 100000"),
    "repeat": ("{{ 'x' * 1000000000 }}", "'*' would make a value longer"),
    "power": ("{{ 2 ** 10000000 }}", "'**' would make a number too large"),
    "include": ('{% include "../../x" %}', "template '../../x' not found: a site's template may"),
    "extends": ('{% extends "/etc/passwd" %}', "template '/etc/passwd' not found: a site's template may"),
    "unknown": ("{{ okänd }}", "'okänd' is not known here"),
    "unknown-attribute": ("{{ site.titel }}", "'titel' is not known here"),
    "division": ("{{ 1 / 0 }}", "this line divides by zero: test the number first"),
    "center": ("{{ 'x'|center(10**9) }}", "a width of more than 100000 characters"),
    "ljust": ("{{ 'x'.ljust(10**9) }}", "a width of more than 100000 characters"),
    "format-method": ("{{ '{:>999999999}'.format(1) }}", "a width of more than 100000 characters"),
    "format-precision": ("{{ '{0:.999999999f}'.format(1) }}", "a width of more than 100000 characters"),
    "format-operator": ("{{ '%999999999s' % 1 }}", "a width of more than 100000 characters"),
    "format-filter": ("{{ '%999999999s'|format(1) }}", "a width of more than 100000 characters"),
    "doubling": ("{% set s = 'x' * 100000 %}{% set s = s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s %}"
                 "{% set s = s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s %}{{ s|length }}",
                 "this template makes a text longer than 5000000 characters"),
    "adding": ("{% set s = 'x' * 100000 %}{% set s = s + s + s + s + s + s + s + s + s + s %}"
               "{% set s = s + s + s + s + s + s + s + s + s + s %}{{ s|length }}",
               "this template makes a text longer than 5000000 characters"),
    "replace": ("{% set s = 'x' * 10000 %}{{ s.replace('x', s)|length }}",
                "this template makes a text longer than 5000000 characters"),
    "output": ("{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}",
               "this template makes a text longer than 5000000 characters"),
    "loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
              "the loops of this template take more than 10000000 steps"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_broken_shortcode_is_refused_at_its_line(tmp_path, name):
    line, expected = HOSTILE[name]
    result, site = build(tmp_path, {"_shortcodes/tidslinje.html": f"<ol>\n{line}\n</ol>\n"})
    assert result.status == 1
    assert "Traceback" not in result.stderr
    assert f"wadkoping/_shortcodes/tidslinje.html:2: error: " in result.stderr, result.stderr
    assert expected in result.stderr
    assert not site.exists()


def test_a_misspelt_attribute_is_answered_with_the_name_meant(tmp_path):
    result, site = build(tmp_path, {"_shortcodes/tidslinje.html": "<ol>\n{{ site.titel }}\n</ol>\n"})
    assert result.status == 1
    assert ("wadkoping/_shortcodes/tidslinje.html:2: error: 'titel' is not known here (did you "
            "mean 'title'?): what a template gets is listed in docs/architecture.md") in result.stderr
    assert not site.exists()


@pytest.mark.parametrize("name", ["class", "context", "extends", "unknown"])
def test_a_hostile_page_type_template_is_refused_at_its_line(tmp_path, name):
    line, expected = HOSTILE[name]
    template = f'{{% extends "page.html" %}}\n{{% block main %}}\n{line}\n{{% endblock %}}\n'
    if name == "extends":
        template = f"<p>Hus</p>\n{line}\n"
    result, _site = build(tmp_path, {"_types/husbeskrivning.html": template})
    assert result.status == 1
    assert "Traceback" not in result.stderr
    assert f"wadkoping/_types/husbeskrivning.html:{2 if name == 'extends' else 3}: error: " in result.stderr, \
        result.stderr
    assert expected in result.stderr


def test_a_syntax_error_in_a_site_template_is_reported_at_its_line(tmp_path):
    result, _site = build(tmp_path, {"_shortcodes/tidslinje.html": "<ol>\n{{ body }\n</ol>\n"})
    assert result.status == 1
    assert "wadkoping/_shortcodes/tidslinje.html:2: error: '}' is out of place on this line" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("line, expected", [
    ("<script>alert(1)</script>", "not allowed in a site's template: <script> removed"),
    ('<p onclick="x()">Hej</p>', "not allowed in a site's template: event attribute 'onclick'"),
    ('<a href="javascript:x()">Hej</a>', "not allowed in a site's template: address 'javascript:…'"),
    ("{{ args.fran|safe }}", "'|safe' is not allowed in a site's template"),
    ("{% autoescape false %}{{ args.fran }}{% endautoescape %}", "may not turn autoescape off"),
])
def test_a_site_template_writes_only_what_a_page_may_hold(tmp_path, line, expected):
    result, _site = build(tmp_path, {"_shortcodes/tidslinje.html": f"<div>\n{line}\n{{{{ body }}}}</div>\n"})
    assert result.status == 1
    assert "wadkoping/_shortcodes/tidslinje.html:2: error: " in result.stderr, result.stderr
    assert expected in result.stderr


def test_a_site_template_linked_from_outside_the_site_is_not_read(tmp_path):
    secret = tmp_path / "hemlig.html"
    secret.write_text("<p>hemlig</p>\n", encoding="utf-8")
    folder = tmp_path / "content/wadkoping/_shortcodes"
    folder.mkdir(parents=True)
    (folder / "tidslinje.html").symlink_to(secret)
    result, site = build(tmp_path, {})
    assert result.status == 1
    assert "wadkoping/_shortcodes/tidslinje.html:1: error: this is a link to a file outside the site folder" \
        in result.stderr, result.stderr
    assert not site.exists()


def test_a_type_template_without_its_page_type_is_a_warning(tmp_path):
    result, _site = build(tmp_path, {"_types/villa.html": "<p>{{ page.title }}</p>\n"})
    assert result.status == 0, result.stderr
    assert "wadkoping/_types/villa.html:1: warning: this template belongs to no page type" in result.stderr


def test_check_refuses_a_hostile_site_template_too(tmp_path):
    result, _site = build(tmp_path, {"_shortcodes/tidslinje.html": "<ol>\n{{ ''.__class__ }}\n</ol>\n"}, "check")
    assert result.status == 1
    assert "wadkoping/_shortcodes/tidslinje.html:2: error: " in result.stderr, result.stderr


def test_a_changed_site_shortcode_is_seen_by_the_next_build(tmp_path):
    result, site = build(tmp_path, {"_shortcodes/tidslinje.html": TIDSLINJE})
    assert result.status == 0, result.stderr
    changed = '<ul class="tidslinje">{{ body }}</ul>\n'
    (tmp_path / "content/wadkoping/_shortcodes/tidslinje.html").write_text(changed, encoding="utf-8")
    result, site = build(tmp_path, {})
    assert result.status == 0, result.stderr
    assert '<ul class="tidslinje"><p>Flyttat hit 1965.</p>\n</ul>' in (site / "hus/kupan/index.html").read_text(
        encoding="utf-8")


def test_a_site_template_that_is_not_used_does_not_change_the_theme(tmp_path):
    """A site's _types/page.html is no page type's template: the theme's page.html stays."""
    result, site = build(tmp_path, {"_types/page.html": "<p>eget</p>\n", "om.md": page("Om")})
    assert result.status == 0, result.stderr
    assert "<p>eget</p>" not in (site / "om/index.html").read_text(encoding="utf-8")


def test_the_worked_example_of_the_architecture_docs_builds_from_the_site_folder(tmp_path):
    import re
    from testkit import REPO
    text = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    example = text[text.index("### Worked example"):text.index("### A feature from another package")]
    blocks = dict(re.findall(r"```(yaml|markdown)\n(.*?)```", example, re.S))
    jinja = re.findall(r"```jinja\n(.*?)```", example, re.S)
    result, site = build(tmp_path, {"_types/arkivbeskrivning.yaml": blocks["yaml"],
                                    "_types/arkivbeskrivning.html": jinja[0],
                                    "_shortcodes/volym.html": jinja[1],
                                    "arkiv/landsting.md": blocks["markdown"].replace("---\n::: volym",
                                                                                     "ingress: x\n---\n::: volym")})
    assert result.status == 0, result.stderr
    html = (site / "arkiv/landsting/index.html").read_text(encoding="utf-8")
    assert "<dt>Arkivbildare</dt><dd>Örebro läns landsting</dd>" in html
    assert '<section class="box volym" aria-label="Volym A1">' in html


def test_a_syntax_error_in_a_page_type_template_is_reported_not_replaced_by_the_theme(tmp_path):
    """A broken _types/NAME.html is the editor's slip to mend, not a reason to show page.html instead."""
    template = ('{% extends "page.html" %}\n{% block main %}\n{% for d in page.meta.datum %}<li>{{ d }}</li>\n'
                '{% endblock %}\n')
    result, site = build(tmp_path, {"_types/husbeskrivning.html": template})
    assert result.status == 1
    assert ("wadkoping/_types/husbeskrivning.html:4: error: 'endblock' does not belong here: the 'for' opened "
            "above is still open. Close it first with {% endfor %}") in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not site.exists()


def test_check_reports_a_refused_page_type_template(tmp_path):
    template = '{% extends "page.html" %}\n{% block main %}\n{{ page.meta.arkitekt|safe }}\n{% endblock %}\n'
    result, _site = build(tmp_path, {"_types/husbeskrivning.html": template}, command="check")
    assert result.status == 1
    assert ("wadkoping/_types/husbeskrivning.html:3: error: '|safe' is not allowed in a "
            "site's template") in result.stderr, result.stderr


# A value printed where an address begins (href, src …) gets the address rule of the allowlist,
# whatever the template around it: the value may come from any editor's page or from a feed.
ADDRESS_TEMPLATES = {
    "quoted": '<a href="{{ args.fran }}">x</a>',
    "single-quoted": "<a class=\"x\" href='{{ args.fran }}'>x</a>",
    "unquoted": "<a href={{ args.fran }}>x</a>",
    "space-before": '<img alt="" src=" {{ args.fran }}">',
    "in-if": '<a href="{% if args.fran %}{{ args.fran }}{% endif %}">x</a>',
    "set-first": '{% set adress = args.fran %}<a\n  href="{{ adress }}">x</a>',
}


@pytest.mark.parametrize("name", sorted(ADDRESS_TEMPLATES))
@pytest.mark.parametrize("address", ["javascript:alert(1)", "JaVa&#115;cript:alert(1)", "data:text/html,x",
                                     "/\\\\evil.example/"])
def test_a_site_template_does_not_print_a_script_address(tmp_path, name, address):
    result, site = build(tmp_path, {
        "_shortcodes/tidslinje.html": f"<div>\n{ADDRESS_TEMPLATES[name]}\n{{{{ body }}}}</div>\n",
        "hus/kupan.md": page("Kupan", body=f"::: tidslinje fran='{address}'\nText.\n:::\n")})
    assert result.status == 1, result.stderr
    assert "Traceback" not in result.stderr
    line = 3 if name == "set-first" else 2
    assert f"wadkoping/_shortcodes/tidslinje.html:{line}: error: not allowed in a site's template: " \
        in result.stderr, result.stderr
    assert not site.exists()


def test_a_page_type_template_does_not_print_a_script_address(tmp_path):
    template = '{% extends "page.html" %}\n{% block main %}\n<a href="{{ page.meta.arkitekt }}">Arkitekt</a>\n{% endblock %}\n'
    result, site = build(tmp_path, {
        "_types/husbeskrivning.html": template,
        "hus/kupan.md": page("Kupan", byggår=1820, type="husbeskrivning", arkitekt="'javascript:alert(1)'")})
    assert result.status == 1, result.stderr
    assert "wadkoping/_types/husbeskrivning.html:3: error: not allowed in a site's template: " \
           "address 'javascript:…' in <a href> removed" in result.stderr, result.stderr
    assert not site.exists()


@pytest.mark.parametrize("address", ["https://www.orebro.se/", "mailto:a@example.se", "tel:+4619211000",
                                     "/wadkoping/hus/", "../kupan/", "#innehall", "?sida=2", ""])
def test_a_site_template_prints_an_ordinary_address(tmp_path, address):
    result, site = build(tmp_path, {
        "_shortcodes/tidslinje.html": '<a href="{{ args.fran }}">x</a><a title="{{ args.fran }}"'
                                      ' href="/sok?q={{ args.fran }}">y</a>{{ body }}\n',
        "hus/kupan.md": page("Kupan", body=f"::: tidslinje fran='{address}'\nText.\n:::\n")})
    assert result.status == 0, result.stderr
    assert f'<a href="{address}">x</a>' in (site / "hus/kupan/index.html").read_text(encoding="utf-8")


def test_numbers_and_formats_of_an_ordinary_template_still_work(tmp_path):
    line = ("{{ 1000 + 20000 }}|{{ '%05d' % 42 }}|{{ '{:>6}'.format('ab') }}|{{ '%.2f'|format(2.5) }}|"
            "{{ 'Tel 0701234567 {0}'.format(1) }}|{{ 'x'|center(5) }}|{{ [1] + [2] }}|{{ 7 % 3 }}")
    result, site = build(tmp_path, {"_shortcodes/tidslinje.html": f"<p>{line}</p>{{{{ body }}}}\n"})
    assert result.status == 0, result.stderr
    assert "<p>21000|00042|    ab|2.50|Tel 0701234567 1|  x  |[1, 2]|1</p>" in (
        site / "hus/kupan/index.html").read_text(encoding="utf-8")


def test_a_value_after_the_start_of_an_address_is_not_taken_for_a_scheme(tmp_path):
    result, site = build(tmp_path, {
        "_shortcodes/tidslinje.html": '<a href="/sok?q={{ args.fran }}">x</a>{{ body }}\n',
        "hus/kupan.md": page("Kupan", body="::: tidslinje fran='tid:10'\nText.\n:::\n")})
    assert result.status == 0, result.stderr
    assert '<a href="/sok?q=tid:10">x</a>' in (site / "hus/kupan/index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slip", ["{{ body \x1b[2J }}", "{% \x1b]0;x\x07 %}", "{{ a <b>fel</b> }}",
                                  "{% if\ncontent/wadkoping/index.md:1: error: x %}", "{% <script> %}"])
def test_a_template_slip_quotes_no_escape_sequence_markup_or_made_up_line(tmp_path, slip):
    """Jinja2's words about a slip quote the template: what reaches the terminal and the preview's
    error page is one line per problem, with no escape sequence and no HTML of the template's."""
    from sitegen import preview_answer
    result, _site = build(tmp_path, {"_shortcodes/tidslinje.html": f"<ol>\n{slip}\n</ol>\n"})
    assert result.status == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    problems = [line for line in result.stderr.splitlines() if "tidslinje.html" in line]
    assert problems and all(line.startswith("content/wadkoping/_shortcodes/tidslinje.html:") for line in problems)
    assert not any(line.startswith("content/wadkoping/index.md") for line in result.stderr.splitlines())
    page = preview_answer.overlay(problems, "/wadkoping/").decode("utf-8")
    assert "<b>" not in page and "<script>" not in page


def test_a_page_type_reading_the_date_of_a_page_without_one_gets_swedish_advice_at_its_line(tmp_path):
    template = '{% extends "page.html" %}\n{% block main %}\n<p>{{ page.date.year + 1 }}</p>\n{% endblock %}\n'
    result, _site = build(tmp_path, {"_types/husbeskrivning.html": template})
    content = tmp_path / "content"
    swedish = run_sitegen("check", "--content", str(content), "--now", NOW, cwd=tmp_path, env={"SITEGEN_LANG": ""})
    assert swedish.status == 1
    assert ("wadkoping/_types/husbeskrivning.html:3: fel: 'year' hämtas från ett värde som den här sidan inte "
            "har") in swedish.stderr, swedish.stderr
    assert "'None'" not in swedish.stderr and "fel i mallen" not in swedish.stderr


def test_a_shortcode_calling_a_value_gets_swedish_advice_at_its_line(tmp_path):
    build(tmp_path, {"_shortcodes/tidslinje.html": "<ol>\n{{ args.fran() }}\n</ol>\n"})
    swedish = run_sitegen("check", "--content", str(tmp_path / "content"), "--now", NOW, cwd=tmp_path,
                          env={"SITEGEN_LANG": ""})
    assert swedish.status == 1
    assert ("wadkoping/_shortcodes/tidslinje.html:2: fel: ett värde på den här raden har parenteser () efter "
            "sig") in swedish.stderr, swedish.stderr
    line = next(each for each in swedish.stderr.splitlines() if "tidslinje.html:2:" in each)
    assert "callable" not in line and "str" not in line


def test_a_refusal_in_a_site_template_says_fel_once(tmp_path):
    build(tmp_path, {"_shortcodes/tidslinje.html": "<div>\n<script>alert(1)</script>\n{{ body }}</div>\n"})
    swedish = run_sitegen("check", "--content", str(tmp_path / "content"), "--now", NOW, cwd=tmp_path,
                          env={"SITEGEN_LANG": ""})
    assert "wadkoping/_shortcodes/tidslinje.html:2: fel: " in swedish.stderr, swedish.stderr
    assert "fel i mallen" not in swedish.stderr


def test_a_page_type_printing_the_year_of_a_page_without_a_date_says_the_page_has_none(tmp_path):
    template = '{% extends "page.html" %}\n{% block main %}\n<p>{{ page.date.year }}</p>\n{% endblock %}\n'
    result, _site = build(tmp_path, {"_types/husbeskrivning.html": template})
    assert result.status == 1
    assert ("wadkoping/_types/husbeskrivning.html:3: error: 'year' is read from a value this page does not have "
            "(such as page.date on a page without a date): show it only when it is there, "
            "{% if page.date %}…{% endif %}") in result.stderr, result.stderr


def test_a_template_that_fails_for_every_page_of_its_type_is_counted_once(tmp_path):
    template = '{% extends "page.html" %}\n{% block main %}\n{{ 1 / 0 }}\n{% endblock %}\n'
    houses = {f"hus/hus-{n}.md": page(f"Hus {n}", byggår=1800 + n, type="husbeskrivning") for n in range(3)}
    content = tmp_path / "content"
    build(tmp_path, {"_types/husbeskrivning.html": template, **houses}, command="check")
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(tmp_path / "out"),
                         "--now", NOW, cwd=tmp_path)
    lines = [line for line in result.stderr.splitlines() if "husbeskrivning.html:3: error:" in line]
    assert result.status == 1 and len(lines) == 1, result.stderr
    assert "build failed: 1 error" in result.stderr
