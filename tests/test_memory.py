"""The memory a build may still use (sitegen/memory.py)."""
from sitegen import memory


def test_the_machines_available_memory_is_read():
    free = memory.available_mb()
    assert free is not None and free > 0


def test_the_operators_setting_lowers_the_budget(monkeypatch):
    monkeypatch.setenv("SITEGEN_MEMORY_MB", "7")
    assert memory.available_mb() == 7


def test_a_setting_above_what_is_available_does_not_raise_it(monkeypatch):
    monkeypatch.setenv("SITEGEN_MEMORY_MB", str(10 ** 9))
    assert memory.available_mb() < 10 ** 9


def test_a_cgroup_limit_counts_what_the_group_uses(tmp_path, monkeypatch):
    group = tmp_path / "memory" / "build"
    group.mkdir(parents=True)
    (group / "memory.limit_in_bytes").write_text(str(600 * 2 ** 20))
    (group / "memory.usage_in_bytes").write_text(str(450 * 2 ** 20))
    monkeypatch.setattr(memory, "CGROUP", tmp_path)
    monkeypatch.setattr(memory, "_cgroup_lines", lambda: ["4:memory:/build"])
    assert memory._cgroup_room() == 150


def test_the_budget_is_the_peak_goal_unless_the_operator_sets_one(monkeypatch):
    monkeypatch.delenv("SITEGEN_MEMORY_MB", raising=False)
    assert memory.budget_mb() == memory.PEAK_MB
    monkeypatch.setenv("SITEGEN_MEMORY_MB", "2000")
    assert memory.budget_mb() == 2000


def test_what_the_process_holds_is_read():
    held = memory.used_mb()
    assert held is not None and 0 < held < memory.available_mb() + held


def test_memory_freed_by_the_build_goes_back_to_the_system():
    """Freed blocks stay with the process until ``give_back`` (glibc keeps them for reuse):
    then what Pagefind may take beside the build is what the build really holds."""
    held = [bytes(3000) + bytes([number % 256]) for number in range(60_000)]   # about 180 MB
    with_them = memory.used_mb()
    del held
    memory.give_back()
    assert memory.used_mb() < with_them - 100
