"""`make test`'s worker count: the cores, capped by a container's CPU quota and by the memory
(tests/workers.py)."""
import pytest

from tests import workers

GB = 1024 ** 3


@pytest.mark.parametrize("cores,quota,memory,expected", [
    (2, None, 24 * GB, 2),        # this machine: two cores, no quota, plenty of memory
    (64, 2.0, 256 * GB, 2),       # a container on a big host, allowed two cores
    (64, 2.5, 256 * GB, 2),       # a fraction of a core starts no worker
    (16, None, 5 * GB, 2),        # memory for two workers only
    (8, 0.5, None, 0),            # less than a core: one process
    (1, None, None, 0),           # one core: one process, not one worker
    (4, None, None, 4)])          # nothing known but the cores
def test_workers_are_the_cores_capped_by_the_quota_and_the_memory(cores, quota, memory,
                                                                  expected):
    assert workers.count(cores, quota, memory) == expected


def test_the_quota_is_read_from_cgroup_v2_then_v1(tmp_path):
    v2 = tmp_path / "v2"
    v2.mkdir()
    (v2 / "cpu.max").write_text("200000 100000\n")
    assert workers._quota_cores(v2) == 2.0
    (v2 / "cpu.max").write_text("max 100000\n")
    assert workers._quota_cores(v2) is None
    v1 = tmp_path / "v1" / "cpu"
    v1.mkdir(parents=True)
    (v1 / "cpu.cfs_quota_us").write_text("300000\n")
    (v1 / "cpu.cfs_period_us").write_text("100000\n")
    assert workers._quota_cores(v1.parent) == 3.0
    (v1 / "cpu.cfs_quota_us").write_text("-1\n")
    assert workers._quota_cores(v1.parent) is None
    assert workers._quota_cores(tmp_path / "none") is None


def test_the_memory_is_what_the_kernel_says_is_available(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24684000 kB\nMemAvailable:    4194304 kB\n")
    assert workers._available_memory(meminfo) == 4 * GB
    meminfo.write_text("MemTotal:       24684000 kB\n")
    assert workers._available_memory(meminfo) is None
