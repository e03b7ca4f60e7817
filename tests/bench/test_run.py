"""bench/run.py: every goal of the issue printed as a line that says met or not met."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
run = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = run  # dataclasses look their module up there
spec.loader.exec_module(run)


def _rows(**seconds_and_more):
    rows = []
    for key, (seconds, extra) in seconds_and_more.items():
        row = run.Row(key, key)
        row.samples.append(run.Sample(True, seconds, **extra))
        rows.append(row)
    return rows


def _line(lines, start):
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, lines
    return found[0]


def test_the_like_for_like_ratios_at_10000_pages_say_met_or_not_met():
    lines = run.goals(10000, _rows(cold=(29.0, {"peak_mb": 480}), hugo_search=(50.0, {}),
                                   eleventy_search=(50.0, {}), search=(0, {"requests": 48, "kb": 600})))
    assert _line(lines, "cold build at most 0.5 × Hugo + Pagefind").endswith(
        "not met (0.58: 29.00 s against 50.00 s)")
    assert ": met (0.58" in _line(lines, "cold build at most 0.6 × Eleventy + Pagefind")
    assert ": met (480 MB" in _line(lines, "peak memory under 500 MB")
    assert ": not met (48 requests" in _line(lines, "first search at most 30 requests and 700 kB")


def test_the_ratio_at_1000_pages_and_a_missing_peer():
    lines = run.goals(1000, _rows(cold=(4.0, {"peak_mb": 200}), hugo_search=(5.0, {})))
    assert ": met (0.80" in _line(lines, "cold build at most 0.8 × Hugo + Pagefind")
    lines = run.goals(1000, _rows(cold=(4.0, {"peak_mb": 200})))
    assert _line(lines, "cold build at most 0.8 × Hugo + Pagefind").endswith("not measured")


def test_the_first_search_at_2000_pages_is_a_goal_even_when_it_failed():
    lines = run.goals(2000, _rows(cold=(9.0, {"peak_mb": 510})))
    assert ": not met (510 MB" in _line(lines, "peak memory under 500 MB")
    assert _line(lines, "first search").endswith("not measured")
    lines = run.goals(2000, _rows(cold=(9.0, {"peak_mb": 480}), search=(0, {"requests": 15, "kb": 170})))
    assert ": met (15 requests" in _line(lines, "first search at most 15 requests")
