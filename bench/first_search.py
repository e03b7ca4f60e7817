"""A visitor's first search on a built benchmark site, in Chromium: requests and bytes.

    python bench/first_search.py --sizes 10000            # after bench/run.py built the corpus

Serves the site's build folder on 127.0.0.1 (under the site's URL path, as production does),
opens its search page in Debian's Chromium driven by Playwright, waits until the page is idle,
then types a query, submits it and waits until the first results are shown and the network is
idle again. Everything asked for from then on is the cost of the first search: Pagefind's
program (with the list of index parts) and WebAssembly, each part's entry, metadata and the
index chunks of the query's words, the filters, and the fragments of the ten results shown. Bytes are
the bodies the server sent: a file's ``.gz`` where the build made one, as nginx and Apache send it
with the rules the build writes (Pagefind's own index files are compressed already; headers,
about 200 bytes an answer, are left out). Requests are counted at the server, so those of Pagefind's worker count too.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SITEGEN_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUERY = "bygglov"   # a word of the corpus's text and titles: found on most pages, as common words are
# The goals of the issue: requests and kB of the first search, by site size (pages).
GOALS = {10000: (30, 700), 2000: (15, None)}


@dataclass
class Search:
    requests: int = 0
    kb: float = 0.0
    results: int = 0
    error: str = ""
    paths: list[str] = field(default_factory=list)   # what was asked for, in order


_SERVED_LOCK = threading.Lock()


class _Recording(http.server.SimpleHTTPRequestHandler):
    """Serves the build folder quietly and records each answer: (path, bytes sent)."""

    served: list[tuple[str, int]]

    def log_message(self, *args):
        pass

    def send_head(self):
        """As nginx's ``gzip_static`` and Apache's rules the build writes: a file's ``.gz`` (the
        build makes one beside each text file) is sent when the browser accepts gzip, so the
        bytes counted are those a visitor's browser transfers."""
        path = self.translate_path(self.path)
        packed = path + ".gz"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(packed):
            return super().send_head()
        source = open(packed, "rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(os.fstat(source.fileno()).st_size))
        self.end_headers()
        return source

    def log_request(self, code="-", size="-"):
        with _SERVED_LOCK:   # requests are answered side by side, each by its own thread
            self._entry = len(self.served)
            self.served.append((self.path, int(size) if str(size).isdigit() else 0))

    def copyfile(self, source, outputfile):
        # The body's size, read from the open file, added to the entry this request's
        # log_request made (not the last one: another request may have come in since).
        start = source.tell()
        super().copyfile(source, outputfile)
        with _SERVED_LOCK:
            path, _ = self.served[self._entry]
            self.served[self._entry] = (path, source.tell() - start)


def measure(build: Path, site: str = "bench", query: str = QUERY) -> Search:
    """The requests and kB the first search of ``query`` on ``build/site`` costs."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return Search(error="playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).exists():
        return Search(error="Chromium is not installed (apt-get install chromium)")
    served: list[tuple[str, int]] = []
    handler = type("Handler", (_Recording,), {"served": served})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(build)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return _search(browser, f"{base}/{site}/sok/", query, served)
            finally:
                browser.close()
    except Exception as exc:   # a browser that fails is a failed row, not a crash of the run
        return Search(error=f"{type(exc).__name__}: {exc}".splitlines()[0])
    finally:
        server.shutdown()


def _search(browser, url: str, query: str, served: list[tuple[str, int]]) -> Search:
    """Counted at the server, which sees the requests of the page and of Pagefind's worker."""
    tab = browser.new_page()
    tab.goto(url)
    tab.wait_for_load_state("networkidle")
    before = len(served)
    # The query is put in without an input event, so the search runs once (at Enter), not
    # also after the script's typing pause.
    tab.eval_on_selector("#search-q", "(input, query) => { input.value = query; }", query)
    tab.press("#search-q", "Enter")
    # A locator, not wait_for_function: the site's Content-Security-Policy forbids the eval
    # Playwright's function polling needs.
    tab.locator(".search-results li").first.wait_for(timeout=120_000)
    tab.wait_for_load_state("networkidle")
    search = served[before:]
    return Search(len(search), sum(size for _, size in search) / 1024, tab.locator(".search-results li").count(),
                  paths=[path for path, _ in search])


def goal_line(n: int, search: Search) -> str | None:
    """The issue's goal for this size, met or not, or None when it sets none."""
    requests, kb = GOALS.get(n, (None, None))
    if requests is None or search.error:
        return None
    met = search.requests <= requests and (kb is None or search.kb <= kb)
    limit = f"at most {requests} requests" + (f" and {kb} kB" if kb else "")
    return (f"first search {limit}: {'met' if met else 'not met'} "
            f"({search.requests} requests, {search.kb:.0f} kB)")


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    import run  # noqa: E402  (next to this file)
    ap = argparse.ArgumentParser(description="Requests and bytes of a visitor's first search.")
    run.corpus_options(ap, "corpora (built by run.py)", ",".join(str(n) for n in sorted(GOALS)))
    ap.add_argument("--query", default=QUERY)
    args = ap.parse_args(argv)
    failed = False
    for n in run.sizes_of(args.sizes):
        build = args.out / f"n{n}-s{args.seed}" / "sitegen" / "build"
        search = measure(build, query=args.query)
        if search.error:
            failed = True
            print(f"N = {n:,}: failed: {search.error}")
            continue
        print(f"N = {n:,}: {search.requests} requests, {search.kb:.0f} kB, {search.results} results shown")
        if (line := goal_line(n, search)) is not None:
            print(f"- {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
