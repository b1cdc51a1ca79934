"""`make sweep`: run the overdue sweep now — warnings, cards, missed deadlines, the
changes left unsettled replayed (the reconciliation, services/settlement.py; `unsettled`
counts them), the supervision record sealed — as the scheduled `OverdueSweep` would, and
print what it did.

Against `make run` it reads the environment the local stack wrote (with its clock, set
ahead by `make clock`); against a deployment, with the stage's environment set (or invoke
the function: `aws lambda invoke --function-name <stack>-OverdueSweep`).
"""
import json
import sys

from infra import stage_env


def main() -> int:
    if not stage_env.load("OW_CASES_TABLE", "OW_CASES_TABLE, OW_SUPERVISION_TABLE…"):
        return 2
    from chalicelib import wiring
    from chalicelib.services import clock, overdue
    stage_env.configure()
    counts = overdue.run(wiring.stores().supervision)
    print(json.dumps({"asOf": clock.now().strftime("%Y-%m-%dT%H:%M:%SZ"), **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
