"""Run the README against a running local stack: every `sh` block, top to bottom, in
order, command by command (`Walk.readme`; `Walk.unrun` names any block it did not run).

The README's `sh` blocks are read as a small shell: the `tok` function is defined as
written and `NAME=$(tok <user>)` runs in bash with it (a token from the local OIDC issuer,
password grant); `NAME=$(date +FORMAT)` the date; `NAME=value` sets a variable (but `API`
and `ISSUER`: the stack under test has ports of its own); `make run` is the stack under
test (started as the Makefile's `run` recipe starts it: checked); `make test` the suite
this walk belongs to (its recipe checked, not run again from inside itself); `curl …` is
sent over HTTP (method, headers, body, `-d @file`, `> file`, `-o file` for bytes such as
a PDF); other `make …` and `.venv/bin/python -m …` run as the reader would run them (with
the environment the local stack wrote); and any other line (`openssl`, `python3`,
`printf`, `NAME=$(…)`) runs in bash with the walk's variables, in a directory of the
walk's own where the files it writes are. What a command's comment promises is checked:
`409 <code>` an error with that code, `status <n>` / `-> <n>` the case's status, text in
backquotes a 2xx answer showing it (variables expanded), `exit <n>` a command's exit
status; otherwise a 2xx (or 0). A command that prints a JSON object is an answer like a
curl's. The workflow runs asynchronously, so an answer that is not yet the promised one
is asked again for a while, as a reader would. The README's placeholders: `NAME=…` with a
`…` in it and the comment "the <field> from above" takes that field of the last answer
that had it (`CASE=4403002026…` the case number), `X-Query-Password: 123456` the last
case's query password, `<licenseId>` the license of the case.
"""
import itertools
import json
import os
import re
import shlex
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Seconds a step waits for the asynchronous workflow to catch up (a loaded machine is slow).
PATIENCE = float(os.environ.get("OW_README_WALK_PATIENCE", "90"))
README = ROOT / "README.md"


def sh_blocks() -> list[tuple[str, str]]:
    """Every ```sh block of the README in order, each with the heading it is under."""
    found, heading, block = [], "", None
    for line in README.read_text("utf-8").splitlines():
        if block is not None:
            if line.startswith("```"):
                found.append((heading, "\n".join(block)))
                block = None
            else:
                block.append(line)
        elif line.startswith("```sh"):
            block = []
        elif line.startswith("#"):
            heading = line
    assert block is None, "a ```sh block of the README is not closed"
    return found


def blocks(after_heading: str) -> str:
    """The first ```sh block under a heading of the README."""
    return next(block for heading, block in sh_blocks() if heading.startswith(after_heading))


def commands(block: str) -> list[tuple[str, str]]:
    """Each command of a block (continuations and multi-line quotes joined), with the
    comment that follows it on its last line."""
    found, buffer = [], ""
    for line in block.splitlines():
        buffer = f"{buffer}\n{line}" if buffer else line
        if buffer.rstrip().endswith("\\"):
            buffer = buffer.rstrip()[:-1]
            continue
        try:
            shlex.split(buffer, comments=True)
        except ValueError:
            continue  # a quote is still open
        code, _, comment = _split_comment(buffer)
        if code.strip():
            found.append((code.strip(), comment.strip()))
        buffer = ""
    return found


def _split_comment(line: str) -> tuple[str, str, str]:
    quote = None
    for index, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1].isspace()):
            return line[:index], "#", line[index + 1:]
    return line, "", ""


