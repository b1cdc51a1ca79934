"""Upload a material as any client would: declare it (POST /materials), post the file to
the bucket with the form the API answers, then wait until the bucket's notice has been
checked. Prints the material (JSON); exit 0 when stored, 1 when not.

    python -m infra.upload_material FILE --api URL --token TOKEN
        [--material 食品安全管理制度文本] [--holder USCC] [--type application/pdf]

Standard library only: it shows every step an integrator's client takes (docs/materials.md).
"""
import argparse
import hashlib
import json
import mimetypes
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def _call(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def multipart(fields: dict, name: str, data: bytes, content_type: str) -> tuple[bytes, str]:
    """The form as a browser sends it: every field, then the file last."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
             f'{value}\r\n'.encode() for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
                 + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload(path: Path, api: str, token: str, material: str | None = None,
           holder: str | None = None, content_type: str | None = None,
           wait_seconds: float = 30) -> dict:
    data = path.read_bytes()
    content_type = content_type or mimetypes.guess_type(path.name)[0] or \
        "application/octet-stream"
    declared = {"name": path.name, "contentType": content_type, "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest()}
    if material:
        declared["material"] = material
    if holder:
        declared["holder"] = holder
    status, answer = _call("POST", f"{api}/materials", token, declared)
    if status not in (200, 201):
        raise SystemExit(json.dumps(answer, ensure_ascii=False))
    form = answer.get("upload")
    if form:
        body, kind = multipart(form["fields"], path.name, data, content_type)
        request = urllib.request.Request(form["url"], data=body, method="POST",
                                         headers={"Content-Type": kind})
        with urllib.request.urlopen(request, timeout=60) as response:
            if response.status not in (200, 201, 204):
                raise SystemExit(f"the bucket answered {response.status}")
    deadline = time.monotonic() + wait_seconds
    while answer.get("state") == "pending" and time.monotonic() < deadline:
        time.sleep(0.3)
        answer = _call("GET", f"{api}/materials/{answer['materialId']}", token)[1]
    return answer


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.upload_material")
    parser.add_argument("file", type=Path)
    parser.add_argument("--api", required=True, help="the API's base URL")
    parser.add_argument("--token", required=True, help="the uploader's bearer token")
    parser.add_argument("--material", help="the catalogue material it is for")
    parser.add_argument("--holder", help="a company's USCC (an agent), or at the counter "
                                         "the applicant's ID number")
    parser.add_argument("--type", dest="content_type", help="default: from the file name")
    args = parser.parse_args(argv)
    found = upload(args.file, args.api.rstrip("/"), args.token, args.material, args.holder,
                   args.content_type)
    print(json.dumps(found, ensure_ascii=False, indent=1))
    return 0 if found.get("state") == "stored" else 1


if __name__ == "__main__":
    sys.exit(main())
