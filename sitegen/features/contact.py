"""The contact page (``kontakt/``) with "Sök person": people from ``data/people.yaml``.

The whole list is in the HTML, so it works without JavaScript; people.js filters it in
place. A bad row (no name, a malformed e-mail address or phone number, an unknown key) is
an error at its line, so ``sitegen check`` points the editor at it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sitegen.model import Page
from sitegen.schema import EMAIL_HINT, PHONE_HINT, Field, is_email, is_phone, validate
from sitegen.slugs import swedish_sort_key
from sitegen.yamlload import MarkedList
from sitegen.messages import _

PHASE = "pages"
PROVIDES = ("pages", "links")
URL = "kontakt/"

PERSON_FIELDS = {
    "name": Field("str", required=True),
    "title": Field("str"),
    "unit": Field("str"),
    "phone": Field("str"),
    "email": Field("str"),
}


@dataclass
class Person:
    name: str
    title: str = ""
    unit: str = ""
    phone: str = ""
    email: str = ""

    @property
    def tel(self) -> str:
        """The number for a ``tel:`` link: digits and a leading +, nothing else."""
        return re.sub(r"[^0-9+]", "", self.phone)

    @property
    def phone_digits(self) -> str:
        """The number's digits in the national form (``+46 70-174 06 09`` → ``0701740609``), which
        people.js compares with the digits of what the visitor types, however they are grouped."""
        digits = re.sub(r"\D", "", self.phone)
        international = self.phone.lstrip().startswith("+") or digits.startswith("00")
        if not international:
            return digits
        code = digits if self.phone.lstrip().startswith("+") else digits[2:]
        if code.startswith("46"):
            return "0" + code[2:].removeprefix("0")   # "+46 (0)70" is 070
        return "00" + code

    @property
    def search_text(self) -> str:
        """What the filter matches against, lower case."""
        return " ".join([self.name, self.title, self.unit, self.phone, self.email]).lower()


@dataclass(frozen=True)
class ContactPage:
    """What the contact page's template gets as ``contact``."""

    people: tuple     # Person, in the order the filter lists them


def run(build) -> None:
    site = build.site
    strings = build.theme.strings
    people = load_people(site.config.content_dir, site.data.get("people"), build.problems)
    ingress = strings.get("contact_ingress" if people else "contact_ingress_no_people", "")
    page = Page(url=URL, meta={"title": strings.get("contact_title", "Kontakt"), "ingress": ingress, "menu": False},
                template="contact.html")
    if not people and not site.config.contact and site.page_at(URL) is None:
        build.problems.warning(site.config.config_path, 1, _("the contact page (kontakt/) has nothing to show: give 'contact:' "
                                                             "(email, phone, address) in site.yaml, data/people.yaml or kontakt.md"),
                               strict=False)
    page = site.add_page(page, parent=site.root, editable=True)
    page.in_cards, page.in_search = False, True
    page.contribute("contact", ContactPage(tuple(people)))
    site.links.contact = URL


def people_file(content_dir: Path) -> Path:
    for name in ("people.yaml", "people.yml", "people.csv"):
        path = content_dir / "data" / name
        if path.is_file():
            return path
    return content_dir / "data" / "people.yaml"


def load_people(content_dir: Path, rows, problems) -> list[Person]:
    """Valid rows as ``Person``, in Swedish name order; every bad row is an error at its line."""
    if rows is None:
        return []
    path = people_file(content_dir)
    if not isinstance(rows, list):
        problems.error(path, getattr(rows, "line", 1),
                       _("people must be a list: one '- name: …' entry per person"))
        return []
    people = []
    for index, row in enumerate(rows):
        line = _row_line(rows, index, path)
        person = _person(row, index, line, path, problems)
        if person is not None:
            people.append(person)
    return sorted(people, key=lambda p: swedish_sort_key(p.name))


def _row_line(rows, index: int, path: Path) -> int:
    if isinstance(rows, MarkedList):
        return rows.line_of(index)
    if path.suffix == ".csv":
        return index + 2  # the header is line 1
    return 0


def _person(row, index: int, line: int, path: Path, problems) -> Person | None:
    where = _("person {number}: ").format(number=index + 1)
    if not isinstance(row, dict):
        problems.error(path, line, _("{where}must be a mapping with name, title, unit, phone, email").format(
                                       where=where))
        return None
    if hasattr(row, "lines"):
        values = validate(row, PERSON_FIELDS, path, problems, where="")
    else:  # CSV: every column is text; empty cells are left out
        values = {k: v.strip() for k, v in row.items() if k in PERSON_FIELDS and v and v.strip()}
    line_of = row.line_of if hasattr(row, "line_of") else (lambda key: line)
    ok = True
    name = str(values.get("name", "")).strip()
    if not name:
        if "name" in values or not hasattr(row, "lines"):
            problems.error(path, line_of("name"), _("{where}'name' is required and must not be empty").format(
                                                      where=where))
        return None
    email = str(values.get("email", "")).strip()
    if email and not is_email(email):
        problems.error(path, line_of("email"), _("{where}'{email}' is not an e-mail address ({hint})").format(
                                                   where=where, email=email, hint=_(EMAIL_HINT)))
        ok = False
    phone = str(values.get("phone", "")).strip()
    if phone and not is_phone(phone):
        problems.error(path, line_of("phone"), _("{where}'{phone}' is not a phone number ({hint})").format(
                                                   where=where, phone=phone, hint=_(PHONE_HINT)))
        ok = False
    if not ok or len(values) < sum(1 for k in row if k in PERSON_FIELDS):
        return None
    return Person(name=name, title=str(values.get("title", "")), unit=str(values.get("unit", "")),
                  phone=phone, email=email)
