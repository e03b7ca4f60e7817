"""`sitegen check` on a folder of broken files names every problem with file and line.

One check run over tests/broken/; each expected problem is its own test case.
"""
import pytest

from testkit import REPO, run_sitegen

BROKEN = "tests/broken/trasig"

EXPECTED = [
    ("site.yaml", 3, "unknown key 'langauge' (did you mean 'language'?)"),
    ("site.yaml", 4, "'menu_depth' must be a whole number, not 'två'"),
    ("index.md", 6, "link to missing page 'finns-inte.md'"),
    ("utan-front-matter.md", 1, "front matter missing"),
    ("okand-nyckel.md", 4, "unknown key 'weigth' (did you mean 'weight'?)"),
    ("fel-typ.md", 4, "'weight' must be a whole number, not 'tre'"),
    ("fel-typ.md", 5, "'draft' must be true or false, not 'kanske'"),
    ("fel-typ.md", 6, "'tags' must be a list of texts, not a mapping"),
    ("utan-titel.md", 2, "'title' is required"),
    ("trasig-yaml.md", 3, "the list that starts with [ is never closed"),
    ("2026-11-01-fel-datum.md", 5, "'date' 2026-11-02 differs from the date 2026-11-01 in the file name"),
    ("nyhet-utan-datum.md", 2, "'date' is required for type 'news'"),
    ("okand-typ.md", 4, "'type' must be one of page, news, blog, event, not 'artikel'"),
    ("bild.md", 4, "image 'saknas.jpg' not found"),
    ("bild.md", 4, "'image_alt' missing"),
    ("bild.md", 7, "image without alt text"),
    ("bild.md", 9, "image 'finns-inte.png' not found"),
    ("sektion/index.md", 5, "'expires' must come after 'publish'"),
    ("sektion/dubblett.md", 1, "same URL '/trasig/sektion/dubblett/' as sektion/Dubblett.md"),
    ("utan-ingress.md", 2, "'ingress' missing"),
    ("rubriker.md", 6, "level-1 heading 'En rubrik på nivå 1' in the text: the page title is the page's only "
                       "level-1 heading; change it to '## En rubrik på nivå 1'"),
    ("rubriker.md", 8, "<img> without alt text"),
    ("rubriker.md", 12, "link to missing page 'Vår historia.md'"),
    ("rubriker.md", 12, "link to missing page 'kalender.md'"),   # a site without events has no calendar
]

WARNINGS = [
    ("rubriker.md", 10, "<script> removed, with everything up to its </script>"),
]


