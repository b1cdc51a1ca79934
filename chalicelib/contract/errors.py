"""The error catalogue: every code the API answers with, its status and its message in
Chinese and English. docs/errors.md is the same table for readers; a test keeps the two
and the codes the code raises in step.

The `message` of an error is the catalogue's, in the language the caller asks for with
Accept-Language (zh-CN unless English is preferred); `detail` says exactly what is wrong
(English, for integrators); `field` names the offending field.
"""
import re
from typing import Any, NamedTuple


class ErrorKind(NamedTuple):
    status: int
    zh: str
    en: str


CATALOGUE: dict[str, ErrorKind] = {
    # 400
    "validation_error": ErrorKind(400, "请求参数不符合要求", "The request is not valid"),
    # 401 / 403 / 404 / 405 / 406
    "unauthorized": ErrorKind(401, "未登录或登录凭证无效",
                              "No valid bearer token was presented"),
    "not_an_access_token": ErrorKind(401, "登录凭证不是访问令牌（ID 令牌不能用于调用接口）",
                                     "The bearer token is not an access token (an ID token "
                                     "is no API credential)"),
    "forbidden": ErrorKind(403, "无权进行此操作", "You may not do this"),
    "assurance_too_low": ErrorKind(403, "该事项要求更高的实名认证等级",
                                   "The item needs a more strongly verified identity"),
    "unverified_holder_name": ErrorKind(403, "登录身份未提供经核验的申请人名称",
                                        "The sign-in gives no verified name to apply in"),
    "not_found": ErrorKind(404, "请求的资源不存在", "No such resource"),
    "method_not_allowed": ErrorKind(405, "该地址不支持此请求方法",
                                    "This method is not allowed on this path"),
    "not_acceptable": ErrorKind(406, "请在 Accept 请求头中声明可接收的格式（如 application/pdf）",
                                "The Accept header must name this representation's type "
                                "(e.g. application/pdf)"),
    # 409: the resource moved on
    "conflict": ErrorKind(409, "资源状态已变化，请刷新后重试",
                          "The resource changed; reload and retry"),
    "illegal_transition": ErrorKind(409, "当前状态下不允许此操作",
                                    "Not allowed in the current state"),
    "task_already_decided": ErrorKind(409, "该任务已办理", "The task is already decided"),
    "task_cancelled": ErrorKind(409, "该任务已取消（办件已撤回、撤销或不予许可）",
                                "The task was cancelled (the case closed)"),
    "task_waiting": ErrorKind(409, "该任务正在等待补正或特别程序",
                              "The task waits on a supplement or a special procedure"),
    "task_claimed": ErrorKind(409, "该任务已由他人认领", "Someone else has claimed the task"),
    "task_changed": ErrorKind(409, "任务或办件已变化，请刷新后重试",
                              "The task or its case changed; reload and retry"),
    "case_changed": ErrorKind(409, "办件已变化，请刷新后重试",
                              "The case changed; reload and retry"),
    "no_special_procedure": ErrorKind(409, "该任务未处于特别程序中",
                                      "The task is in no special procedure"),
    "not_in_review": ErrorKind(409, "特别程序只能在部门办理环节启动",
                               "Special procedures happen in department review"),
    "nothing_to_supply": ErrorKind(409, "该办件当前无需补交材料",
                                   "The case is not waiting for materials"),
    "not_appealable": ErrorKind(409, "预警不是督办牌，无需申诉",
                                "A warning is not a card: nothing to appeal"),
    "card_closed": ErrorKind(409, "督办牌已办结或已撤销", "The card is resolved or withdrawn"),
    "card_acknowledged": ErrorKind(409, "该督办牌已确认", "The card was acknowledged already"),
    "card_changed": ErrorKind(409, "督办牌已变化，请刷新后重试",
                              "The card changed; reload and retry"),
    "duplicate_open_case": ErrorKind(409, "已有相同的申请正在办理中",
                                     "An identical application is already open as a case"),
    "already_appealed": ErrorKind(409, "该督办牌已申诉", "The card was appealed already"),
    "no_appeal": ErrorKind(409, "该督办牌没有待裁决的申诉", "The card has no appeal to decide"),
    "appeal_decided": ErrorKind(409, "申诉已裁决", "The appeal was decided already"),
    "already_rated": ErrorKind(409, "已评价过（每个办件、环节每位评价人一次）",
                               "Rated already (once per case, scope and rater)"),
    "not_rateable": ErrorKind(409, "该环节尚未办结，暂不能评价", "Nothing to rate there yet"),
    "no_rectification": ErrorKind(409, "该评价未启动整改（仅1–2分启动）",
                                  "The rating opened no rectification (only 1 or 2 does)"),
    "rectification_state": ErrorKind(409, "整改当前状态不允许此操作",
                                     "The rectification is not where this step may follow"),
    "rating_changed": ErrorKind(409, "评价已变化，请刷新后重试",
                                "The rating changed; reload and retry"),
    "license_state": ErrorKind(409, "证照当前状态不允许此操作",
                               "The license's status does not allow this"),
    "license_changed": ErrorKind(409, "证照已变化，请刷新后重试",
                                 "The license changed; reload and retry"),
    "document_not_valid": ErrorKind(409, "该文书已被更正或撤销，请对现行版本操作",
                                    "The document was corrected or annulled: act on the "
                                    "version that stands"),
    "document_changed": ErrorKind(409, "文书已变化，请刷新后重试",
                                  "The document changed; reload and retry"),
    "correction_requested": ErrorKind(409, "该文书已有待处理的更正申请",
                                      "The document already has an open correction request"),
    "no_correction_request": ErrorKind(409, "该文书没有待处理的更正申请",
                                       "The document has no open correction request"),
    "correction_not_clerical": ErrorKind(422, "更正只能修改笔误，不能改变决定内容或救济途径",
                                         "A correction mends words: not the decision or "
                                         "the remedies"),
    "correction_not_found": ErrorKind(422, "要更正的文字不在文书中",
                                      "The text to correct is not in the document"),
    "license_not_valid": ErrorKind(422, "该证照未通过核验或当前无效，不能替代材料",
                                   "The license does not verify or is not valid: it cannot "
                                   "stand in for a material"),
    "entry_exists": ErrorKind(409, "事项目录已存在", "The catalogue entry already exists"),
    "entry_changed": ErrorKind(409, "事项目录已被他人修改",
                               "The catalogue entry was changed meanwhile"),
    "item_exists": ErrorKind(409, "实施清单编码已存在", "The item code already exists"),
    "department_exists": ErrorKind(409, "部门已登记（编码或统一社会信用代码重复）",
                                   "The department (its code or USCC) is registered already"),
    "department_changed": ErrorKind(409, "部门信息已被他人修改，请刷新后重试",
                                    "The department was changed meanwhile; reload and retry"),
    "draft_exists": ErrorKind(409, "已有未发布的草稿版本", "An unpublished draft exists"),
    "not_a_draft": ErrorKind(409, "该版本已发布，不能修改",
                             "The version is not a draft"),
    "publish_conflict": ErrorKind(409, "事项已被他人发布或修改",
                                  "The item was published or changed meanwhile"),
    "item_cancelled": ErrorKind(409, "事项已取消", "The item is cancelled"),
    # 412 / 413 / 415 / 422
    "precondition_failed": ErrorKind(412, "资源已被修改（版本标识不匹配），请刷新后重试",
                                     "The resource changed since the ETag given in If-Match"),
    "payload_too_large": ErrorKind(413, "请求内容过大（不超过256KB）",
                                   "The request body is larger than 256 KB"),
    "uri_too_long": ErrorKind(414, "请求地址过长（不超过64KB）",
                              "The request line (method, path and query) is longer than 64 KB"),
    "unsupported_media_type": ErrorKind(415, "请求内容须为 application/json",
                                        "The request body must be application/json"),
    "idempotency_key_reused": ErrorKind(422, "幂等键已用于另一个不同的请求",
                                        "The Idempotency-Key was used with another request"),
    "unprocessable": ErrorKind(422, "请求无法处理", "The request cannot be processed"),
    "bad_check_character": ErrorKind(422, "标识的校验码错误",
                                     "The identifier's check character is wrong"),
    "invalid_cursor": ErrorKind(422, "分页游标无效，请从第一页重新查询",
                                "The cursor is not one this listing returned"),
    "item_not_open": ErrorKind(422, "该事项不存在或当前不受理申请",
                               "No published service item takes applications under this code"),
    "material_not_accepted": ErrorKind(422, "该材料不能用于本事项"
                                            "（不属于本事项、非申请人所有或状态不符）",
                                       "The material cannot be used here (not the item's, "
                                       "not the applicant's, or not stored)"),
    "item_not_valid": ErrorKind(422, "事项实施清单不符合规则（部门、时限、表单等）",
                                "The item breaks a catalogue rule (departments, limits, "
                                "form schema)"),
    "form_title_missing": ErrorKind(422, "表单及其每个字段须有中文标题后才能发布",
                                    "A published form schema needs a Chinese title on "
                                    "itself and on every field"),
    "hidden_character": ErrorKind(422, "文本含有控制字符或格式字符（任何文本均不接受）",
                                  "A text holds a control or format character (refused in "
                                  "any text)"),
    "purpose_required": ErrorKind(422, "请说明用证事由", "State the purpose of using it"),
    "not_sampled": ErrorKind(422, "该办件不是被抽查的秒批办件",
                             "The case is not a sampled instant approval"),
    "rule_not_valid": ErrorKind(422, "秒批规则不是有效的 CEL 表达式，或读取了未知的数据",
                                "An instant-approval rule is not valid CEL, or reads "
                                "unknown facts"),
    "requester_required": ErrorKind(422, "查询基础数据须说明由谁查询",
                                    "A base-data query names who asks"),
    "basis_required": ErrorKind(422, "查询基础数据须有本人授权或法律依据",
                                "A base-data query names its basis: consent or a law"),
    "consent_required": ErrorKind(403, "须先授权使用您的基础数据（或授权已撤回）",
                                  "The data subject's consent is needed (or was revoked)"),
    "prefilled_field_locked": ErrorKind(422, "该字段由基础数据自动填写，不能修改",
                                        "A field filled from base data may not be changed"),
    "prefill_not_valid": ErrorKind(422, "自动填写凭据无效或已过期，请重新获取",
                                   "The prefill token is not valid or has expired"),
    "form_not_valid": ErrorKind(422, "申请表不符合该事项版本的表单要求",
                                "The form does not match the item version's form schema"),
    "assignee_not_in_department": ErrorKind(
        422, "只能将任务转交给本部门可办理该任务的人员",
        "A task goes only to one of its department's staff who handles its kind"),
    "special_procedure_not_allowed": ErrorKind(
        422, "该事项版本未规定此类特别程序",
        "The item version allows no special procedure of this type"),
    "materials_to_follow_not_allowed": ErrorKind(
        422, "该事项版本不允许容缺办理", "The item version allows no materials to follow"),
    "headers_too_large": ErrorKind(431, "请求头过大（每行不超过64KB，不超过100个）",
                                   "A request header is longer than 64 KB, or there are more "
                                   "than 100"),
    # 429
    "too_many_attempts": ErrorKind(429, "查询密码错误次数过多，请15分钟后再试",
                                   "Too many wrong query passwords for this case; retry in "
                                   "15 minutes"),
    "too_many_requests": ErrorKind(429, "请求过于频繁，请稍后再试",
                                   "Too many requests; retry after the Retry-After seconds"),
    # 5xx
    "internal_error": ErrorKind(500, "系统内部错误，请稍后重试",
                                "An internal error occurred; retry later"),
    "gateway_timeout": ErrorKind(504, "系统处理超时，请稍后重试",
                                 "The service did not answer in time; retry later"),
}

