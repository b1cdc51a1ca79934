"""Statistics (统计分析): what each lifecycle event adds to the monthly counters, and the
figures read from them. Pure rules: no AWS.

Counters are kept per month and per dimension — everything (`all`), a department
(`dept#<code>`), an item (`item#<code>`), an application channel (`channel#<name>`) — so
any figure of a month and dimension is one read, and a range of months one query. Each
event adds to the counters of the month it belongs to (a rating's later steps to the
rating's month) under the department it is charged to (a case's: its item's implementing
department; a card's, a rating's: theirs), the case's item and its channel.

Working days taken are kept as a histogram in tenths of a working day, so the average
and the 90th percentile come out of the counters alone.
"""
import math
import typing
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from . import documents, worktime

COUNTERS = ("received", "accepted", "refused", "concluded", "onTime", "workMinutes",
            "overdue", "cardsWarning", "cardsYellow", "cardsRed", "rated", "satisfied",
            "ratingSum", "excluded", "rectOpened", "rectRectified", "rectVoided", "rectLate",
            "fullyOnline", *(f"rating{level}" for level in range(1, 6)))
HISTOGRAM = "wd"          # wd<tenths>: concluded cases that took that many tenths of a day
MAX_TENTHS = 9999         # 999.9 working days and more share the last bucket
CONCLUDED = {"approved", "approved_pending_materials", "denied"}
REFUSED = {"not_accepted", "refused"}
CHANNELS = typing.get_args(documents.Channel)
ONLINE = tuple(channel for channel in CHANNELS if channel != "counter")
DIMENSIONS = ("dept", "item", "channel")
# The event types that may count for something.
KINDS = frozenset({"received", "accepted", *REFUSED, *CONCLUDED, "overdue", "card_issued",
                   "rating_submitted", "rectification_opened", "rectification_rectified",
                   "rectification_overdue", "rating_contest_decided"})


@dataclass(frozen=True)
class Facts:
    """What an event's counters need beyond the event: the case's item, its
    implementing department and its application channel; for a conclusion, the working
    minutes it took, whether in time, whether every step was online."""
    item: str
    dept: str
    channel: str
    minutes: int | None = None
    on_time: bool | None = None
    fully_online: bool | None = None


@dataclass
class Contribution:
    month: str
    dept: str
    counts: dict[str, int] = field(default_factory=dict)


def month_of(moment: str, zone: tzinfo) -> str:
    """The month (YYYY-MM, the region's time) a moment falls in."""
    return worktime.parse(moment).astimezone(zone).strftime("%Y-%m")


def tenths(minutes: int) -> int:
    """Working minutes as tenths of a working day, rounded up (the histogram's bucket)."""
    return min(math.ceil(minutes * 10 / worktime.DAY_MINUTES), MAX_TENTHS)


def needs_conclusion_facts(kind: str, detail: dict[str, Any]) -> bool:
    return kind in CONCLUDED and detail.get("fromStatus") != 12


def contribution(kind: str, detail: dict[str, Any], facts: Facts,
                 zone: tzinfo) -> Contribution | None:
    """What one lifecycle event (docs/events.md) adds, or None."""
    month = month_of(detail["at"], zone)
    rated_month = month_of(detail.get("ratedAt") or detail["at"], zone)
    counts = _case_counts(kind, detail, facts)
    if counts:
        return Contribution(month, facts.dept, counts)
    counts, of_rating = _department_counts(kind, detail)
    if not counts:
        return None
    return Contribution(rated_month if of_rating else month, detail["dept"], counts)


def _case_counts(kind: str, detail: dict[str, Any], facts: Facts) -> dict[str, int]:
    """What a step of a case's lifecycle counts, for the case's department."""
    if kind == "received":
        return {"received": 1}
    if kind == "accepted":
        return {"accepted": 1}
    if kind in REFUSED:
        return {"refused": 1}
    if kind in CONCLUDED:
        return _conclusion_counts(detail, facts)
    if kind == "overdue" and not detail.get("taskId") and detail.get("deadline") == "promised":
        return {"overdue": 1}
    return {}


