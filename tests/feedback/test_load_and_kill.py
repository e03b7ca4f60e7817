"""The shipped load test, and killing the service in the middle of a load.

The service runs as a real subprocess (``sitegen feedback serve``); SIGKILL
gives it no chance to flush anything, so whatever was acknowledged (200 or
303) must already be durable in the store.
"""
from __future__ import annotations

import asyncio
import importlib.util
import signal
import sys
import uuid
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "feedback_load.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("feedback_load", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def test_load_every_post_stored_exactly_once(bench, db_target, tmp_path, capsys):
    content = bench.make_site(tmp_path)
    port = bench.free_port()
    service = bench.start_service(content, db_target, port, tmp_path / "service.log")
    try:
        bench.wait_healthy(port, service)
        run_id = "load-" + uuid.uuid4().hex[:8]
        result = asyncio.run(bench.send_posts(port, 300, 30, run_id))
    finally:
        bench.stop(service)
    stored = bench.stored_markers(db_target, run_id)
    assert bench.report(result, stored, 300, 30, "test"), capsys.readouterr().out
    assert sorted(stored) == sorted(result.acknowledged)
    assert set(stored.values()) == {1}


def test_kill_mid_load_loses_nothing_acknowledged(bench, db_target, tmp_path):
    content = bench.make_site(tmp_path)
    port = bench.free_port()
    log = tmp_path / "service.log"
    service = bench.start_service(content, db_target, port, log)
    bench.wait_healthy(port, service)

    def kill_after_some(result):
        if len(result.acknowledged) == 150 and service.poll() is None:
            service.send_signal(signal.SIGKILL)

    run_id = "kill-" + uuid.uuid4().hex[:8]
    try:
        result = asyncio.run(bench.send_posts(port, 1500, 20, run_id, on_ack=kill_after_some))
    finally:
        service.kill()
        service.wait()
    assert service.returncode == -signal.SIGKILL
    assert 150 <= len(result.acknowledged) < 1500, "the kill did not land mid-load"
    assert result.failed > 0

    # Restart on the same store: it opens, serves, and still holds every acknowledged post.
    restarted = bench.start_service(content, db_target, port, log)
    try:
        bench.wait_healthy(port, restarted)
        after = asyncio.run(bench.send_posts(port, 10, 5, run_id + "-after"))
    finally:
        bench.stop(restarted)
    assert len(after.acknowledged) == 10
    stored = bench.stored_markers(db_target, run_id)
    lost = set(result.acknowledged) - set(stored)
    assert not lost, f"{len(lost)} acknowledged posts lost"
    assert all(n == 1 for n in stored.values())
