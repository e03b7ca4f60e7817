import datetime as dt

from sitegen import yamlload
from sitegen.problems import Problems
from sitegen.schema import COMMON_FIELDS, SITE_SCHEMA, validate


def check(text, schema=COMMON_FIELDS):
    problems = Problems()
    values = validate(yamlload.load(text), schema, "x.md", problems)
    return values, [p.format() for p in problems.items]


def test_valid_front_matter_passes():
    values, problems = check("title: A\nweight: 2\ntags: [a, b]\ndraft: false\n")
    assert problems == []
    assert values == {"title": "A", "weight": 2, "tags": ["a", "b"], "draft": False}


def test_unknown_key_suggests_the_right_one():
    _, problems = check("title: A\ningres: B\n")
    assert problems == ["x.md:2: error: unknown key 'ingres' (did you mean 'ingress'?)"]


def test_wrong_type_names_key_and_value():
    _, problems = check("title: A\nweight: tung\n")
    assert problems == ["x.md:2: error: 'weight' must be a whole number, not 'tung'"]


def test_missing_required_key():
    _, problems = check("ingress: B\n")
    assert problems == ["x.md:1: error: 'title' is required"]


def test_naive_times_are_stockholm_time():
    values, _ = check("title: A\npublish: 2026-07-01T10:00:00\n")
    assert values["publish"].utcoffset() == dt.timedelta(hours=2)


def test_nested_site_keys_are_checked_at_their_line():
    _, problems = check("title: A\nbase_url: https://x.se/\nfeedback:\n  endpont: x\n", SITE_SCHEMA)
    assert problems == ["x.md:4: error: unknown key 'feedback.endpont' (did you mean 'feedback.endpoint'?)"]


def test_choice_outside_the_list():
    _, problems = check("title: A\nbase_url: https://x.se/\nlanguage: fi\n", SITE_SCHEMA | {"title": COMMON_FIELDS["title"]})
    assert problems == ["x.md:3: error: 'language' must be one of sv, en, not 'fi'"]
