"""统一申报: an application becomes a case — checked, numbered, written with its markers
in one commit on the case files, its materials' uses recorded. The workflow starts from
the starts queue (services/starts.py): the stream hands every new case to it, so a burst
never meets Step Functions' start quota here."""
import logging

from ... import config, tracing
from ...adapters import secrets
from ...domain import applications, identity, lookup
from ...domain.case_file import case_key
from ...domain.catalogue import workflow_input
from ...domain.changes import Change, ConditionFailed, Create
from ...domain.errors import Conflict, DomainError
from .. import catalogue, clock, data_sources, materials, open_applications
from ..case_files import CaseFiles
from ..license_library import LicenseLibrary
from . import eligibility, idempotency, new_case, numbering
from .views import created_view

log = logging.getLogger("onewindow")


# How many times a commit that lost to a closed case's marker is tried again.
_RETAKES = 3


def apply(case_files: CaseFiles, library: LicenseLibrary, principal: identity.Principal | None,
          body: dict, idempotency_key: str | None = None) -> tuple[dict, bool]:
    """Create a case (its workflow starts from the stream) on `case_files`; a license
    named for a material is looked up in `library`. Returns (response, replayed).

    Two round trips in the usual case: the item's current version read (never from a
    cache: a suspended item takes no application from the moment it is suspended), then
    one commit to the case files (the case, its open-application marker, its
    Idempotency-Key's record), with nothing of them read first — a retry, a twin that won,
    an identical open case are found when that commit fails on their marker. The number
    comes from the function's block of the day's numbers (numbering.py): a third round
    trip once in a block. (A refused duplicate uses up a number that no case gets; case
    numbers are unique, not gapless.)"""
    # Only the applicant (for itself or a company it acts for) and the counter clerk (for
    # the person at the counter) apply; no other member of staff ever owns a case.
    principal = identity.require_role(principal, identity.APPLICANT, identity.CLERK)
    application = applications.parse_application(body)
    agent = eligibility.agent_of(principal, application)
    retry = idempotency.retry_of(principal, idempotency_key, body)
    try:
        item = catalogue.published_item(application.item_code)
        owner_key = lookup.id_key(secrets.lookup(), application.applicant["idNumber"])
        data_use = data_sources.prefilled_in_application(
            application.prefill, application.consent_id, item, owner_key, application.form)
        by_data = (data_use or {}).get("materials") or []
        eligibility.check_item(principal, item, application,
                               frozenset(m["name"] for m in by_data))
        holder = identity.holder_name(principal, application.applicant)  # not as typed
        given = materials.given_in_case(library, item, application.materials,
                                        application.applicant["idNumber"], owner_key,
                                        at_counter=application.channel == "counter")
        given.entries.extend({"name": m["name"], "fromData": {
            k: m[k] for k in ("registry", "sha256", "fetchedAt")}} for m in by_data
            if m["name"] not in {e["name"] for e in given.entries})
    except DomainError:
        # A retry answers as the first request did, whatever the catalogue or the
        # materials say now.
        replayed = idempotency.replay(case_files, retry)
        if replayed:
            return replayed, True
        raise
    # One open case per identical application, unless the item allows parallel ones.
    one_open = open_applications.guard(item, owner_key, application.form)
    applying = _numbered(principal, application, item, holder, agent, owner_key,
                         given.entries, data_use)
    record = new_case.case_record(applying)
    for _ in range(_RETAKES):
        try:
            case_files.commit(_writes(record, one_open, retry))
            break
        except ConditionFailed:
            # This request's earlier try, or a twin with its key, made the case: answer
            # with it. Else an identical case holds the marker: 409 while it is open,
            # taken over from it when closed.
            replayed = idempotency.replay(case_files, retry, consistent=True)
            if replayed:
                return replayed, True
            one_open = open_applications.retake(case_files, one_open)
            if one_open is None:
                raise
    else:
        raise Conflict("identical applications kept taking this one's place; try again",
                       field="itemCode", code="duplicate_open_case")
    materials.record_uses(given, principal, record.pk, item, owner_key, applying.started)
    _written(applying, record)
    return created_view(record), False


def _numbered(principal: identity.Principal, application: applications.Application,
              item: dict, holder: str, agent: dict | None, owner_key: str,
              entries: list, data_use: dict | None) -> new_case.Applying:
    """The application at this moment, under the case number drawn for it and the plan
    of its stages."""
    started = clock.now()
    case_no = numbering.next_case_number(config.get().area_code, clock.local_date(started))
    # Deadlines count from the day the office receives it (the next working day when
    # applied for out of office hours); the case number carries the calendar date.
    plan = workflow_input(case_no, item, clock.counting_day(started))
    return new_case.Applying(principal, application, item, case_no, plan, started, holder,
                             agent, owner_key, entries, data_use)


def _writes(record, one_open: open_applications.Guard | None,
            retry: idempotency.Retry | None) -> list[Change | Create]:
    """The case, its open-application marker, its Idempotency-Key's record: one commit."""
    writes: list[Change | Create] = [Create(case_key(record.pk), record)]
    if one_open:
        writes.append(one_open.claim(record.pk))
    if retry:
        writes.append(idempotency.first_use(retry, record.pk, record.createdAt))
    return writes


def _written(applying: new_case.Applying, record) -> None:
    if applying.plan["calendar"] != "official":
        log.warning("case %s: deadlines up to %s follow a provisional holiday calendar "
                    "(no announced schedule for a year they cross)", record.pk,
                    record.promisedBy)
    tracing.annotate(case_no=record.pk, item_code=applying.application.item_code)
