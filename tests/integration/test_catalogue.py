"""The catalogue through its API: search, pagination, admin lifecycle, lineage, guide."""
import copy

from infra.local import demo

from .harness import FOOD, HYGIENE, RESTAURANT

ALL = {item["baseCode"] for item in demo.items()}


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.data
    return {item["code"] for item in response.data["items"]}


def _bases(response) -> set[str]:
    return {item["baseCode"] for item in response.data["items"]}


def test_search_by_chinese_and_pinyin_initials(stack):
    assert FOOD in _codes(stack.call("GET", "/items?q=spjy"))
    assert FOOD in _codes(stack.call("GET", "/items?q=食品"))
    assert _codes(stack.call("GET", "/items?q=食品经营许可")) == {FOOD}
    assert _codes(stack.call("GET", "/items?q=SPJYXK")) == {FOOD}
    assert _codes(stack.call("GET", "/items?q=卫生许可")) == {HYGIENE}
    assert _bases(stack.call("GET", "/items?q=gsrd")) == {"000107001000"}  # 工伤认定
    assert _bases(stack.call("GET", "/items?q=证")) == {"000220016000", "000220030000"}
    assert _codes(stack.call("GET", "/items?q=000201012000")) == {FOOD}
    assert _codes(stack.call("GET", f"/items?q={FOOD}")) == {FOOD}
    assert _codes(stack.call("GET", "/items?q=不存在的事项")) == set()


def test_filters_by_department_kind_audience_and_theme(stack):
    assert _bases(stack.call("GET", "/items?dept=RSJ")) == {
        "000107001000", "000220015000", "000220016000"}
    assert _bases(stack.call("GET", "/items?kind=07")) == {"000107001000"}
    assert _bases(stack.call("GET", "/items?kind=20")) == {
        "000220015000", "000220016000", "000220030000"}
    assert _bases(stack.call("GET", "/items?theme=开办餐厅")) == {
        "000201012000", "000201025000", "000201001000", "000201033000", "000201040000",
        "000201099000"}
    assert _bases(stack.call("GET", "/items?dept=RSJ&kind=20")) == {
        "000220015000", "000220016000"}
    natural = _bases(stack.call("GET", "/items?audience=natural"))
    assert natural == {"000107001000", "000220015000", "000220016000", "000220030000",
                       "000505012000"}
    # The one-thing item is found by every department taking part in it.
    for dept in ("SCJG", "WSJK", "XFJY", "CGJ"):
        assert RESTAURANT in _codes(stack.call("GET", f"/items?dept={dept}"))
    assert stack.call("GET", "/items?kind=99").data["error"]["field"] == "kind"


def test_filters_by_channel_on_the_server(stack):
    """A counter clerk's search lists only the items taken at a counter, full pages of them:
    the channel is a facet of its own and a filter on a keyword's facet."""
    assert _bases(stack.call("GET", "/items?channel=counter&limit=100")) == ALL
    online_only = {**_new_item(sequence="03", channels=["web"]), "name": "食品经营许可（网上专办）"}
    created = _admin(stack, "POST", "/admin/items", {"item": online_only, "reason": "仅网上办理"})
    assert created.status_code == 201, created.data
    code = created.data["code"]
    _admin(stack, "POST", f"/admin/items/{code}/versions/1/publish", {"reason": "发布"})
    assert code in _codes(stack.call("GET", "/items?q=食品经营"))
    assert code not in _codes(stack.call("GET", "/items?q=食品经营&channel=counter"))
    assert FOOD in _codes(stack.call("GET", "/items?q=食品经营&channel=counter"))
    assert code in _codes(stack.call("GET", "/items?channel=web&limit=100"))
    counter = stack.call("GET", "/items?channel=counter&limit=100")
    assert code not in _codes(counter) and _bases(counter) == ALL
    # A page of five is five items taken at the counter (no short page from a filter).
    assert len(stack.call("GET", "/items?channel=counter&limit=5").data["items"]) == 5
    assert code not in _codes(stack.call("GET", "/items?dept=SCJG&channel=counter&limit=100"))
    bad = stack.call("GET", "/items?channel=fax")
    assert bad.status_code == 400 and bad.data["error"]["field"] == "channel"


