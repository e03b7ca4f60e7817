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
def test_a_list_item_with_its_dash_but_no_space(make_site, language, text):
    """'-musik' is shown as the line to write, '- musik', not '- -musik'."""
    found = check_page(make_site, "title: Om\ningress: Om oss.\ntags:\n  - skola\n  -musik\nweight: 2\n", language)
    expect(found, 6, language, text)


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


def test_other_syntax_errors_keep_the_parsers_words_in_english(make_site):
    found = check_page(make_site, "title: Om\ntags: [skola, musik]]\nweight: 2\n", "en")
    expect(found, 3, "en", "invalid YAML: expected <block end>")


@pytest.mark.parametrize("language,text", [
    ("sv", "det står en tabb i början av raden. Ta bort tabben så att ingress: står först på raden"),
    ("en", "a tab is at the start of this line: remove it, so that ingress: is first on the line"),
])
def test_a_tab_before_a_setting_of_its_own(make_site, language, text):
    found = check_page(make_site, "title: Om\n\tingress: Vi kör ut mat.\n", language)
    expect(found, 3, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "raden 'ingress' är indragen, men inställningen ovanför har redan ett värde. Ta bort mellanslagen "
           "i början av raden så att ingress: står först på raden"),
    ("en", "'ingress' is indented, but the setting above it already has a value: remove the spaces at the "
           "start of the line, so that ingress: is first on the line"),
])
def test_a_setting_indented_below_a_value(make_site, language, text):
    found = check_page(make_site, "title: Om\n  ingress: Vi kör ut mat.\n", language)
    expect(found, 3, language, text)
    assert "kolon" not in found and "colon" not in found


@pytest.mark.parametrize("language,text", [
    ("sv", "listan som börjar med [ avslutas aldrig. Lägg till ] i slutet av raden: tags: [hemtjänst, stöd]"),
    ("en", "the list that starts with [ is never closed: add ] at the end of the line: tags: [hemtjänst, stöd]"),
])
def test_an_unclosed_list(make_site, language, text):
    found = check_page(make_site, "title: Om\ntags: [hemtjänst, stöd\n", language)
    expect(found, 3, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "listan som börjar med { avslutas aldrig. Lägg till } i slutet av raden: image: {src: a.jpg}"),
    ("en", "the list that starts with { is never closed: add } at the end of the line: image: {src: a.jpg}"),
])
def test_an_unclosed_braced_list(make_site, language, text):
    found = check_page(make_site, "title: Om\nimage: {src: a.jpg\n", language)
    expect(found, 3, language, text)


@pytest.mark.parametrize("language,text", [
    ("sv", "värdet för 'ingress' börjar med '- ', vilket gör det till en listpunkt. Sätt citattecken runt "
           "värdet (ingress: \"- punkt ett\"), eller skriv varje listpunkt på en egen rad under ingress:"),
    ("en", "the value of 'ingress' starts with '- ', which makes a list item: put quotes around the value "
           "(ingress: \"- punkt ett\"), or write each list item on its own line below ingress:"),
])
def test_a_list_item_where_a_value_belongs(make_site, language, text):
    found = check_page(make_site, "title: Om\ningress: - punkt ett\n", language)
    expect(found, 3, language, text)


def test_other_syntax_errors_in_swedish_name_neither_yaml_nor_the_parsers_words(make_site):
    found = check_page(make_site, "title: Om\ntags: [skola, musik]]\nweight: 2\n", "sv")
    expect(found, 3, "sv", "sidans inställningar går inte att läsa från den här raden")
    assert "YAML" not in found and "expected" not in found, found
