"""What msgspec cannot say: rules the server checks that the models' own schemas cannot
state, added to their schemas in the OpenAPI document (contract/openapi.py) so that a client
learns them from it."""
from typing import Any

from ...domain import decisions


def _given(field: str) -> dict[str, Any]:
    """A field that is present and not null."""
    return {"required": [field], "properties": {field: {"not": {"type": "null"}}}}


def _only_with(field: str, names: tuple[str, ...]) -> dict[str, Any]:
    """A list field that, non-empty, goes only with the decisions `names`."""
    allowed = {"const": names[0]} if len(names) == 1 else {"enum": list(names)}
    return {"if": {"required": [field],
                   "properties": {field: {"type": "array", "minItems": 1}}},
            "then": {"properties": {"decision": allowed}}}


# Text fields that are names (no line break or tab either: domain/payload.NAME_ALLOWS).
NAME_FIELDS = {"Applicant": ("name",), "LicenseChanges": ("holder",)}

# Rules the server checks that the models' own schemas cannot state, added to their schemas
# in the OpenAPI document (contract/openapi.py) so that a client learns them from it.
SCHEMA_RULES: dict[str, dict[str, Any]] = {
    # The README's application, whole: what a client sends.
    "Application": {"examples": [{
        "itemCode": "00020101200044030000000011440300007542808J01", "channel": "web",
        "applicant": {"type": "legal", "name": "深圳小吃有限公司",
                      "idNumber": "91440300MA5FXK7Q3T"},
        "form": {"businessName": "小吃店", "address": "深圳市南山区科技园1号",
                 "category": "餐饮服务"},
        "materials": [
            {"name": "营业执照", "licenseId": "1.2.156.3005.2.11100000MB0143028R001."
                                          "11440300MB2C92138W.4403002026112500000019.001.Z"},
            {"name": "经营场所平面图和设备布局图",
             "materialId": "M3f9c2a7d41b84e0c9a5e1d7b2c6f8a04"}]}]},
    # services/materials.given_in_case: exactly one of the four names the material.
    "MaterialRef": {"oneOf": [_given("materialId"), _given("licenseId"), _given("license"),
                              _given("checkedAtCounter")]},
    # domain/decisions.py's table, as decisions.parse checks it: the decisions that say
    # why need an opinion (not blank); materials and pendingMaterials go with the
    # decisions that name them only.
    "Decision": {"allOf": [
        {"if": {"properties": {"decision": {
            "enum": list(decisions.where("needs_opinion"))}}},
         "then": {"required": ["opinion"], "properties": {"opinion": {
             "type": "string", "minLength": 1, "pattern": r"\S"}}}},
        _only_with("materials", decisions.where("names_materials")),
        _only_with("pendingMaterials", decisions.where("names_pending"))]},
    # services/ratings: a stage's rating names the stage (and, where the stage has several
    # departments, the one rated: what the document cannot state, a 422).
    "RatingIn": {"if": {"required": ["scope"], "properties": {"scope": {"const": "stage"}}},
                 "then": _given("stage")},
    # services/ratings.respond: a re-review (accept false) names its reason.
    "RectificationResponse": {"if": {"required": ["accept"],
                                     "properties": {"accept": {"const": False}}},
                              "then": _given("reason")},
}
