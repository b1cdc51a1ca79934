"""Verify a signed e-license or formal document offline: nothing but it and a key set.

    python -m infra.verify_license signed.json --keys jwks.json
    python -m infra.verify_license signed.json --keys https://<region>/.well-known/license-keys

`signed.json` is the license as its holder downloads it ({"license", "signature"}), or a
decision's document (文书) as its applicant does ({"document", "signature"}); the keys are
a JWKS (a region's published key set, or several regions' merged). It prints the verdict
(valid, reason, identifier, kid) and exits 0 when it is valid, 1 when it is not. Whether
the issuer has since suspended or revoked a license, or superseded or annulled a document,
is answered online only (`POST /licenses/verify`, `POST /documents/verify`). The
procedure, for other languages and for `openssl`: docs/licenses.md, docs/documents.md.
"""
import argparse
import json
import math
import sys
import urllib.request
from datetime import date
from pathlib import Path

from chalicelib.domain import document_proof, license_proof


def _keys(where: str) -> list[dict]:
    if where.startswith(("https://", "http://")):
        with urllib.request.urlopen(where, timeout=10) as answer:
            return json.load(answer)["keys"]
    with open(where, encoding="utf-8") as file:
        return json.load(file)["keys"]


def _signed(text: str) -> dict:
    """The license as given, or {} (malformed) for what no issuer signs: not JSON, NaN, or
    a number too large for a float (Python would read 1e999 as an infinity)."""
    def no_constant(name: str):
        raise ValueError(f"{name} is not a JSON number")

    def finite(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            raise ValueError(f"{literal} is too large for a float")
        return value
    try:
        value = json.loads(text, parse_constant=no_constant, parse_float=finite)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify_license",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("signed", help="the signed license or document (JSON file, - for "
                                       "stdin)")
    parser.add_argument("--keys", required=True, help="a JWKS file or URL")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(),
                        help="the date the license must still be valid on")
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.signed == "-" else Path(args.signed).read_text("utf-8")
    signed = _signed(text)
    verdict = document_proof.verify(signed, _keys(args.keys)) if "document" in signed \
        else license_proof.verify(signed, _keys(args.keys), args.today)
    print(json.dumps(verdict.as_dict(), ensure_ascii=False))
    return 0 if verdict.valid else 1


if __name__ == "__main__":
    sys.exit(main())
