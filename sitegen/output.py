"""Write stage: a site's files into a staging folder, then swapped in whole."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def stage(files: dict, out_root: Path, name: str) -> Path:
    """Write every file into a new folder beside the final one (same file system)."""
    out_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.new-", dir=out_root))
    for rel, content in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copyfile(content, target)
        elif isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    staging.chmod(0o755)
    return staging


def swap(staging: Path, final: Path) -> None:
    """Replace ``final`` with ``staging``: two renames, the old tree removed afterwards."""
    old = None
    if final.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{final.name}.old-", dir=final.parent))
        old.rmdir()
        final.rename(old)
    staging.rename(final)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
