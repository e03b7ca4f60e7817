"""Published addresses in check and build: a page renamed, moved or deleted, an old address or
removed path dropped, a file gone: each is an error where the editor fixes it, with the line
to write. And the build record that deploy reads."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from testkit import NOW, REPO, page, run_sitegen

SITE_YAML = "title: Demo\nbase_url: https://www.example.se/demo/\ncontact: {email: demo@example.se}\n"
PIANO = page("Piano", "Du spelar 20 minuter i veckan med en egen lärare.")


def published(make_site, files: dict, site_yaml: str = SITE_YAML) -> Path:
    """A site whose addresses are in its ledger, as after 'sitegen adresser uppdatera'."""
    content = make_site(files, site_yaml=site_yaml)
    result = run_sitegen("adresser", "uppdatera", "--content", str(content), "--now", NOW)
    assert result.status == 0, result.stderr
    return content


def line_of(content: Path, address: str) -> int:
    """The ledger line of an address (the header above the addresses may grow)."""
    lines = (content / "demo/publicerade-adresser.txt").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.split(" ")[0] == address)


def check(content: Path, *args: str, env: dict | None = None):
    return run_sitegen("check", "--content", str(content), "--now", NOW, *args, env=env)


def build(content: Path, out: Path, *args: str):
    return run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q", *args)


def test_renamed_page_is_an_error_at_the_page_with_its_aliases_line(make_site):
    content = published(make_site, {"index.md": page("Start"), "kurser/piano.md": PIANO})
    site = content / "demo"
    (site / "kurser/piano.md").rename(site / "kurser/pianolektioner.md")
    result = check(content)
    assert result.status == 1
    assert ("demo/kurser/pianolektioner.md:2: error: the address /demo/kurser/piano/ was published "
            f"(publicerade-adresser.txt, line {line_of(content, '/demo/kurser/piano/')}) and would no longer answer; this page has its title ('Piano') "
            "now: keep it as an old address that leads here, write the line aliases: [/demo/kurser/piano/]"
            in result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_renamed_page_with_the_suggested_alias_passes(make_site):
    content = published(make_site, {"index.md": page("Start"), "kurser/piano.md": PIANO})
    site = content / "demo"
    (site / "kurser/piano.md").unlink()
    (site / "kurser/pianolektioner.md").write_text(page("Piano", aliases="[/demo/kurser/piano/]"), encoding="utf-8")
    result = check(content)
    assert result.status == 0, result.stderr


def test_deleted_page_is_an_error_at_site_yaml_with_the_removed_line(make_site):
    content = published(make_site, {"index.md": page("Start"), "kurser/piano.md": PIANO,
                                    "kurser/gitarr.md": page("Gitarr")})
    (content / "demo/kurser/piano.md").unlink()
    (content / "demo/kurser/gitarr.md").unlink()
    result = check(content)
    assert result.status == 1
    for address in ("/demo/kurser/gitarr/", "/demo/kurser/piano/"):
        line = line_of(content, address)
        assert (f"demo/site.yaml:1: error: the address {address} was published (publicerade-adresser.txt, "
                f"line {line}) and would no longer answer. If another page has its content now, add the address "
                f"to that page as an old address that leads there (aliases: [{address}]); if the page is gone "
                "for good, make it a removed page (410): write the line "
                "removed: [/demo/kurser/gitarr/, /demo/kurser/piano/]" in result.stderr), result.stderr


def test_deleted_page_made_a_removed_page_passes_and_answers_410(make_site, tmp_path):
    content = published(make_site, {"index.md": page("Start"), "gammal.md": page("Gammal")})
    (content / "demo/gammal.md").unlink()
    (content / "demo/site.yaml").write_text(SITE_YAML + "removed: [/demo/gammal/]\n", encoding="utf-8")
    result = build(content, tmp_path / "out")
    assert result.status == 0, result.stderr
    assert 'location = "/demo/gammal/" { return 410; }' in \
        (tmp_path / "out/demo/_server/nginx-location.conf").read_text(encoding="utf-8")


def test_second_deleted_page_gets_the_removed_line_to_replace(make_site):
    """With removed: already written, a second removed: line would be an error of its own."""
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A"), "b.md": page("B")})
    (content / "demo/a.md").unlink()
    (content / "demo/site.yaml").write_text(SITE_YAML + "removed: [/demo/a/]\n", encoding="utf-8")
    assert check(content).status == 0
    (content / "demo/b.md").unlink()
    result = check(content, env={"SITEGEN_LANG": ""})
    assert result.status == 1
    assert ("demo/site.yaml:4: fel: " in result.stderr and "byt ut rad 4 (removed: …) mot raden "
            "removed: [/demo/a/, /demo/b/] (hela listan), eller lägg till adresserna som saknas i listan "
            "på den raden" in result.stderr), result.stderr
    assert "skriv raden removed:" not in result.stderr


def test_block_style_removed_list_gets_one_line_to_add(make_site):
    site_yaml = SITE_YAML + "removed:\n  - /demo/x.html\n"
    content = published(make_site, {"index.md": page("Start"), "b.md": page("B")}, site_yaml)
    (content / "demo/b.md").unlink()
    result = check(content)
    assert "demo/site.yaml:4: error: the address /demo/b/ was published" in result.stderr
    assert "add the line '  - /demo/b/' under removed:" in result.stderr, result.stderr


def test_moved_page_is_found_by_its_title_without_any_build_output(make_site, tmp_path):
    """As in CI: a fresh checkout, no build folder, no cache; only the committed ledger."""
    content = published(make_site, {"index.md": page("Start"), "kurser/piano.md": PIANO})
    site = content / "demo"
    (site / "kurser/piano.md").unlink()
    (site / "musik").mkdir()
    (site / "musik/piano.md").write_text(page("Piano", "En helt ny text om piano."), encoding="utf-8")
    result = run_sitegen("build", "--content", str(content), "--out", str(tmp_path / "build"), "--now", NOW,
                         "--no-cache", cwd=tmp_path)
    assert result.status == 1
    assert ("content/demo/musik/piano.md:2: error: the address /demo/kurser/piano/ was published" in result.stderr), \
        result.stderr
    assert "aliases: [/demo/kurser/piano/]" in result.stderr
    assert not (tmp_path / "build").exists() and not (tmp_path / ".sitegen-cache").exists()


def test_moved_and_retitled_page_is_found_by_its_text_in_the_previous_build(make_site, tmp_path):
    content = published(make_site, {"index.md": page("Start"), "kurser/piano.md": PIANO})
    out = tmp_path / "out"
    assert build(content, out).status == 0
    site = content / "demo"
    (site / "kurser/piano.md").unlink()
    (site / "kurser/tangenter.md").write_text(page("Tangentinstrument", "Du spelar 20 minuter i veckan med "
                                                   "en egen lärare."), encoding="utf-8")
    result = build(content, out)
    assert result.status == 1
    assert ("demo/kurser/tangenter.md:2: error: the address /demo/kurser/piano/ was published "
            f"(publicerade-adresser.txt, line {line_of(content, '/demo/kurser/piano/')}) and would no longer answer; this page has its text now"
            in result.stderr), result.stderr
    assert (out / "demo/kurser/piano/index.html").is_file()   # the failed build wrote nothing


def test_page_with_aliases_gets_the_whole_aliases_line(make_site):
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A", "Samma text.")})
    site = content / "demo"
    (site / "a.md").unlink()
    (site / "b.md").write_text(page("A", "Samma text.", aliases="[/demo/gammal.aspx]"), encoding="utf-8")
    result = check(content)
    assert "demo/b.md:3: error: the address /demo/a/ was published" in result.stderr, result.stderr
    assert ("replace line 3 (aliases: …) with the line aliases: [/demo/gammal.aspx, /demo/a/] (the whole list), "
            "or add the missing addresses to the list on that line" in result.stderr), result.stderr


def test_deleted_alias_line_is_an_error_at_the_page_it_led_to(make_site):
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A", aliases="[/demo/gammal.aspx]")})
    (content / "demo/a.md").write_text(page("A"), encoding="utf-8")
    result = check(content)
    line = line_of(content, "/demo/gammal.aspx")
    assert ("demo/a.md:2: error: the address /demo/gammal.aspx was published (publicerade-adresser.txt, "
            f"line {line}) "
            "and would no longer answer; it led to this page: keep it as an old address that leads here, "
            "write the line aliases: [/demo/gammal.aspx]" in result.stderr), result.stderr


def test_alias_moved_to_another_page_keeps_its_address(make_site):
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A", aliases="[/demo/gammal.aspx]"),
                                    "b.md": page("B")})
    (content / "demo/a.md").write_text(page("A"), encoding="utf-8")
    (content / "demo/b.md").write_text(page("B", aliases="[https://www.example.se/demo/gammal.aspx]"),
                                       encoding="utf-8")
    assert check(content).status == 0


def test_deleted_removed_line_is_an_error(make_site):
    content = published(make_site, {"index.md": page("Start")}, SITE_YAML + "removed: [/demo/x.html]\n")
    (content / "demo/site.yaml").write_text(SITE_YAML, encoding="utf-8")
    result = check(content)
    assert "demo/site.yaml:1: error: the file /demo/x.html was published" not in result.stderr
    assert ("demo/site.yaml:1: error: the address /demo/x.html was published" in result.stderr), result.stderr
    assert "write the line removed: [/demo/x.html]" in result.stderr


def test_deleted_file_is_an_error_that_says_put_it_back(make_site):
    content = published(make_site, {"index.md": page("Start"), "blanketter/avgift.pdf": b"%PDF-1.4\n"})
    (content / "demo/blanketter/avgift.pdf").unlink()
    result = check(content)
    assert ("demo/site.yaml:1: error: the file /demo/blanketter/avgift.pdf was published (publicerade-adresser.txt, "
            f"line {line_of(content, '/demo/blanketter/avgift.pdf')}) and would no longer answer: put the file back, or, to let it answer 'removed page' (410), "
            "write the line removed: [/demo/blanketter/avgift.pdf]" in result.stderr), result.stderr


def test_page_made_a_draft_is_the_editors_decision(make_site):
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A")})
    (content / "demo/a.md").write_text(page("A", draft="true"), encoding="utf-8")
    result = check(content)
    assert result.status == 0, result.stderr


def test_page_that_cannot_be_read_is_one_error_not_two(make_site):
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A")})
    (content / "demo/a.md").write_text("---\ntitle: [A\n---\n", encoding="utf-8")
    result = check(content)
    assert result.status == 1
    assert "publicerade-adresser.txt" not in result.stderr, result.stderr


def test_title_or_text_changed_in_place_is_fine(make_site):
    content = published(make_site, {"index.md": page("Start"), "a.md": page("A")})
    (content / "demo/a.md").write_text(page("Ett nytt namn", "Ny text."), encoding="utf-8")
    assert check(content).status == 0


def test_address_the_ledger_holds_without_slash_is_answered_by_the_folder(make_site):
    content = make_site({"index.md": page("Start"), "a.md": page("A")}, site_yaml=SITE_YAML)
    (content / "demo/publicerade-adresser.txt").write_text("/demo/a\n/demo/b%20c/\n", encoding="utf-8")
    (content / "demo/b c.md").write_text(page("B"), encoding="utf-8")   # its address is /demo/b-c/
    result = check(content)
    assert "/demo/a " not in result.stderr and "the address /demo/b%20c/ was published" in result.stderr


def test_line_that_is_no_address_is_an_error_at_its_line(make_site):
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    (content / "demo/publicerade-adresser.txt").write_text("# rubrik\n/demo/\nkurser/piano\n", encoding="utf-8")
    result = check(content)
    assert ("demo/publicerade-adresser.txt:3: error: 'kurser/piano' is not an address: each line starts with a path"
            in result.stderr), result.stderr


def test_ledger_is_not_published(built):
    assert not (built / "publicerade-adresser.txt").exists()


def test_build_records_what_it_published_and_whether_it_holds_drafts(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "a.md": page("A", aliases="[/demo/x.aspx]"),
                         "utkast.md": page("Hemlig plan", draft="true")}, site_yaml=SITE_YAML)
    assert build(content, tmp_path / "out").status == 0
    record = json.loads((tmp_path / "out/demo/_server/build.json").read_text(encoding="utf-8"))
    assert record["drafts"] is False
    assert record["addresses"]["/demo/a/"]["kind"] == "page"
    assert record["addresses"]["/demo/x.aspx"] == {"kind": "alias", "note": "→ /demo/a/", "source": "a.md"}
    assert record["addresses"]["/demo/sok/"] == {"kind": "generated"}
    text = (tmp_path / "out/demo/_server/build.json").read_text(encoding="utf-8")
    assert "utkast" not in text and "Hemlig" not in text and len(record["unpublished"]) == 1
    assert build(content, tmp_path / "drafts", "--drafts").status == 0
    record = json.loads((tmp_path / "drafts/demo/_server/build.json").read_text(encoding="utf-8"))
    assert record["drafts"] is True and "/demo/utkast/" in record["addresses"]


def test_example_sites_in_a_fresh_checkout_pass_with_their_committed_ledgers(tmp_path):
    """No build folder, no cache: the ledgers in content/ are all check has."""
    shutil.copytree(REPO / "content", tmp_path / "content", ignore=shutil.ignore_patterns(".sitegen-cache"))
    shutil.copy(REPO / "old-hosts.txt", tmp_path / "old-hosts.txt")   # the operator's, beside content/
    for site in ("fordjupning", "kulturskolan", "stadsarkiv"):
        ledger = (tmp_path / "content" / site / "publicerade-adresser.txt").read_text(encoding="utf-8")
        assert f"/{site}/\n" in ledger or f"/{site}/ " in ledger
    result = run_sitegen("check", "--content", "content", "--now", NOW, "--no-cache", "-q", cwd=tmp_path)
    assert result.status == 0, result.stderr
    (tmp_path / "content/kulturskolan/kurser/musik/piano.md").unlink()
    result = run_sitegen("check", "--content", "content", "--now", NOW, "--no-cache", "-q", cwd=tmp_path)
    assert "content/kulturskolan/site.yaml:1: error: the address /kulturskolan/kurser/musik/piano/ was published" \
        in result.stderr, result.stderr


def test_alias_of_one_site_at_a_page_of_another_is_an_error(make_site):
    make_site({"index.md": page("Start"), "x.md": page("X", aliases="[/b/y]")}, name="a",
              site_yaml="title: A\nbase_url: https://www.example.se/a/\n")
    content = make_site({"index.md": page("Start"), "y.md": page("Y")}, name="b",
                        site_yaml="title: B\nbase_url: https://www.example.se/b/\n")
    result = check(content)
    assert ("a/x.md:3: error: alias '/b/y' is the address of /b/y/ in the site 'b': each address can lead to "
            "one place only; remove it here or there" in result.stderr), result.stderr


def test_same_alias_in_two_sites_is_one_error(make_site):
    make_site({"index.md": page("Start"), "x.md": page("X", aliases="[/gammal/]")}, name="a",
              site_yaml="title: A\nbase_url: https://www.example.se/a/\n")
    content = make_site({"index.md": page("Start"), "y.md": page("Y", aliases="[/gammal]")}, name="b",
                        site_yaml="title: B\nbase_url: https://www.example.se/b/\n")
    result = check(content)
    assert ("b/y.md:3: error: alias '/gammal' is also an old address of x.md in the site 'a'" in result.stderr), \
        result.stderr
    assert result.stderr.count("'/gammal") == 1


def test_alias_at_another_page_of_the_site_without_its_slash_is_one_error(make_site, tmp_path):
    content = make_site({"index.md": page("Start"), "a.md": page("A", aliases="[/demo/b]"), "b.md": page("B")},
                        site_yaml=SITE_YAML)
    for result in (check(content), build(content, tmp_path / "out")):
        assert result.status == 1 and "Traceback" not in result.stderr
        assert "demo/a.md:3: error: alias '/demo/b' is the address of an existing page or file" in result.stderr


def test_ledger_that_links_out_of_the_site_is_not_read(make_site, tmp_path):
    secret = tmp_path / "hemlig.txt"
    secret.write_text("lösenord: hunter2\n", encoding="utf-8")
    content = make_site({"index.md": page("Start")}, site_yaml=SITE_YAML)
    (content / "demo/publicerade-adresser.txt").symlink_to(secret)
    result = check(content)
    assert result.status == 1
    assert "demo/publicerade-adresser.txt:1: error: this is a link to a file outside the site folder" in result.stderr
    assert "hunter2" not in result.stderr and "check failed: 1 error," in result.stderr
    result = run_sitegen("adresser", "uppdatera", "--content", str(content), "--now", NOW)
    assert result.status == 1 and "not updated" in result.stdout
    assert secret.read_text(encoding="utf-8") == "lösenord: hunter2\n"


def test_a_lost_address_is_explained_in_swedish_by_default(make_site):
    content = published(make_site, {"index.md": page("Start"), "kurser/piano.md": PIANO})
    (content / "demo/kurser/piano.md").rename(content / "demo/kurser/pianolektioner.md")
    result = run_sitegen("check", "--content", str(content), "--now", NOW, env={"SITEGEN_LANG": ""})
    line = line_of(content, "/demo/kurser/piano/")
    assert (f"demo/kurser/pianolektioner.md:2: fel: adressen /demo/kurser/piano/ har varit publicerad "
            f"(publicerade-adresser.txt, rad {line}) och skulle inte längre leda någonstans: den här sidan har "
            "dess rubrik ('Piano') nu. Behåll den som en gammal adress som ska leda hit, skriv raden "
            "aliases: [/demo/kurser/piano/]" in result.stderr), result.stderr
