"""Seeded generator of an N-page benchmark corpus, written for sitegen, Hugo and Eleventy.

    python bench/corpus.py --pages 1000 --seed 1 --out bench/out/n1000

writes ``OUT/sitegen/content/bench/`` (site.yaml + Markdown), ``OUT/hugo/`` (config,
``content/`` with the same text, ``_index.md`` for sections, a minimal layout set) and
``OUT/eleventy/`` (config, a Nunjucks layout, ``content/`` with the same files as sitegen's). The same
seed gives the same bytes. A third of the pages are news in ``nyheter/YEAR/MONTH/``; the other
pages sit in sections nested two to three levels deep. Every page has 300-1,500 words with
headings, lists and links to other pages written as relative ``.md`` paths.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = ["driftstorning", "servicenyhet", "nyhet"]
TAGS = ["skola", "trafik", "kultur", "bygglov", "miljo", "idrott", "vatten", "omsorg"]
PAGES_PER_FOLDER = 25  # keeps sibling cards (and so output size) linear in N

WORDS = """
och att det som en på är av för med till den har de inte om ett han men var jag sig
från vi så kan man när år säger hon under också efter eller nu sin där vid mot ska
skulle kommer ut får finns vara hade alla andra mycket än här då sedan över bara in
blir upp även vad få två vill ha många hur mer går sverige kronor detta nya procent
skall hans utan sina något svenska allt första fick måste mellan blev bli dag någon
några sitt stora varit dem bland kommun invånare förvaltning nämnd beslut ansökan
tjänst service skola förskola elever lärare vårdnadshavare bibliotek kultur idrott
fritid park gata trafik cykelväg parkering bygglov detaljplan miljö avfall vatten
avlopp omsorg äldreboende hemtjänst stöd handläggare kontakt telefon öppettider
e-tjänst blankett avgift taxa information frågor svar utveckling projekt samverkan
medborgare dialog synpunkter förslag arbete område stadsdel centrum kvarter vägen
torget ån slottet hamnen skogen ängen sommar vinter hösten våren vecka månad helg
""".split()
TITLE_WORDS = """
Barn Utbildning Kultur Fritid Idrott Bibliotek Trafik Gator Parker Bygga Bo Miljö
Avfall Vatten Omsorg Stöd Hälsa Arbete Näringsliv Kommun Politik Demokrati Samverkan
Projekt Förskola Grundskola Gymnasium Vuxenutbildning Musik Dans Teater Konst Museum
Arkiv Historia Natur Friluftsliv Badplatser Simhall Cykel Kollektivtrafik Parkering
Bygglov Detaljplaner Energi Klimat Återvinning Hemtjänst Äldreboende Funktionsnedsättning
Ekonomiskt Bistånd Integration Föreningar Evenemang Turism Utveckling Planering Stadsdelar
""".split()
TITLE_TAILS = ["för alla", "i kommunen", "och service", "i Örebro", "för barn och unga",
               "steg för steg", "i stadsdelen", "och trygghet", "i vardagen", "för företag"]


@dataclass
class Page:
    rel: str                      # path below the site folder, "a/b/c.md" or "a/index.md"
    title: str
    weight: int
    news: dict | None = None      # date, category, tags for news items
    links: list[str] = field(default_factory=list)

    @property
    def is_section(self) -> bool:
        return self.rel == "index.md" or self.rel.endswith("/index.md")

    @property
    def folder(self) -> str:
        return os.path.dirname(self.rel)


# --- planning the tree --------------------------------------------------------------------

def plan(n: int, seed: int) -> list[Page]:
    """Exactly n pages (section index pages included), deterministic for the seed."""
    if n < 20:
        raise ValueError("the corpus needs at least 20 pages")
    rng = random.Random(seed)
    names = NameMaker(rng)
    pages = [Page("index.md", "Bench", 0)]
    n_news = n // 3
    news_folders = _news_folders(n_news)
    pages += [Page(f"{f}/index.md", _news_folder_title(f), i)
              for i, f in enumerate(news_folders)]
    leaf_news = [f for f in news_folders if f.count("/") == 2]
    for i in range(n_news):
        folder = leaf_news[i * len(leaf_news) // n_news]
        year, month = int(folder.split("/")[1]), int(folder.split("/")[2])
        day = dt.date(year, month, rng.randint(1, 28))
        pages.append(Page(f"{folder}/{names.slug_title()[0]}.md", names.title(), i % 10, {
            "date": day.isoformat(),
            "category": rng.choice(CATEGORIES),
            "tags": sorted(rng.sample(TAGS, rng.randint(0, 2))),
        }))
    n_rest = n - len(pages)
    folders = _section_folders(rng, names, max(2, n_rest // PAGES_PER_FOLDER))
    pages += [Page(f"{f}/index.md", title, i) for i, (f, title) in enumerate(folders)]
    folder_names = [f for f, _ in folders]
    for i in range(n - len(pages)):
        slug, title = names.slug_title()
        folder = folder_names[rng.randrange(len(folder_names))]
        pages.append(Page(f"{folder}/{slug}.md", title, rng.randint(1, 20)))
    _dedupe(pages)
    _pick_links(rng, pages)
    return pages


def _news_folders(n_news: int) -> list[str]:
    """nyheter/, nyheter/YEAR/, nyheter/YEAR/MM/ with about 60 news per month folder."""
    months = max(1, math.ceil(n_news / 60))
    folders, seen_years = ["nyheter"], set()
    for k in range(months):
        year, month = 2024 - k // 12, 12 - k % 12  # the newest months first
        if year not in seen_years:
            seen_years.add(year)
            folders.append(f"nyheter/{year}")
        folders.append(f"nyheter/{year}/{month:02}")
    return folders


def _news_folder_title(folder: str) -> str:
    parts = folder.split("/")
    if len(parts) == 1:
        return "Nyheter"
    if len(parts) == 2:
        return f"Nyheter {parts[1]}"
    return f"Nyheter {parts[1]}-{parts[2]}"


def _section_folders(rng: random.Random, names: "NameMaker", count: int) -> list[tuple[str, str]]:
    """count folders: top sections, each with a child, then children or grandchildren."""
    tops = max(2, round(math.sqrt(count / 3)))
    folders = [names.slug_title() for _ in range(tops)]
    for i in range(tops, count):
        if i < 2 * tops:
            parent = folders[i - tops][0]
        else:
            parent = rng.choice([f for f, _ in folders if f.count("/") <= 1])
        slug, title = names.slug_title()
        folders.append((f"{parent}/{slug}", title))
    return folders


def _dedupe(pages: list[Page]) -> None:
    seen: set[str] = set()
    for page in pages:
        base, k = page.rel[:-3], 2
        while page.rel in seen:
            page.rel = f"{base}-{k}.md"
            k += 1
        seen.add(page.rel)


def _pick_links(rng: random.Random, pages: list[Page]) -> None:
    """2-6 links a page: its section, siblings and pages anywhere in the site."""
    by_folder: dict[str, list[Page]] = {}
    for page in pages:
        by_folder.setdefault(page.folder, []).append(page)
    for page in pages:
        own = by_folder.get(page.folder, [])
        candidates = [rng.choice(own), rng.choice(pages), rng.choice(pages)]
        parent = f"{os.path.dirname(page.folder)}/index.md".lstrip("/")
        if not page.is_section and page.folder:
            candidates.append(next(p for p in own if p.is_section))
        elif page.folder:
            candidates.append(next(p for p in pages if p.rel == parent))
        chosen = [c.rel for c in candidates if c is not page]
        page.links = list(dict.fromkeys(chosen))[: rng.randint(2, 6)]


class NameMaker:
    """Swedish-looking titles with unique ASCII slugs (slugs match sitegen's and Hugo's)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.count = 0

    def title(self) -> str:
        words = self.rng.sample(TITLE_WORDS, 2)
        return f"{words[0]} och {words[1].lower()} {self.rng.choice(TITLE_TAILS)}"

    def slug_title(self) -> tuple[str, str]:
        self.count += 1
        title = self.title()
        return f"{slugify(title)}-{self.count}", title


