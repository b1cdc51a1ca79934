"""The daily loop: how many unit tests `make unit` runs and how long its Python part
takes, measured by running it (the command is read from the Makefile's `unit` recipe, so
this measures what `make unit` runs, not a copy of it).

    python -m bench.run loop        # or `make bench BENCH_ARGS=loop`; JSON on stdout

The wall time is the whole process — interpreter start, collection and the tests — as a
developer waits for it; pytest's own figure (tests only) is printed beside it. The target
(30 s on the 2-core machine, otherwise idle) is printed with a pass flag, never asserted.
"""
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30
# What pytest's summary counts that is a test run (not "deselected", "warnings").
TEST_OUTCOMES = {"passed", "failed", "skipped", "xfailed", "xpassed"}
# pytest -q's last line: "498 passed, 3 deselected in 28.49s" (or "1 failed, 2 passed …").
_SUMMARY = re.compile(r"^=*\s*(?P<counts>(?:\d+ \w+(?:, )?)+) in (?P<seconds>[\d.]+)s",
                      re.M)


def unit_command(makefile: Path = ROOT / "Makefile") -> list[str]:
    """The pytest command of the Makefile's `unit` recipe, with this interpreter."""
    recipe, in_unit = [], False
    for line in makefile.read_text("utf-8").splitlines():
        if re.match(r"^unit:", line):
            in_unit = True
        elif in_unit and line.startswith("\t"):
            recipe.append(line.strip())
        elif in_unit:
            break
    pytest = next(line for line in recipe if " -m pytest" in line)
    words = pytest.split()
    assert words[0] == "$(BIN)/python", pytest
    return [sys.executable, *words[1:]]


def summary(output: str) -> dict:
    """Counts by outcome and pytest's seconds, from pytest -q's output."""
    found = list(_SUMMARY.finditer(output))
    if not found:
        raise ValueError(f"no pytest summary in: {output[-500:]!r}")
    last = found[-1]
    counts = {word: int(n) for n, word in re.findall(r"(\d+) (\w+)", last.group("counts"))}
    return {"counts": counts, "pytest_seconds": float(last.group("seconds"))}


def timed(command: list[str]) -> dict:
    """`command` run in the repository as a developer waits for it: its wall seconds, the
    counts and seconds of the last pytest summary it printed, its exit code."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    found = summary(done.stdout)
    return {"wall_seconds": round(wall, 2), "pytest_seconds": found["pytest_seconds"],
            "outcomes": found["counts"], "exit_code": done.returncode}


def run() -> dict:
    command = unit_command()
    measured = timed(command)
    tests = sum(n for outcome, n in measured["outcomes"].items() if outcome in TEST_OUTCOMES)
    return {"command": " ".join(["python", *command[1:]]), "unit_tests": tests, **measured,
            "target": f"wall_seconds <= {TARGET_SECONDS}",
            "pass": measured["wall_seconds"] <= TARGET_SECONDS and measured["exit_code"] == 0}
