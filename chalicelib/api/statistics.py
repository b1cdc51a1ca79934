"""Statistics (统计分析): figures by month and dimension; a month's export for
third-party evaluators (JSON Lines, CSV)."""
from chalice import Blueprint, Response

from ..contract import models, openapi
from ..domain import identity
from ..domain import statistics as stats_rules
from ..services import statistics
from . import http

bp = Blueprint(__name__)
READERS = (*identity.STAFF, identity.EVALUATOR)
MONTH = openapi.MONTH
LAST_MONTH = "the last month (default: this one); at most 24 from `from`"


@http.route(bp, "GET", "/stats", op="getStatistics",
            summary="figures per month for everything, a department, an item or a channel",
            tag="statistics", roles=READERS, returns=models.Stats,
            query=(("from", MONTH, False, "the first month (default: `to`)"),
                   ("to", MONTH, False, LAST_MONTH),
                   ("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "a department (its own staff: theirs only)"),
                   ("item", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "an item (implementation code)"),
                   ("channel", {"type": "string", "enum": list(stats_rules.CHANNELS)}, False,
                    "an application channel")))
def figures(caller):
    request = bp.current_request
    return statistics.figures(caller,
                              start=http.query_param(request, "from"),
                              end=http.query_param(request, "to"),
                              dept=http.query_param(request, "dept"),
                              item=http.query_param(request, "item"),
                              channel=http.query_param(request, "channel"))


@http.route(bp, "GET", "/stats/cases", op="listCountedCases",
            summary="the cases behind a month's figure of a department or an item "
                    "(concluded, on time, late, fully online, overdue), in time order",
            tag="statistics", roles=identity.STAFF, returns=models.CountedCases,
            query=(("month", MONTH, True, "the month"),
                   ("dept", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "a department (its own staff: theirs only, the default)"),
                   ("item", {"type": "string", "maxLength": http.MAX_PARAM_CHARS}, False,
                    "an item (implementation code); one of dept or item"),
                   ("measure", {"type": "string", "enum": list(stats_rules.MEASURES),
                                "default": "concluded"}, False, "which figure's cases"),
                   http.limit_query(50), http.CURSOR_QUERY))
def counted_cases(caller):
    request = bp.current_request
    return statistics.cases(caller, http.query_param(request, "month"),
                            dept=http.query_param(request, "dept"),
                            item=http.query_param(request, "item"),
                            measure=http.query_param(request, "measure"),
                            limit=http.int_param(request, "limit", 50, 1, 100),
                            cursor=http.query_param(request, "cursor"))


@http.route(bp, "GET", "/stats/breakdown", op="getStatisticsBreakdown",
            summary="the figures of every department (or every item) per month, in one "
                    "call, a page of rows in code order",
            tag="statistics", roles=READERS, returns=models.StatsBreakdown,
            query=(("from", MONTH, False, "the first month (default: `to`)"),
                   ("to", MONTH, False, LAST_MONTH),
                   ("by", {"type": "string", "enum": list(statistics.BREAKDOWNS),
                           "default": "dept"}, False,
                    "one row per department or per item (a department's staff: theirs only)"),
                   http.limit_query(100), http.CURSOR_QUERY))
def breakdown(caller):
    request = bp.current_request
    return statistics.breakdown(caller,
                                start=http.query_param(request, "from"),
                                end=http.query_param(request, "to"),
                                by=http.query_param(request, "by"),
                                limit=http.int_param(request, "limit", 100, 1, 100),
                                cursor=http.query_param(request, "cursor"))


def _export(path: str, op: str, media_type: str, what: str):
    return http.route(bp, "GET", path, op=op, tag="statistics", returns=None,
                      roles=statistics.READS_ALL, media_type=media_type, errors=(400,),
                      summary=f"a month's figures of every dimension ({what}), for "
                              "evaluators", description=what)


@_export("/stats/{month}/export.jsonl", "exportStatisticsJsonl", "application/x-ndjson",
         "one JSON object per line")
def export_jsonl(month, caller):
    return Response(body=statistics.export_jsonl(caller, month),
                    headers={"Content-Type": "application/x-ndjson; charset=utf-8"})


@_export("/stats/{month}/export.csv", "exportStatisticsCsv", "text/csv", "CSV, header first")
def export_csv(month, caller):
    return Response(body=statistics.export_csv(caller, month),
                    headers={"Content-Type": "text/csv; charset=utf-8",
                             "Content-Disposition": f'attachment; filename="onewindow-'
                                                    f'{month}.csv"'})