def slugify(text: str) -> str:
    table = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})
    out = "".join(c if c.isalnum() else "-" for c in text.lower().translate(table))
    return "-".join(part for part in out.split("-") if part)


# --- text ---------------------------------------------------------------------------------

def body(rng: random.Random, page: Page, titles: dict[str, str]) -> str:
    """300-1,500 words: paragraphs, ## headings, lists, and the page's links spread through."""
    target = rng.randint(300, 1250)  # the last blocks and "Se även" may add up to ~250
    links = [(titles[rel], os.path.relpath(rel, page.folder or ".").replace(os.sep, "/"))
             for rel in page.links]
    blocks: list[str] = []
    words = 0
    while words < target:
        new = []
        if blocks and (rng.random() < 0.25 or len(blocks) == 1):  # every page has a heading
            new.append("## " + _sentence(rng, 2, 5).rstrip("."))
        if rng.random() < 0.2:
            items = [_sentence(rng, 3, 9).rstrip(".") for _ in range(rng.randint(3, 6))]
            new.append("\n".join(f"- {item}" for item in items))
        sentences = [_sentence(rng, 6, 16) for _ in range(rng.randint(3, 6))]
        if links and rng.random() < 0.5:
            text, href = links.pop()
            sentences.insert(rng.randrange(len(sentences) + 1), f"Läs mer om [{text}]({href}).")
        new.append(" ".join(sentences))
        words += sum(len(b.split()) for b in new)
        blocks += new
    if links:
        blocks.append("## Se även\n\n" + "\n".join(f"- [{t}]({h})" for t, h in links))
    return "\n\n".join(blocks) + "\n"


