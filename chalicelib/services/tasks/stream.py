"""The stream's view of tasks: which change of the cases table is a task being decided."""
from ...domain.task_states import TaskState, became


def task_decided(old: dict | None, new: dict | None) -> bool:
    """Whether a change of the cases table (stream images) is a task being decided."""
    return bool(new and new.get("rt") == "task") and became(old, new, TaskState.DECIDED)
