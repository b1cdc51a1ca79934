"""Statistics (统计分析) and third-party evaluation: lifecycle events counted into monthly
counters per department, item and channel (rules in domain/statistics.py), read by
`GET /stats` and exported per month for evaluators.

Once: each event's counters are added in one transaction with a marker of its `eventId`,
so a redelivered event adds nothing. Nothing is ever scanned: a figure is one read of its
(month, dimension), a range of months one batch read, a month's export one query.
"""
import csv
import dataclasses
import io
import json
import logging
import random
from datetime import timedelta

from .. import config
from ..adapters import counters
from ..adapters.models import CaseRecord, TimelineEvent
from ..domain import identity, statistics, worktime
from ..domain.errors import Forbidden, NotFound, UnprocessableEntity, ValidationError
from . import catalogue, clock, timeline
from .cases import META
from .pagination import decode_cursor, encode_cursor

log = logging.getLogger("onewindow")
EVENT_PREFIX = timeline.DETAIL_TYPE.format("")
MARKER_DAYS = 30   # longer than any redelivery (queues keep messages 4 days, DLQs 14)
MAX_MONTHS = 24
# Who reads which figures: a department's own staff their department's; supervisors,
# admins and third-party evaluators everything.
READS_ALL = (*identity.READS_EVERY_CASE, identity.EVALUATOR)


def _facts(kind: str, detail: dict) -> tuple[statistics.Facts, CaseRecord]:
    case = CaseRecord.get(detail["caseNo"], META, consistent_read=True)
    dept = catalogue.pinned_version(case.itemCode, case.itemVersion)["implementingDept"]
    facts = statistics.Facts(item=case.itemCode, dept=dept, channel=case.appliedVia)
    if not statistics.needs_conclusion_facts(kind, detail) or case.closedAt is None:
        return facts, case
    zone = clock.zone()
    taken = worktime.clock_view(worktime.utc_text(worktime.parse(case.createdAt)),
                                case.due or {}, case.pauses or [],
                                worktime.utc_text(worktime.parse(case.closedAt)),
                                clock.now(), zone)
    remaining = taken.get("promisedRemainingMinutes")
    return dataclasses.replace(facts, minutes=taken["elapsedMinutes"],
                               on_time=remaining is None or remaining >= 0,
                               fully_online=fully_online(case)), case


def fully_online(case: CaseRecord) -> bool:
    """全程网办: applied online and nothing of it done at a counter."""
    if case.appliedVia not in statistics.ONLINE:
        return False
    at_counter = TimelineEvent.query(case.pk, TimelineEvent.sk.startswith("EV#"),
                                     filter_condition=TimelineEvent.channel == "counter",
                                     consistent_read=True)
    return not any(True for _ in at_counter)


def count(envelope: dict) -> bool:
    """Add what one lifecycle event (as EventBridge delivers it) counts for; False when
    it counts for nothing or was counted before."""
    return count_all([envelope])[0]


def count_all(envelopes: list[dict]) -> list[bool]:
    """`count` of a queue's batch, in as few transactions as DynamoDB allows (one for ten
    events): the rows they add to are written once each, their sums (adapters/counters.py
    `add_all`)."""
    part = random.randrange(statistics.SPREAD)   # the batch's row of `all` and channels
    found = [_counted(envelope, part) for envelope in envelopes]
    counting = [counted for counted in found if counted is not None]
    expires = int((clock.now() + timedelta(days=MARKER_DAYS)).timestamp())
    before = counters.add_all(config.get().statistics_table, counting, expires) \
        if counting else set()
    added, seen = [], set()
    for envelope, counted in zip(envelopes, found, strict=True):
        new = counted is not None and counted.event_id not in before \
            and counted.event_id not in seen
        if counted is not None:
            seen.add(counted.event_id)
        if new:
            log.info("%s counted in %s", envelope["detail-type"].removeprefix(EVENT_PREFIX),
                     next(iter(counted.updates))[0])
        added.append(new)
    return added


def _counted(envelope: dict, part: int) -> counters.Counted | None:
    """What one event adds (None: nothing), to the `part` row of the spread ones."""
    kind = envelope["detail-type"].removeprefix(EVENT_PREFIX)
    detail = envelope["detail"]
    if kind not in statistics.KINDS:
        return None
    facts, case = _facts(kind, detail)
    found = statistics.contribution(kind, detail, facts, clock.zone())
    if found is None:
        return None
    return counters.Counted(
        detail["eventId"],
        {(found.month, statistics.written(key, part)): found.counts
         for key in statistics.keys(found, facts)},
        _case_entries(kind, detail, found, facts, case))


