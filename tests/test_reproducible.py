"""The output is a function of the content and ``--now`` alone: the example sites built again
after ``build/`` and ``.sitegen-cache/`` were deleted are the same, byte for byte.

Pagefind's own files are compared byte for byte too, except three kinds: Pagefind 1.5.2 (the
newest release) writes each filter's values in the order of a Rust hash map seeded at random
per run (``build_indexes`` in ``pagefind/src/index/mod.rs``), so ``filter/*.pf_filter``, the
``pagefind.*.pf_meta`` that names them by their hash and ``pagefind-entry.json`` that names
the meta file by its hash differ from run to run with the same records. No option, input
order or flag of Pagefind changes that; its source sorts them since the change "completion of
deterministic output" (#1124), in no release yet. Those files are compared by what a search
returns instead, in tests/browser/test_search_reproducible.py.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from testkit import NOW, REPO, run_sitegen

# Named by a hash of their bytes, which holds the random order (see above).
PAGEFIND_REORDERED = re.compile(r"(^|/)pagefind/(.*/)?(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta"
                                r"|pagefind-entry\.json)(\.gz|\.br)?$")


def build(folder: Path) -> dict[str, bytes]:
    result = run_sitegen("build", "--content", str(folder / "content"), "--out", str(folder / "build"),
                         "--now", NOW, "-q")
    assert result.status == 0, result.stderr
    return {path.relative_to(folder / "build").as_posix(): path.read_bytes()
            for path in sorted((folder / "build").rglob("*"))
            if path.is_file() and not path.relative_to(folder / "build").parts[0].startswith(".")}
    # (a site's spare tree, .<site>.spare/, is kept beside the output for the next build: not output)


def same_but_pagefinds_random_order(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    kept = lambda files: {name: data for name, data in files.items() if not PAGEFIND_REORDERED.search(name)}
    assert kept(first).keys() == kept(second).keys()
    assert [name for name in kept(first) if first[name] != second[name]] == []
    reordered = lambda files: sorted(re.sub(r"_[0-9a-f]+\.", "_#.", name) for name in files
                                     if PAGEFIND_REORDERED.search(name))
    assert reordered(first) == reordered(second)   # the same files, named by other hashes


@pytest.fixture(scope="module")
def examples(tmp_path_factory) -> Path:
    """A copy of the example content, so its build cache lies beside the copy, not the repository."""
    folder = tmp_path_factory.mktemp("examples")
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copy(REPO / "old-hosts.txt", folder / "old-hosts.txt")   # the operator's allowed old hosts
    return folder


def test_a_build_after_deleting_the_output_and_the_cache_is_the_same(examples):
    first = build(examples)
    assert any(name.endswith(".ics") for name in first) and any("/pagefind/" in name for name in first)
    shutil.rmtree(examples / "build")
    shutil.rmtree(examples / ".sitegen-cache")
    same_but_pagefinds_random_order(first, build(examples))


def test_a_build_after_deleting_only_the_output_reuses_the_index_from_the_cache(examples):
    first = build(examples)
    shutil.rmtree(examples / "build")
    assert build(examples) == first   # pagefind/ too: every part is linked from the cache


def test_a_build_after_deleting_only_the_cache_reads_nothing_from_the_output(examples):
    first = build(examples)
    calendar = examples / "build/kulturskolan/kalender/kalender.ics"
    calendar.write_bytes(calendar.read_bytes().replace(b"SEQUENCE:0", b"SEQUENCE:7"))   # a stale or foreign file
    shutil.rmtree(examples / ".sitegen-cache")
    same_but_pagefinds_random_order(first, build(examples))
