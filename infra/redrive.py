"""`make redrive`: move what the dead-letter queues hold back to the queues it came from,
once the cause is fixed (docs/runbook.md). Against a deployment, run it with the stage's
environment (OW_DEAD_LETTER_QUEUE_URLS, AWS credentials and region); against `make run`,
it reads the environment the local stack wrote (infra/local/paths.py)."""
import json
import sys

from infra import stage_env


def main() -> int:
    if not stage_env.load("OW_DEAD_LETTER_QUEUE_URLS", "OW_DEAD_LETTER_QUEUE_URLS…"):
        return 2
    from chalicelib.services import operations
    stage_env.configure()
    print(json.dumps({"moved": operations.redrive()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
