"""Every page type of the example sites has zero axe-core violations (WCAG 2.1 A and AA),
on a phone (375 px) and a desktop (1280 px), and asks nothing of another origin."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest

import page_kinds as pages

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def base(example_build, serve_dir):
    return serve_dir(example_build)


def _axe(tab) -> list[dict]:
    tab.add_script_tag(path=str(AXE))
    return tab.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                        " nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})))", TAGS)


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("kind", pages.KINDS)
def test_no_axe_violations(kind, width, example_build, base, open_page):
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm install` in the repository")
    url, reason = pages.find(example_build, kind)
    if url is None:
        pytest.skip(reason)
    tab = open_page(width)
    tab.goto(base + url)
    violations = _axe(tab)
    assert violations == [], f"{kind} {url} at {width}px:\n" + "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) for v in violations)
    others = [u for u in tab.requests if urlsplit(u).netloc != urlsplit(base).netloc
              and not u.startswith(("data:", "blob:"))]
    assert others == [], f"{url} asked other origins: {others}"




@pytest.mark.parametrize("width", [375, 1280])
def test_the_preview_mark_of_a_draft_has_no_axe_violations(width, tmp_path, serve_dir, open_page):
    from testkit import NOW, page, run_sitegen
    if not AXE.is_file():
        pytest.skip("axe-core is not installed: run `npm install` in the repository")
    site = tmp_path / "content" / "demo"
    site.mkdir(parents=True)
    (site / "site.yaml").write_text("title: Demo\nbase_url: https://www.example.se/demo/\n", encoding="utf-8")
    (site / "utkast.md").write_text(page("Utkast", draft="true"), encoding="utf-8")
    out = tmp_path / "out"
    result = run_sitegen("build", "--drafts", "--content", str(tmp_path / "content"), "--out", str(out),
                         "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    tab = open_page(width)
    tab.goto(serve_dir(out) + "/demo/utkast/")
    assert tab.locator(".preview-status").inner_text().startswith("Utkast")
    assert _axe(tab) == []
