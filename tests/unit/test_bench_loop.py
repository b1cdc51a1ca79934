"""The loop bench measures what `make unit` runs and reads pytest's summary right."""
import sys

import pytest

from bench import loop


def test_it_runs_the_pytest_command_of_the_makefiles_unit_recipe():
    assert loop.unit_command() == [sys.executable, "-m", "pytest", "-q", "tests/unit"]


def test_a_recipe_is_read_up_to_the_next_target(tmp_path):
    makefile = tmp_path / "Makefile"
    makefile.write_text("unit: setup\n\t$(BIN)/python -m pytest -x tests/unit\n\tcd web\n\n"
                        "other:\n\t$(BIN)/python -m pytest tests/other\n", "utf-8")
    assert loop.unit_command(makefile) == [sys.executable, "-m", "pytest", "-x", "tests/unit"]


@pytest.mark.parametrize("output,counts,seconds", [
    ("....\n498 passed in 28.94s\n", {"passed": 498}, 28.94),
    ("F.\n=== short test summary info ===\nFAILED t.py::x\n1 failed, 199 passed in 4.60s\n",
     {"failed": 1, "passed": 199}, 4.6),
    ("48 passed, 1 warning in 96.61s (0:01:36)\n", {"passed": 48, "warning": 1}, 96.61),
    ("498 passed, 3 deselected in 28.49s\n", {"passed": 498, "deselected": 3}, 28.49)])
def test_the_summary_gives_counts_by_outcome_and_pytests_seconds(output, counts, seconds):
    assert loop.summary(output) == {"counts": counts, "pytest_seconds": seconds}


def test_output_without_a_summary_is_an_error_not_zero_tests():
    with pytest.raises(ValueError):
        loop.summary("ImportError while loading conftest\n")


def test_the_suite_bench_runs_make_test_as_the_makefile_shares_it_out_and_in_one_process():
    from bench import loop, suite
    makefile = (loop.ROOT / "Makefile").read_text("utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "-m pytest -q $(PYTEST_PARALLEL)" in recipe
    assert "PYTEST_PARALLEL = -n $(PYTEST_WORKERS) --dist loadfile" in makefile
    # The one-process run is the same recipe with the variable the Makefile reads.
    assert "ifeq ($(origin PYTEST_WORKERS),undefined)\n" \
        "PYTEST_WORKERS := $(shell $(PYTHON) -m tests.workers)\nendif" in makefile
    assert suite.RUNS["make test PYTEST_WORKERS=0"] == [*suite.RUNS["make test"],
                                                       "PYTEST_WORKERS=0"]
