"""Change one entry of the supervision record straight in DynamoDB, as anyone with write
access to the table could, so a walk-through sees `make verify-audit` catch it.

    python -m infra.local.tamper [--day YYYY-MM-DD]

It takes the first chain of the day (default: the local clock's today) that holds an
entry, backdates that first entry by an hour (`at`) and leaves the entry's hashes as they
were; it prints the chain, the entry and the change. Local only: it reads the
environment `make run` wrote and refuses to run with a stage's environment set.
"""
import argparse
import json
import os
import sys
from datetime import date, timedelta

from infra import stage_env

FIRST = 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tamper", description=__doc__.split("\n")[0])
    parser.add_argument("--day", type=date.fromisoformat)
    args = parser.parse_args(argv)
    if "OW_SUPERVISION_TABLE" in os.environ:
        print("tamper changes the local stack's record only: unset the stage's environment",
              file=sys.stderr)
        return 2
    if not stage_env.load("OW_SUPERVISION_TABLE", "start `make run`"):
        return 2
    from chalicelib import config
    from chalicelib.adapters import aws
    from chalicelib.domain import chain as chains
    from chalicelib.domain import worktime
    from chalicelib.services import clock
    stage_env.configure()
    day = args.day or clock.local_date(clock.now())
    table = config.get().supervision_table
    for name in chains.labels(day.isoformat()):
        chain = chains.chain_id(config.get().area_code, name)
        found = aws.client("dynamodb").get_item(
            TableName=table, Key={"chain": {"S": chain}, "seq": {"N": str(FIRST)}},
            ConsistentRead=True).get("Item")
        if found:
            break
    else:
        print(f"nothing recorded on {day}", file=sys.stderr)
        return 1
    body = json.loads(found["body"]["S"])
    was = body["at"]
    body["at"] = worktime.utc_text(worktime.parse(was) - timedelta(hours=1))
    aws.client("dynamodb").update_item(
        TableName=table, Key={"chain": {"S": chain}, "seq": {"N": str(FIRST)}},
        UpdateExpression="SET body = :body",
        ExpressionAttributeValues={":body": {"S": json.dumps(body, ensure_ascii=False)}})
    print(json.dumps({"chain": chain, "seq": FIRST, "at": [was, body["at"]]},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
