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


# What Step Functions answers for a token that was already redeemed (or whose execution
# ended): a redelivered resume has nothing left to do.
SPENT_TOKEN_ERRORS = ("TaskTimedOut", "InvalidToken", "TaskDoesNotExist")


def resume(token: str, output: dict) -> bool:
    """Resume the workflow waiting on `token`; False if the token was already spent."""
    sfn = aws.client("stepfunctions")
    try:
        sfn.send_task_success(taskToken=token, output=json.dumps(output, ensure_ascii=False))
    except sfn.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in SPENT_TOKEN_ERRORS:
            return False
        raise
    return True
