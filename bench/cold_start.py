"""Cold start from the packages as shipped (`make package`), as Lambda starts a function:
each package unpacked on its own, first on the path, no site-packages, the function's
name and task root in the environment, X-Ray on as the stack deploys it.

For each kind of function (the API; the consumers, which all import the same handlers
module; the print function, from its own package) the import of its handler in fresh
interpreters against `import boto3` from the same package, alternating (bench/paired.py);
for the API also the import with its first request handled (GET /health: what X-Ray
loads at the first event is counted there). The packages' sizes beside them. Targets:
the API's import ≤ 1.3 × `import boto3`, and under a second.
"""
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bench.paired import alternate
from chalicelib.events import registry
from tests.lambda_like import HEALTH_EVENT, TRACE_HEADER

STAGE = "beijing"
TARGET_API_RATIO = 1.3
_FIRST_REQUEST = ("import app; from types import SimpleNamespace; "
                  f"app.app({HEALTH_EVENT!r}, SimpleNamespace(aws_request_id='r-1', "
                  "function_name='f'))")


def _seconds(folder: Path, statement: str, function: str) -> float:
    code = ("import sys, time; sys.path.insert(0, '.'); t = time.perf_counter(); "
            f"{statement}; print(time.perf_counter() - t)")
    env = {"PATH": "/usr/bin:/bin", "AWS_DEFAULT_REGION": "cn-north-1",
           "AWS_REGION": "cn-north-1", "AWS_LAMBDA_FUNCTION_NAME": f"onewindow-{function}",
           "LAMBDA_TASK_ROOT": str(folder), "AWS_EXECUTION_ENV": "AWS_Lambda_python3.11",
           "_X_AMZN_TRACE_ID": TRACE_HEADER, "OW_AREA_CODE": "110000",
           # Lambda's file system is read-only: nothing compiled now may be kept.
           "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-S", "-c", code], cwd=folder, env=env,
                          capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def _size_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def _handler_module(handler: str) -> str:
    return handler.rpartition(".")[0]


def _unpacked(packages: dict, properties: dict) -> Path:
    return packages[properties["CodeUri"].removeprefix("./")]["folder"]


def _import_vs_boto3(packages: dict, properties: dict, function: str, pairs: int) -> dict:
    folder = _unpacked(packages, properties)
    module = _handler_module(properties["Handler"])
    return {"function": function, "module": module, **alternate(
        ("import_s", lambda: _seconds(folder, f"import {module}", function)),
        ("boto3_s", lambda: _seconds(folder, "import boto3", function)), pairs)}


def run(pairs: int = 11, built: Path | None = None) -> dict:
    """`built`: a stage's package folder already made (sam.json and its zips); else one
    is made now (`chalice package` takes a minute or two)."""
    with tempfile.TemporaryDirectory() as scratch:
        if built is None:
            from infra import package
            built = package.build(STAGE, into=Path(scratch) / "package").parent
        sam = json.loads((built / "sam.json").read_text("utf-8"))
        functions = {name: r["Properties"] for name, r in sam["Resources"].items()
                     if r["Type"] == "AWS::Serverless::Function"}
        packages = {}
        for zipped in sorted(built.glob("*.zip")):
            folder = Path(scratch) / zipped.stem
            with zipfile.ZipFile(zipped) as archive:
                archive.extractall(folder)
            packages[zipped.name] = {
                "folder": folder, "zip_mb": round(zipped.stat().st_size / 2**20, 1),
                "unpacked_mb": _size_mb(folder),
                "functions": sorted(n for n, p in functions.items()
                                    if p["CodeUri"].removeprefix("./") == zipped.name)}
        # One measurement per package and handler module: the consumers share one.
        kinds = {"api": "APIHandler", "consumers": registry.CONSUMERS[0].name,
                 "print": registry.PRINT.name}
        result: dict = {"stage": STAGE, "target_api_ratio": TARGET_API_RATIO,
                        "load_average": [round(x, 2) for x in os.getloadavg()]}
        for kind, function in kinds.items():
            result[f"{kind}_import_vs_boto3"] = _import_vs_boto3(
                packages, functions[function], function, pairs)
        api_folder = _unpacked(packages, functions["APIHandler"])
        result["api_first_request_vs_boto3"] = alternate(
            ("first_request_s", lambda: _seconds(api_folder, _FIRST_REQUEST, "APIHandler")),
            ("boto3_s", lambda: _seconds(api_folder, "import boto3", "APIHandler")), pairs)
        api = result["api_import_vs_boto3"]
        result["api_meets_target"] = api["ratio_median"] <= TARGET_API_RATIO and \
            api["import_s_median"] < 1.0
        result["packages"] = {name: {k: v for k, v in p.items() if k != "folder"}
                              for name, p in packages.items()}
    return result


if __name__ == "__main__":
    print(json.dumps(run(pairs=int(sys.argv[1]) if len(sys.argv) > 1 else 11), indent=2))
