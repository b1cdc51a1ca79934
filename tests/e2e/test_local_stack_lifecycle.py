"""The local stack over its life: stopped while busy it stops cleanly (the event pump
before moto), stopped with signals in quick succession it always ends, and restarted it
keeps its word — its signing key (a license signed before verifies offline against the
keys it serves after) — and says plainly that it keeps no data."""
import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from chalicelib.domain import license_proof
from infra.local import demo

from .local_stack import Api, started

# Generous: a stop takes a second or two; the machine may be loaded.
STOP_BOUND_SECONDS = 60


_DISTINCT = itertools.count()   # each a distinct application (an identical one is a 409)


def _apply(api: Api, token: str, key: str | None = None) -> tuple[int, dict]:
    return api.call("POST", "/cases", {
        "itemCode": demo.code_of("000201012000", "SCJG"),
        "applicant": {"type": "legal", "name": "重启测试餐饮有限公司",
                      "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": f"重启小馆{next(_DISTINCT)}", "address": "深圳市南山区粤海街道1号",
                 "category": "餐饮服务"}}, token=token,
        headers={"Idempotency-Key": key} if key else None)


def _licensed(api: Api) -> tuple[str, dict]:
    """A case applied, accepted and approved: its number and its signed license."""
    company, clerk, reviewer = api.token("company"), api.token("clerk"), api.token("scjg")
    status, created = _apply(api, company, "lifecycle-1")
    assert status == 201, created
    case_no = created["caseNo"]
    api.decide(api.task_of(case_no, "ZWFW", clerk), "accept", "受理", clerk)
    api.decide(api.task_of(case_no, "SCJG", reviewer), "approve", "同意", reviewer)
    done = api.until(lambda: api.call("GET", f"/cases/{case_no}", token=company)[1],
                     lambda c: c.get("status") == 11 and c.get("licenseId"), timeout=60)
    status, signed = api.call("GET", f"/licenses/{done['licenseId']}", token=company)
    assert status == 200, signed
    return case_no, signed


def _stop_output(stack) -> str:
    """What the stack printed from the moment it was asked to stop."""
    output = stack.output(last=0)
    return output[output.index("stopping…"):]


def test_a_license_signed_before_a_restart_verifies_against_the_keys_served_after():
    local_dir = Path(tempfile.mkdtemp(prefix="onewindow-restart-"))
    try:
        with started(local_dir) as first:
            api = Api(first.url, first.issuer)
            case_no, signed = _licensed(api)
            keys_before = api.call("GET", "/.well-known/license-keys")[1]["keys"]
            assert license_proof.verify(signed, keys_before, date.today()).valid
        assert first.process.returncode == 0, first.output()
        assert (local_dir / "local-keys.json").stat().st_mode & 0o077 == 0

        with started(local_dir) as second:
            api = Api(second.url, second.issuer)
            keys_after = api.call("GET", "/.well-known/license-keys")[1]["keys"]
            # Offline, as any verifier would: the license against the published keys.
            verdict = license_proof.verify(signed, keys_after, date.today())
            assert (verdict.valid, verdict.reason) == (True, None), verdict
            assert [k["kid"] for k in keys_after] == [k["kid"] for k in keys_before]
            # The data is not kept, and the stack said so when it started.
            assert "NOT kept: every case" in second.output(last=0)
            status, _ = api.call("GET", f"/cases/{case_no}", token=api.token("supervisor"))
            assert status == 404
    finally:
        shutil.rmtree(local_dir, ignore_errors=True)


def test_a_stack_that_signs_with_sm2_signs_licenses_and_documents_and_keeps_its_key():
    """国密 on the embedded stack: OW_LOCAL_SIGNING_KEY_SPEC=SM2 makes the license key a
    real SM2 key (moto shim, part 9) — licenses and decision documents signed SM2DSA,
    published as an SM2 JWK, verified offline — and the key is the same after a
    restart."""
    from chalicelib.domain import document_proof
    local_dir = Path(tempfile.mkdtemp(prefix="onewindow-sm2-"))
    sm2 = {"OW_LOCAL_SIGNING_KEY_SPEC": "SM2"}
    try:
        with started(local_dir, sm2) as first:
            api = Api(first.url, first.issuer)
            case_no, signed = _licensed(api)
            keys = api.call("GET", "/.well-known/license-keys")[1]["keys"]
            assert {k["crv"] for k in keys} == {"SM2"}
            assert signed["signature"]["alg"] == "SM2DSA"
            assert license_proof.verify(signed, keys, date.today()).valid
            company = api.token("company")
            found = api.until(lambda: api.call("GET", f"/cases/{case_no}/documents",
                                               token=company)[1],
                              lambda d: len(d.get("items", [])) == 2)["items"]
            document = api.call("GET", f"/cases/{case_no}/documents/"
                                       f"{found[1]['documentId']}", token=company)[1]
            assert document["signature"]["alg"] == "SM2DSA"
            assert document_proof.verify(document, keys).valid
        with started(local_dir, sm2) as second:
            api = Api(second.url, second.issuer)
            again = api.call("GET", "/.well-known/license-keys")[1]["keys"]
            assert [k["kid"] for k in again] == [k["kid"] for k in keys]
            assert license_proof.verify(signed, again, date.today()).valid
    finally:
        shutil.rmtree(local_dir, ignore_errors=True)


