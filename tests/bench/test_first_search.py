"""bench/first_search.py: a visitor's first search counted at the server, in Chromium."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_first_search", ROOT / "bench" / "first_search.py")
first_search = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = first_search  # dataclasses look their module up there
spec.loader.exec_module(first_search)


@pytest.mark.browser
def test_the_first_search_is_counted_from_the_query_on(example_build):
    if not shutil.which("chromium") and not Path(first_search.CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    search = first_search.measure(example_build, site="fordjupning", query="jämställdhet")
    assert not search.error, search.error
    assert search.results >= 2
    assert search.requests == len(search.paths) and search.kb > 0
    # The search page itself and its assets were loaded before: only the search's own requests.
    assert all(path.startswith("/fordjupning/pagefind/") for path in search.paths)
    assert sum(path.endswith("/wasm.sv.pagefind") for path in search.paths) == 1
    assert not [path for path in search.paths if "pagefind-worker" in path]   # no worker script
    assert sum("/fragment/" in path for path in search.paths) == search.results   # one per result shown


def test_the_goal_line_says_met_or_not_met():
    met = first_search.goal_line(10000, first_search.Search(requests=30, kb=700))
    assert met.startswith("first search at most 30 requests and 700 kB: met")
    assert ": not met" in first_search.goal_line(10000, first_search.Search(requests=31, kb=300))
    assert ": not met" in first_search.goal_line(10000, first_search.Search(requests=20, kb=701))
    assert ": met" in first_search.goal_line(2000, first_search.Search(requests=15, kb=5000))
    assert first_search.goal_line(1000, first_search.Search(requests=99, kb=1)) is None
