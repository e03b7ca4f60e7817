"""The search index built again after ``build/`` and ``.sitegen-cache/`` were deleted finds the same.

Pagefind 1.5.2 writes its filter files in a random order each run (see tests/test_reproducible.py,
which compares every other file byte for byte), so the two indexes are compared by what
Pagefind's own search returns in a browser: every filter with its counts, every filter value's
pages, and the pages, titles and excerpts of word searches.
"""
from __future__ import annotations

import shutil

import pytest
from testkit import NOW, REPO, run_sitegen

pytestmark = pytest.mark.browser

SITES = ("fordjupning", "kulturskolan", "stadsarkiv")
WORDS = ("och", "kommun", "musik", "arkiv", "jämställdhet")

# Pagefind loaded as the theme's search.js loads it; then everything a visitor can ask of it.
ASK = """async (site) => {
  const pagefind = await import(`/${site}/pagefind/pagefind.js`);
  await pagefind.options({ baseUrl: "/", noWorker: true });
  const listing = await fetch(`/${site}/pagefind/sitegen-parts.json`).then(r => r.ok ? r.json() : {parts: []});
  for (const name of listing.parts || []) await pagefind.mergeIndex(`/${site}/pagefind/${name}`, { baseUrl: "/" });
  const shown = async (search) => Promise.all(search.results.map(async r => {
    const d = await r.data(); return [d.url, d.meta.title, d.excerpt];
  }));
  const filters = await pagefind.filters();
  const answers = { filters };
  for (const [filter, values] of Object.entries(filters)) {
    for (const value of Object.keys(values).sort()) {
      answers[`${filter}=${value}`] = await shown(await pagefind.search(null, { filters: { [filter]: value } }));
    }
  }
  for (const word of %s) answers[word] = await shown(await pagefind.search(word));
  return answers;
}""" % list(WORDS)


def build(folder):
    result = run_sitegen("build", "--content", str(folder / "content"), "--out", str(folder / "build"),
                         "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    return folder / "build"


def test_the_index_built_again_from_nothing_finds_the_same(tmp_path, serve_dir, open_page):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "old-hosts.txt", tmp_path / "old-hosts.txt")   # the operator's allowed old hosts
    shutil.copytree(build(tmp_path), tmp_path / "first")
    shutil.rmtree(tmp_path / "build")
    shutil.rmtree(tmp_path / ".sitegen-cache")
    build(tmp_path)
    answers = {}
    for name in ("first", "build"):
        base = serve_dir(tmp_path / name)
        tab = open_page()
        tab.goto(f"{base}/{SITES[0]}/sok/")
        answers[name] = {site: tab.evaluate(ASK, site) for site in SITES}
    assert answers["first"]["fordjupning"]["filters"]   # filters were asked, and pages found
    assert answers["first"]["fordjupning"]["jämställdhet"]
    assert answers["first"] == answers["build"]
