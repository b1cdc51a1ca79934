"""The whole suite's wall time: `make test` as CI runs it (the test files shared out among
every core) beside `make test PYTEST_WORKERS=0` (one process, in order), one after the
other on the same machine, each timed as a developer waits for it — lint, types, the front
end's build and unit tests, then pytest.

    python -m bench.run suite       # or `make bench BENCH_ARGS=suite`; JSON on stdout

Two whole runs of the suite: tens of minutes on a 2-core machine. The target (12 minutes
for `make test` on the 2-core machine, otherwise idle) is printed with a pass flag, never
asserted; the ratio of the two runs is what stays comparable on a machine whose speed
varies from day to day.
"""
import subprocess

from bench.loop import ROOT, timed

TARGET_SECONDS = 12 * 60
RUNS = {"make test": ["make", "test"],
        "make test PYTEST_WORKERS=0": ["make", "test", "PYTEST_WORKERS=0"]}


def run() -> dict:
    # Set up once beforehand (a first `make` may install packages), so both runs start equal.
    subprocess.run(["make", "setup", "web"], cwd=ROOT, check=True, capture_output=True)
    result = {name: timed(command) for name, command in RUNS.items()}
    parallel, serial = result["make test"], result["make test PYTEST_WORKERS=0"]
    result["parallel_over_serial"] = round(parallel["wall_seconds"] / serial["wall_seconds"], 2)
    result["target"] = f"make test wall_seconds <= {TARGET_SECONDS}"
    result["pass"] = parallel["wall_seconds"] <= TARGET_SECONDS and parallel["exit_code"] == 0
    return result
