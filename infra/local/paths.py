"""Where a local stack keeps its files: the environment operators' commands read, the
clock offset, the outbox, the KMS keys kept across restarts. `build/` for `make run`;
`OW_LOCAL_DIR` when set — each e2e test stack gets a directory of its own, so a developer's
`make run` and the tests' stacks never read or write each other's files."""
import os
from pathlib import Path

BUILD = Path(__file__).resolve().parent.parent.parent / "build"


def local_dir() -> Path:
    return Path(os.environ.get("OW_LOCAL_DIR") or BUILD)


def env_file() -> Path:
    return local_dir() / "local-stack.json"


def clock_file() -> Path:
    return local_dir() / "local-clock.json"


def outbox_file() -> Path:
    return local_dir() / "local-outbox.jsonl"


def keys_file() -> Path:
    """The local KMS keys' ids and material, kept across restarts (infra/local/kms_keys.py)."""
    return local_dir() / "local-keys.json"
