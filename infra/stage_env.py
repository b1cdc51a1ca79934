"""The environment an operator's command runs with: the stage's (set by the operator, with
AWS credentials and region), or else the one `make run` wrote for the local stack."""
import json
import os
import sys

from infra.local import paths


def load(required: str, hint: str) -> bool:
    """True when `required` is set or the local stack's environment was loaded; else
    say what to set (`hint`) and return False."""
    if required in os.environ:
        return True
    local_env = paths.env_file()
    if not local_env.exists():
        print(f"set the stage's environment ({hint}) or start `make run` first",
              file=sys.stderr)
        return False
    os.environ.update(json.loads(local_env.read_text("utf-8")))
    return True


def configure():
    """The app wired for an operator's command: what it found on stdout, the app's logs on
    stderr (a pipe into `jq` gets only the answer)."""
    from chalicelib import logs, wiring
    logs.configure(stream=sys.stderr)
    return wiring.configure()
