"""How much memory a build may still use: read before starting work that costs a lot of it.

The budget is the smallest of: what the kernel says is available without swapping
(``MemAvailable`` in ``/proc/meminfo``), what the build's control group may still take
(its limit less its use, cgroup v2 or v1, as under systemd or in a container) and
``SITEGEN_MEMORY_MB`` when the operator sets it. None when none of them can be read (not
Linux): then nothing is checked.

Within that, a build keeps under ``PEAK_MB`` where it can choose (the search index's parts are
sized and run side by side to fit it), unless the operator sets ``SITEGEN_MEMORY_MB``.
"""
from __future__ import annotations

import os
from pathlib import Path

CGROUP = Path("/sys/fs/cgroup")
PEAK_MB = 500   # the most a build aims to hold at once, workers and Pagefind included


def available_mb() -> int | None:
    """Megabytes the build may still use, or None when it cannot be told."""
    limits = [value for value in (_meminfo_available(), _cgroup_room(), _setting()) if value is not None]
    return min(limits) if limits else None


def budget_mb() -> int:
    """The most the whole build should hold at once: the operator's setting, else ``PEAK_MB``."""
    setting = _setting()
    return setting if setting is not None else PEAK_MB


def used_mb() -> int | None:
    """What this process holds now (resident), or None when it cannot be told."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // (1024 * 1024)
    except (OSError, ValueError, IndexError):
        return None


def _setting() -> int | None:
    value = os.environ.get("SITEGEN_MEMORY_MB", "").strip()
    return int(value) if value.isdigit() else None


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room() -> int | None:
    """Room left under this process's cgroup memory limit (None without a limit)."""
    for line in _cgroup_lines():
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and not controllers:   # v2: one tree
            room = _room(CGROUP / path.lstrip("/"), "memory.max", "memory.current")
        elif "memory" in controllers.split(","):   # v1: the memory controller's own tree
            room = _room(CGROUP / "memory" / path.lstrip("/"), "memory.limit_in_bytes", "memory.usage_in_bytes")
        else:
            continue
        if room is not None:
            return room
    return None


def _room(folder: Path, limit_file: str, usage_file: str) -> int | None:
    try:
        limit = (folder / limit_file).read_text().strip()
        if limit == "max" or int(limit) >= 1 << 60:   # no limit (v1 says so with a huge number)
            return None
        return (int(limit) - int((folder / usage_file).read_text())) // (1024 * 1024)
    except (OSError, ValueError):
        return None


def _cgroup_lines() -> list[str]:
    try:
        return Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []


def give_back() -> None:
    """Hand the memory freed by this process back to the system (glibc's ``malloc_trim``):
    freed blocks otherwise stay with the process, and count while Pagefind runs beside it.
    Nothing happens where there is no glibc. (The C library is the one this process runs on,
    ``dlopen(NULL)``: looking it up by name would start ``ldconfig``.)"""
    import ctypes
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass
