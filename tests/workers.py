"""How many processes `make test` shares the test files out to (pytest-xdist's `-n`):

    python3 -m tests.workers      # prints the number; 0 means one process, no workers

xdist's own `-n auto` counts the cores this process may be scheduled on, which inside a
container is often every core of the host, while the container's CPU quota (cgroup
`cpu.max`) lets it use two: four times too many workers, each with its own moto, local
stacks and Chromium, fight over two cores and the memory. So: the cores this process may
run on, capped by the cgroup's quota, capped by the memory available (a worker holding a
local stack and a Chromium needs up to `MEMORY_PER_WORKER`); 0 when that leaves one,
since a single worker only adds its start-up to one process.

Standard library only: the Makefile runs it before the virtualenv exists.
"""
import math
import os
from pathlib import Path

MEMORY_PER_WORKER = 2 * 1024 ** 3
CGROUP = Path("/sys/fs/cgroup")


def _quota_cores(cgroup: Path) -> float | None:
    """The CPU quota of the cgroup in cores (v2 `cpu.max`, else v1 `cpu.cfs_quota_us` over
    `cpu.cfs_period_us`); None when there is none."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()[:2]
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota = int((cgroup / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((cgroup / "cpu" / "cpu.cfs_period_us").read_text())
        return None if quota <= 0 else quota / period
    except (OSError, ValueError):
        return None


def _available_memory(meminfo: Path) -> int | None:
    """MemAvailable in bytes; None when the kernel does not say."""
    try:
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def count(cores: int, quota: float | None, memory: int | None) -> int:
    """Workers for `cores` schedulable cores, a CPU quota in cores (None: none) and the
    memory available in bytes (None: unknown); 0 for one process."""
    workers = cores
    if quota is not None:
        workers = min(workers, max(1, math.floor(quota)))
    if memory is not None:
        workers = min(workers, max(1, memory // MEMORY_PER_WORKER))
    return workers if workers > 1 else 0


def here() -> int:
    """The count for this machine (or container)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
        else (os.cpu_count() or 1)
    return count(cores, _quota_cores(CGROUP), _available_memory(Path("/proc/meminfo")))


if __name__ == "__main__":
    print(here())
