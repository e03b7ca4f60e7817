"""The parts of the search index: as large as the memory budget allows, and only as many
Pagefind runs side by side as the memory left holds."""
from sitegen import memory, search_parts


def _parts_of(sizes):
    return [search_parts.Part(number, number, "", [None] * size) for number, size in enumerate(sizes)]


def test_parts_run_side_by_side_only_as_far_as_memory_holds(monkeypatch):
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    parts = _parts_of([100, 100, 50])   # the largest needs about 10 + 0.2 * 100 = 30 MB
    monkeypatch.setattr(memory, "available_mb", lambda: 70)
    assert search_parts.runs_at_once(parts) == 2
    monkeypatch.setattr(memory, "available_mb", lambda: 45)
    assert search_parts.runs_at_once(parts) == 1


def test_a_part_larger_than_the_memory_left_is_not_started(monkeypatch):
    monkeypatch.setattr(memory, "available_mb", lambda: 25)
    try:
        search_parts.runs_at_once(_parts_of([100]))
    except search_parts.NotEnoughMemory as short:
        assert (short.pages, short.need, short.free) == (100, 30, 25)
    else:
        raise AssertionError("a part that does not fit was started")


def test_parts_are_as_large_as_the_memory_budget_allows(monkeypatch):
    monkeypatch.delenv("SITEGEN_SEARCH_PART_SIZE", raising=False)
    # a 2,000-page site is one part: one Pagefind run of ~410 MB beside ~85 MB of the build
    assert search_parts.parts_for(2001, 2) == 1
    for pages in (2001, 5000, 10001):
        count = search_parts.parts_for(pages, 2)
        largest = -(-pages // count)
        assert search_parts.rest_mb(pages) + search_parts.pagefind_mb(largest) <= memory.PEAK_MB
        assert search_parts.parts_for(pages, 2) == count   # the same cut every time
    assert search_parts.parts_for(10001, 2) < -(-10001 // search_parts.PART_SIZE)   # fewer than before


def test_the_set_part_size_still_decides(monkeypatch):
    monkeypatch.setenv("SITEGEN_SEARCH_PART_SIZE", "500")
    assert search_parts.parts_for(2001, 1) == 5


def test_a_part_sized_to_the_budget_runs_alone_even_with_memory_to_spare(monkeypatch):
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    monkeypatch.delenv("SITEGEN_MEMORY_MB", raising=False)
    monkeypatch.setattr(memory, "available_mb", lambda: 16_000)
    monkeypatch.setattr(memory, "used_mb", lambda: 300)
    assert search_parts.runs_at_once(_parts_of([900, 900])) == 1   # two would take the build past 500 MB
    assert search_parts.runs_at_once(_parts_of([400, 400])) == 2
