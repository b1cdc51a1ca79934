"""What goes into each code package (infra/package.py): the PDF's libraries only into the
print function's, and botocore's models only of the services the code calls."""
import re
from pathlib import Path

import pytest

from chalicelib.events import registry
from infra import package

ROOT = Path(__file__).resolve().parents[2]
# IAM's prefix of a service where botocore names it otherwise.
BOTOCORE_NAMES = {"states": "stepfunctions"}


def test_every_service_the_code_makes_a_client_of_keeps_its_model():
    named = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        named |= set(re.findall(r"""(?:client|resource)\(\s*["']([a-z0-9-]+)["']""",
                                path.read_text("utf-8")))
    assert {"sqs", "s3", "stepfunctions", "kms"} <= named
    assert named <= package.AWS_SERVICES
    granted = {BOTOCORE_NAMES.get(service, service) for function in registry.FUNCTIONS
               for service, _, _ in function.grants}
    assert granted <= package.AWS_SERVICES
    assert "dynamodb" in package.AWS_SERVICES          # PynamoDB's, named by no literal


@pytest.mark.parametrize("name,in_deployment,in_print", [
    ("botocore/data/ec2/2016-11-15/service-2.json.gz", False, False),
    ("botocore/data/dynamodb/2012-08-10/service-2.json.gz", True, True),
    ("botocore/data/stepfunctions/2016-11-23/service-2.json.gz", True, True),
    ("botocore/data/endpoints.json", True, True),
    ("botocore/data/partitions.json", True, True),
    ("fontTools/ttLib/__init__.py", False, True),
    ("chalicelib/fonts/NotoSansCJKsc-Regular.subset.otf", False, True),
    ("PIL/Image.py", False, True),
    ("chalicelib/services/license_print.py", True, True),
    ("segno/__init__.py", True, True),
])
def test_what_each_package_leaves_out(name, in_deployment, in_print):
    assert package._excluded(name, package.PACKAGES["deployment"]) is not in_deployment
    assert package._excluded(name, package.PACKAGES["print"]) is not in_print
