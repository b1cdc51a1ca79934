"""schemathesis, driven by /openapi.json, against the local stack as `make run` serves it
(tests/e2e/test_contract.py, test_contract_roles.py).

Checks (all of schemathesis's): no server error, every status documented, every body and
header as the document says, schema-violating input refused, a request the document
admits never refused as invalid (`positive_data_acceptance`: never a 400 — what the
document cannot state, a check character, an item or a material that does not fit, a
control character inside a form, a state, is a 401/403/404/409/422: docs/errors.md),
undeclared methods answered 405 with Allow, routes that need a token refuse a request
without one. Each run has a seed of the suite's own and bounded examples.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from infra.local import demo

# Every check schemathesis has; those that need the stateful phase (use_after_free,
# ensure_resource_availability, object_level_authorization) find nothing to check in these.
CHECKS = "all"
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
FOOD = demo.code_of("000201012000", "SCJG")


# What a request the document admits may be answered (positive_data_acceptance): never 400
# (nor 5xx).
ADMITTED = ["2XX", "304", "401", "403", "404", "409", "412", "422", "429"]


def run(url: str, token: str, tmp_path: Path, name: str, *, parameters=None,
        include: tuple[str, ...] = (), max_examples: int = 8,
        every_refusal: bool = True) -> str:
    """schemathesis on the document at `url` as the holder of `token`, valid and invalid
    input; its output (a failed assertion with the failures if there were any).

    `every_refusal=False`: the coverage phase only with valid input, and no undeclared
    methods — for a pass whose operations another pass has already walked through every
    invalid input and method the document rules out (test_contract.py's, every
    operation): the invalid input is refused before the path's resources are looked at,
    so a pass with real ones would repeat it. Its examples and fuzzing phases still send
    invalid input too."""
    config = tmp_path / f"{name}.toml"
    lines = ['[generation]', 'mode = "all"']
    if not every_refusal:
        lines += ["[phases.coverage]", "unexpected-methods = []",
                  "[phases.coverage.generation]", 'mode = "positive"']
    if parameters:
        lines.append("[parameters]")
        lines += [f"{json.dumps(key)} = {json.dumps(value)}"
                  for key, value in parameters.items()]
    lines += ["[checks.positive_data_acceptance]",
              f"expected-statuses = {json.dumps(ADMITTED)}"]
    config.write_text("\n".join(lines) + "\n", "utf-8")
    command = [str(SCHEMATHESIS), "--config-file", str(config), "run",
               f"{url}/openapi.json", "--checks", CHECKS,
               "--max-examples", str(max_examples), "--workers", "1",
               "--phases", "examples,coverage,fuzzing", "--seed", "20261125",
               "-H", f"Authorization: Bearer {token}", "--max-failures", "50",
               "--suppress-health-check", "all"]
    for tag in include:
        command += ["--include-tag", tag]
    env = {**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"}
    result = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-20000:]
    assert " passed" in output and "failures" not in output.split("SUMMARY")[-1], \
        output[-5000:]
    return output
