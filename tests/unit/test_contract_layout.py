"""Where the contract's models live: chalicelib/contract/models/ has one module per API tag,
so the bodies a route takes and answers are found in the module named for its tag."""
from chalicelib.contract import models
from chalicelib.contract.openapi import Operation
from chalicelib.domain import documents

# Besides its tag's module, a route may use the domain's own structs as they are (the
# documents, the decision table's body: contract's models re-export them) and, for
# catalogue administration, a catalogue entry as the public catalogue shows it.
DOMAIN = documents.__name__.rsplit(".", 1)[0] + "."
BORROWED = {"catalogue administration": {models.CatalogueEntry}}


def _misplaced(operations: list[Operation]) -> list[str]:
    found = []
    for op in operations:
        home = f"{models.__name__}.{op.tag.replace(' ', '_')}"
        for model in (op.body, op.returns):
            if model is None or model in BORROWED.get(op.tag, set()):
                continue
            if model.__module__ != home and not model.__module__.startswith(DOMAIN):
                found.append(f"{op.operation_id} ({op.tag}): {model.__name__} is in "
                             f"{model.__module__}")
    return sorted(found)


def test_every_operations_models_are_in_the_module_of_its_tag():
    import app  # noqa: F401  (registers the routes)
    from chalicelib.contract.openapi import OPERATIONS

    assert len(OPERATIONS) > 50
    assert _misplaced(OPERATIONS) == []


def test_the_check_reports_a_model_out_of_its_tags_module():
    def operation(tag: str, body: type | None, returns: type | None) -> Operation:
        return Operation(method="post", path="/x", operation_id=f"x{len(tag)}", summary="",
                         tag=tag, body=body, returns=returns)

    assert _misplaced([operation("tasks", models.Decision, models.Case),
                       operation("catalogue administration", models.ReasonOnly,
                             models.CatalogueEntry),
                       operation("cases", documents.Application, models.CaseCreated),
                       operation("catalogue", None, models.CatalogueEntry)]) == [
        "x5 (tasks): Case is in chalicelib.contract.models.cases"]