def _case_entries(kind: str, detail: dict, found: statistics.Contribution,
                  facts: statistics.Facts, case: CaseRecord) -> dict[tuple[str, str], dict]:
    """The case behind the figures an event adds to, listed under its month, department
    and item for each measure it counts in (written with the counters, so once)."""
    measures = statistics.measures(found, facts)
    if not measures:
        return {}
    concluded = "concluded" in measures
    fields = {"caseNo": case.pk, "itemCode": case.itemCode, "itemName": case.itemName,
              "dept": found.dept, "channel": facts.channel, "at": detail["at"],
              "outcome": kind if concluded else None,
              "concludedAt": detail["at"] if concluded else None,
              "onTime": facts.on_time if concluded else None,
              "workingDays": statistics.working_days(facts.minutes) if concluded else None,
              "online": facts.fully_online if concluded else None}
    entries = {}
    for dimension in (f"dept#{found.dept}", f"item#{facts.item}"):
        for measure in measures:
            key = (statistics.case_list_key(found.month, dimension),
                   statistics.case_entry_key(measure, detail["at"], case.pk))
            entries[key] = fields
    return entries


# -- reading ---------------------------------------------------------------------------------

def check_month(value: str, name: str) -> str:
    if len(value) != 7 or value[4] != "-" or not value.replace("-", "").isdigit() or \
            not 1 <= int(value[5:]) <= 12:
        raise ValidationError(f"{name} must be a month, YYYY-MM", field=name)
    return value


def _months(start: str, end: str) -> list[str]:
    check_month(start, "from")
    check_month(end, "to")
    if start > end:
        raise UnprocessableEntity("from must not be after to", field="from")
    months, year, month = [], int(start[:4]), int(start[5:])
    while f"{year:04d}-{month:02d}" <= end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        if len(months) > MAX_MONTHS:
            raise UnprocessableEntity(f"at most {MAX_MONTHS} months at once", field="to")
    return months


def dimension(principal: identity.Principal, dept: str | None, item: str | None,
              channel: str | None) -> str:
    """The dimension asked for (at most one of dept, item, channel; none: everything),
    if the caller may read it."""
    given = [(name, value) for name, value in (("dept", dept), ("item", item),
                                                ("channel", channel)) if value]
    if len(given) > 1:
        raise UnprocessableEntity("filter by one of dept, item or channel",
                                  field=given[1][0])
    if channel and channel not in statistics.CHANNELS:
        raise ValidationError(f"channel must be one of {', '.join(statistics.CHANNELS)}",
                              field="channel")
    if principal.role not in READS_ALL:
        # A department's staff read their own department's figures, and those of its
        # own items; anything else is 403 (audited, services/audit.py), as any refusal.
        if given and given[0][0] == "channel":
            raise Forbidden("a channel's figures span every department; a department's "
                            "staff read their department's", field="channel")
        if given and given[0][0] == "item":
            if _implementing_dept(item) != principal.dept:
                raise Forbidden(f"item {item} is not implemented by department "
                                f"{principal.dept}", field="item")
            return f"item#{item}"
        identity.require_department(principal, given[0][1] if given else principal.dept)
        return f"dept#{given[0][1] if given else principal.dept}"
    return f"{given[0][0]}#{given[0][1]}" if given else "all"


def _implementing_dept(code: str) -> str | None:
    """The department an item's current version names (None: no such item)."""
    try:
        return catalogue.get_item(code).get("implementingDept")
    except (NotFound, ValidationError):
        return None


def figures(principal: identity.Principal | None, *, start: str | None = None,
            end: str | None = None, dept: str | None = None, item: str | None = None,
            channel: str | None = None) -> dict:
    """The figures of one dimension for each month of a range, and over the range."""
    principal = identity.require_role(principal, *identity.STAFF, identity.EVALUATOR)
    # `from` alone reads up to this month, `to` alone that one month.
    end = end if end is not None else clock.local_date(clock.now()).strftime("%Y-%m")
    months = _months(start if start is not None else end, end)
    key = dimension(principal, dept, item, channel)
    found = counters.get_many(config.get().statistics_table,
                              [(m, row) for m in months for row in statistics.stored(key)])
    total: dict[str, int] = {}
    rows = []
    for month in months:
        counts: dict[str, int] = {}
        for row in statistics.stored(key):
            statistics.add(counts, found.get((month, row), {}))
        statistics.add(total, counts)
        rows.append({"month": month, **statistics.figures(counts)})
    return {"dimension": key, "from": months[0], "to": months[-1], "months": rows,
            "total": statistics.figures(total)}


BREAKDOWNS = ("dept", "item")