# The same mistakes as Swedish editors see them (the default language).
EXPECTED_SV = [
    ("site.yaml", 3, "okänd inställning 'langauge' (menade du 'language'?)"),
    ("site.yaml", 4, "'menu_depth' måste vara ett heltal, inte 'två'"),
    ("index.md", 6, "länken går till en sida som inte finns: 'finns-inte.md' leder till "
                    "tests/broken/trasig/finns-inte.md, och den filen finns inte. Kontrollera adressen, "
                    "eller ta bort länken"),
    ("utan-front-matter.md", 1, "sidans inställningar saknas. Börja filen med en rad '---'"),
    ("okand-nyckel.md", 4, "okänd inställning 'weigth' (menade du 'weight'?)"),
    ("fel-typ.md", 4, "'weight' måste vara ett heltal, inte 'tre'"),
    ("fel-typ.md", 5, "'draft' måste vara true eller false, inte 'kanske'"),
    ("fel-typ.md", 6, "'tags' måste vara en lista med texter, inte inställningar med värden"),
    ("utan-titel.md", 2, "rubriken saknas. Skriv en rubrik: title: …"),
    ("trasig-yaml.md", 3, "listan som börjar med [ avslutas aldrig"),
    ("2026-11-01-fel-datum.md", 5, "'date' 2026-11-02 är inte samma som datumet 2026-11-01 i filnamnet"),
    ("nyhet-utan-datum.md", 2, "'date' behövs för sidtypen 'news'. Lägg till en rad 'date: …'"),
    ("okand-typ.md", 4, "'type' måste vara en av page, news, blog, event, inte 'artikel'"),
    ("bild.md", 4, "bilden 'saknas.jpg' finns inte (den skulle ligga i tests/broken/trasig/saknas.jpg). "
                 "Kontrollera filnamnet och mappen"),
    ("bild.md", 4, "'image_alt' saknas. Skriv en alternativtext"),
    ("bild.md", 7, "bilden saknar alternativtext"),
    ("bild.md", 9, "bilden 'finns-inte.png' finns inte"),
    ("sektion/index.md", 5, "'expires' måste vara efter 'publish'"),
    ("sektion/dubblett.md", 1, "samma adress '/trasig/sektion/dubblett/' som sektion/Dubblett.md. "
                               "Byt namn på en av filerna"),
    ("utan-ingress.md", 2, "ingressen saknas. Skriv en kort ingress: ingress: …"),
    ("rubriker.md", 6, "rubriken 'En rubrik på nivå 1' i texten är på nivå 1, men det är bara sidans rubrik som "
                       "får vara det. Gör den till en mellanrubrik: '## En rubrik på nivå 1'"),
    ("rubriker.md", 8, "<img> saknar alternativtext"),
    ("rubriker.md", 12, "länken går till en sida som inte finns: 'Vår historia.md'"),
    ("rubriker.md", 12, "länken går till en sida som inte finns: 'kalender.md'"),
]


@pytest.fixture(scope="module")
def check_run():
    return run_sitegen("check", "--content", "tests/broken", "--now", "2026-11-23T12:00")


@pytest.fixture(scope="module")
def check_run_sv():
    return run_sitegen("check", "--content", "tests/broken", "--now", "2026-11-23T12:00",
                       env={"SITEGEN_LANG": "sv"})


def test_check_fails_with_status_1(check_run):
    assert check_run.status == 1


def test_check_prints_no_traceback(check_run):
    assert "Traceback" not in check_run.stderr


def test_check_reports_every_problem_once(check_run):
    lines = [line for line in check_run.stderr.splitlines() if ": error: " in line]
    assert len(lines) == len(EXPECTED), "\n".join(lines)


@pytest.mark.parametrize("file,line,message", EXPECTED, ids=[f"{f}:{n}" for f, n, _ in EXPECTED])
def test_problem_is_named_with_file_and_line(check_run, file, line, message):
    prefix = f"{BROKEN}/{file}:{line}: error: "
    matching = [l for l in check_run.stderr.splitlines() if l.startswith(prefix) and message in l]
    assert matching, f"no '{prefix}{message}' in:\n{check_run.stderr}"


@pytest.mark.parametrize("file,line,message", WARNINGS, ids=[f"{f}:{n}" for f, n, _ in WARNINGS])
def test_warning_is_named_with_file_and_line(check_run, file, line, message):
    prefix = f"{BROKEN}/{file}:{line}: warning: "
    matching = [l for l in check_run.stderr.splitlines() if l.startswith(prefix) and message in l]
    assert matching, f"no '{prefix}{message}' in:\n{check_run.stderr}"


@pytest.mark.parametrize("file,line,message", EXPECTED_SV, ids=[f"{f}:{n}" for f, n, _ in EXPECTED_SV])
def test_problem_is_named_in_swedish(check_run_sv, file, line, message):
    prefix = f"{BROKEN}/{file}:{line}: fel: "
    matching = [l for l in check_run_sv.stderr.splitlines() if l.startswith(prefix) and message in l]
    assert matching, f"no '{prefix}{message}' in:\n{check_run_sv.stderr}"


def test_swedish_check_reports_the_same_problems_with_the_same_status(check_run, check_run_sv):
    assert check_run_sv.status == check_run.status == 1
    assert len([l for l in check_run_sv.stderr.splitlines() if ": fel: " in l]) == len(EXPECTED_SV)
    assert check_run_sv.stderr.rstrip().endswith("kontrollen hittade 24 fel och 2 varningar")


