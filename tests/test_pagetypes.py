"""A site's own page types (<site>/_types/NAME.yaml): checked as the built-in ones are, each
mistake at its line; with a template and a shortcode of the site's theme, sitegen/ untouched."""
from testkit import NOW, page, run_sitegen

HUS = """title: Husbeskrivning
fields:
  byggår: {type: int, required: true, minimum: 1200}
  arkitekt: str
  kvarter: {type: str, required: true}
  skick: {type: str, choices: [gott, dåligt]}
"""
TEMPLATE = """{% extends "page.html" %}
{% block main %}<h1>{{ page.title }}</h1><dl class="hus"><dt>Byggår</dt><dd>{{ page.meta.byggår }}</dd>
<dt>Kvarter</dt><dd>{{ page.meta.kvarter }}</dd></dl>{{ page.html|safe }}{% endblock %}
"""


def build(tmp_path, pages: dict, types: dict | None = None):
    content = tmp_path / "content"
    site = content / "wadkoping"
    for rel, text in {"site.yaml": "title: Wadköping\nbase_url: https://www.example.se/wadkoping/\ntheme: wadkoping\n",
                      **{f"_types/{name}.yaml": text for name, text in (types or {"husbeskrivning": HUS}).items()},
                      **pages}.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    theme = tmp_path / "themes" / "wadkoping"
    (theme / "templates" / "shortcodes").mkdir(parents=True)
    (theme / "theme.yaml").write_text("extends: orebro\n")
    (theme / "templates" / "husbeskrivning.html").write_text(TEMPLATE, encoding="utf-8")
    (theme / "templates" / "shortcodes" / "tidslinje.html").write_text(
        '<ol class="tidslinje" data-fran="{{ args.fran }}">{{ body }}</ol>\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run_sitegen("--lang", "en", "build", "--content", str(content), "--out", str(out), "--now", NOW, "-q")
    return result, out / "wadkoping"


def test_a_site_adds_a_page_type_with_its_template_and_a_shortcode(tmp_path):
    result, site = build(tmp_path, {
        "index.md": page("Start"),
        "hus/cajsa-warg.md": page("Cajsa Wargs hus", byggår=1760, kvarter="Wadköping", arkitekt="Okänd",
                                  type="husbeskrivning",
                                  body='::: tidslinje fran="1760"\nFlyttat hit 1965.\n:::\n'),
    })
    assert result.status == 0, result.stderr
    html = (site / "hus/cajsa-warg/index.html").read_text(encoding="utf-8")
    assert '<dl class="hus"><dt>Byggår</dt><dd>1760</dd>' in html
    assert '<ol class="tidslinje" data-fran="1760"><p>Flyttat hit 1965.</p>\n</ol>' in html


def test_a_section_cascade_sets_the_type_and_its_keys(tmp_path):
    result, site = build(tmp_path, {
        "index.md": page("Start"),
        "hus/index.md": "---\ntitle: Husen\ncascade:\n  type: husbeskrivning\n  kvarter: Wadköping\n---\n",
        "hus/kupan.md": page("Kupan", byggår=1820),
    })
    assert result.status == 0, result.stderr
    assert "<dd>Wadköping</dd>" in (site / "hus/kupan/index.html").read_text(encoding="utf-8")


def test_front_matter_of_a_site_type_is_checked_at_each_line(tmp_path):
    result, _ = build(tmp_path, {
        "index.md": page("Start"),
        "hus/a.md": "---\ntitle: A\ntype: husbeskrivning\nbyggar: 1800\nkvarter: X\n---\n",
        "hus/b.md": "---\ntitle: B\ntype: husbeskrivning\nbyggår: gammalt\nkvarter: X\nskick: bra\n---\n",
        "hus/c.md": "---\ntitle: C\ntype: husbeskrivning\nbyggår: 1900\n---\n",
        "hus/d.md": "---\ntitle: D\ntype: hus\n---\n",
    })
    assert result.status == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert "content/wadkoping/hus/a.md:4: error: unknown key 'byggar' (did you mean 'byggår'?)" in errors
    assert "content/wadkoping/hus/a.md:2: error: 'byggår' is required for type 'husbeskrivning'" in errors
    assert ("content/wadkoping/hus/b.md:4: error: 'byggår' must be a whole number, not 'gammalt': write it in "
            "digits, for example byggår: 2") in errors
    assert "content/wadkoping/hus/b.md:6: error: 'skick' must be one of gott, dåligt, not 'bra'" in errors
    assert "content/wadkoping/hus/c.md:2: error: 'kvarter' is required for type 'husbeskrivning'" in errors
    assert ("content/wadkoping/hus/d.md:3: error: 'type' must be one of page, news, blog, event, "
            "husbeskrivning, not 'hus'. Choose one of them, or remove the line for an ordinary page") in errors


def test_a_type_file_with_a_kind_sitegen_does_not_know(tmp_path):
    result, _ = build(tmp_path, {"index.md": page("Start")},
                      {"hus": "fields:\n  byggår: heltal\n  kvarter: {type: text, requird: true}\n"})
    assert result.status == 1
    assert ("content/wadkoping/_types/hus.yaml:2: error: 'fields.byggår' must be one of str, int, bool, date, "
            "datelist, strlist, url, email, phone, not 'heltal'") in result.stderr
    assert "content/wadkoping/_types/hus.yaml:3: error: 'fields.kvarter.type' must be one of str," in result.stderr
    assert ("content/wadkoping/_types/hus.yaml:3: error: unknown key 'fields.kvarter.requird' "
            "(did you mean 'fields.kvarter.required'?)") in result.stderr


def test_a_field_of_a_wrong_kind_is_reported_in_the_type_file_only(tmp_path):
    # The page's key is the type's all the same: not a second error, "unknown key", on every page.
    hus = "fields:\n  byggår: heltal\n  kvarter: {type: text, required: true}\n"
    result, _ = build(tmp_path, {"index.md": page("Start"),
                                 "hus/a.md": page("Hus", type="hus", byggår=1760, kvarter="Wadköping")},
                      {"hus": hus})
    assert result.status == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "content/wadkoping/_types/hus.yaml:2: error: 'fields.byggår' must be one of str, int, bool, date, datelist, "
        "strlist, url, email, phone, not 'heltal'",
        "content/wadkoping/_types/hus.yaml:3: error: 'fields.kvarter.type' must be one of str, int, bool, date, "
        "datelist, strlist, url, email, phone, not 'text'"]


