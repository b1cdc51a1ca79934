"""Department inboxes, claims and decisions: the human steps of the approval workflow,
one module per concern.

A task is what the workflow waits on (acceptance by the counter, review by a department).
Its token never leaves the server (it is kept apart from the task, models.TaskToken): a
decision is written here, in one transaction with the case it changes, and the stream
handler (services/progress.py) redeems the token once.

This package's names, for the API, the event handlers and the other services:
"""
from ...domain.task_states import decided_in as task_decided
from .claims import assign, assignees, claim, release
from .deciding import decide
from .inbox import inbox
from .inbox import reindex as reindex_inbox
from .recording import record, token_key
from .reopening import reopen
from .special_procedures import end_special_procedure, start_special_procedure

__all__ = ["assign", "assignees", "claim", "decide", "end_special_procedure", "inbox",
           "record", "reindex_inbox", "release", "reopen", "start_special_procedure",
           "task_decided", "token_key"]
