"""Rendering in worker processes gives the same site and the same problems as one process."""
from __future__ import annotations

import filecmp

from testkit import NOW, page, run_sitegen

PAGES = 320   # above parallel.MIN_PARALLEL, so the workers are used


def site_files():
    files = {"index.md": page("Start")}
    for i in range(PAGES):
        before = f"sida-{i - 8}.md" if i >= 8 else f"saknas-{i}.md"   # sida-0..7 link to missing pages
        files[f"del{i % 8}/sida-{i}.md"] = page(f"Sida {i}", f"Text {i}, se [sidan före]({before}).")
    return files


def test_workers_build_the_same_bytes_as_one_process(make_site, tmp_path, monkeypatch):
    content = make_site(site_files())
    outs = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("SITEGEN_WORKERS", workers)
        out = tmp_path / f"out{workers}"
        result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "--no-cache")
        outs[workers] = (out / "demo", result)
    for workers, (_, result) in outs.items():   # sida-0..7 link to pages that do not exist
        assert result.status == 1
        assert result.stderr.count("error: link to missing page") == 8, workers
    assert outs["1"][1].stderr == outs["2"][1].stderr


def test_workers_write_every_page(make_site, tmp_path, monkeypatch):
    files = site_files()
    for i in range(8):
        files[f"del{i}/sida-{i}.md"] = page(f"Sida {i}", "Ingen länk.")
    content = make_site(files)
    outs = []
    for workers in ("1", "2"):
        monkeypatch.setenv("SITEGEN_WORKERS", workers)
        out = tmp_path / f"out{workers}"
        result = run_sitegen("build", "--content", str(content), "--out", str(out), "--now", NOW, "-q", "--no-cache")
        assert result.status == 0, result.stderr
        outs.append(out / "demo")
    pages = sorted(p.relative_to(outs[0]) for p in outs[0].rglob("index.html"))
    assert len(pages) > PAGES
    _, mismatch, errors = filecmp.cmpfiles(outs[0], outs[1], [str(p) for p in pages], shallow=False)
    assert mismatch == errors == []


def test_workers_speak_the_language_of_the_run(make_site, tmp_path, monkeypatch):
    """Problems found while rendering in forked workers are in the run's language."""
    content = make_site(site_files())
    monkeypatch.setenv("SITEGEN_WORKERS", "2")
    monkeypatch.setenv("SITEGEN_LANG", "en")
    args = ("check", "--content", str(content), "--now", NOW, "--no-cache")
    swedish = run_sitegen(*args, "--lang", "sv")
    english = run_sitegen(*args)
    assert swedish.status == english.status == 1
    assert swedish.stderr.count(": fel: länken går till en sida som inte finns") == 8, swedish.stderr
    assert english.stderr.count(": error: link to missing page") == 8