class Walk:
    def __init__(self, url: str, issuer: str, local_dir=None):
        self.vars, self.issuer = {"API": url, "ISSUER": issuer}, issuer
        self.files: dict[str, bytes] = {}
        self.query_password = ""
        self.answers: list[tuple[str, int, dict]] = []
        self.runs: list[tuple[str, int, str]] = []  # command, exit status, output
        self.local_dir = local_dir  # the stack's files (infra/local/paths.py)
        self.functions = ""  # shell functions the README defines (tok)
        self.ran: list[tuple[str, str]] = []  # the README blocks run, in order
        # Where each block's answers and runs begin: heading -> (answers, runs).
        self.marks: dict[str, tuple[int, int]] = {}
        # Where the reader's files go (what curl saves, what the shell lines write).
        self.workdir = Path(tempfile.mkdtemp(prefix="readme-walk-"))

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{?(\w+)\}?", lambda m: self.vars.get(m.group(1), m.group(0)), text)

    def run(self, steps: list[tuple[str, str]]) -> None:
        for code, comment in steps:
            self.do(code, comment)

    def readme(self) -> None:
        """Every sh block of the README, top to bottom."""
        for heading, block in sh_blocks():
            self.marks.setdefault(heading, (len(self.answers), len(self.runs)))
            self.run(commands(block))
            self.ran.append((heading, block))

    def unrun(self) -> list[str]:
        """The headings of README blocks this walk did not run (in full, in order)."""
        return [heading for (heading, block), ran in
                zip(sh_blocks(), self.ran + [None] * len(sh_blocks()), strict=False)
                if ran != (heading, block)]

    def section(self, heading: str) -> tuple[list, list]:
        """The answers and the runs of the block under `heading` (up to the next one's)."""
        starts = sorted(self.marks.values())
        begin = self.marks[next(h for h in self.marks if h.startswith(heading))]
        end = next((s for s in starts if s > begin), (len(self.answers), len(self.runs)))
        return self.answers[begin[0]:end[0]], self.runs[begin[1]:end[1]]

    def do(self, code: str, comment: str) -> None:
        if self._shapes_the_walk(code):
            return
        assign = re.fullmatch(r"(\w+)=(.+)", code, re.S)
        if assign:
            self._assign(assign.group(1), assign.group(2), code, comment)
        elif code.startswith("curl "):
            self.curl(code, comment)
        elif code.startswith(("make ", ".venv/bin/python -m ")):
            self.command(code, comment)
        else:
            self.shell(code, comment)

    def _shapes_the_walk(self, code: str) -> bool:
        """Whether `code` is a line the walk takes as it is rather than runs: a shell
        function, the stack's own start, the suite, today's date."""
        if code.startswith("tok()"):
            self.functions += code + "\n"
            return True
        if code == "make run":
            # The stack under test: started as the Makefile's run recipe starts it.
            assert "$(BIN)/python -m infra.local.server " in _recipe("run"), _recipe("run")
            return True
        if code == "make test":
            # This walk is part of the suite `make test` runs: its recipe, not a rerun.
            assert "$(BIN)/python -m pytest" in _recipe("test"), _recipe("test")
            return True
        today = re.fullmatch(r"(\w+)=\$\(date \+([^)]+)\)", code)
        if today:
            self.vars[today.group(1)] = time.strftime(today.group(2))
            return True
        return False

    def _assign(self, name: str, value: str, code: str, comment: str) -> None:
        """A shell variable the README sets, as the reader's shell would hold it."""
        if "…" in value:
            field = re.fullmatch(r"the (\w+) from above", comment)
            assert field, (code, "a placeholder says which field of an answer it takes")
            found = self.last(field.group(1))
            assert _shaped_like(value.strip(), found), \
                (code, f"the README shows {value!r}, the server gave {found!r}")
            self.vars[name] = found
        elif name in ("API", "ISSUER"):
            return  # the stack under test runs on ports of its own
        elif value.startswith("$("):
            self.vars[name] = self.shell(f"printf %s {value}", comment).strip()
        else:
            self.vars[name] = self.expand(shlex.split(value)[0])

    def last(self, field: str) -> str:
        """`field` of the last answer that had it."""
        for _, _, body in reversed(self.answers):
            if isinstance(body, dict) and field in body:
                return body[field]
        raise AssertionError(f"no answer so far had {field!r}")

    def _env(self) -> dict:
        # The environment the stack wrote is what these commands read, not the tests'.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "OW_", "MAKE")) and k != "MFLAGS"}
        if self.local_dir:
            env["OW_LOCAL_DIR"] = str(self.local_dir)
        return env

    def command(self, code: str, comment: str) -> str:
        """A `make` target (in the repository) or a module (where the reader's files
        are) run as the README shows it; its output."""
        words = shlex.split(self.expand(code))
        env = self._env()
        if words[0] == ".venv/bin/python":
            words[0] = str(ROOT / ".venv" / "bin" / "python")
            env["PYTHONPATH"] = str(ROOT)
        return self._finish(code, comment, subprocess.run(
            words, cwd=ROOT if words[0] == "make" else self.workdir, env=env,
            capture_output=True, text=True, timeout=300))

    def shell(self, code: str, comment: str) -> str:
        """Any other line, in bash (errors stop it), as the reader's shell would."""
        env = {**self._env(), **self.vars}
        return self._finish(code, comment, subprocess.run(
            ["bash", "-eo", "pipefail", "-c", self.functions + code], cwd=self.workdir, env=env,
            capture_output=True, text=True, timeout=120))

    def _finish(self, code: str, comment: str, done) -> str:
        output = done.stdout + done.stderr
        self.runs.append((code, done.returncode, done.stdout))
        wanted = re.search(r"\bexit (\d+)\b", comment)
        assert done.returncode == (int(wanted.group(1)) if wanted else 0), (code, output)
        for shown in re.findall(r"`([^`]+)`", self.expand(comment)):
            assert shown in done.stdout, (code, shown, output)
        try:
            answer = json.loads(done.stdout)
        except ValueError:
            answer = None
        if isinstance(answer, dict):
            self.answers.append((code, done.returncode, answer))
        return done.stdout

    def curl(self, code: str, comment: str) -> tuple[int, dict]:
        code = code.replace("<licenseId>", "$LICENSE")
        if "$LICENSE" in code:
            self.vars["LICENSE"] = self._case()["licenseId"]
        redirect = None
        if ">" in code.split("'")[-1]:
            code, redirect = [part.strip() for part in code.rsplit(">", 1)]
        method, headers, data, url, output = self._curl_request(shlex.split(code)[1:])
        expected = _expectation(self.expand(comment))
        status, body = self._until(expected, method, url, headers, data)
        self.answers.append((f"{method} {url}", status, body))
        assert expected(status, body), (code, comment, status, body)
        if method == "POST" and url.endswith("/cases") and status == 201:
            self.query_password = body["queryPassword"]
        if output:
            (self.workdir / output).write_bytes(body)
        if redirect:
            self.files[redirect] = json.dumps(body, ensure_ascii=False).encode("utf-8")
            (self.workdir / redirect).write_bytes(self.files[redirect])
        return status, body

    def _curl_request(self, words: list[str]) -> tuple:
        """What curl's options ask for: method, headers, body, URL and the file the
        answer is saved to."""
        method, headers, data, url, output = "GET", {}, None, None, None
        it = iter(words)
        for word in it:
            if word == "-X":
                method = next(it)
            elif word == "-H":
                name, value = self.expand(next(it)).split(":", 1)
                if name == "X-Query-Password":
                    value = self.query_password  # the README's 123456 stands for it
                headers[name.strip()] = value.strip()
            elif word == "-d":
                raw = next(it)
                data = self.files[raw[1:]] if raw.startswith("@") else \
                    self.expand(raw).encode("utf-8")
                method = "POST" if method == "GET" else method
            elif word == "-o":
                output = next(it)
            elif word != "-s":
                url = self.expand(word)
        if data is not None and "Content-Type" not in headers:
            headers["Content-Type"] = "application/x-www-form-urlencoded"  # as curl does
        return method, headers, data, url, output

    def _until(self, expected, method: str, url: str, headers: dict,
               data: bytes | None) -> tuple[int, dict]:
        """The answer, asked again until it is the expected one or patience runs out."""
        deadline = time.monotonic() + PATIENCE
        while True:
            status, body = self._send(method, url, headers, data)
            if expected(status, body) or time.monotonic() > deadline:
                return status, body
            # A reader asks again for what is not there yet (the workflow runs on its
            # own); a change is sent again only when it was refused for that reason (no
            # such task yet, the case not yet back) — never after it was taken.
            if method != "GET" and status not in (404, 409):
                return status, body
            time.sleep(0.3)

    def _case(self) -> dict:
        return self._send("GET", f"{self.vars['API']}/cases/{self.vars['CASE']}",
                          {"Authorization": f"Bearer {self.vars['COMPANY']}"}, None)[1]

    @staticmethod
    def _send(method, url, headers, data) -> tuple[int, dict]:
        request = urllib.request.Request(url.replace("…", ""), data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                if not response.headers.get("Content-Type", "").startswith(
                        "application/json") and raw:
                    return response.status, raw     # a PDF, a page: what curl -o saves
                return response.status, json.loads(raw or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


def _recipe(target: str) -> str:
    """The recipe of a target of the Makefile."""
    lines = (ROOT / "Makefile").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    return "\n".join(itertools.takewhile(lambda line: line.startswith("\t"),
                                         lines[start + 1:]))


def _shaped_like(placeholder: str, value: str) -> bool:
    """A README placeholder (`4403002026…`, `1.2.156.3005.2.…`, `M…`) shows the shape of
    what the server gives: its text as written, any digit standing for a digit (a case
    number's year changes), `…` for the rest."""
    parts = ["".join(r"\d" if c.isdigit() else re.escape(c) for c in part)
             for part in placeholder.split("…")]
    return re.fullmatch(".+".join(parts), value) is not None


def _expectation(comment: str):
    shown = re.search(r"`([^`]+)`", comment)
    if shown:
        return lambda s, b: 200 <= s < 300 and shown.group(1) in (
            b.decode("utf-8", "replace") if isinstance(b, bytes) else
            json.dumps(b, ensure_ascii=False))
    conflict = re.search(r"\b(4\d\d) (\w+)", comment)
    if conflict:
        status, code = int(conflict.group(1)), conflict.group(2)
        return lambda s, b: s == status and b["error"]["code"] == code
    case_status = re.search(r"(?:status|->) (\d+)\b", comment)
    if case_status:
        wanted = int(case_status.group(1))
        return lambda s, b: 200 <= s < 300 and isinstance(b, dict) and \
            b.get("status", b.get("caseStatus")) == wanted
    return lambda s, b: 200 <= s < 300
