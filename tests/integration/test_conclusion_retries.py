"""A conclusion that meets a change of the case while it concludes is retried by its
queue and succeeds: that retry is expected, so it is logged as a warning, never an error,
here (the event pump) as in AWS (the message reported failed on its own: a partial batch
response, the conclude queue's mapping packaged with ReportBatchItemFailures)."""
import logging

from chalicelib.adapters.models import CaseRecord
from chalicelib.events import registry
from chalicelib.services import clock, licenses

from .harness import FOOD, application


def test_a_conclusion_raced_by_a_change_of_the_case_is_retried_with_a_warning_not_an_error(
        stack, monkeypatch, caplog):
    case_no = stack.call("POST", "/cases", "company", application(FOOD)).data["caseNo"]
    stack.decide(stack.open_task(case_no, "ZWFW", "clerk")["taskId"], "clerk", "accept", "受理")
    review = stack.open_task(case_no, "SCJG", "scjg")
    stack.wait_status(case_no, 8)

    # While the first conclusion signs the license, someone else writes to the case (its
    # version moves on): that conclusion's write is refused and the message comes back.
    issue, raced = licenses.issue, []

    def issue_while_the_case_changes(library, case, item):
        if not raced:
            raced.append(case.pk)
            CaseRecord.get(case.pk, "META", consistent_read=True).update(
                actions=[CaseRecord.updatedAt.set(clock.now().isoformat())])
        return issue(library, case, item)
    monkeypatch.setattr(licenses, "issue", issue_while_the_case_changes)

    onewindow = logging.getLogger("onewindow")  # the pump's logger is its child
    onewindow.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="onewindow"):
            assert stack.decide(review["taskId"], "scjg", "approve", "同意").status_code == 200
            done = stack.wait_status(case_no, 11, timeout=30)
    finally:
        onewindow.removeHandler(caplog.handler)

    assert raced == [case_no] and done["licenseId"]
    retried = [r for r in caplog.records if "not concluded yet" in r.getMessage()]
    assert [r.levelno for r in retried] == [logging.WARNING], caplog.text
    assert "changed while concluding" in retried[0].getMessage()
    # Our own errors only: moto's Step Functions logs (ERROR) the executions of earlier
    # tests timing out in its background threads, whenever that happens to fall.
    assert [r.getMessage() for r in caplog.records
            if r.levelno >= logging.ERROR and r.name.startswith("onewindow")] == []
    assert stack.pump.failures == 0


def test_only_the_conclude_queues_mapping_reports_item_failures():
    """Returning batchItemFailures to a mapping without ReportBatchItemFailures would
    delete the message: the packaged mapping of the conclude queue has it, the others
    (whose handlers raise to retry) do not."""
    from infra import package
    assert [f.handler for f in registry.FUNCTIONS if f.reports_item_failures] == \
        ["conclude_case"]
    resources = package.merge_template(sorted(package.stages())[0])["Resources"]
    reporting = {name for name in package.FUNCTIONS for event in resources[name][
        "Properties"].get("Events", {}).values()
        if event["Properties"].get("FunctionResponseTypes") == ["ReportBatchItemFailures"]}
    assert reporting == {"ConcludeCase"}
