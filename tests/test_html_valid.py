"""Every HTML file of the built example sites is valid HTML: the Nu HTML Checker finds no error."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_example_sites_are_valid_html(example_build):
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    if not VNU.is_file():
        pytest.skip("the Nu HTML Checker is not installed: run `npm install` in the repository")
    pages = sorted(example_build.rglob("*.html"))
    assert len(pages) > 20
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--skip-non-html", str(example_build)],
                          capture_output=True, text=True, timeout=600)
    report = (done.stdout + done.stderr).replace(f"file:{example_build}/", "")
    assert done.returncode == 0 and not report.strip(), report
