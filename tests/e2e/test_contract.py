"""The API keeps its published contract under fuzzing: every operation, valid and invalid
input, as the catalogue admin (who may call the most), against the local stack as `make
run` serves it (the checks: tests/e2e/contract_runs.py). Each role on its own routes with
real resources: test_contract_roles.py."""

from tests.e2e import contract_runs


def test_every_operation_keeps_the_contract_under_fuzzing(served, tmp_path):
    stack, api = served
    contract_runs.run(stack.url, api.token("admin"), tmp_path, "admin")
