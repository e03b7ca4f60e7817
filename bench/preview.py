"""How long ``sitegen serve`` takes from saving a page to serving it, on the benchmark corpus.

    python bench/preview.py --sizes 1000 --edits 10        # about a minute
    python bench/preview.py                                # N = 1,000 and 10,000

For each size the corpus of ``run.py`` is reused (or generated, into ``--out``). The script
starts ``sitegen serve bench --content content`` in the corpus, waits until it serves, then,
``--edits`` times: appends a sentence nobody wrote before to one typical page (the page
``run.py`` edits), polls that page's URL over HTTP every 5 ms until the served HTML holds the
sentence (save → served), and waits for the full rebuild that follows (save → rebuilt) before
the next save, as an editor who reads the page before writing on would. With ``--pause S`` the
next save comes S seconds after the page was served instead, so on a large site it lands
while the full rebuild runs. The page is restored at the end. Prints median and max per size;
exit status 1 when an edit was not served within ``--timeout`` seconds.
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import run  # noqa: E402  (next to this file: the corpus and the edited page are run.py's)

POLL = 0.005          # seconds between two requests for the edited page
STARTUP = 1800        # seconds the first build may take (a cold build with the search index)
REBUILT = re.compile(r"^(built|build failed) in ")
URL_LINE = re.compile(r"^preview of \S+ at (http://\S+) ")


@dataclass
class Result:
    n: int
    served: list[float] = field(default_factory=list)    # save → the new text served, seconds
    rebuilt: list[float] = field(default_factory=list)   # save → the full rebuild after it done
    startup: float = 0.0                                  # start → the first page served
    errors: list[str] = field(default_factory=list)


class Server:
    """``sitegen serve`` in a subprocess; its output lines kept with the time they came."""

    def __init__(self, site: Path, port: int, log: Path):
        env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""),
                   SITEGEN_LANG="en")   # the lines below are matched in English
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "bench", "--content", "content", "--port", str(port)],
            cwd=site, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[tuple[float, str]] = []
        self.log = open(log, "w", encoding="utf-8")
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))
            self.log.write(line)
            self.log.flush()

    def wait_line(self, pattern: re.Pattern, after: float, timeout: float) -> tuple[float, re.Match] | None:
        """The first line matching ``pattern`` that came after ``after`` (perf_counter)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self.process.poll() is None:
            for at, line in list(self.lines):
                found = pattern.search(line)
                if at >= after and found:
                    return at, found
            time.sleep(0.02)
        return None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as exc:
        return exc.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def poll_until(url: str, text: str, timeout: float) -> float | None:
    """perf_counter when ``url`` first answered with ``text``; None after ``timeout`` seconds."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if text in fetch(url):
            return time.perf_counter()
        time.sleep(POLL)
    return None


def measure(root: Path, page_rel: str, edits: int, timeout: float, logs: Path, label: str = "preview",
            pause: float | None = None) -> Result:
    """Start the preview of the corpus at ``root``, edit ``page_rel`` ``edits`` times; with
    ``pause``, save again that many seconds after a save was served, else after its rebuild."""
    site = root / "sitegen"
    result = Result(n=0)
    source = site / "content" / "bench" / page_rel
    original = source.read_bytes()
    logs.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    server = Server(site, free_port(), logs / f"{label}.log")
    try:
        found = server.wait_line(URL_LINE, started, STARTUP)
        if found is None:
            result.errors.append(f"the preview did not start; see {logs / f'{label}.log'}")
            return result
        url = found[1].group(1) + page_rel[:-3] + "/"
        if poll_until(url, "<html", timeout) is None:
            result.errors.append(f"{url} was not served")
            return result
        result.startup = time.perf_counter() - started
        text = original
        for i in range(edits):
            marker = f"Förhandsvisningen visar mening {i} av {time.time_ns()}."
            text += f"\n{marker}\n".encode()
            source.write_bytes(text)
            saved = time.perf_counter()
            served = poll_until(url, marker, timeout)
            if served is None:
                result.errors.append(f"edit {i + 1}: not served within {timeout:.0f} s")
                break
            result.served.append(served - saved)
            if pause is not None:
                time.sleep(pause)
                continue
            rebuilt = server.wait_line(REBUILT, saved, STARTUP)
            if rebuilt is not None:
                result.rebuilt.append(rebuilt[0] - saved)
    finally:
        server.stop()   # first: a restore it saw would start a rebuild that the stop cuts short
        source.write_bytes(original)
    return result


def report(results: list[Result]) -> str:
    lines = ["| N | edits | save → served, median s | max s | save → rebuilt, median s | first build s |",
             "|---|---|---|---|---|---|"]
    for r in results:
        if not r.served:
            lines.append(f"| {r.n:,} | failed | | | | |")
            continue
        rebuilt = f"{statistics.median(r.rebuilt):.2f}" if r.rebuilt else ""
        lines.append(f"| {r.n:,} | {len(r.served)} | {statistics.median(r.served):.3f} | {max(r.served):.3f} "
                     f"| {rebuilt} | {r.startup:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="sitegen serve: seconds from saving a page to serving it.")
    run.corpus_options(ap, "corpora (shared with run.py)")
    ap.add_argument("--edits", type=int, default=10, help="saves per size (default 10)")
    ap.add_argument("--timeout", type=float, default=120, help="seconds an edit may take to be served")
    ap.add_argument("--pause", type=float, help="save again this many seconds after a save was served "
                                                "(default: after the full rebuild that follows it)")
    args = ap.parse_args(argv)
    results = []
    for n in run.sizes_of(args.sizes):
        root, generated = run.corpus_dir(args.out, n, args.seed)
        note = f"generated in {generated:.1f} s" if generated else "reused"
        print(f"N = {n:,} (corpus {note}: {root})", flush=True)
        result = measure(root, run.edited_page(n, args.seed).rel, args.edits, args.timeout, root / "logs",
                         pause=args.pause)
        result.n = n
        for seconds in result.served:
            print(f"  save → served {seconds:.3f} s", flush=True)
        results.append(result)
    print("\n" + report(results))
    failed = [f"N = {r.n:,}: {e}" for r in results for e in r.errors]
    for line in failed:
        print(f"- {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
