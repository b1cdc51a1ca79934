"""The local stack as `make run` starts it: a subprocess on free ports (e2e tests, bench),
and a small HTTP client of its API."""
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from infra.local.oidc import CLIENT_ID, DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_children(pid: int) -> list[int]:
    """A process and its children (the local stack: its server and moto)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return [pid, *(int(child) for child in children)]


def peak_rss_mb(pid: int) -> float:
    """The peak resident memory (VmHWM) of a process and its children, in MB."""
    total = 0
    for each in with_children(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return round(total / 1024, 1)


class LocalStack:
    """`make run` as a subprocess on free ports; its output is read all along (a full
    pipe would block it) and kept for the failure message."""

    def __init__(self, local_dir: Path | None = None, env: dict | None = None):
        port, moto_port, oidc_port = free_port(), free_port(), free_port()
        self.moto_endpoint = f"http://127.0.0.1:{moto_port}"
        given = env or {}
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "OW_"))}
        env.update(given)   # what the test sets (OW_LOCAL_SIGNING_KEY_SPEC…)
        # Its own files (environment, clock, outbox): never a developer's `make run`'s.
        # (A restarted stack: the directory of the one it follows.)
        self.local_dir = local_dir or Path(tempfile.mkdtemp(prefix="onewindow-stack-"))
        env["OW_LOCAL_DIR"] = str(self.local_dir)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "infra.local.server", "--port", str(port),
             "--moto-port", str(moto_port), "--oidc-port", str(oidc_port),
             "--portal-port", "0"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            # A process group of its own, as `make run` in a terminal has: a test can send
            # it Ctrl-C (os.killpg) as the terminal would.
            start_new_session=True)
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.url = None
        self.issuer = None  # the local OIDC issuer's URL
        self.registries = None  # the demo base-data registries' (infra/local/registries.py)
        self.portal = None  # the built portal's address
        self.workbench = None  # the staff workbench's (the portal's origin, /staff/)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if line.startswith("ISSUER "):
                self.issuer = line.split()[1]
            if line.startswith("REGISTRIES "):
                self.registries = line.split()[1]
            if line.startswith("PORTAL "):
                self.portal = line.split()[1]
            if line.startswith("WORKBENCH "):
                self.workbench = line.split()[1]
            if line.startswith("READY "):
                self.url = line.split()[1]
                self.ready.set()
        self.ready.set()  # the process ended

    def output(self, last: int = 200) -> str:
        return "".join(self.lines[-last:] if last else self.lines)

    def stop(self, signum=signal.SIGINT, timeout: float = 20) -> float:
        """Signal the stack and wait for it; the seconds it took to exit."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(signum)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)
        return time.monotonic() - started


PORT_ATTEMPTS = 4


def _lost_a_port(stack: LocalStack) -> bool:
    """Whether a stack that did not start failed to bind one of its ports."""
    stack.stop()
    return "Address already in use" in stack.output(last=0)


@contextlib.contextmanager
def started(local_dir: Path | None = None, env: dict | None = None):
    """A LocalStack that is up (or a failure with its output), stopped afterwards; its
    directory removed unless it was given (a restart's); `env`: variables of its own."""
    for attempt in range(PORT_ATTEMPTS):
        stack = LocalStack(local_dir, env)
        up = stack.ready.wait(120) and stack.url
        if up or not _lost_a_port(stack) or attempt == PORT_ATTEMPTS - 1:
            break
        # A port free_port() found was taken before the stack bound it (another xdist
        # worker's stack, started at that moment): new ports, a new start.
        stack.stop()
        if local_dir is None:
            shutil.rmtree(stack.local_dir, ignore_errors=True)
    try:
        assert up, "local stack did not start:\n" + stack.output()
        yield stack
    finally:
        stack.stop()
        if local_dir is None:
            shutil.rmtree(stack.local_dir, ignore_errors=True)


class Api:
    def __init__(self, url: str, issuer: str | None = None):
        self.url, self.issuer = url, issuer

    def call(self, method: str, path: str, body=None, token: str | None = None,
             headers: dict | None = None, raw: bytes | None = None):
        data = raw if raw is not None else \
            (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json",
                                                  **(headers or {})})
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def call_text(self, method: str, path: str, token: str | None = None,
                  accept: str = "text/html") -> tuple[int, str]:
        """A page of the API (printable guide, license): its status and its text."""
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Accept": accept})
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def token(self, user: str) -> str:
        """A demo user's access token from the stack's OIDC issuer (password grant)."""
        request = urllib.request.Request(
            f"{self.issuer}/token", method="POST", data=urlencode({
                "grant_type": "password", "username": user, "password": DEMO_PASSWORD,
                "client_id": CLIENT_ID}).encode())
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["access_token"]

    def task_of(self, case_no: str, dept: str, token: str) -> dict:
        """The case's task in the department's inbox, once it is there."""
        return self.until(lambda: [t for t in self.call("GET", f"/tasks?dept={dept}",
                                                        token=token)[1]["tasks"]
                                   if t["caseNo"] == case_no], bool)[0]

    def decide(self, task: dict, decision: str, opinion: str, token: str) -> None:
        status, body = self.call("POST", f"/tasks/{task['taskId']}/decision",
                                 {"decision": decision, "opinion": opinion}, token=token)
        assert status == 200, body

    def until(self, fetch, check, timeout: float = 30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = fetch()
            if check(value):
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out; last value: {value}")
