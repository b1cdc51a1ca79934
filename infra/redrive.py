"""`make redrive`: move what the dead-letter queues hold back to the queues it came from,
once the cause is fixed (docs/runbook.md). Against a deployment, run it with the stage's
environment (OW_DEAD_LETTER_QUEUE_URLS, AWS credentials and region); against `make run`,
it reads the environment the local stack wrote to build/local-stack.json."""
import json
import os
import sys
from pathlib import Path

LOCAL_ENV = Path(__file__).resolve().parent.parent / "build" / "local-stack.json"


def main() -> int:
    if "OW_DEAD_LETTER_QUEUE_URLS" not in os.environ:
        if not LOCAL_ENV.exists():
            print("set the stage's environment (OW_DEAD_LETTER_QUEUE_URLS…) or start "
                  "`make run` first", file=sys.stderr)
            return 2
        os.environ.update(json.loads(LOCAL_ENV.read_text("utf-8")))
    from chalicelib import wiring
    from chalicelib.services import operations
    wiring.configure()
    print(json.dumps({"moved": operations.redrive()}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
