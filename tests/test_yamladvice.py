"""The YAML slips editors make in a page's settings get advice at the line to fix, in Swedish
by default and in English on request, instead of the parser's words at the line after."""
from __future__ import annotations

import pytest

from testkit import NOW, run_sitegen

LANGUAGES = {"sv": ("fel", {"SITEGEN_LANG": ""}), "en": ("error", {"SITEGEN_LANG": "en"})}


def check_page(make_site, front_matter: str, language: str) -> str:
    """``sitegen check`` on a site whose om.md has ``front_matter``; the problem lines of om.md."""
    content = make_site({"index.md": "---\ntitle: Start\ningress: Välkommen.\n---\nText.\n",
                         "om.md": f"---\n{front_matter}---\nText.\n"})
    result = run_sitegen("check", "--content", str(content), "--now", NOW, env=LANGUAGES[language][1])
    assert result.status == 1
    assert "Traceback" not in result.stderr
    return "\n".join(line for line in result.stderr.splitlines() if "om.md:" in line)


def expect(found: str, line: int, language: str, text: str) -> None:
    word = LANGUAGES[language][0]
    assert f"content/demo/om.md:{line}: {word}: {text}" in found, found


@pytest.mark.parametrize("language,text", [
    ("sv", 'rubriken innehåller ett kolon. Sätt citattecken runt värdet: title: "Bli god man: så går det till"'),
    ("en", 'the title contains a colon: put quotes around the value: title: "Bli god man: så går det till"'),
])
def test_a_colon_in_the_title(make_site, language, text):
    found = check_page(make_site, "title: Bli god man: så går det till\ningress: Om uppdraget.\n", language)
    expect(found, 2, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "värdet för 'ingress' innehåller ett kolon. Sätt citattecken runt värdet: ingress: \"Så här: ansök\""),
    ("en", "the value of 'ingress' contains a colon: put quotes around the value: ingress: \"Så här: ansök\""),
])
def test_a_colon_in_another_value(make_site, language, text):
    found = check_page(make_site, "title: Om\ningress: Så här: ansök\n", language)
    expect(found, 3, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "raden är indragen med tabb. Använd mellanslag för att dra in inställningar"),
    ("en", "a tab indents this line: use spaces to indent settings"),
])
def test_a_tab(make_site, language, text):
    found = check_page(make_site, "title: Om\ningress: Om oss.\ntags:\n\t- skola\n", language)
    expect(found, 5, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", 'citattecknet (") i början av värdet avslutas aldrig. Avsluta värdet med " på samma rad'),
    ("en", 'the quote (") that starts the value is never closed: end the value with " on the same line'),
])
def test_an_unclosed_quote(make_site, language, text):
    found = check_page(make_site, 'title: "Bli god man\ningress: Om uppdraget.\n', language)
    expect(found, 2, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "listpunkten saknar '- '. Börja raden med '- ' som punkterna ovanför: - musik"),
    ("en", "this list item has no '- ': start the line with '- ', as the items above it: - musik"),
])
def test_a_list_item_without_its_dash(make_site, language, text):
    found = check_page(make_site, "title: Om\ningress: Om oss.\ntags:\n  - skola\n  musik\nweight: 2\n", language)
    expect(found, 6, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "inställningen 'ingress' saknar kolon. Skriv den som ingress: värde"),
    ("en", "'ingress' has no colon: write the setting as ingress: value"),
])
def test_a_setting_without_its_colon(make_site, language, text):
    found = check_page(make_site, "title: Om\ningress\nweight: 2\n", language)
    expect(found, 3, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "'ingress' saknar värde. Skriv värdet efter kolonet (ingress: …), eller ta bort raden"),
    ("en", "'ingress' has no value: write it after the colon (ingress: …), or remove the line"),
])
def test_a_setting_without_a_value(make_site, language, text):
    found = check_page(make_site, "title: Om\ningress:\n", language)
    expect(found, 3, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", 'det står text efter det avslutande citattecknet. Sätt citattecken runt hela värdet: title: "Bli god man"'),
    ("en", 'text follows the closing quote: put the whole value in quotes: title: "Bli god man"'),
])
def test_text_after_the_closing_quote(make_site, language, text):
    found = check_page(make_site, 'title: "Bli" god man\ningress: Om uppdraget.\n', language)
    expect(found, 2, language, text)


def test_other_syntax_errors_keep_the_parsers_words(make_site):
    found = check_page(make_site, "title: Om\ntags: [skola, musik\n", "en")
    expect(found, 3, "en", "invalid YAML: expected ',' or ']'")