def test_pages_with_opaque_cursors_cover_everything_once(stack):
    seen, cursor, pages = [], None, 0
    while True:
        page = stack.call("GET", "/items?limit=5" + (f"&cursor={cursor}" if cursor else ""))
        seen.extend(item["baseCode"] for item in page.data["items"])
        pages += 1
        cursor = page.data["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(ALL) and pages >= 3
    assert stack.call("GET", "/items?cursor=bm90LWpzb24").data["error"]["field"] == "cursor"


def _admin(stack, method, path, body=None, user="admin"):
    return stack.call(method, path, user, body)


def test_admin_routes_need_the_admin_role(stack):
    routes = [("GET", "/admin/departments"), ("POST", "/admin/items"),
              ("GET", f"/admin/items/{FOOD}/versions"),
              ("POST", f"/admin/items/{FOOD}/versions"),
              ("PUT", f"/admin/items/{FOOD}/versions/1"),
              ("POST", f"/admin/items/{FOOD}/versions/1/publish"),
              ("POST", f"/admin/items/{FOOD}/versions/1/simulate"),
              ("POST", f"/admin/items/{FOOD}/suspend"), ("POST", f"/admin/items/{FOOD}/cancel"),
              ("POST", f"/admin/items/{FOOD}/split"), ("POST", "/admin/items/merge"),
              ("GET", f"/admin/items/{FOOD}/history")]
    for method, path in routes:
        body = {"reason": "x"} if method in ("POST", "PUT") else None
        assert stack.call(method, path, "clerk", body).status_code == 403, path
        assert stack.call(method, path, None, body).status_code == 401, path
    assert stack.call("GET", f"/items/{FOOD}").data["status"] == "published"


def _new_item(sequence="02", **changes):
    doc = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    doc.update(sequence=sequence, name="食品经营许可（延续）", **changes)
    return doc


def test_draft_publish_new_version_and_history(stack):
    bad = _admin(stack, "POST", "/admin/items", {"item": _new_item(kind="99"), "reason": "新增"})
    assert bad.status_code == 400 and bad.data["error"]["field"] == "item.kind"
    no_reason = _admin(stack, "POST", "/admin/items", {"item": _new_item()})
    assert no_reason.status_code == 400 and no_reason.data["error"]["field"] == "reason"

    created = _admin(stack, "POST", "/admin/items", {"item": _new_item(), "reason": "新增延续事项"})
    assert created.status_code == 201
    code = created.data["code"]
    assert code == FOOD[:-2] + "02"
    assert stack.call("GET", f"/items/{code}").status_code == 404       # drafts are not public
    again = _admin(stack, "POST", "/admin/items", {"item": _new_item(), "reason": "重复"})
    assert again.status_code == 409

    published = _admin(stack, "POST", f"/admin/items/{code}/versions/1/publish",
                       {"reason": "经审核发布"})
    assert published.data == {"code": code, "version": 1, "status": "published",
                              "supersedes": None}
    assert stack.call("GET", f"/items/{code}").data["version"] == 1
    assert code in _codes(stack.call("GET", "/items?q=食品经营许可"))

    frozen = _admin(stack, "PUT", f"/admin/items/{code}/versions/1",
                    {"item": _new_item(), "reason": "改"})
    assert frozen.status_code == 409 and frozen.data["error"]["code"] == "not_a_draft"

    assert _admin(stack, "POST", f"/admin/items/{code}/versions",
                  {"reason": "压缩时限"}).data["version"] == 2
    assert _admin(stack, "POST", f"/admin/items/{code}/versions",
                  {"reason": "再来"}).status_code == 409
    changed = _new_item(promisedLimit={"value": 3, "unit": "workdays"})
    changed["process"]["stages"][0]["days"] = 2
    update = _admin(stack, "PUT", f"/admin/items/{code}/versions/2",
                    {"item": changed, "reason": "承诺时限由5日压缩为3日"})
    assert {c["field"] for c in update.data["changes"]} == {"promisedLimit.value",
                                                           "process.stages"}
    _admin(stack, "POST", f"/admin/items/{code}/versions/2/publish", {"reason": "发布第2版"})
    assert stack.call("GET", f"/items/{code}").data["promisedLimit"]["value"] == 3
    old = stack.call("GET", f"/items/{code}/versions/1")
    assert old.data["status"] == "superseded" and old.data["promisedLimit"]["value"] == 5
    versions = _admin(stack, "GET", f"/admin/items/{code}/versions").data["versions"]
    assert [(v["version"], v["status"]) for v in versions] == [(1, "superseded"),
                                                                (2, "published")]

    history = _admin(stack, "GET", f"/admin/items/{code}/history").data["history"]
    assert [(h["action"], h["version"]) for h in history] == [
        ("create", 1), ("publish", 1), ("new_version", 2), ("update", 2), ("publish", 2)]
    assert all(h["actor"] == "staff:admin" and h["reason"] for h in history)
    assert history[3]["reason"] == "承诺时限由5日压缩为3日"


def test_simulation_diffs_and_dry_runs_without_publishing(stack):
    _admin(stack, "POST", f"/admin/items/{FOOD}/versions", {"reason": "增加卫健并联审查"})
    draft = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    draft["process"]["stages"][0]["departments"] = ["SCJG", "WSJK"]
    _admin(stack, "PUT", f"/admin/items/{FOOD}/versions/2", {"item": draft, "reason": "并联"})
    before = stack.call("GET", f"/items/{FOOD}").data
    simulated = _admin(stack, "POST", f"/admin/items/{FOOD}/versions/2/simulate",
                       {"startDate": "2026-09-30"})
    assert simulated.status_code == 200
    result = simulated.data
    assert result["comparedWith"] == 1
    assert [c["field"] for c in result["changes"]] == ["process.stages"]
    stage = result["dryRun"]["stages"][0]
    assert [d["dept"] for d in stage["departments"]] == ["SCJG", "WSJK"]
    assert stage["departments"][0]["deadline"] == "2026-10-13"
    assert result["publishedDryRun"]["stages"][0]["departments"][0]["dept"] == "SCJG"
    assert stack.call("GET", f"/items/{FOOD}").data == before   # nothing published
    bad = _admin(stack, "POST", f"/admin/items/{FOOD}/versions/2/simulate",
                 {"startDate": "tomorrow"})
    assert bad.data["error"]["field"] == "startDate"


def test_suspend_resume_cancel(stack):
    assert _admin(stack, "POST", f"/admin/items/{HYGIENE}/suspend",
                  {"reason": "标准修订中"}).data["status"] == "suspended"
    assert HYGIENE not in _codes(stack.call("GET", "/items?q=卫生许可"))
    assert stack.call("GET", f"/items/{HYGIENE}").data["status"] == "suspended"
    assert _admin(stack, "POST", f"/admin/items/{HYGIENE}/suspend",
                  {"reason": "再停"}).status_code == 409
    _admin(stack, "POST", f"/admin/items/{HYGIENE}/resume", {"reason": "恢复办理"})
    assert HYGIENE in _codes(stack.call("GET", "/items?q=卫生许可"))
    _admin(stack, "POST", f"/admin/items/{HYGIENE}/cancel", {"reason": "事项取消"})
    assert stack.call("GET", f"/items/{HYGIENE}").data["status"] == "cancelled"
    assert HYGIENE not in _codes(stack.call("GET", "/items?dept=WSJK"))
    assert _admin(stack, "POST", f"/admin/items/{HYGIENE}/resume",
                  {"reason": "不行"}).status_code == 409


def test_split_and_merge_record_lineage_both_ways(stack):
    split = _admin(stack, "POST", f"/admin/items/{FOOD}/split", {
        "reason": "按经营类别拆分",
        "into": [{"sequence": "11", "name": "食品经营许可（食品销售）"},
                 {"sequence": "12", "name": "食品经营许可（餐饮服务）"}]})
    assert split.status_code == 201, split.data
    new_codes = [d["code"] for d in split.data["drafts"]]
    assert new_codes == [FOOD[:-2] + "11", FOOD[:-2] + "12"]
    lineage = stack.call("GET", f"/items/{FOOD}").data["lineage"]
    assert sorted((entry["relation"], entry["code"]) for entry in lineage) == [
        ("split_into", new_codes[0]), ("split_into", new_codes[1])]
    draft = _admin(stack, "GET", f"/admin/items/{new_codes[0]}/versions/1").data
    assert draft["status"] == "draft" and draft["name"] == "食品经营许可（食品销售）"
    _admin(stack, "POST", f"/admin/items/{new_codes[0]}/versions/1/publish", {"reason": "发布"})
    assert stack.call("GET", f"/items/{new_codes[0]}").data["lineage"][0] == {
        **stack.call("GET", f"/items/{new_codes[0]}").data["lineage"][0],
        "relation": "split_from", "code": FOOD}

    bad = _admin(stack, "POST", f"/admin/items/{FOOD}/split",
                 {"reason": "x", "into": [{"sequence": "11"}, {"sequence": "13"}]})
    assert bad.status_code == 409  # sequence 11 exists now
    merged = _admin(stack, "POST", "/admin/items/merge", {
        "reason": "卫生与消防合并办理", "from": [HYGIENE, RESTAURANT],
        "into": {"sequence": "21", "name": "公共场所开业联合审批"}})
    assert merged.status_code == 201, merged.data
    target = merged.data["draft"]["code"]
    history = _admin(stack, "GET", f"/admin/items/{HYGIENE}/history").data["history"]
    assert history[-1]["action"] == "merged" and history[-1]["detail"] == {
        "merged_into": [target]}
    relations = [(e["relation"], e["code"]) for e in stack.call(
        "GET", f"/items/{RESTAURANT}").data["lineage"]]
    assert relations == [("merged_into", target)]


def test_printable_guide(stack):
    response = stack.client.http.get(f"/items/{RESTAURANT}/guide.html")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.body.decode("utf-8")
    for text in ("开办餐厅“一件事”", "深圳市市场监督管理局牵头决定", "户外招牌设置审查",
                 "食品经营许可证", "12345 政务服务便民热线", "承诺件", "申请人自备",
                 "协办：深圳市市场监督管理局、深圳市卫生健康委员会"):
        assert text in html, text
    # Item text is escaped, never markup.
    doc = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    doc.update(sequence="31", conditions="<script>alert(1)</script>")
    code = _admin(stack, "POST", "/admin/items", {"item": doc, "reason": "t"}).data["code"]
    _admin(stack, "POST", f"/admin/items/{code}/versions/1/publish", {"reason": "t"})
    html = stack.client.http.get(f"/items/{code}/guide.html").body.decode("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert stack.client.http.get("/items/NOPE/guide.html").status_code == 404


def test_nothing_in_the_catalogue_is_read_by_scan(stack):
    import botocore.handlers

    from chalicelib import wiring
    from chalicelib.adapters.models import ItemsTableRecord
    calls = []
    hook = ("before-call.dynamodb.Scan", lambda **kw: calls.append(kw))
    botocore.handlers.BUILTIN_HANDLERS.append(hook)
    try:
        wiring.configure()  # fresh clients pick up the hook
        list(ItemsTableRecord.scan(limit=1))
        assert len(calls) == 1  # the hook sees the app's scans
        calls.clear()
        for path in ("/items", "/items?q=spjy", "/items?q=证", "/items?dept=RSJ&kind=20",
                     "/directory",
                     f"/items/{FOOD}", f"/items/{FOOD}/versions/1",
                     f"/items/{FOOD}/guide.html"):
            assert stack.client.http.get(path).status_code == 200
    finally:
        botocore.handlers.BUILTIN_HANDLERS.remove(hook)
    assert calls == []


def test_catalogue_entries_link_main_items_sub_items_and_implementations(stack):
    listed = stack.call("GET", "/catalogue?limit=100").data["entries"]
    assert len(listed) == len(demo.catalogue_entries())
    main = stack.call("GET", "/catalogue/000201012000").data
    assert main["name"] == "食品经营许可" and main["parentCode"] is None
    assert main["subItems"] == ["000201012001", "000201012002"]
    assert [i["code"] for i in main["implementations"]] == [FOOD]
    sub = stack.call("GET", "/catalogue/000201012001").data
    assert sub["parentCode"] == "000201012000" and sub["implementations"] == []
    assert stack.call("GET", "/catalogue/000999999000").status_code == 404


def test_entries_are_administered_and_gate_implementations(stack):
    entry = {"baseCode": "000201012003", "name": "食品经营许可（注销）", "kind": "01",
             "legalBasis": "《食品经营许可和备案管理办法》第三十七条",
             "definingDept": "国家市场监督管理总局", "parentCode": "000201012000"}
    assert stack.call("POST", "/admin/catalogue", "clerk",
                      {"entry": entry, "reason": "x"}).status_code == 403
    created = stack.call("POST", "/admin/catalogue", "admin",
                         {"entry": entry, "reason": "新增注销子项"})
    assert created.status_code == 201 and created.data["status"] == "active"
    assert stack.call("POST", "/admin/catalogue", "admin",
                      {"entry": entry, "reason": "重复"}).status_code == 409
    bad = stack.call("POST", "/admin/catalogue", "admin",
                     {"entry": {**entry, "baseCode": "000201012004", "kind": "07"},
                      "reason": "x"})
    assert bad.status_code == 422 and bad.data["error"]["field"] == "entry.kind"

    # An implementation of an abolished entry is refused.
    abolished = stack.call("PUT", "/admin/catalogue/000201012003", "admin",
                           {"entry": {"status": "abolished"}, "reason": "国家目录调整"})
    assert abolished.status_code == 200 and abolished.data["status"] == "abolished"
    doc = copy.deepcopy(next(i for i in demo.items() if i["baseCode"] == "000201012000"))
    doc.update(baseCode="000201012003", name="食品经营许可（注销）")
    refused = stack.call("POST", "/admin/items", "admin", {"item": doc, "reason": "x"})
    assert refused.status_code == 422 and refused.data["error"]["field"] == "item.baseCode"
    history = stack.call("GET", "/admin/items/000201012003/history", "admin").data["history"]
    assert [h["action"] for h in history] == ["create", "update"]
    assert history[1].get("detail") == {"changes": [
        {"field": "status", "from": "active", "to": "abolished"}]}


def test_each_published_version_serves_its_form_schema_and_applications_are_checked_by_it(
        stack):
    import jsonschema
    path = f"/items/{FOOD}/versions/1/form-schema"
    served = stack.call("GET", path)      # public, like /items
    assert served.status_code == 200 and served.headers["ETag"]
    schema = served.data
    jsonschema.Draft202012Validator.check_schema(schema)
    version = stack.call("GET", f"/items/{FOOD}/versions/1").data
    assert {k: v for k, v in schema.items() if k != "$schema"} == version["formSchema"]
    assert schema["title"] == version["formSchema"]["title"] == "食品经营许可申请表"
    # The form a client builds from it is the form the server takes; one it refuses, the
    # server refuses too, naming the same field.
    good = {"businessName": "小吃店", "address": "深圳市南山区科技园1号", "category": "餐饮服务"}
    assert jsonschema.Draft202012Validator(schema).is_valid(good)
    bad = {k: v for k, v in good.items() if k != "address"}
    assert not jsonschema.Draft202012Validator(schema).is_valid(bad)
    applicant = {"type": "legal", "name": "深圳小吃有限公司", "idNumber": "91440300MA5FXK7Q3T"}
    refused = stack.call("POST", "/cases", "company", {"itemCode": FOOD, "applicant": applicant,
                                                       "form": bad})
    assert (refused.status_code, refused.data["error"]["field"]) == (422, "form.address")
    assert stack.call("POST", "/cases", "company", {"itemCode": FOOD, "applicant": applicant,
                                                    "form": good}).status_code == 201
    assert stack.call("GET", f"/items/{FOOD}/versions/9/form-schema").status_code == 404
    assert stack.call("GET", "/items/NOPE/versions/1/form-schema").status_code == 404


FORM = {"title": "食品经营许可（延续）申请表", "type": "object", "required": ["shopName"],
        "properties": {
            # Listed out of alphabetical order: the order is the form's (docs/api.md).
            "shopName": {"title": "经营者名称", "description": "与营业执照一致",
                         "type": "string", "examples": ["深圳小吃有限公司"]},
            "address": {"title": "经营地址", "type": "object", "properties": {
                "street": {"title": "街道", "type": "string"},
                "room": {"title": "门牌号", "type": "string"}}},
            "staff": {"title": "从业人员", "type": "array", "items": {
                "title": "人员", "type": "object",
                "properties": {"name": {"title": "姓名", "type": "string"}}}}},
        "additionalProperties": False}


def test_a_version_is_published_only_with_chinese_titles_and_serves_them_in_order(stack):
    untitled = copy.deepcopy(FORM)
    del untitled["properties"]["address"]["properties"]["room"]["title"]
    created = _admin(stack, "POST", "/admin/items",
                     {"item": _new_item(formSchema=untitled), "reason": "新增延续事项"})
    assert created.status_code == 201, created.data      # a draft may lack titles
    code = created.data["code"]
    refused = _admin(stack, "POST", f"/admin/items/{code}/versions/1/publish",
                     {"reason": "发布"})
    assert (refused.status_code, refused.data["error"]["code"],
            refused.data["error"]["field"]) == (
        422, "form_title_missing", "item.formSchema.properties.address.properties.room.title")
    assert stack.call("GET", f"/items/{code}").status_code == 404        # nothing published
    assert _admin(stack, "GET", f"/admin/items/{code}/versions/1").data["status"] == "draft"
    history = _admin(stack, "GET", f"/admin/items/{code}/history").data["history"]
    assert [h["action"] for h in history] == ["create"]

    staffless = copy.deepcopy(FORM)
    staffless["properties"]["staff"]["items"]["properties"]["name"]["title"] = "name"
    assert _admin(stack, "PUT", f"/admin/items/{code}/versions/1",
                  {"item": _new_item(formSchema=staffless), "reason": "补标题"}
                  ).status_code == 200
    refused = _admin(stack, "POST", f"/admin/items/{code}/versions/1/publish",
                     {"reason": "发布"})
    assert refused.data["error"]["field"] == \
        "item.formSchema.properties.staff.items.properties.name.title"

    assert _admin(stack, "PUT", f"/admin/items/{code}/versions/1",
                  {"item": _new_item(formSchema=FORM), "reason": "补中文标题"}
                  ).status_code == 200
    published = _admin(stack, "POST", f"/admin/items/{code}/versions/1/publish",
                       {"reason": "发布"})
    assert published.status_code == 200 and published.data["status"] == "published"
    served = stack.call("GET", f"/items/{code}/versions/1/form-schema").data
    assert served["title"] == "食品经营许可（延续）申请表"
    assert list(served["properties"]) == ["shopName", "address", "staff"]
    assert list(served["properties"]["address"]["properties"]) == ["street", "room"]
    assert served["properties"]["shopName"] == FORM["properties"]["shopName"]
    assert served["properties"]["staff"]["items"]["properties"]["name"]["title"] == "姓名"


def test_every_shipped_items_form_schema_is_served_titled(stack):
    for item in demo.items():
        code = stack.call("GET", f"/items?q={item['baseCode']}").data["items"][0]["code"]
        served = stack.call("GET", f"/items/{code}/versions/1/form-schema").data
        assert served["title"] == item["formSchema"]["title"]
        assert list(served["properties"]) == list(item["formSchema"]["properties"])
        for name, field in served["properties"].items():
            assert field["title"] == item["formSchema"]["properties"][name]["title"], name
