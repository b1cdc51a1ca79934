"""Splitting one item into several and merging several into one, lineage kept both ways."""
from pynamodb.exceptions import TransactWriteError

from ...adapters.models import ItemVersionRecord, LineageRecord, transact_write
from ...domain import identity
from ...domain.catalogue import check_implementation
from ...domain.errors import Conflict, UnprocessableEntity, ValidationError
from .departments import departments
from .entries import entries
from .reads import get_item
from .store import (
    changes_catalogue,
    current_record,
    history_record,
    new_draft,
    now,
    object_body,
    reason_of,
)


@changes_catalogue
def _derived_drafts(principal, sources: list[str], targets, reason: str, relation: str):
    """New drafts from existing items, with lineage recorded on both sides."""
    registry, catalogue_entries = departments(), entries()
    base = get_item(sources[0])
    drafts = []
    for index, target in enumerate(targets):
        if not isinstance(target, dict):
            raise ValidationError("each target must be an object of changed fields",
                                  field=f"into.{index}")
        doc = {k: v for k, v in base.items() if k not in ("code", "status", "lineage")}
        doc.update(target)
        try:
            drafts.append(check_implementation(doc, registry, catalogue_entries))
        except (ValidationError, UnprocessableEntity) as error:
            # The document admits any object as a target (its fields are the item's that
            # differ): one that makes no item is refused as a catalogue rule, not a shape.
            raise UnprocessableEntity(error.message, field=f"into.{index}." +
                                      (error.field or "").removeprefix("item."),
                                      code="item_not_valid") from None
    codes = [d["code"] for d in drafts]
    if len(set(codes)) != len(codes) or set(codes) & set(sources):
        raise UnprocessableEntity("targets need codes of their own (change sequence or "
                                  "baseCode)", field="into", code="item_not_valid")
    at = now()
    inverse = {"split_into": "split_from", "merged_into": "merged_from"}[relation]
    try:
        with transact_write() as transaction:
            for draft in drafts:
                transaction.save(new_draft(draft, 1, principal.sub, at),
                                 condition=ItemVersionRecord.code.does_not_exist())
                transaction.save(history_record(draft["code"], "create", 1, principal.sub, reason,
                                          {inverse: sources}, at=at))
                for source in sources:
                    transaction.save(LineageRecord(source, f"L#{relation}#{draft['code']}",
                                                   relation=relation, other=draft["code"],
                                                   at=at, reason=reason))
                    transaction.save(LineageRecord(draft["code"], f"L#{inverse}#{source}",
                                                   relation=inverse, other=source, at=at,
                                                   reason=reason))
            for source in sources:
                transaction.save(history_record(source, relation.split("_")[0], None,
                                          principal.sub, reason, {relation: codes}, at=at))
    except TransactWriteError:
        raise Conflict("a target code already exists", code="item_exists",
                       field="into") from None
    return {"from": sources, "drafts": [{"code": c, "version": 1, "status": "draft"}
                                        for c in codes]}


def split(principal: identity.Principal, code: str, body) -> dict:
    """Split one item into several new drafts (the source stays until cancelled)."""
    body = object_body(body)
    reason = reason_of(body)
    into = body.get("into")
    if not isinstance(into, list) or len(into) < 2:
        raise ValidationError("into must list at least two new items", field="into")
    return _derived_drafts(principal, [code], into, reason, "split_into")


def merge(principal: identity.Principal, body) -> dict:
    """Merge several items into one new draft (the sources stay until cancelled)."""
    body = object_body(body)
    reason = reason_of(body)
    sources = body.get("from")
    if not isinstance(sources, list) or len(sources) < 2 or \
            not all(isinstance(c, str) for c in sources) or len(set(sources)) != len(sources):
        raise ValidationError("from must list at least two different item codes",
                              field="from")
    for source in sources:
        current_record(source)
    result = _derived_drafts(principal, sources, [body.get("into")], reason, "merged_into")
    return {"from": sources, "draft": result["drafts"][0]}