def breakdown(principal: identity.Principal | None, *, start: str | None = None,
              end: str | None = None, by: str | None = None, limit: int = 100,
              cursor: str | None = None) -> dict:
    """The figures of every department (or every item) for each month of a range and over
    it, a page of them in code order: one Query per month, whatever the number of
    departments or items. Read as `GET /stats`: supervisors, admins and evaluators every
    row; a department's staff their department's row, or their department's items'."""
    principal = identity.require_role(principal, *identity.STAFF, identity.EVALUATOR)
    by = by or "dept"
    if by not in BREAKDOWNS:
        raise ValidationError(f"by must be one of {', '.join(BREAKDOWNS)}", field="by")
    end = end if end is not None else clock.local_date(clock.now()).strftime("%Y-%m")
    months = _months(start if start is not None else end, end)
    listing = f"stats/breakdown/{by}/{months[0]}/{months[-1]}"
    after = (decode_cursor(cursor, listing) or {}).get("after")
    table = config.get().statistics_table
    prefix = f"{by}#"
    found: dict[str, dict[str, dict]] = {}
    full = False
    for month in months:
        rows = counters.dimensions(table, month, prefix, after, limit)
        full = full or len(rows) == limit
        for row in rows:
            row.pop("month")
            found.setdefault(row.pop("dimension")[len(prefix):], {})[month] = row
    # Each month gave its first `limit` codes after the cursor: the first `limit` of them
    # all are complete in every month (a month that stopped early stopped past them).
    codes = sorted(found)[:limit]
    more = full or len(found) > limit
    rows = []
    for code in codes:
        if principal.role not in READS_ALL and not _own(principal, by, code):
            continue
        total: dict[str, int] = {}
        per_month = []
        for month in months:
            counts = found[code].get(month, {})
            statistics.add(total, counts)
            per_month.append({"month": month, **statistics.figures(counts)})
        rows.append({"code": code, "months": per_month, "total": statistics.figures(total)})
    return {"by": by, "from": months[0], "to": months[-1], "rows": rows,
            "next": encode_cursor({"after": codes[-1]}, listing) if more and codes else None}


def _own(principal: identity.Principal, by: str, code: str) -> bool:
    """A department's staff read their department's row and their items' rows."""
    if by == "dept":
        return code == principal.dept
    return _implementing_dept(code) == principal.dept


def _export_rows(principal: identity.Principal | None, month: str) -> list[dict]:
    identity.require_role(principal, *READS_ALL)
    check_month(month, "month")
    summed: dict[str, dict[str, int]] = {}
    for row in counters.month(config.get().statistics_table, month):
        stored = row.pop("dimension")
        row.pop("month", None)
        statistics.add(summed.setdefault(statistics.dimension_of(stored), {}), row)
    return [{"month": month, "dimension": dimension,
             **statistics.flat(statistics.figures(counts))}
            for dimension, counts in sorted(summed.items())]


def export_jsonl(principal: identity.Principal | None, month: str) -> str:
    """A month's figures of every dimension, one JSON object per line."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n"
                   for row in _export_rows(principal, month))


def export_csv(principal: identity.Principal | None, month: str) -> str:
    """A month's figures of every dimension as CSV (header first)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["month", "dimension", *statistics.FLAT_FIELDS],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(_export_rows(principal, month))
    return out.getvalue()


CASE_FIELDS = ("caseNo", "itemCode", "itemName", "dept", "channel", "at", "outcome",
               "concludedAt", "onTime", "workingDays", "online")


def cases(principal: identity.Principal | None, month: str | None, *, dept: str | None = None,
          item: str | None = None, measure: str | None = None, limit: int = 50,
          cursor: str | None = None) -> dict:
    """The cases behind a month's figure of a department or an item, in time order: those
    concluded (every one, on time, late, fully online) or found overdue that month. Read
    as `GET /stats` is, but not by evaluators: a third party reads the aggregated figures,
    not the individual cases."""
    principal = identity.require_role(principal, *identity.STAFF)
    if month is None:
        raise ValidationError("month is required, YYYY-MM", field="month")
    check_month(month, "month")
    measure = measure or "concluded"
    if measure not in statistics.MEASURES:
        raise ValidationError(f"measure must be one of {', '.join(statistics.MEASURES)}",
                              field="measure")
    key = dimension(principal, dept, item, None)
    if key == "all":
        raise UnprocessableEntity("name a dept or an item", field="dept")
    partition = statistics.case_list_key(month, key)
    listing = f"stats/cases/{partition}/{measure}"
    found, last = counters.entries(config.get().statistics_table, partition, f"{measure}#",
                                   limit, decode_cursor(cursor, listing))
    return {"month": month, "dimension": key, "measure": measure,
            "cases": [{name: entry.get(name) for name in CASE_FIELDS} for entry in found],
            "next": encode_cursor(last, listing)}
