"""The all-in cost of a case at list prices, from what the bench measured for it.

Measured (bench/run.py): the API requests a case needs, every event-handler invocation,
each AWS call the API and the handlers make (by service and operation, transaction items
counted one by one), and the state transitions in the execution history. Assumed, and
printed with the result: item sizes under 1 KB (1 write unit per write, plus 1 for the
`inbox` index that open tasks and open cases are in), eventually consistent reads half a
unit, 100 ms per Lambda invocation at the configured memory, and one SQS send per
callback or conclusion state the workflow enters (its service integrations).
"""
PRICES_USD = {  # us-east-1 list prices
    "api_gateway_rest_per_million": 3.50,
    "lambda_request_per_million": 0.20,
    "lambda_gb_second": 0.0000166667,
    "step_functions_transition_per_thousand": 0.025,
    "dynamodb_write_unit_per_million": 0.625,
    "dynamodb_read_unit_per_million": 0.125,
    "sns_publish_per_million": 0.50,
    "sqs_request_per_million": 0.40,
    "eventbridge_event_per_million": 1.00,
    "kms_asymmetric_sign_per_ten_thousand": 0.15,
}
LAMBDA_SECONDS, LAMBDA_GB = 0.1, 0.5
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"}
READS = {"GetItem", "Query", "BatchGetItem", "Scan"}


def per_case(calls: dict[str, int], api_requests: int, invocations: int,
             transitions: int, callback_states: int) -> dict:
    """US dollars per case by service, from the counts of one case."""
    write_units = sum(n * 2 for op, n in calls.items() if op.startswith("dynamodb:transact:")
                      and not op.endswith(":ConditionCheck")) + \
        sum(n * 2 for op, n in calls.items() if op == "dynamodb:transact:ConditionCheck") + \
        sum(n * 2 for op, n in calls.items()  # the item and its index entry
            if op.split(":")[0] == "dynamodb" and op.split(":")[-1] in WRITES)
    read_units = sum(n * 0.5 for op, n in calls.items()
                     if op.split(":")[0] == "dynamodb" and op.split(":")[-1] in READS)
    sqs_requests = sum(n for op, n in calls.items() if op.startswith("sqs:")) + \
        callback_states * 3  # the workflow's send, and the consumer's receive and delete
    p = PRICES_USD
    cost = {
        "api_gateway": api_requests * p["api_gateway_rest_per_million"] / 1e6,
        "lambda": invocations * (p["lambda_request_per_million"] / 1e6
                                 + LAMBDA_SECONDS * LAMBDA_GB * p["lambda_gb_second"]),
        "step_functions": transitions * p["step_functions_transition_per_thousand"] / 1e3,
        "dynamodb": write_units * p["dynamodb_write_unit_per_million"] / 1e6
        + read_units * p["dynamodb_read_unit_per_million"] / 1e6,
        "sns": calls.get("sns:Publish", 0) * p["sns_publish_per_million"] / 1e6,
        "sqs": sqs_requests * p["sqs_request_per_million"] / 1e6,
        "eventbridge": calls.get("events:PutEvents", 0) * p["eventbridge_event_per_million"]
        / 1e6,
        "kms": calls.get("kms:Sign", 0) * p["kms_asymmetric_sign_per_ten_thousand"] / 1e4,
    }
    listed = ("api_gateway", "lambda", "step_functions", "dynamodb", "sns")
    cents = {k: round(v * 1000 * 100, 3) for k, v in cost.items()}
    return {
        "us_cents_per_1000_cases": cents,
        "us_cents_per_1000_cases_api_gateway_lambda_step_functions_dynamodb_sns":
            round(sum(cents[k] for k in listed), 3),
        "us_cents_per_1000_cases_everything": round(sum(cents.values()), 3),
        "units_per_case": {"api_requests": api_requests, "lambda_invocations": invocations,
                           "state_transitions": transitions,
                           "dynamodb_write_units": write_units,
                           "dynamodb_read_units": read_units, "sqs_requests": sqs_requests},
        "assumed": {"lambda_seconds_per_invocation": LAMBDA_SECONDS,
                    "lambda_memory_gb": LAMBDA_GB, "item_size": "< 1 KB",
                    "writes": "2 units (the item and its inbox-index entry); in a "
                              "transaction 2 per item"},
    }