def _sentence(rng: random.Random, low: int, high: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def front_matter(page: Page, ingress: str, hugo: bool) -> str:
    lines = ["---", f"title: {_q(page.title)}", f"ingress: {_q(ingress)}", f"weight: {page.weight}"]
    if page.news:
        lines += ["type: news", f"date: {page.news['date']}", f"category: {page.news['category']}"]
        if page.news["tags"]:
            lines.append("tags: [" + ", ".join(page.news["tags"]) + "]")
        if hugo:  # Hugo's own taxonomy, so its default build makes category pages too
            lines.append(f"categories: [{page.news['category']}]")
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


# --- writing ------------------------------------------------------------------------------

def generate(out: Path, n: int, seed: int = 1) -> list[Page]:
    pages = plan(n, seed)
    rng = random.Random(seed * 7919 + n)
    titles = {p.rel: p.title for p in pages}
    site = out / "sitegen" / "content" / "bench"
    hugo = out / "hugo"
    eleventy = out / "eleventy"
    # One menu level, as the Hugo layout renders (site.Sections): both sides build the same pages.
    _write(site / "site.yaml", "title: Bench\nbase_url: https://www.example.se/bench/\nmenu_depth: 1\n"
                               "contact:\n  email: info@example.se\n  phone: 010-123 45 67\n")
    for page in pages:
        ingress = _sentence(rng, 12, 24)
        text = body(rng, page, titles)
        _write(site / page.rel, front_matter(page, ingress, hugo=False) + text)
        hugo_rel = page.rel[:-len("index.md")] + "_index.md" if page.is_section else page.rel
        _write(hugo / "content" / hugo_rel, front_matter(page, ingress, hugo=True) + text)
        _write(eleventy / "content" / page.rel, front_matter(page, ingress, hugo=False) + text)
    _write_skeleton(HERE / "hugo", hugo)
    _write_skeleton(HERE / "eleventy", eleventy)
    return pages


def _write_skeleton(source: Path, dest: Path) -> None:
    """The layouts and config of ``bench/<tool>/`` (not its installed packages)."""
    for src in sorted(source.rglob("*")):
        rel = src.relative_to(source)
        if src.is_file() and rel.parts[0] != "node_modules" and not rel.name.startswith("package"):
            _write(dest / rel, src.read_text(encoding="utf-8"))


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=HERE / "out" / "corpus")
    args = ap.parse_args(argv)
    pages = generate(args.out, args.pages, args.seed)
    print(f"{len(pages)} pages in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