def _conclusion_counts(detail: dict[str, Any], facts: Facts) -> dict[str, int]:
    # 12 becoming 11 (the materials in) is the same conclusion: nothing more.
    if detail.get("fromStatus") == 12:
        return {}
    minutes = facts.minutes or 0
    return {"concluded": 1, "onTime": int(bool(facts.on_time)), "workMinutes": minutes,
            "fullyOnline": int(bool(facts.fully_online)),
            f"{HISTOGRAM}{tenths(minutes)}": 1}


def _department_counts(kind: str, detail: dict[str, Any]) -> tuple[dict[str, int], bool]:
    """What a card or a rating's step counts, for the department the event names, and
    whether it counts in the rating's month (a rating's later steps do)."""
    if kind == "card_issued":
        return {"cards" + detail["level"].capitalize(): 1}, False
    if kind == "rating_submitted":
        level = int(detail["level"])
        return {"rated": 1, "satisfied": int(level >= 4), "ratingSum": level,
                f"rating{level}": 1}, False
    if kind == "rectification_opened":
        return {"rectOpened": 1}, True
    if kind == "rectification_rectified" and detail.get("round", 1) == 1:
        return {"rectRectified": 1}, True
    if kind == "rectification_overdue":
        return {"rectLate": 1}, True
    if kind == "rating_contest_decided" and detail.get("decision") == "upheld":
        # A voided rating leaves its level's count (which so counts the ratings that
        # count, as `ratings` does); the event names the level it voids.
        return {"excluded": 1, "rectVoided": 1, f"rating{int(detail['level'])}": -1}, True
    return {}, False


def keys(contribution: Contribution, facts: Facts) -> list[str]:
    """The dimensions a contribution is counted under."""
    return ["all", f"dept#{contribution.dept}", f"item#{facts.item}",
            f"channel#{facts.channel}"]


# Every counted event adds to the month's `all` row and to its channel's (a handful of
# channels): those rows are each spread over SPREAD rows (`all~0` … `all~7`), a batch
# of events adding to one of them, and summed when read. No one row then takes more than
# an eighth of the month's batches: DynamoDB's 1,000 writes a second per item, and two
# transactions meeting on one row, are eight times further off (docs/capacity.md).
SPREAD = 8
_PART = "~"


def spread(dimension: str) -> bool:
    return dimension == "all" or dimension.startswith("channel#")


def written(dimension: str, part: int) -> str:
    """The row a batch adds a dimension's counts to (`part` of SPREAD)."""
    return f"{dimension}{_PART}{part}" if spread(dimension) else dimension


def stored(dimension: str) -> list[str]:
    """The rows a dimension's counts are in, to be summed: a spread one's parts and its
    own row (what was counted before the rows were spread)."""
    return [dimension, *(written(dimension, part) for part in range(SPREAD))] \
        if spread(dimension) else [dimension]


def dimension_of(row: str) -> str:
    """The dimension a stored row counts for."""
    return row.split(_PART, 1)[0]


# -- the cases behind the figures ------------------------------------------------------------
#
# Each concluded case (and each case found past its promised deadline) is listed under the
# month and the department and item it is counted for, once per measure it counts in, so
# that the cases behind a figure are one Query: concluded (every one), onTime or late,
# online (全程网办), overdue.
MEASURES = ("concluded", "onTime", "late", "online", "overdue")
LISTED_DIMENSIONS = ("dept", "item")
CASES_PREFIX = "CASES#"


def measures(contribution: Contribution, facts: Facts) -> list[str]:
    """The measures a contribution lists its case under (none for most events)."""
    counts = contribution.counts
    if counts.get("concluded"):
        return ["concluded", "onTime" if facts.on_time else "late",
                *(["online"] if facts.fully_online else [])]
    if counts.get("overdue"):
        return ["overdue"]
    return []


