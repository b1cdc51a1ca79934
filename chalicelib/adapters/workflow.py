"""Step Functions: start the approval workflow of a case, resume it at a task, stop it."""
import json

from . import aws


def start(state_machine_arn: str, case_no: str, workflow_input: dict) -> bool:
    """Start the case's workflow, named by its case number; False if it already exists.

    The name makes the start idempotent: a retry finds the execution already there
    (ExecutionAlreadyExists) and never creates a second workflow for a case.
    """
    sfn = aws.client("stepfunctions")
    try:
        sfn.start_execution(stateMachineArn=state_machine_arn, name=case_no,
                            input=json.dumps(workflow_input, ensure_ascii=False))
    except sfn.exceptions.ExecutionAlreadyExists:
        return False
    return True


# What Step Functions answers for a token that was already redeemed (or whose execution
# ended): a redelivered resume has nothing left to do.
SPENT_TOKEN_ERRORS = ("TaskTimedOut", "InvalidToken", "TaskDoesNotExist")


def _redeem(call, **kwargs) -> bool:
    sfn = aws.client("stepfunctions")
    try:
        getattr(sfn, call)(**kwargs)
    except sfn.exceptions.ClientError as error:
        if error.response["Error"]["Code"] in SPENT_TOKEN_ERRORS:
            return False
        raise
    return True


def resume(token: str, output: dict) -> bool:
    """Resume the workflow waiting on `token`; False if the token was already spent."""
    return _redeem("send_task_success", taskToken=token,
                   output=json.dumps(output, ensure_ascii=False))


def fail(token: str, error: str) -> bool:
    """Fail the task waiting on `token` with a named error the state machine catches."""
    return _redeem("send_task_failure", taskToken=token, error=error)


def execution_arn(state_machine_arn: str, case_no: str) -> str:
    return state_machine_arn.replace(":stateMachine:", ":execution:") + ":" + case_no


def stop(state_machine_arn: str, case_no: str, cause: str) -> bool:
    """Stop the case's execution; False if there is none running (never started, ended)."""
    sfn = aws.client("stepfunctions")
    arn = execution_arn(state_machine_arn, case_no)
    try:
        if sfn.describe_execution(executionArn=arn)["status"] != "RUNNING":
            return False
        sfn.stop_execution(executionArn=arn, error="Case.Closed", cause=cause)
    except sfn.exceptions.ExecutionDoesNotExist:
        return False
    return True
