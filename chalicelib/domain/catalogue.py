"""Service items as the case workflow needs them: guide, form schema, process definition.

Issue 3 grows this into the full versioned catalogue; here an item version carries what an
application and its workflow need, and `workflow_input` turns its process definition into
the input of the generic approval state machine, with every deadline computed up front in
working days so the workflow itself does no calendar arithmetic.
"""
from datetime import date

from .errors import ValidationError
from .workdays import add_workdays


def validate_form(schema: dict, form: dict) -> None:
    """Validate an application form against the item version's JSON Schema."""
    import jsonschema  # only applications need it; keeps it off every cold start
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(form), key=lambda e: list(e.absolute_path))
    if errors:
        err = errors[0]
        path = list(err.absolute_path)
        if err.validator == "required":
            # the missing property is named in the message, not in the path
            missing = err.message.split("'")[1] if "'" in err.message else ""
            path.append(missing)
        field = ".".join(["form", *[str(p) for p in path]])
        raise ValidationError(f"{field}: {err.message}", field=field)


def workflow_input(case_no: str, item: dict, applied_on: date) -> dict:
    """The state machine input for one case: who reviews, in which order, by when."""
    process = item["process"]
    acceptance_days = process.get("acceptanceDays", 1)
    accept_by = add_workdays(applied_on, acceptance_days)
    stages, elapsed = [], acceptance_days
    for index, stage in enumerate(process["stages"], start=1):
        elapsed += stage["days"]
        deadline = add_workdays(applied_on, elapsed).isoformat()
        stages.append({
            "stage": index,
            "name": stage["name"],
            "departments": [{"dept": dept, "deadline": deadline}
                            for dept in stage["departments"]],
        })
    return {
        "caseNo": case_no,
        "itemCode": item["code"],
        "itemVersion": item["version"],
        "attempt": {"n": 1},  # acceptance rounds (a supplement starts another)
        "acceptance": {"dept": process["acceptanceDept"], "deadline": accept_by.isoformat()},
        "stages": stages,
        "issueLicense": bool(item.get("result", {}).get("licenseType")),
    }
