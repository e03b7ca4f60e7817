"""`sitegen adresser uppdatera` (`sitegen addresses update`): the ledger gets new addresses, keeps
every line it had, and is the only file written."""
from __future__ import annotations

from testkit import NOW, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\nremoved: [/demo/gammal.html]\n"


def ledger_of(content) -> str:
    return (content / "demo/publicerade-adresser.txt").read_text(encoding="utf-8")


def update(content, *args: str):
    return run_sitegen("adresser", "uppdatera", "--content", str(content), "--now", NOW, *args)


def entries(text: str) -> list[str]:
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def test_first_update_records_pages_files_aliases_and_removed_paths(make_site):
    content = make_site({"index.md": page("Start"), "om/personal.md": page("Personal", aliases="[/demo/folk.aspx]"),
                         "om/karta.pdf": b"%PDF-1.4\n", "utkast.md": page("Utkast", draft="true"),
                         "senare.md": page("Senare", publish="2027-01-01")}, site_yaml=SITE_YAML)
    result = update(content)
    assert result.status == 0, result.stderr
    assert "demo: 5 new addresses recorded in" in result.stdout
    text = ledger_of(content)
    assert text.startswith("# Publicerade adresser för Demo.")   # Swedish whatever the run's language
    assert "'sitegen adresser uppdatera demo'" in text
    assert entries(text) == [
        "/demo/                                    Start",
        "/demo/folk.aspx                           → /demo/om/personal/",
        "/demo/gammal.html                         (borttagen sida)",
        "/demo/om/karta.pdf",
        "/demo/om/personal/                        Personal",
    ]


def test_update_adds_new_addresses_and_keeps_lost_ones(make_site):
    content = make_site({"index.md": page("Start"), "a.md": page("A")}, site_yaml=SITE_YAML)
    assert update(content).status == 0
    (content / "demo/a.md").rename(content / "demo/b.md")
    (content / "demo/b.md").write_text(page("B", aliases="[/demo/a/]"), encoding="utf-8")
    result = update(content)
    assert result.status == 0, result.stderr
    assert "demo: 1 new address recorded in" in result.stdout
    lines = entries(ledger_of(content))
    assert "/demo/a/                                  → /demo/b/" in lines
    assert "/demo/b/                                  B" in lines


def test_update_refuses_a_site_with_a_lost_address_and_writes_nothing(make_site):
    content = make_site({"index.md": page("Start"), "a.md": page("A")}, site_yaml=SITE_YAML)
    assert update(content).status == 0
    before = ledger_of(content)
    (content / "demo/a.md").unlink()
    (content / "demo/b.md").write_text(page("B"), encoding="utf-8")
    result = update(content)
    assert result.status == 1   # the lost address is reported, as check does
    assert "demo/site.yaml:3: error: the address /demo/a/ was published" in result.stderr
    assert "demo: content/demo/publicerade-adresser.txt not updated: the site has errors." in result.stdout
    assert ledger_of(content) == before


def test_update_refuses_a_site_with_a_page_that_did_not_load(make_site):
    """A page with a date that does not exist never builds: it must not be recorded, nor
    anything else of its site, until the editor has corrected it."""
    content = make_site({"index.md": page("Start"), "a.md": page("A", date="2026-02-30")}, site_yaml=SITE_YAML)
    result = run_sitegen("adresser", "uppdatera", "--content", str(content), "--now", NOW, env={"SITEGEN_LANG": ""})
    assert result.status == 1
    assert "demo/a.md:" in result.stderr
    assert "Rätta felen först, kör sedan sitegen adresser uppdatera igen" in result.stdout
    assert "nya adresser skrivna" not in result.stdout
    assert not (content / "demo/publicerade-adresser.txt").exists()


