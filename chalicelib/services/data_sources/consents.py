"""The data subject's consent (授权) to an item's use of its base data: given before the
form is filled (the portal shows the registries, fields and purpose), recorded under the
subject, listed and revoked from /me. A query on a consent that is not given for its
registry, or revoked, is refused before anything is asked.

One consent a subject, item and version: giving it again (a double click, a retry)
answers with the same consent, and gives back one that was revoked."""
import hashlib

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError

from ...adapters.models import ConsentRecord, condition_failed
from ...domain import approval_rules, data_use, identity
from ...domain.errors import Forbidden, NotFound, UnprocessableEntity
from .. import catalogue, clock
from ..holders import holder_key

PREFIX = "CONSENT#"


def _view(record: ConsentRecord) -> dict:
    view = {"consentId": record.consentId, "itemCode": record.itemCode,
            "itemName": record.itemName, "registries": list(record.registries),
            "fields": list(record.fields), "purpose": record.purpose,
            "givenAt": record.givenAt, "revokedAt": record.revokedAt,
            "active": record.revokedAt is None}
    return {k: v for k, v in view.items() if v is not None}


def terms(item: dict) -> dict:
    """What an applicant of `item` is asked to consent to: the registries, the fields read
    of them, the purpose (422 when the version reads no base data)."""
    registries = data_use.registries_of(item)
    if not registries:
        raise UnprocessableEntity("this item uses no base data: there is nothing to consent "
                                  "to", field="itemCode")
    fields = [f"{source.source}.{source.path}"
              for source in data_use.field_sources(item.get("formSchema", {}))
              if source.source in data_use.REGISTRIES]
    fields += [f"{registry}（代替材料：{name}）"
               for name, registry in data_use.data_materials(item).items()]
    rules = (item.get("instantApproval") or {}).get("rules")
    if rules:
        # What is read of each registry (a fact computed from a field: that field).
        parsed = approval_rules.parse_rules(rules)
        fields += [f"{registry}.{name}" for registry in registries
                   for name in approval_rules.fields_read(parsed, registry)]
    return {"registries": registries, "fields": list(dict.fromkeys(fields)),
            "purpose": item["dataUse"]["purpose"]}


def give(principal: identity.Principal | None, body: dict) -> tuple[dict, bool]:
    """The caller's consent to the item's use of its data (or the company's it acts for);
    (view, created)."""
    principal = identity.require_role(principal, identity.APPLICANT)
    code = body.get("itemCode") if isinstance(body, dict) else None
    if not isinstance(code, str) or not code.strip():
        raise UnprocessableEntity("name the item (itemCode) the consent is for",
                                  field="itemCode")
    for_company = body.get("for")
    holder = holder_key(principal, for_company, "consents")
    item = catalogue.published_item(code.strip())
    agreed = terms(item)
    consent_id = "C" + hashlib.sha256(
        f"{holder}|{item['code']}|{item['version']}".encode()).hexdigest()[:32]
    now = clock.now().isoformat()
    record = ConsentRecord(holder, PREFIX + consent_id, consentId=consent_id,
                           itemCode=item["code"], itemVersion=int(item["version"]),
                           itemName=item["name"],
                           registries=agreed["registries"], fields=agreed["fields"],
                           purpose=agreed["purpose"], givenAt=now, givenBy=principal.sub)
    try:
        record.save(condition=ConsentRecord.holder.does_not_exist())
        return _view(record), True
    except PutError as error:
        if not condition_failed(error):
            raise
    existing = ConsentRecord.get(holder, PREFIX + consent_id, consistent_read=True)
    if existing.revokedAt:
        # Given again after a revocation: from now on.
        existing.update(actions=[ConsentRecord.revokedAt.remove(),
                                 ConsentRecord.givenAt.set(now),
                                 ConsentRecord.givenBy.set(principal.sub)])
    return _view(existing), False


def mine(principal: identity.Principal | None, for_company: str | None = None) -> dict:
    holder = holder_key(principal, for_company, "consents")
    return {"consents": [_view(record) for record in ConsentRecord.query(
        holder, ConsentRecord.at.startswith(PREFIX), scan_index_forward=False)]}


def revoke(principal: identity.Principal | None, consent_id: str,
           for_company: str | None = None) -> dict:
    """Revoke a consent: no query is made on it from now on (a case applied under it goes
    to people, its rules unchecked)."""
    holder = holder_key(principal, for_company, "consents")
    try:
        record = ConsentRecord.get(holder, PREFIX + consent_id, consistent_read=True)
    except DoesNotExist:
        raise NotFound(f"no consent {consent_id} of yours", field="consentId") from None
    if record.revokedAt is None:
        try:
            record.update(actions=[ConsentRecord.revokedAt.set(clock.now().isoformat())],
                          condition=ConsentRecord.revokedAt.does_not_exist())
        except UpdateError as error:
            if not condition_failed(error):
                raise
            # Revoked by a request racing this one: its moment stands.
            record = ConsentRecord.get(holder, PREFIX + consent_id, consistent_read=True)
    return _view(record)


def require(holder: str, consent_id: str, item: tuple[str, int],
            registry: str | None = None) -> ConsentRecord:
    """The subject's consent, given for this item version (and `registry`, when named) and
    not revoked — 403 otherwise: a consent is for the use it was given for, and no other."""
    try:
        record = ConsentRecord.get(holder, PREFIX + consent_id, consistent_read=True)
    except DoesNotExist:
        record = None
    if record is None or record.revokedAt or (record.itemCode, int(record.itemVersion)) \
            != (item[0], int(item[1])) or (registry and registry not in record.registries):
        raise Forbidden("the data subject has not consented to this use of its data, or "
                        "has revoked its consent", field="consentId", code="consent_required")
    return record
