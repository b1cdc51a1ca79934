"""The all-in cost of a case at list prices, from what the bench measured for it.

Measured (bench/run.py) while one case goes from application to license: the API
requests it takes (the applicant's, the clerk's, each department's), every event-handler
invocation, each AWS call the API and the handlers make (by service and operation), the
DynamoDB capacity units of those calls from the real items before and after each write
(bench/capacity.py), the CPU time our own code spent, and the state transitions in the
execution history.

Assumed, and printed with the result: the time a Lambda function waits on each AWS call
(in-region latency, LATENCY_MS), Lambda CPU in proportion to memory (one vCPU at 1,769
MB, so our measured CPU time stretches by 1,769 / memory below that), the functions'
memory (.chalice/config.json), and one SQS send per callback state the workflow enters
(its service integration) with the consumer's receive and delete.
"""
import json
from pathlib import Path

from bench.capacity import TOKEN_BYTES

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
# Milliseconds a function waits on one call, in region (typical, not worst case).
LATENCY_MS = {"dynamodb": 6, "sqs": 10, "states": 25, "events": 20, "sns": 20, "kms": 15}
FULL_VCPU_MB = 1769
CHALICE_CONFIG = Path(__file__).resolve().parent.parent / ".chalice" / "config.json"


def memory_mb() -> int:
    return int(json.loads(CHALICE_CONFIG.read_text("utf-8"))["lambda_memory_size"])


def lambda_seconds(calls: dict[str, int], own_cpu_s: float, memory: int) -> float:
    """Billed function time: our CPU time stretched to the memory's share of a vCPU,
    plus the wait on every AWS call."""
    waiting = sum(n * LATENCY_MS[op.split(":")[0]] for op, n in calls.items()) / 1000
    return own_cpu_s * max(1.0, FULL_VCPU_MB / memory) + waiting


def per_case(spent: dict, transitions: int) -> dict:
    """US cents per 1,000 cases by service, from what one case spent."""
    calls, memory = spent["calls"], memory_mb()
    sqs_requests = sum(n for op, n in calls.items() if op.startswith("sqs:")) + \
        spent["callback_states"] * 3  # the workflow's send, the consumer's receive, delete
    seconds = lambda_seconds(calls, spent["own_cpu_s"], memory)
    p = PRICES_USD
    cost = {
        "api_gateway": spent["api_requests"] * p["api_gateway_rest_per_million"] / 1e6,
        "lambda": spent["invocations"] * p["lambda_request_per_million"] / 1e6
        + seconds * memory / 1024 * p["lambda_gb_second"],
        "step_functions": transitions * p["step_functions_transition_per_thousand"] / 1e3,
        "dynamodb": spent["write_units"] * p["dynamodb_write_unit_per_million"] / 1e6
        + spent["read_units"] * p["dynamodb_read_unit_per_million"] / 1e6,
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
        "units_per_case": {"api_requests": spent["api_requests"],
                           "lambda_invocations": spent["invocations"],
                           "lambda_seconds": round(seconds, 3),
                           "our_cpu_seconds_measured": round(spent["own_cpu_s"], 3),
                           "state_transitions": transitions,
                           "dynamodb_write_units": spent["write_units"],
                           "dynamodb_read_units": spent["read_units"],
                           "sqs_requests": sqs_requests},
        "assumed": {"lambda_memory_mb": memory, "aws_call_latency_ms": LATENCY_MS,
                    "lambda_vcpu_at_mb": FULL_VCPU_MB,
                    "task_token_bytes": TOKEN_BYTES,
                    "conditionchecks_in_transactions": "billed as transactional writes"},
    }