def test_update_refuses_only_the_site_with_errors(make_site):
    content = make_site({"index.md": page("Start"), "a.md": page("A", date="2026-02-30")}, site_yaml=SITE_YAML)
    (content / "andra").mkdir()
    (content / "andra/site.yaml").write_text("title: Andra\nbase_url: https://www.example.se/andra/\n",
                                             encoding="utf-8")
    (content / "andra/index.md").write_text(page("Start"), encoding="utf-8")
    result = update(content)
    assert result.status == 1
    assert "andra: 1 new address recorded in" in result.stdout
    assert "demo: content/demo/publicerade-adresser.txt not updated: the site has errors." in result.stdout
    assert not (content / "demo/publicerade-adresser.txt").exists()


def test_update_brings_titles_up_to_date_and_keeps_an_editors_spelling(make_site):
    content = make_site({"index.md": page("Start"), "a.md": page("A")}, site_yaml=SITE_YAML)
    (content / "demo/publicerade-adresser.txt").write_text("/demo/a\n", encoding="utf-8")
    assert update(content).status == 0
    assert "/demo/a                                   A" in entries(ledger_of(content))
    (content / "demo/a.md").write_text(page("Ett nytt namn"), encoding="utf-8")
    result = update(content)
    assert result.status == 0 and "brought up to date, no new addresses (3 in all)" in result.stdout
    lines = entries(ledger_of(content))
    assert "/demo/a                                   Ett nytt namn" in lines and len(lines) == 3


def test_update_with_nothing_new_says_so_and_leaves_the_file(make_site):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    assert update(content).status == 0
    before = (content / "demo/publicerade-adresser.txt").stat()
    result = run_sitegen("addresses", "update", "--content", str(content), "--now", NOW)
    assert result.status == 0 and "demo: " in result.stdout and "is up to date (2 addresses)" in result.stdout
    assert (content / "demo/publicerade-adresser.txt").stat().st_mtime_ns == before.st_mtime_ns


def test_update_does_not_rewrite_a_ledger_with_a_line_it_cannot_read(make_site):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    (content / "demo/publicerade-adresser.txt").write_text("/demo/\nkurser/piano\n", encoding="utf-8")
    result = update(content)
    assert result.status == 1
    assert "demo/publicerade-adresser.txt:2: error: 'kurser/piano' is not an address" in result.stderr
    assert "not updated: the site has errors" in result.stdout
    assert ledger_of(content) == "/demo/\nkurser/piano\n"


def test_update_writes_nothing_but_the_ledger(make_site, tmp_path):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".sitegen-cache" not in p.parts)
    assert update(content).status == 0
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if ".sitegen-cache" not in p.parts)
    assert set(after) - set(before) == {content.relative_to(tmp_path) / "demo/publicerade-adresser.txt"}


def test_the_help_of_adresser_is_in_swedish_and_names_the_command_as_typed():
    result = run_sitegen("adresser", "--help", env={"SITEGEN_LANG": ""})
    assert result.status == 0
    assert result.stdout.startswith("användning: sitegen adresser ")
    assert "uppdatera (update)" in result.stdout
    assert "lägg till de adresser som webbplatserna publicerar nu" in result.stdout


def test_the_help_of_adresser_uppdatera_is_in_swedish():
    result = run_sitegen("adresser", "uppdatera", "--help", env={"SITEGEN_LANG": ""})
    assert result.stdout.startswith("användning: sitegen adresser uppdatera ")
    assert "webbplatser (standard: alla)" in result.stdout
    assert "tidpunkten att publicera vid (standard: nu)" in result.stdout


def test_the_help_of_addresses_is_in_english_on_request():
    result = run_sitegen("adresser", "--help", "--lang", "en")
    assert result.stdout.startswith("usage: sitegen addresses ")
    assert "add the addresses the sites publish now" in result.stdout


def test_one_new_address_is_said_in_the_singular_in_swedish(make_site):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    assert update(content).status == 0
    (content / "demo/a.md").write_text(page("A"), encoding="utf-8")
    result = run_sitegen("adresser", "uppdatera", "--content", str(content), "--now", NOW, env={"SITEGEN_LANG": "sv"})
    assert result.status == 0, result.stderr
    assert "demo: 1 ny adress skriven i " in result.stdout, result.stdout
