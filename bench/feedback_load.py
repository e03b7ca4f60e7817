"""Load test for the feedback service (loopback only, bounded).

Starts ``sitegen feedback serve`` on 127.0.0.1 with a throwaway site, sends N
posts with C in flight at a time, then reads the store and checks that every
post was stored exactly once. Prints the figures; exit status 1 if any post
was lost, doubled or refused.

    python bench/feedback_load.py --posts 2000 --concurrency 50
    python bench/feedback_load.py --db postgresql://user@127.0.0.1:5432/bench

The tests reuse ``start_service`` and ``send_posts`` to kill the service in
the middle of a load and check that nothing acknowledged was lost.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: this must not load a real server
MAX_POSTS = 100_000
MAX_CONCURRENCY = 500
PAGE = "https://www.orebro.se/lasttest/"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass
class LoadResult:
    sent: int = 0
    acknowledged: list[str] = field(default_factory=list)   # markers answered 200/303
    failed: int = 0
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def make_site(root: Path) -> Path:
    site = root / "content" / "lasttest"
    site.mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text(
        "title: Lasttest\nbase_url: https://www.orebro.se/lasttest/\n"
        "feedback:\n  endpoint: http://127.0.0.1/feedback\n", encoding="utf-8")
    (site / "index.md").write_text("---\ntitle: Lasttest\ningress: Test.\n---\n", "utf-8")
    return root / "content"


def start_service(content: Path, db: str, port: int, log: Path,
                  workers: int = 1) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "sitegen", "feedback", "serve", "--content", str(content),
           "--db", db, "--host", HOST, "--port", str(port),
           # The limiter stays on (its cost is part of the figures) but cannot trigger.
           "--rate-limit", "10000000", "--retention-days", "0", "--workers", str(workers)]
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_healthy(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the service exited with status {process.returncode}")
        try:
            if httpx.get(f"http://{HOST}:{port}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the service did not become healthy")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Connection:
    """One keep-alive HTTP/1.1 connection: a minimal client, so the figures measure the
    service and not the load generator (a pooled general-purpose client on the same two
    CPUs became the bottleneck)."""

    def __init__(self, port: int):
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.writer.write((f"POST {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\n"
                           "Content-Type: application/x-www-form-urlencoded\r\n"
                           f"Content-Length: {len(body)}\r\n{head}\r\n").encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        length = 0
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            if name.strip().lower() == "content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return int(status_line.split()[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def send_posts(port: int, posts: int, concurrency: int, run_id: str,
                     on_ack: Callable[[LoadResult], None] | None = None) -> LoadResult:
    """Post ``posts`` feedback answers; odd ones as a plain form (303), even ones as fetch
    (JSON) with an idempotency key, as the theme's script sends them."""
    result = LoadResult()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(posts):
        queue.put_nowait(i)

    async def worker() -> None:
        conn = Connection(port)
        while True:
            try:
                i = queue.get_nowait()
            except asyncio.QueueEmpty:
                conn.close()
                return
            marker = f"{run_id}-{i:06d}"
            headers = {"Accept": "application/json"} if i % 2 == 0 else {}
            fields = {"page": PAGE, "useful": "ja" if i % 3 else "nej", "comment": marker,
                      "website": ""}
            if i % 2 == 0:
                fields["idempotency_key"] = uuid.uuid4().hex
            body = urlencode(fields).encode()
            started = time.perf_counter()
            result.sent += 1
            try:
                status = await asyncio.wait_for(conn.post("/feedback", body, headers), 30)
            except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, ValueError):
                conn.close()
                result.failed += 1
                continue
            result.latencies.append(time.perf_counter() - started)
            if status in (200, 303):
                result.acknowledged.append(marker)
                if on_ack:
                    on_ack(result)
            else:
                result.failed += 1

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.seconds = time.perf_counter() - began
    return result


def stored_markers(db: str, run_id: str) -> Counter:
    from sitegen.feedback.store import Store

    store = Store(db)
    try:
        return Counter(store.feedback_comments(run_id + "-"))
    finally:
        store.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(result: LoadResult, stored: Counter, posts: int, concurrency: int, kind: str) -> bool:
    doubled = sorted(m for m, n in stored.items() if n > 1)
    missing = sorted(set(result.acknowledged) - set(stored))
    ok = not doubled and not missing and not result.failed and len(stored) == posts
    ms = [x * 1000 for x in result.latencies]
    print(f"store:          {kind}")
    print(f"posts:          {posts} ({concurrency} concurrent)")
    print(f"acknowledged:   {len(result.acknowledged)}  failed: {result.failed}")
    print(f"stored:         {sum(stored.values())} rows, {len(stored)} distinct")
    print(f"exactly once:   {'yes' if not doubled and not missing else 'NO'}"
          f" (doubled {len(doubled)}, lost {len(missing)})")
    print(f"wall time:      {result.seconds:.2f} s")
    print(f"throughput:     {posts / result.seconds:.0f} posts/s")
    if ms:
        print(f"latency ms:     p50 {statistics.median(ms):.1f}  p95 {percentile(ms, 95):.1f}"
              f"  p99 {percentile(ms, 99):.1f}  max {max(ms):.1f}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="worker processes of the service")
    parser.add_argument("--db", default=None,
                        help="SQLite file or postgresql:// URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    if (not 1 <= args.posts <= MAX_POSTS or not 1 <= args.concurrency <= MAX_CONCURRENCY
            or not 1 <= args.workers <= 16):
        print(f"error: --posts must be 1..{MAX_POSTS}, --concurrency 1..{MAX_CONCURRENCY}, "
              "--workers 1..16", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="feedback-load-") as tmp:
        root = Path(tmp)
        db = args.db or str(root / "feedback.sqlite3")
        port = free_port()
        service = start_service(make_site(root), db, port, root / "service.log", args.workers)
        try:
            wait_healthy(port, service)
            run_id = "load-" + uuid.uuid4().hex[:12]
            result = asyncio.run(send_posts(port, args.posts, args.concurrency, run_id))
        except RuntimeError as exc:
            print(f"error: {exc}\n{(root / 'service.log').read_text(errors='replace')}",
                  file=sys.stderr)
            return 1
        finally:
            stop(service)
        kind = "postgresql" if db.startswith("postgres") else "sqlite (WAL, synchronous=FULL)"
        kind += f", {args.workers} worker(s)"
        ok = report(result, stored_markers(db, run_id), args.posts, args.concurrency, kind)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