def test_a_type_field_may_not_take_a_common_key(tmp_path):
    result, _ = build(tmp_path, {"index.md": page("Start")}, {"hus": "fields:\n  date: str\n"})
    assert ("content/wadkoping/_types/hus.yaml:2: error: 'date' is a key every page has: give the field "
            "another name") in result.stderr


def test_a_type_may_not_take_a_built_in_name(tmp_path):
    result, _ = build(tmp_path, {"index.md": page("Start")}, {"news": "fields:\n  x: str\n"})
    assert "content/wadkoping/_types/news.yaml:1: error: 'news' is a built-in page type: give the file another name" in result.stderr


def test_a_type_file_without_fields(tmp_path):
    result, _ = build(tmp_path, {"index.md": page("Start")}, {"hus": "title: Hus\n"})
    assert "content/wadkoping/_types/hus.yaml:1: error: 'fields' is required: add a line 'fields: …'" in result.stderr


def test_the_pages_of_a_type_whose_file_has_an_error_are_not_reported_again(tmp_path):
    # Not "'type' must be one of page, news, ...: choose one of them", which would lead the
    # editor away from the type file, where the mistake is.
    result, _ = build(tmp_path, {"index.md": page("Start"), "hus/a.md": page("Hus", type="hus", byggår=1760)},
                      {"hus": "title: Hus\nfileds:\n  byggår: int\n"})
    assert result.status == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == ["content/wadkoping/_types/hus.yaml:1: error: 'fields' is required: add a line 'fields: …'",
                      "content/wadkoping/_types/hus.yaml:2: error: unknown key 'fileds' (did you mean 'fields'?)"]