def test_a_stack_without_its_key_file_signs_with_a_new_key():
    """The keys come from the key file: a stack started in another directory has other
    keys (so the test above is not passing by accident)."""
    with started() as one, started() as other:
        kids = [Api(stack.url).call("GET", "/.well-known/license-keys")[1]["keys"][0]["kid"]
                for stack in (one, other)]
    assert kids[0] != kids[1]


def _ctrl_c(stack) -> None:
    """What Ctrl-C in the terminal of `make run` does: SIGINT to its process group."""
    os.killpg(stack.process.pid, signal.SIGINT)


def _sigterm(stack) -> None:
    stack.process.send_signal(signal.SIGTERM)


@pytest.mark.parametrize("stop", [_sigterm, _ctrl_c], ids=["SIGTERM", "Ctrl-C"])
def test_stopping_a_busy_stack_stops_the_pump_before_moto_without_errors(stop):
    """Applications keep coming and the pump has their events in hand when the stack is
    stopped: every handler finishes against a running moto, nothing logs an error."""
    with started() as stack:
        api = Api(stack.url, stack.issuer)
        token = api.token("company")
        sending, stopping = threading.Event(), threading.Event()
        sending.set()
        accepted = []

        def apply_while_running():
            while sending.is_set():
                try:
                    accepted.append(_apply(api, token)[0])
                except OSError:
                    if stopping.is_set():
                        return  # the server stopped listening
                    # A slow answer on a loaded machine (the client's 10 s): ask again.
        clients = [threading.Thread(target=apply_while_running) for _ in range(8)]
        for client in clients:
            client.start()
        # Enough that the stream handler has a batch of a hundred records in hand.
        api.until(lambda: len(accepted), lambda n: n >= 80, timeout=180)
        started_at = time.monotonic()
        stopping.set()
        stop(stack)
        with contextlib.suppress(subprocess.TimeoutExpired):  # reported below, with the output
            stack.process.wait(STOP_BOUND_SECONDS)
        took = time.monotonic() - started_at
        sending.clear()
        for client in clients:
            client.join()
    output = stack.output(last=0)
    assert took < STOP_BOUND_SECONDS and stack.process.returncode == 0, \
        (took, stack.process.returncode, output[output.find("stopping…") - 2000:][-6000:])
    assert 201 in accepted
    stopping = _stop_output(stack)
    assert "ERROR" not in stopping and "Traceback" not in stopping, stopping


def test_signals_in_quick_succession_always_stop_the_stack():
    """Two SIGTERMs, or a burst of them, while the first is being handled: the stack ends
    each time, in bounded time, with status 0. (Attempts 0 and 3: the pair, and the
    longest burst; a stack start each, the test's whole cost.)"""
    for attempt in (0, 3):
        with started() as stack:
            pid = stack.process.pid
            started_at = time.monotonic()
            os.kill(pid, signal.SIGTERM)
            if attempt % 2:
                deadline = time.perf_counter() + 0.02 * attempt
                while time.perf_counter() < deadline:   # a burst, no pause between
                    os.kill(pid, signal.SIGTERM)
            else:
                os.kill(pid, signal.SIGTERM)
            with contextlib.suppress(Exception):  # reported below with the output
                stack.process.wait(STOP_BOUND_SECONDS)
            took = time.monotonic() - started_at
            assert stack.process.returncode == 0, (attempt, took, stack.output())
            assert "Traceback" not in _stop_output(stack), stack.output()


def test_a_stack_whose_port_was_taken_meanwhile_starts_on_other_ports(monkeypatch):
    """The harness finds free ports and lets them go; another worker may take one before
    the stack binds it. The stack then fails with 'Address already in use', and the
    harness starts it again on new ports rather than failing the test."""
    from . import local_stack
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ports = iter([taken.getsockname()[1]])
        real = local_stack.free_port
        monkeypatch.setattr(local_stack, "free_port", lambda: next(ports, None) or real())
        attempts = []
        monkeypatch.setattr(local_stack, "LocalStack", _counted(local_stack.LocalStack,
                                                                attempts))
        with local_stack.started() as stack:
            status, _ = Api(stack.url).call("GET", "/.well-known/license-keys")
    assert status == 200
    assert len(attempts) == 2
    assert "Address already in use" in attempts[0].output(last=0)


def _counted(stack_class, attempts: list):
    def start(*args, **kwargs):
        attempts.append(stack_class(*args, **kwargs))
        return attempts[-1]
    return start