def case_list_key(month: str, dimension: str) -> str:
    """The partition of a month's cases under one dimension (`dept#<code>`, `item#<code>`)."""
    return f"{CASES_PREFIX}{month}#{dimension}"


def case_entry_key(measure: str, at: str, case_no: str) -> str:
    """An entry's place in its list: by measure, then in time order."""
    return f"{measure}#{at}#{case_no}"


def working_days(minutes: int | None) -> float | None:
    """Working minutes as working days, to two decimals (as the figures' average)."""
    return None if minutes is None else round(minutes / worktime.DAY_MINUTES, 2)


def add(total: dict[str, int], counts: dict[str, int]) -> dict[str, int]:
    for name, value in counts.items():
        total[name] = total.get(name, 0) + value
    return total


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def percentile_tenths(counts: dict[str, int], share: float) -> int | None:
    """The smallest bucket at or below which `share` of the concluded cases fall."""
    buckets = sorted((int(name[len(HISTOGRAM):]), value) for name, value in counts.items()
                     if name.startswith(HISTOGRAM) and value)
    total = sum(value for _, value in buckets)
    if not total:
        return None
    seen = 0
    for bucket, value in buckets:
        seen += value
        if seen >= share * total:
            return bucket
    return buckets[-1][0]


def figures(counts: dict[str, int]) -> dict[str, Any]:
    """The figures of a set of counters (one month and dimension, or a sum of them)."""
    c = {name: counts.get(name, 0) for name in COUNTERS}
    concluded, counted = c["concluded"], c["rated"] - c["excluded"]
    p90 = percentile_tenths(counts, 0.9)
    opened = c["rectOpened"] - c["rectVoided"]
    return {
        "received": c["received"], "accepted": c["accepted"], "refused": c["refused"],
        "concluded": concluded, "onTime": c["onTime"],
        "onTimeRate": _share(c["onTime"], concluded),
        "averageWorkingDays": round(c["workMinutes"] / worktime.DAY_MINUTES / concluded, 2)
        if concluded else None,
        "p90WorkingDays": p90 / 10 if p90 is not None else None,
        "overdue": c["overdue"],
        "cards": {"warning": c["cardsWarning"], "yellow": c["cardsYellow"],
                  "red": c["cardsRed"]},
        "ratings": counted,
        "ratingsByLevel": [c[f"rating{level}"] for level in range(1, 6)],
        "satisfied": c["satisfied"],
        "satisfaction": _share(c["satisfied"], counted),
        "excludedRatings": c["excluded"],
        "rectifications": opened, "rectified": c["rectRectified"],
        "rectificationRate": _share(c["rectRectified"], opened),
        "rectificationsLate": c["rectLate"],
        "fullyOnline": c["fullyOnline"],
        "fullyOnlineShare": _share(c["fullyOnline"], concluded),
    }


FLAT_FIELDS = ("received", "accepted", "refused", "concluded", "onTime", "onTimeRate",
               "averageWorkingDays", "p90WorkingDays", "overdue", "cardsWarning",
               "cardsYellow", "cardsRed", "ratings",
               *(f"ratingsLevel{level}" for level in range(1, 6)), "satisfied", "satisfaction",
               "excludedRatings", "rectifications", "rectified", "rectificationRate",
               "rectificationsLate", "fullyOnline", "fullyOnlineShare")


def flat(found: dict[str, Any]) -> dict[str, Any]:
    """Figures with the cards spread out (one column each: CSV)."""
    cards = found["cards"]
    return {**{k: v for k, v in found.items() if k not in ("cards", "ratingsByLevel")},
            "cardsWarning": cards["warning"], "cardsYellow": cards["yellow"],
            "cardsRed": cards["red"],
            **{f"ratingsLevel{level}": count
               for level, count in enumerate(found["ratingsByLevel"], start=1)}}
