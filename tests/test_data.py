"""Data files under content/<site>/data/: a broken CSV is an error at its file and line."""
from pathlib import Path

from sitegen.data import load_csv
from sitegen.problems import Problems
from testkit import NOW, page, run_sitegen


def check(make_site, tmp_path, csv_text: str, name: str = "data/priser.csv"):
    make_site({"index.md": page("Start"), name: csv_text})
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path)


def build(make_site, tmp_path, csv_text: str, name: str = "data/priser.csv"):
    make_site({"index.md": page("Start"), name: csv_text})
    return run_sitegen("build", "--content", "content", "--out", "out", "--now", NOW, "-q", cwd=tmp_path)


def test_a_well_formed_csv_passes_check(make_site, tmp_path):
    result = check(make_site, tmp_path, 'kurs,pris\nPiano,"1 200 kr"\n\n"Sång, kör","900\nkr"\n')
    assert result.status == 0, result.stderr


def test_csv_rows_know_their_lines_across_blank_lines_and_quoted_line_breaks():
    problems = Problems()
    rows = load_csv(Path("x.csv"), 'kurs,pris\nPiano,1\n\n"Sång,\nkör",2\nFiol,3\n', problems)
    assert rows == [{"kurs": "Piano", "pris": "1"}, {"kurs": "Sång,\nkör", "pris": "2"},
                    {"kurs": "Fiol", "pris": "3"}]
    assert [rows.line_of(i) for i in range(3)] == [2, 4, 6]
    assert not problems.items


def test_a_csv_quote_never_closed_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, 'kurs,pris\nPiano,1\n"Sång,2\nFiol,3\n')
    assert result.status == 1
    assert ('content/demo/data/priser.csv:3: error: invalid CSV: a quote (") is opened and never closed'
            in result.stderr)
    assert "Traceback" not in result.stderr


def test_a_csv_row_with_more_fields_than_the_header_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, "kurs,pris\nPiano,1\nSång, kör,2\n")
    assert result.status == 1
    assert ("content/demo/data/priser.csv:3: error: this row has 3 field(s) but the header has 2: "
            'quote a cell that holds a comma ("a, b")') in result.stderr


def test_a_csv_row_with_fewer_fields_than_the_header_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, "kurs,pris,plats\nPiano,1,Aulan\nFiol\n")
    assert result.status == 1
    assert "content/demo/data/priser.csv:3: error: this row has 1 field(s) but the header has 3" in result.stderr


def test_every_ragged_csv_row_is_reported_in_one_run(make_site, tmp_path):
    result = check(make_site, tmp_path, "kurs,pris\nPiano,1,x\nFiol\nSång,2\nHarpa,3,y\n")
    assert result.status == 1
    for line in (2, 3, 5):
        assert f"content/demo/data/priser.csv:{line}: error: this row has" in result.stderr
    assert "priser.csv:4:" not in result.stderr


def test_a_csv_quoted_cell_with_text_after_its_quote_is_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, 'kurs,pris\nPiano,1\n"Sång" och kör,2\n')
    assert result.status == 1
    assert "content/demo/data/priser.csv:3: error: invalid CSV: a quoted cell must end" in result.stderr


def test_a_broken_csv_fails_build_the_same_way(make_site, tmp_path):
    result = build(make_site, tmp_path, "kurs,pris\nPiano,1,x\n")
    assert result.status == 1
    assert "content/demo/data/priser.csv:2: error: this row has 3 field(s)" in result.stderr


def test_a_csv_header_with_a_column_twice_is_an_error(make_site, tmp_path):
    result = check(make_site, tmp_path, "kurs,kurs\nPiano,Fiol\n")
    assert result.status == 1
    assert "content/demo/data/priser.csv:1: error: column 'kurs' is given twice in the header" in result.stderr


def test_a_csv_with_a_byte_order_mark_reads_its_first_column():
    rows = load_csv(Path("x.csv"), "\ufeffkurs,pris\nPiano,1\n", Problems())
    assert rows == [{"kurs": "Piano", "pris": "1"}]


def test_people_csv_errors_point_at_the_right_line_after_a_multiline_cell(make_site, tmp_path):
    people = 'name,title,email\n"Anna Berg","Lärare,\npiano",anna@orebro.se\nBo Ek,Rektor,inte-en-adress\n'
    result = check(make_site, tmp_path, people, name="data/people.csv")
    assert result.status == 1
    assert "content/demo/data/people.csv:4: error: person 2: 'inte-en-adress' is not an e-mail address" \
        in result.stderr


def test_a_json_file_with_a_byte_order_mark_is_read(tmp_path):
    from sitegen.data import load_data
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "priser.json").write_bytes(b'\xef\xbb\xbf{"piano": 1200}')
    problems = Problems()
    assert load_data(tmp_path, problems) == {"priser": {"piano": 1200}}
    assert not problems.items


def test_data_social_is_left_to_the_social_feature(tmp_path):
    """Feeds in data/social/ are read (and a broken one warned about) by social.py, not loaded as data."""
    from sitegen.data import load_data
    (tmp_path / "data" / "social").mkdir(parents=True)
    (tmp_path / "data" / "social" / "instagram.json").write_text('{"items": [', encoding="utf-8")
    (tmp_path / "data" / "social.json").write_text('{"ok": true}', encoding="utf-8")
    problems = Problems()
    assert load_data(tmp_path, problems) == {"social": {"ok": True}}
    assert not problems.items


def test_a_broken_json_data_file_is_still_an_error_at_its_line(make_site, tmp_path):
    result = check(make_site, tmp_path, '{\n "a": 1,\n}\n', name="data/priser.json")
    assert result.status == 1
    assert "content/demo/data/priser.json:3: error: invalid JSON" in result.stderr


# --- hostile YAML and JSON in data files: a problem at its line, in well under a second -----

LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def _check_data(make_site, tmp_path, name: str, text: str):
    make_site({"index.md": page("Start"), name: text})
    return run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path)


def test_a_billion_laughs_people_file_is_an_error_at_its_line(make_site, tmp_path):
    result = _check_data(make_site, tmp_path, "data/people.yaml", LAUGHS)
    assert "content/demo/data/people.yaml:3: error: the alias *b repeats a value that holds an alias" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_billion_laughs_meal_file_is_an_error_at_its_line(make_site, tmp_path):
    result = _check_data(make_site, tmp_path, "data/meals/skolan.yaml", "name: Skolan\n" + LAUGHS)
    assert "content/demo/data/meals/skolan.yaml:4: error: the alias *b repeats" in result.stderr


def test_a_json_data_file_nested_too_deep_is_an_error_not_a_recursion_error(make_site, tmp_path):
    result = _check_data(make_site, tmp_path, "data/lista.json", "[" * 100000 + "]" * 100000)
    assert "content/demo/data/lista.json:1: error: nested more than 40 levels deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_nul_in_site_yaml_is_an_error_at_its_line(make_site, tmp_path):
    make_site({"index.md": page("Start")}, site_yaml="title: Demo\nbase_url: https://www.example.se/demo/\n"
                                                     "organization: Exempel\x00kommun\n")
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert "content/demo/site.yaml:3: error: an invisible control character (NUL)" in result.stderr
    assert "Traceback" not in result.stderr


def test_front_matter_nested_500_deep_is_an_error_at_its_line(make_site, tmp_path):
    make_site({"index.md": page("Start", tags="[" * 500 + "]" * 500)})
    result = run_sitegen("check", "--content", "content", "--now", NOW, cwd=tmp_path)
    assert "content/demo/index.md:3: error: nested more than 40 levels deep" in result.stderr
    assert "Traceback" not in result.stderr
