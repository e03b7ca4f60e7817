"""Rendered pages compared with saved golden files.

A change to templates or rendering shows up as a diff here. When the change is meant,
regenerate with ``SITEGEN_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and
review the diff of tests/golden/ before committing.
"""
import os
from pathlib import Path

import pytest

from testkit import NOW, REPO, run_sitegen

GOLDEN = REPO / "tests" / "golden"
PAGES = ["index.html", "om/index.html", "om/historia/index.html", "404.html", "410.html",
         "tillganglighet/index.html", "sitemap.xml"]


@pytest.fixture(scope="module")
def golden_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("golden")
    result = run_sitegen("build", "--content", str(REPO / "tests/fixtures/golden-site"), "--out", str(out),
                         "--now", NOW, "-q", "--no-cache")   # nothing to keep in tests/fixtures/
    assert result.status == 0, result.stderr
    return out / "demo"


@pytest.mark.parametrize("rel", PAGES)
def test_page_matches_golden_file(golden_build, rel):
    actual = (golden_build / rel).read_text(encoding="utf-8")
    golden = GOLDEN / rel.replace("/", "__")
    if os.environ.get("SITEGEN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden file {golden.name}: run with SITEGEN_UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8")
