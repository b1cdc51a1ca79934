"""The bench's all-in price of a case (bench/cost.py): what it adds beyond the calls a case
makes — the logs it writes, the traces X-Ray records, the queues' idle polls."""
from bench import cost

SPENT = {"calls": {"sqs:SendMessage": 2, "dynamodb:GetItem": 5}, "api_requests": 4,
         "invocations": 40, "callback_states": 3, "own_cpu_s": 0.2, "write_units": 200,
         "read_units": 80, "log_bytes": 0}


def test_logs_are_priced_from_what_was_written_and_lambdas_own_lines():
    quiet = cost.per_case(SPENT, 4)
    chatty = cost.per_case({**SPENT, "log_bytes": 1_000_000}, 4)
    assert quiet["units_per_case"]["log_bytes"] == 40 * cost.RUNTIME_LOG_BYTES
    per_gb = cost.PRICES_USD["cloudwatch_logs_ingested_per_gb"] + \
        cost.LOG_MONTHS * cost.PRICES_USD["cloudwatch_logs_stored_per_gb_month"]
    # One more MB a case: per_gb / 1,000 dollars a case, in cents per 1,000 cases.
    added = chatty["us_cents_per_1000_cases"]["cloudwatch_logs"] - \
        quiet["us_cents_per_1000_cases"]["cloudwatch_logs"]
    assert abs(added - per_gb / 1000 * 1000 * 100) < 0.01


def test_traces_follow_the_sampling_and_idle_polls_are_shared_by_a_days_cases():
    priced = cost.per_case(SPENT, 4)
    assert priced["units_per_case"]["xray_traces"] == round(cost.XRAY_SAMPLED * 44, 2)
    idle = cost.polled_queues() * cost.POLLS_PER_QUEUE_DAY / cost.DAILY_CASES
    assert priced["units_per_case"]["sqs_idle_polls"] == round(idle, 1)
    assert priced["units_per_case"]["sqs_requests"] == round(2 + 3 * 3 + idle, 1)
    assert cost.polled_queues() >= 5
    everything = priced["us_cents_per_1000_cases_everything"]
    assert abs(everything - sum(priced["us_cents_per_1000_cases"].values())) < 0.01
