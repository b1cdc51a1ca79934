"""`make verify-audit`: check the supervision record — every KMS-signed seal in the
write-once store, and every chain of the days asked for (those the seals list and those the
table holds) entry by entry against them — and name, per chain, the first entry that is not
as it was sealed or recorded. Exit 0 when every seal and chain holds, 1 when one does not.

    python -m infra.verify_audit [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--area CODE]

Against a deployment, run it with the stage's environment (OW_SUPERVISION_TABLE,
OW_SUPERVISION_SEALS_BUCKET, OW_SIGNING_KEY_ID, OW_AREA_CODE, AWS credentials and region)
and read access to them (docs/runbook.md);
against `make run`, it reads the environment the local stack wrote. Days default to the
last 31 up to today (the region's office date).
"""
import argparse
import json
import sys
from datetime import date, timedelta

from infra import stage_env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="verify-audit", description=__doc__.split("\n")[0])
    parser.add_argument("--from", dest="start", type=date.fromisoformat)
    parser.add_argument("--to", dest="end", type=date.fromisoformat)
    parser.add_argument("--area")
    args = parser.parse_args(argv)
    if not stage_env.load("OW_SUPERVISION_TABLE", "OW_SUPERVISION_TABLE, OW_SIGNING_KEY_ID…"):
        return 2
    from chalicelib.services import clock, supervision_record
    stage_env.configure()
    end = args.end or clock.local_date(clock.now())
    start = args.start or end - timedelta(days=supervision_record.MAX_DAYS - 1)
    if start > end:
        parser.error("--from is after --to")
    found = supervision_record.report(start, end, args.area)
    print(json.dumps(found, ensure_ascii=False, indent=1))
    return 0 if found["holds"] else 1


if __name__ == "__main__":
    sys.exit(main())
