"""Rendering across cores: forked worker processes that inherit the site as it is.

Workers are forked after the site is modelled, so nothing of the site is pickled on the
way in; only small results come back (a body's HTML, or a written file's manifest entry:
pages are written by the workers themselves, so the main process never holds them).
Below ``MIN_PARALLEL`` jobs, or on one core, the work runs in this process: forking and
collecting results cost more than they save there (see docs/performance.md).
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable

from sitegen import messages

MIN_PARALLEL = 300       # fewer jobs than this run in this process
CHUNKS_PER_WORKER = 8    # small enough chunks that both cores finish together

# The job of a forked worker: set once in each worker by ``_start`` before it takes work.
# A process-wide name is what fork-based pools offer; the parent never sets it.
_worker_job: Callable | None = None


def _start(job: Callable, language: str) -> None:
    """Set up a worker: its job, and the language of its messages (the parent's)."""
    global _worker_job
    _worker_job = job
    messages.set_language(language)


def _run_chunk(chunk: list[int]) -> list:
    return [(index, _worker_job(index)) for index in chunk]


def workers() -> int:
    env = os.environ.get("SITEGEN_WORKERS")
    if env and env.isdigit():
        return max(1, int(env))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run(job: Callable[[int], object], count: int, advance: Callable[[int], None] | None = None) -> list:
    """``[job(0), ..., job(count - 1)]``, in forked workers when it pays off."""
    advance = advance or (lambda n: None)
    n_workers = min(workers(), max(1, count // 50))
    if count < MIN_PARALLEL or n_workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        results = []
        for index in range(count):
            results.append(job(index))
            advance(1)
        return results
    size = max(1, count // (n_workers * CHUNKS_PER_WORKER))
    chunks = [list(range(start, min(start + size, count))) for start in range(0, count, size)]
    results: list = [None] * count
    language = messages.language()
    # The workers share the parent's memory until they write to it; the garbage collector's
    # walks would touch (and so copy) every object the site holds. Frozen objects are not
    # walked (Python's gc.freeze, made for forking servers).
    gc.collect()
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(n_workers, initializer=_start, initargs=(job, language)) as pool:
            for done in pool.imap_unordered(_run_chunk, chunks):
                for index, result in done:
                    results[index] = result
                advance(len(done))
    finally:
        gc.unfreeze()
    return results