# The code a bare status maps to when nothing more specific was raised.
BY_STATUS = {400: "validation_error", 401: "unauthorized", 403: "forbidden",
             404: "not_found", 405: "method_not_allowed", 406: "not_acceptable",
             409: "conflict",
             412: "precondition_failed", 413: "payload_too_large", 414: "uri_too_long",
             415: "unsupported_media_type", 431: "headers_too_large", 422: "unprocessable",
             429: "too_many_attempts", 500: "internal_error", 504: "gateway_timeout"}


def language(accept_language: str | None) -> str:
    """'en' when the caller prefers English over Chinese, else 'zh' (RFC 9110 q-values)."""
    best, best_q = "zh", -1.0
    for part in (accept_language or "").split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        lang = "en" if tag.startswith("en") else "zh" if tag.startswith("zh") else None
        # q=0 means "not this one"; ties go to the earlier tag (a browser lists its
        # preferences in order).
        if lang and q > 0 and q > best_q:
            best, best_q = lang, q
    return best


def message(code: str, lang: str) -> str:
    kind = CATALOGUE.get(code) or CATALOGUE["validation_error"]
    return kind.zh if lang == "zh" else kind.en


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _escaped(character: str) -> str:
    """A character as JSON writes it escaped (astral ones as a surrogate pair)."""
    point = ord(character)
    if point > 0xFFFF:
        point -= 0x10000
        return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"
    return f"\\u{point:04x}"


def english_detail(detail: str) -> str:
    """`detail` for a caller who asked for English: what it quotes of the request or the
    catalogue (a material's, an item's or a person's name in Chinese) escaped as \\uXXXX,
    so that the text is ASCII English and nothing of it is lost."""
    return _NON_ASCII.sub(lambda match: _escaped(match.group()), detail)


def body(code: str, lang: str, *, field: str | None = None, detail: str | None = None,
         request_id: str | None = None) -> dict[str, Any]:
    """The JSON error body. `field` is a dotted path (`materials.0.materialId`: object keys
    and array indexes joined by dots) or a parameter's or header's name."""
    error = {"code": code, "message": message(code, lang)}
    if field:
        error["field"] = field
    if detail:
        error["detail"] = english_detail(detail) if lang == "en" else detail
    answer: dict[str, Any] = {"error": error}
    if request_id:
        answer["requestId"] = request_id
    return answer
