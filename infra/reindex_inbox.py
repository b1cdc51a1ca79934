"""`make reindex-inbox`: give every task in a department's inbox the keys of the inbox's
filter indexes (chalicelib/domain/inbox_filters.py). Run once on a stage whose open tasks
were written before those indexes existed (docs/runbook.md); it writes only the tasks that
need it, so running it again is harmless. Against a deployment, run it with the stage's
environment (OW_CASES_TABLE, AWS credentials and region); against `make run`, it reads the
environment the local stack wrote (infra/local/paths.py)."""
import json
import sys

from infra import stage_env


def main() -> int:
    if not stage_env.load("OW_CASES_TABLE", "OW_CASES_TABLE…"):
        return 2
    from chalicelib.services import tasks
    stage_env.configure()
    print(json.dumps(tasks.reindex_inbox(), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
