"""The TypeScript types of API v1, web/src/api/schema.d.ts: openapi-typescript's output for
the OpenAPI document the contract's models produce (what `GET /openapi.json` serves), made
without a server.

    .venv/bin/python -m infra.typescript_schema            # rewrite web/src/api/schema.d.ts
    .venv/bin/python -m infra.typescript_schema OUT.d.ts   # write it elsewhere

openapi-typescript runs with its defaults, as an integrator would, but one:
`--default-non-nullable=false`. By default it types a property that has a `default` as
always present, which holds for no request body (`Applicant.phone` is optional) and for
no answer whose model omits its defaults (`omit_defaults`: a license's status); here
such a property is optional, as the document says. Nothing else is papered over: what
the document leaves loose shows as loose (or `never`) types.
tests/e2e/test_typescript_client.py fails while the committed file is stale.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
SCHEMA = WEB / "src" / "api" / "schema.d.ts"
OPENAPI_TYPESCRIPT = WEB / "node_modules" / ".bin" / "openapi-typescript"


def openapi_document() -> dict:
    """The document as served, less the stage's identity provider (a deployment's, not
    the contract's)."""
    import app  # noqa: F401  (registers the routes the document lists)
    from chalicelib.contract.openapi import document
    return document()


def generate(output: Path = SCHEMA) -> Path:
    if not OPENAPI_TYPESCRIPT.exists():
        raise SystemExit(f"{OPENAPI_TYPESCRIPT.relative_to(ROOT)} is missing: run `make setup`")
    output.parent.mkdir(parents=True, exist_ok=True)
    # The document on stdin: nothing written beside the output, even on a failure.
    result = subprocess.run([str(OPENAPI_TYPESCRIPT), "--default-non-nullable=false",
                             "--output", str(output)], cwd=WEB,
                            input=json.dumps(openapi_document(), ensure_ascii=False),
                            text=True, capture_output=True)
    if result.returncode:
        raise SystemExit(f"openapi-typescript failed:\n{result.stdout}{result.stderr}")
    return output


if __name__ == "__main__":
    print(generate(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else SCHEMA))
