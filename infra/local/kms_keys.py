"""The local stack's KMS keys keep their ids and material across restarts.

moto makes every KMS key from fresh random material under a random id, so each `make run`
signed with a new license key: every license signed before a restart stopped verifying
against the keys the stack then published, and nothing said so. Installed in moto's
process (infra/local/moto_process.py, `--keys-file`), this gives each key the stack
creates the id and material kept for it in the stack's key file
(`local-keys.json` in OW_LOCAL_DIR or build/, infra/local/paths.py; written on the first
start, readable by its owner only): the license signing key (ECC_NIST_P256, or SM2 for a
region that signs with 国密) and the personal-data key (symmetric) are the same keys, with
the same ARNs, after a restart.

A key is known by its account, region, key spec and description — the template's
(infra/template.json) — and the first key of each kind a run creates takes the kept one.
The app is not involved: it calls KMS (Sign, GetPublicKey, GenerateDataKey, Decrypt)
exactly as in AWS, where KMS keeps its keys and this module is never loaded. Delete the
file to start with new keys (licenses signed before then no longer verify here).
"""
import base64
import functools
import json
import os
import threading
from pathlib import Path

_lock = threading.Lock()


def install(path: Path) -> None:
    """Patch moto's KMS keys as the module docstring says (once per process)."""
    from moto.kms import models
    if getattr(models.Key.__init__, "_kept_keys", None):
        return
    made = models.Key.__init__
    taken: set[str] = set()

    @functools.wraps(made)
    def init(key, *args, **kwargs):
        made(key, *args, **kwargs)
        kind = "|".join((key.account_id, key.region, key.key_spec, key.description))
        with _lock:
            if kind in taken:  # a second key of the same kind in this run: its own
                return
            taken.add(kind)
            kept = _read(path)
            if kind in kept:
                _restore(key, kept[kind])
            else:
                kept[kind] = _export(key)
                _write(path, kept)
    init._kept_keys = True
    models.Key.__init__ = init


def _export(key) -> dict:
    from cryptography.hazmat.primitives import serialization
    kept = {"id": key.id, "material": base64.b64encode(key.key_material).decode("ascii")}
    if hasattr(key.private_key, "private_hex"):   # an SM2 key (moto_shim.py, part 9)
        return {**kept, "sm2": key.private_key.private_hex}
    private = key.private_key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    return {**kept, "privateKey": private.decode("ascii")}


def _restore(key, kept: dict) -> None:
    from cryptography.hazmat.primitives import serialization
    key.id = kept["id"]
    key.arn = f"{key.arn.rsplit('/', 1)[0]}/{kept['id']}"
    key.key_material = base64.b64decode(kept["material"])
    if "sm2" in kept:
        from chalicelib.domain import sm2
        key.private_key.private_hex = kept["sm2"]
        key.private_key.point = sm2.public_point(kept["sm2"])
        return
    key.private_key.private_key = serialization.load_pem_private_key(
        kept["privateKey"].encode("ascii"), password=None)


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text("utf-8"))["keys"]
    except FileNotFoundError:
        return {}


def _write(path: Path, keys: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        json.dump({"keys": keys}, file, indent=1)
    temporary.replace(path)  # whole: a reader never sees half a file
