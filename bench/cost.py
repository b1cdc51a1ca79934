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
(its service integration) with the consumer's receive and delete. CloudWatch Logs: the
bytes our functions logged while the case ran (measured) plus Lambda's own lines per
invocation, ingested and kept six months; X-Ray: the traces the default sampling rule
records; SQS: Lambda's idle long polls of each queue, shared by a day's cases.
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
    "cloudwatch_logs_ingested_per_gb": 0.50,
    "cloudwatch_logs_stored_per_gb_month": 0.03,
    "xray_traces_recorded_per_million": 5.00,
}
# What Lambda itself writes to a function's log per invocation: START, END and REPORT
# lines (REPORT with its X-Ray segment id), ~350 bytes.
RUNTIME_LOG_BYTES = 350
# How long logs are kept (infra/template.json LogRetentionDays: 等保 2.0's six months).
LOG_MONTHS = 6
# X-Ray's default sampling rule: the first request each second, then 5 %. At a province's
# volume the 5 % is what counts; each API request and each handler invocation is a trace.
XRAY_SAMPLED = 0.05
# Lambda's pollers of an SQS event source: five long polls at once per queue, each up to
# 20 s (three a minute each), whether or not messages come — requests a day per queue,
# shared by every case of that day. Priced at DAILY_CASES cases a day (a province's
# ordinary day), over the queues the stack polls.
POLLS_PER_QUEUE_DAY = 5 * 3 * 60 * 24
DAILY_CASES = 50_000
# Milliseconds a function waits on one call, in region (typical, not worst case).
LATENCY_MS = {"dynamodb": 6, "sqs": 10, "states": 25, "events": 20, "sns": 20, "kms": 15,
              # A secret is read once per container and kept (adapters/secrets.py): in a
              # case's calls only when its container is new (the bench's first such case).
              "secretsmanager": 20}
FULL_VCPU_MB = 1769
CHALICE_CONFIG = Path(__file__).resolve().parent.parent / ".chalice" / "config.json"


def memory_mb() -> int:
    return int(json.loads(CHALICE_CONFIG.read_text("utf-8"))["lambda_memory_size"])


def lambda_seconds(calls: dict[str, int], own_cpu_s: float, memory: int) -> float:
    """Billed function time: our CPU time stretched to the memory's share of a vCPU,
    plus the wait on every AWS call."""
    waiting = sum(n * LATENCY_MS[op.split(":")[0]] for op, n in calls.items()) / 1000
    return own_cpu_s * max(1.0, FULL_VCPU_MB / memory) + waiting


def polled_queues() -> int:
    """The queues Lambda polls for the stack's functions (chalicelib/events/registry.py)."""
    from chalicelib.events import registry
    return sum(1 for function in registry.FUNCTIONS
               if isinstance(function.source, registry.Queue))


def per_case(spent: dict, transitions: int) -> dict:
    """US cents per 1,000 cases by service, from what one case spent."""
    calls, memory = spent["calls"], memory_mb()
    idle_polls = polled_queues() * POLLS_PER_QUEUE_DAY / DAILY_CASES
    sqs_requests = sum(n for op, n in calls.items() if op.startswith("sqs:")) + \
        spent["callback_states"] * 3 + idle_polls  # the workflow's send, receive, delete
    log_gb = (spent.get("log_bytes", 0) + spent["invocations"] * RUNTIME_LOG_BYTES) / 1e9
    traces = XRAY_SAMPLED * (spent["api_requests"] + spent["invocations"])
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
        "cloudwatch_logs": log_gb * (p["cloudwatch_logs_ingested_per_gb"]
                                     + LOG_MONTHS * p["cloudwatch_logs_stored_per_gb_month"]),
        "xray": traces * p["xray_traces_recorded_per_million"] / 1e6,
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
                           "sqs_requests": round(sqs_requests, 1),
                           "sqs_idle_polls": round(idle_polls, 1),
                           "log_bytes": spent.get("log_bytes", 0)
                           + spent["invocations"] * RUNTIME_LOG_BYTES,
                           "xray_traces": round(traces, 2)},
        "assumed": {"lambda_memory_mb": memory, "aws_call_latency_ms": LATENCY_MS,
                    "lambda_vcpu_at_mb": FULL_VCPU_MB,
                    "task_token_bytes": TOKEN_BYTES,
                    "conditionchecks_in_transactions": "billed as transactional writes",
                    "lambda_runtime_log_bytes_per_invocation": RUNTIME_LOG_BYTES,
                    "log_retention_months": LOG_MONTHS, "xray_sampled": XRAY_SAMPLED,
                    "sqs_polled_queues": polled_queues(),
                    "sqs_idle_polls_per_queue_day": POLLS_PER_QUEUE_DAY,
                    "cases_a_day": DAILY_CASES},
    }
