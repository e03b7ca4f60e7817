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
