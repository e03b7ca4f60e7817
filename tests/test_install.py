"""sitegen installs like any Python tool: the wheel carries the default theme.

The wheel is built with the standard build tool from a copy of the checkout, installed
into a fresh virtual environment (no system site-packages, nothing of the checkout on the
path), and a site is built in an empty folder far from the checkout.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Not copied: what the build would not read anyway, and what is large.
IGNORE = shutil.ignore_patterns(".git", ".venv", "node_modules", "build", "dist", "*.egg-info",
                                "__pycache__", ".sitegen-cache", "bench", "tests", "content")


def run(cmd: list, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    # No PYTHONPATH: the installed package must be found, never the checkout.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("install")
    source = root / "source"
    # A copy, so the build's own build/ folder is never written into the checkout.
    shutil.copytree(REPO, source, ignore=IGNORE)
    built = run([sys.executable, "-m", "build", "--wheel", "--outdir", root / "dist", source], root)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next((root / "dist").glob("sitegen-*.whl"))
    venv = root / "venv"
    made = run([sys.executable, "-m", "venv", "--without-pip", venv], root)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    # This environment's pip installs into the new one (pip's cache serves the dependencies).
    done = run([sys.executable, "-m", "pip", "--python", python, "install", "--no-compile",
                "--disable-pip-version-check", "-q", wheel], root)
    assert done.returncode == 0, done.stdout + done.stderr
    return {"wheel": wheel, "sitegen": venv / "bin" / "sitegen", "python": python}


def new_site(folder: Path, sitegen: Path) -> Path:
    folder.mkdir()
    created = run([sitegen, "new", "site", "Minsida"], folder)
    assert created.returncode == 0, created.stdout + created.stderr
    return folder


def test_the_wheel_holds_every_module_and_theme_file(installed):
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "sitegen").rglob("*.py")}
    assert modules - names == set(), "a subpackage is missing from pyproject.toml's packages"
    data = {p.relative_to(REPO).as_posix() for p in (REPO / "sitegen").rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}
    assert data - names == set(), "a data file is missing from pyproject.toml's package-data"
    themes = {"sitegen/" + p.relative_to(REPO).as_posix()
              for p in (REPO / "themes").rglob("*") if p.is_file()}
    assert themes - names == set()
    assert "sitegen/themes/orebro/i18n/sv.yaml" in names


def test_installed_sitegen_builds_with_the_packaged_default_theme(installed, tmp_path):
    site = new_site(tmp_path / "elsewhere", installed["sitegen"])
    where = run([installed["python"], "-c", "import sitegen; print(sitegen.__file__)"], site)
    assert not where.stdout.startswith(str(REPO)), where.stdout  # not the checkout's code
    built = run([installed["sitegen"], "build"], site)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "build" / "minsida" / "index.html").read_text(encoding="utf-8")
    assert "Hade du nytta av innehållet?" in page       # the default theme's strings
    assert 'class="feedback"' in page                   # and its templates
    assert any((site / "build" / "minsida" / "assets").rglob("feedback*.js"))


def own_theme(folder: Path, name: str, question: str) -> None:
    """A theme that extends the packaged one: another question and its own stylesheet."""
    (folder / name / "i18n").mkdir(parents=True)
    (folder / name / "static" / "css").mkdir(parents=True)
    (folder / name / "theme.yaml").write_text(f"extends: orebro\nstylesheets: [css/{name}.css]\n",
                                              encoding="utf-8")
    (folder / name / "i18n" / "sv.yaml").write_text(f"feedback_question: {question}\n",
                                                    encoding="utf-8")
    (folder / name / "static" / "css" / f"{name}.css").write_text("body { color: #111; }\n",
                                                                  encoding="utf-8")


def use_theme(site: Path, name: str) -> None:
    config = site / "content" / "minsida" / "site.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\ntheme: orebro\n" in text
    config.write_text(text.replace("\ntheme: orebro\n", f"\ntheme: {name}\n"), encoding="utf-8")


def test_a_themes_folder_next_to_the_content_extends_the_packaged_theme(installed, tmp_path):
    site = new_site(tmp_path / "elsewhere", installed["sitegen"])
    own_theme(site / "themes", "egen", "Hjälpte sidan dig?")
    use_theme(site, "egen")
    built = run([installed["sitegen"], "build"], site)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "build" / "minsida" / "index.html").read_text(encoding="utf-8")
    assert "Hjälpte sidan dig?" in page and "Hade du nytta" not in page
    assert 'class="feedback"' in page                   # the packaged templates still serve
    assert any((site / "build" / "minsida").rglob("egen*.css"))


def test_themes_option_adds_a_folder_of_themes(installed, tmp_path):
    site = new_site(tmp_path / "elsewhere", installed["sitegen"])
    own_theme(tmp_path / "mina-teman", "annat", "Fick du svar?")
    use_theme(site, "annat")
    built = run([installed["sitegen"], "build", "--themes", tmp_path / "mina-teman"], site)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (site / "build" / "minsida" / "index.html").read_text(encoding="utf-8")
    assert "Fick du svar?" in page and 'class="feedback"' in page


def test_the_package_and_its_metadata_carry_the_same_version():
    import tomllib

    import sitegen

    with open(REPO / "pyproject.toml", "rb") as f:
        assert tomllib.load(f)["project"]["version"] == sitegen.__version__
