"""Files known by their content, and files replaced whole.

``content_digest`` is the one digest of the build's own bookkeeping (the build cache's keys,
the output manifest, the preview's shown pages); digests that stand in published files keep
their own, documented format (the ledger's, the image and social card names).
"""
from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path


def content_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_atomically(target: Path, data: bytes | str) -> None:
    """Write beside the target, then rename over it: a reader (a build, a web server, the
    preview's browser) sees the old file or the new one, never half of it. The old file's
    inode is left as it was (it may be a hard link the build cache relies on); the new file
    gets the mode an ordinary write gives. Text is written as UTF-8."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    out = open(temp, "xb")
    try:
        with out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
