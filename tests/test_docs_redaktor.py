"""docs/redaktor.md, the editors' guide, quotes sitegen's messages as an editor sees them: in
Swedish, the default language. Each quoted message must be one the catalogue holds today, so
that the guide does not drift from what sitegen prints."""
from __future__ import annotations

import re

from babel.messages.pofile import read_po

from sitegen import messages
from testkit import REPO

GUIDE = REPO / "docs/redaktor.md"
FIELD = re.compile(r"(\{[^{}]*\})")


def swedish_texts() -> list[str]:
    with messages.CATALOGUE.open("rb") as handle:
        return [m.string for m in read_po(handle, locale="sv") if m.id and isinstance(m.string, str) and m.string]


def pattern(text: str) -> str:
    """A translation as a pattern: each {field} stands for any text (a file name, an address,
    or another message's text)."""
    return "".join(".+" if FIELD.fullmatch(part) else re.escape(part) for part in FIELD.split(text))


def quoted() -> list[str]:
    """Every `message` on the guide's quote lines ('> `...`')."""
    lines = [line for line in GUIDE.read_text(encoding="utf-8").splitlines() if line.startswith(">")]
    return [quote for line in lines for quote in re.findall(r"`([^`]+)`", line)]


def printed(quote: str, texts: list[str]) -> bool:
    if any(re.fullmatch(pattern(text), quote, re.S) for text in texts):
        return True
    if not quote.endswith("…"):
        return False
    start = quote[:-1].rstrip()   # a quote cut short: the start of a message
    for text in texts:
        if text.startswith("{"):   # its start could be anything
            continue
        for cut in range(len(text), 0, -1):
            head = text[:cut]
            if head.count("{") == head.count("}") and re.fullmatch(pattern(head), start, re.S):
                return True
    return False


def test_the_guide_quotes_messages():
    assert len(quoted()) > 30


def test_every_message_the_guide_quotes_is_one_sitegen_prints_in_swedish():
    texts = swedish_texts()
    wrong = [quote for quote in quoted() if not printed(quote, texts)]
    assert not wrong, "quoted in docs/redaktor.md but not printed by sitegen:\n" + "\n".join(wrong)


def test_an_english_quote_would_be_found():
    """The check above can fail: the English text of a message is not a Swedish one."""
    texts = swedish_texts()
    assert not printed("'ingress' missing: add a short summary, it is shown first and used as the description "
                       "in search engines and cards", texts)
    assert not printed("the accessibility statement needs …", texts)
    assert not printed("the address /a/ was published (publicerade-adresser.txt, line 22) and would no longer "
                       "answer. If another page has its content now, …", texts)
