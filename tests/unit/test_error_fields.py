"""docs/errors.md's examples of `field` name fields that exist (it named
`materials.0.ref`, which no document has), in the one notation the API uses."""
import re
from pathlib import Path

import msgspec

from chalicelib.contract import errors
from chalicelib.domain.documents import Application, Implementation

ROOT = Path(__file__).resolve().parents[2]
# Where a documented path starts: the body of an application, or a catalogue item.
ROOTS = {"applicant": Application, "materials": Application, "form": Application,
         "item": Implementation}
NAMES = {"body", "limit", "cursor", "caseNo", "If-Match", "Authorization"}


def _resolves(model, parts: list[str]) -> bool:
    """Whether the dotted path `parts` names a field of `model`'s JSON Schema (an open
    object, such as the form, takes any key)."""
    (ref,), components = msgspec.json.schema_components([model])
    node = ref

    def deref(node):
        while "$ref" in node:
            node = components[node["$ref"].rsplit("/", 1)[1]]
        if "anyOf" in node:  # an optional field: the branch that is not null
            node = next(n for n in node["anyOf"] if n.get("type") != "null")
            return deref(node)
        return node

    for part in parts:
        node = deref(node)
        if node.get("type") == "array":
            if not part.isdigit():
                return False
            node = node["items"]
        elif node.get("type") == "object" and "properties" in node:
            if part not in node["properties"]:
                return False
            node = node["properties"][part]
        else:
            # free-form (an item's form): any key; anything else has no fields
            return node.get("type") == "object"
    return True


def _documented_fields() -> list[str]:
    text = (ROOT / "docs" / "errors.md").read_text("utf-8")
    bullet = text[text.index("- `field`"):text.index("- `detail`")]
    example = re.search(r'"field": "([^"]+)"', text).group(1)
    return [example, *re.findall(r"`([^`\s]+)`", bullet)[1:]]   # bar `field` itself


def test_every_field_docs_errors_names_exists_in_the_one_notation():
    fields = _documented_fields()
    assert "materials.0.materialId" in fields and len(fields) >= 8
    for field in fields:
        assert "[" not in field, field
        if field in NAMES:
            continue
        head, *rest = field.split(".")
        model = ROOTS[head]
        parts = field.split(".")[1:] if head == "item" else field.split(".")
        assert _resolves(model, parts), field


def test_an_english_detail_is_ascii_and_says_the_same():
    detail = "form.category: '烧烤' is not one of ['餐饮服务'] (𠀋)"
    english = errors.body("validation_error", "en", detail=detail)["error"]["detail"]
    assert english.isascii()
    assert english.encode().decode("unicode_escape").encode(
        "utf-16", "surrogatepass").decode("utf-16") == detail
    assert errors.body("validation_error", "zh", detail=detail)["error"]["detail"] == detail
