"""A pytest plugin for bench/moto_answers.py: moto as infra/local/moto_shim.py leaves it,
but with moto's own answer serializer and JSONPath parsing (the shim's parts 6 and 7
taken back), so the two can be timed side by side.

    python -m pytest -p bench.moto_unshimmed tests/integration/...
"""


def pytest_configure(config):
    import jsonpath_ng
    import jsonpath_ng.ext
    from moto.core.responses import ActionResult
    from moto.stepfunctions.parser.asl.component.common.path import result_path
    from moto.stepfunctions.parser.asl.utils import json_path

    from infra.local import moto_shim
    moto_shim.install()   # once per process: the tests' own install() then changes nothing
    ActionResult.execute_result = ActionResult.execute_result.__wrapped__
    jsonpath_ng.ext.parse = json_path.parse = jsonpath_ng.ext.parse.__wrapped__
    jsonpath_ng.parse = result_path.parse = jsonpath_ng.parse.__wrapped__
