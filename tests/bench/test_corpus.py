"""The benchmark corpus: deterministic, the requested size, valid front matter, working links."""
from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
corpus = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = corpus  # dataclasses look their module up there
spec.loader.exec_module(corpus)

N = 150
LINK = re.compile(r"\]\(([^)]+\.md)\)")


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def split_page(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head), body


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    corpus.generate(out, N, seed=3)
    return out


def site(out: Path) -> Path:
    return out / "sitegen" / "content" / "bench"


def test_same_seed_gives_the_same_bytes(out, tmp_path):
    corpus.generate(tmp_path, N, seed=3)
    assert tree_bytes(tmp_path) == tree_bytes(out)


def test_another_seed_gives_other_text(out, tmp_path):
    corpus.generate(tmp_path, N, seed=4)
    assert tree_bytes(site(tmp_path)) != tree_bytes(site(out))


def test_n_pages_for_both_generators(out):
    assert len(list(site(out).rglob("*.md"))) == N
    assert len(list((out / "hugo" / "content").rglob("*.md"))) == N
    assert len(list((out / "hugo" / "content").rglob("_index.md"))) == len(list(site(out).rglob("index.md")))


def test_site_yaml_has_one_menu_level_as_the_hugo_layout(out):
    assert yaml.safe_load((site(out) / "site.yaml").read_text()) == {
        "title": "Bench", "base_url": "https://www.example.se/bench/", "menu_depth": 1,
        "contact": {"email": "info@example.se", "phone": "010-123 45 67"}}
    assert "range site.Sections" in (ROOT / "bench" / "hugo" / "layouts" / "baseof.html").read_text()


def test_front_matter_is_valid_and_a_third_are_news(out):
    news = lists = 0
    for path in site(out).rglob("*.md"):
        meta, body = split_page(path)
        assert set(meta) <= {"title", "ingress", "weight", "type", "date", "category", "tags"}, path
        assert isinstance(meta["title"], str) and meta["title"]
        assert isinstance(meta["ingress"], str) and meta["ingress"]
        assert isinstance(meta["weight"], int)
        if meta.get("type") == "news":
            news += 1
            assert meta["category"] in {"driftstorning", "servicenyhet", "nyhet"}
            assert "date" in meta and not path.name.startswith("index")
        assert 300 <= len(body.split()) <= 1500, path
        assert "\n## " in body, path
        lists += "\n- " in body
    assert news == N // 3
    assert lists > N // 2


def test_sections_have_index_pages_and_nest_two_to_three_levels(out):
    root = site(out)
    folders = [p for p in root.rglob("*") if p.is_dir()]
    assert all((f / "index.md").is_file() for f in folders)
    depths = {len(f.relative_to(root).parts) for f in folders}
    assert depths == {1, 2, 3}


def test_every_relative_link_points_to_an_existing_page(out):
    count = 0
    for path in site(out).rglob("*.md"):
        for href in LINK.findall(path.read_text(encoding="utf-8")):
            assert not href.startswith("/") and "://" not in href
            assert (path.parent / href).resolve().is_file(), f"{path}: {href}"
            count += 1
    assert count >= 2 * N


def test_hugo_gets_the_same_text_and_a_layout_set(out):
    hugo = out / "hugo"
    assert (hugo / "hugo.toml").is_file()
    assert {"baseof.html", "single.html", "list.html"} <= {p.name for p in (hugo / "layouts").iterdir()}
    page = next(p for p in site(out).rglob("*.md") if p.name != "index.md")
    twin = hugo / "content" / page.relative_to(site(out))
    assert split_page(twin)[1] == split_page(page)[1]


def test_eleventy_gets_the_same_files_a_config_and_a_layout(out):
    eleventy = out / "eleventy"
    assert (eleventy / "eleventy.config.js").is_file() and (eleventy / "_includes" / "base.njk").is_file()
    assert not (eleventy / "package.json").exists() and not (eleventy / "node_modules").exists()
    pages = sorted(p.relative_to(site(out)) for p in site(out).rglob("*.md"))
    assert sorted(p.relative_to(eleventy / "content") for p in (eleventy / "content").rglob("*.md")) == pages
    page = next(p for p in pages if p.name != "index.md")
    assert (eleventy / "content" / page).read_bytes() == (site(out) / page).read_bytes()