def test_check_writes_nothing(tmp_path):
    run_sitegen("check", "--content", "tests/broken", "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_build_of_broken_site_writes_nothing(tmp_path):
    result = run_sitegen("build", "--content", str(REPO / "tests/broken"), "--out", str(tmp_path / "out"))
    assert result.status == 1
    assert "nothing was written" in result.stderr
    assert not (tmp_path / "out" / "trasig").exists()


def test_build_of_broken_site_says_in_swedish_that_nothing_was_written(tmp_path):
    result = run_sitegen("build", "--content", str(REPO / "tests/broken"), "--out", str(tmp_path / "out"),
                         env={"SITEGEN_LANG": "sv"})
    assert result.status == 1
    assert "bygget misslyckades: 23 fel, 3 varningar; inget skrevs" in result.stderr


def test_missing_ingress_is_only_a_warning_when_building(make_site, tmp_path):
    content = make_site({"index.md": "---\ntitle: Start\n---\nText.\n"})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.status == 0, result.stderr
    assert "index.md:2: warning: 'ingress' missing" in result.stderr
    assert (tmp_path / "out" / "demo" / "index.html").is_file()


def test_a_warning_reads_varning_in_swedish(make_site, tmp_path):
    content = make_site({"index.md": "---\ntitle: Start\n---\nText.\n"})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"),
                         env={"SITEGEN_LANG": "sv"})
    assert result.status == 0, result.stderr
    assert "index.md:2: varning: ingressen saknas. Skriv en kort ingress: ingress: …" in result.stderr
    assert "2 varningar" in result.stderr


def test_a_file_that_is_not_utf8_is_reported_at_the_line_of_the_bad_byte(make_site):
    content = make_site({"index.md": "---\ntitle: Start\ningress: x\n---\n\nRad ett.\nR\xe4d tv\xe5.\n"})
    path = content / "demo" / "index.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    result = run_sitegen("check", "--content", str(content))
    assert result.status == 1
    assert "demo/index.md:7: error: the file is not UTF-8 text (byte 0xe4 on this line): save it as UTF-8" \
        in result.stderr


@pytest.mark.parametrize("env,summary", [
    ({"SITEGEN_LANG": "sv"}, "kontrollen hittade 1 fel och 1 varning"),
    ({"SITEGEN_LANG": "en"}, "check failed: 1 error, 1 warning"),
])
def test_the_summary_says_one_warning_in_the_singular(make_site, env, summary):
    # the one warning: the contact page has nothing to show
    content = make_site({"index.md": "---\ntitle: Start\ningress: Välkommen.\n---\nText.\n",
                         "om.md": "---\ntitle: Om\ningress: Om oss.\nweight: tre\n---\nText.\n"})
    result = run_sitegen("check", "--content", str(content), env=env)
    assert result.stderr.rstrip().endswith(summary), result.stderr


@pytest.mark.parametrize("env,summary", [
    ({"SITEGEN_LANG": "sv"}, "\n1 varning\n"),
    ({"SITEGEN_LANG": "en"}, "\n1 warning\n"),
])
def test_a_build_with_one_warning_says_so_in_the_singular(make_site, tmp_path, env, summary):
    content = make_site({"index.md": "---\ntitle: Start\ningress: Välkommen.\n---\nText.\n"})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), env=env)
    assert result.status == 0, result.stderr
    assert summary in "\n" + result.stderr, result.stderr


@pytest.mark.parametrize("env,summary", [
    ({"SITEGEN_LANG": "sv"}, "2 varningar"),
    ({"SITEGEN_LANG": "en"}, "2 warnings"),
])
def test_a_build_with_two_warnings_says_so_in_the_plural(make_site, tmp_path, env, summary):
    content = make_site({"index.md": "---\ntitle: Start\n---\nText.\n"})
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "out"), env=env)
    assert summary in result.stderr, result.stderr
