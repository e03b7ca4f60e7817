import pytest

from sitegen import yamlload


def test_keys_and_items_keep_their_lines():
    data = yamlload.load("a: 1\nb:\n  c:\n    - x\n    - y\n  d: z\n", line_offset=1)
    assert data.line_of("a") == 2
    assert data["b"].line_of("d") == 7
    assert data["b"]["c"].lines == [5, 6]


def test_duplicate_key_is_an_error_at_its_line():
    with pytest.raises(yamlload.YamlError) as info:
        yamlload.load("title: A\ningress: B\ntitle: C\n")
    assert info.value.line == 3
    assert "given twice" in info.value.message


def test_syntax_error_names_the_line_with_offset():
    with pytest.raises(yamlload.YamlError) as info:
        yamlload.load("a: 1\nb: [2\n", line_offset=1)
    assert info.value.line == 3


def test_dates_load_as_dates():
    import datetime as dt
    assert yamlload.load("d: 2026-11-23\n")["d"] == dt.date(2026, 11, 23)


def test_an_impossible_date_loads_as_its_text_for_the_validator():
    data = yamlload.load("a: 2026-02-30\nb: 2026-11-20T10:00:00+99:00\nc: x\n")
    assert data == {"a": "2026-02-30", "b": "2026-11-20T10:00:00+99:00", "c": "x"}
    assert isinstance(data["a"], yamlload.InvalidDate) and isinstance(data["b"], yamlload.InvalidDate)


# --- limits against hostile or mistaken files (docs/security.md) ----------------

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def _refused(text: str, line_offset: int = 0) -> yamlload.YamlError:
    with pytest.raises(yamlload.YamlError) as info:
        yamlload.load(text, line_offset=line_offset)
    return info.value


def test_billion_laughs_is_refused_at_the_alias_that_repeats_an_alias():
    error = _refused(BILLION_LAUGHS)
    assert error.line == 3   # b: repeats *a, which is fine; c: repeats *b, which holds aliases
    assert "holds an alias" in error.message


def test_an_alias_inside_its_own_anchor_is_refused():
    error = _refused("a: &a [1, *a]\n")
    assert error.line == 1 and "repeats the value it is in" in error.message


def test_more_aliases_than_the_limit_are_refused_at_the_first_one_past_it():
    text = "base: &b {x: 1}\n" + "".join(f"k{i}: *b\n" for i in range(yamlload.MAX_ALIASES + 1))
    error = _refused(text)
    assert error.line == yamlload.MAX_ALIASES + 2
    assert f"more than {yamlload.MAX_ALIASES} aliases" in error.message


def test_aliases_within_the_limit_still_load():
    text = "base: &b {x: 1}\n" + "".join(f"k{i}:\n  <<: *b\n  y: {i}\n" for i in range(yamlload.MAX_ALIASES))
    data = yamlload.load(text)
    assert data["k3"] == {"x": 1, "y": 3}


def test_a_list_nested_500_deep_is_a_problem_at_its_line_not_a_recursion_error():
    error = _refused("title: A\nx: " + "[" * 500 + "]" * 500 + "\n", line_offset=1)
    assert error.line == 3
    assert f"nested more than {yamlload.MAX_DEPTH} levels" in error.message


def test_block_nesting_past_the_limit_names_the_line_where_it_goes_too_deep():
    text = "a:\n" + "".join("  " * i + "- \n" for i in range(60))
    assert _refused(text).line == yamlload.MAX_DEPTH + 1


def test_nesting_within_the_limit_loads():
    depth = yamlload.MAX_DEPTH - 1
    assert yamlload.load("x: " + "[" * depth + "1" + "]" * depth + "\n") is not None


@pytest.mark.parametrize("char, name", [("\x00", "NUL"), ("\x1b", "ESC"), ("\x7f", "DEL"), ("\x07", "U+0007")])
def test_a_control_character_is_a_problem_at_its_line(char, name):
    error = _refused(f"title: A\ningress: B{char}C\n", line_offset=1)
    assert error.line == 3
    assert f"control character ({name})" in error.message
