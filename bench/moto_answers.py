"""What the moto shim's answer parts save (infra/local/moto_shim.py, parts 6 and 7:
DynamoDB's answers written as they are, each JSONPath parsed once): the same integration
tests run with the shim as it is and with those parts taken back
(bench/moto_unshimmed.py), in turn, and the CPU seconds each run took (pytest and what
it waited for) — their medians and the median of the per-pair ratios.

    python -m bench.run moto       # or `make bench BENCH_ARGS=moto`; JSON on stdout
"""
import resource
import subprocess
import sys

from bench.loop import ROOT
from bench.paired import alternate

TESTS = ["tests/integration/test_approval_flow.py", "tests/integration/test_lifecycle_paths.py"]
PAIRS = 3


def _cpu_seconds(*plugin: str) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", *plugin, *TESTS], cwd=ROOT,
                          capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(done.stdout[-3000:] + done.stderr[-3000:])
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run(pairs: int = PAIRS) -> dict:
    result = alternate(("shimmed_cpu_seconds", _cpu_seconds),
                       ("motos_own_cpu_seconds",
                        lambda: _cpu_seconds("-p", "bench.moto_unshimmed")),
                       pairs, digits=1)
    return {"tests": TESTS, **result,
            "ratio": "shimmed / moto's own serializer and JSONPath parsing (CPU seconds)"}
