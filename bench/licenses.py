"""License verification (issue: materials and licenses): how fast a license verifies
offline (the library function: RFC 8785 bytes, an ECDSA P-256 check) and through the API
in process (the same checks, the library lookup and the use-log write, on moto), measured
in alternating rounds on one process; the median of each and of their per-round ratio.
The DynamoDB calls per verification are in `dynamodb_calls_per_route`."""
import statistics
import time


def verification_rates(stack, signed: dict, rounds: int = 7, per_round: int = 100) -> dict:
    from chalicelib.domain import license_proof
    from chalicelib.services import clock
    keys = stack.call("GET", "/.well-known/license-keys").data["keys"]
    today = clock.local_date(clock.now())
    body = {**signed, "purpose": "bench"}
    assert license_proof.verify(signed, keys, today).valid
    assert stack.call("POST", "/licenses/verify", body=body).data["valid"]
    offline, api = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(per_round):
            license_proof.verify(signed, keys, today)
        offline.append(per_round / (time.perf_counter() - started))
        started = time.perf_counter()
        for _ in range(per_round // 10):
            stack.call("POST", "/licenses/verify", body=body)
        api.append(per_round // 10 / (time.perf_counter() - started))
    return {
        "offline_per_second_median": round(statistics.median(offline)),
        "api_in_process_on_moto_per_second_median": round(statistics.median(api), 1),
        "offline_to_api_ratio_median": round(statistics.median(
            o / a for o, a in zip(offline, api, strict=True)), 1),
        "rounds": rounds,
        "note": "offline: license_proof.verify with the JWKS in memory; API: POST "
                "/licenses/verify through Chalice's test client on moto (its library "
                "GetItem and use-log PutItem emulated in process)"}
