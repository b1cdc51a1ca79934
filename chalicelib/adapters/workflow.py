"""Step Functions: start the approval workflow of a case, resume it at a task."""
import json

from . import aws


def start(state_machine_arn: str, case_no: str, workflow_input: dict) -> None:
    """Start the case's workflow, named by its case number.

    The name makes the start idempotent: a retry finds the execution already there
    (ExecutionAlreadyExists) and never creates a second workflow for a case.
    """
    sfn = aws.client("stepfunctions")
    try:
        sfn.start_execution(stateMachineArn=state_machine_arn, name=case_no,
                            input=json.dumps(workflow_input, ensure_ascii=False))
    except sfn.exceptions.ExecutionAlreadyExists:
        pass


def resume(token: str, output: dict) -> None:
    aws.client("stepfunctions").send_task_success(
        taskToken=token, output=json.dumps(output, ensure_ascii=False))
