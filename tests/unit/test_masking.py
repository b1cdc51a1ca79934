"""The one masker of free text and log lines (domain/masking.mask_text): what it must hide
however it is written, and what it must leave alone."""
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.domain.catalogue import implementation_code
from chalicelib.domain.identifiers import make_case_number, make_license_identifier
from chalicelib.domain.masking import mask_fields, mask_text

SETTINGS = settings(max_examples=300, deadline=None)
FULL_WIDTH = str.maketrans("0123456789Xx+- ", "０１２３４５６７８９Ｘｘ＋－　")


@pytest.mark.parametrize("text,masked", [
    # The tester's examples.
    ("+86 138 0013 8000", "+86 138 **** 8000"),
    ("8613911112222", "86139****2222"),
    ("138-0013-8000", "138-****-8000"),
    ("１３８００１３８０００", "１３８****８０００"),
    ("１１０１０５１９４９１２３１００２Ｘ", "１１０１０５********００２Ｘ"),
    ("110105 19491231 002X", "110105 ******** 002X"),
    ("110105491231002", "110105******002"),                     # 15 digits
    # As before.
    ("11010519491231002X", "110105********002X"),
    ("id 11010519491231002x tel 13800138000", "id 110105********002x tel 138****8000"),
    ("申请人张三（身份证号110105194912310021，联系电话13800138000）材料齐全",
     "申请人张三（身份证号110105********0021，联系电话138****8000）材料齐全"),
    ("+8613800138000、0086 139 1111 2222", "+86138****8000、0086 139 **** 2222"),
    ("138 0013-8000", "138 ****-8000"),
    # Glued to a label, or dotted.
    ("TEL13800138000", "TEL138****8000"), ("ID11010519491231002X", "ID110105********002X"),
    ("No.13800138000", "No.138****8000"), ("138.0013.8000", "138.****.8000"),
    # A person's business (个体工商户): its USCC is personal data.
    ("个体户 92440300MA5FXK7Q3T 已补正", "个体户 92440300********3T 已补正"),
])
def test_personal_numbers_however_written_are_masked(text, masked):
    assert mask_text(text) == masked
    assert mask_text(masked) == masked


@pytest.mark.parametrize("text", [
    "4403002026112500000019", "440300202611240000001X",           # case numbers
    "440300202611240000001X-R1-SCJG",                             # a task
    "00020101200044030000000011440300007542808J01",               # an item code
    "1.2.156.3005.2.11100000MB0143028R001.11440300007542808J.4403002026112500000019.001.4",
    "JY4403002026112500000019", "WS4403002026112400000013",     # license numbers
    "2026-11-25", "20261125", "2026-11-25T09:41:54.673848+00:00", "09:00-17:30",
    "91440300MA5FXK7Q3T",                                          # a company's USCC
    "0755-12345678", "12345", "95588", "12345678901",              # not mobile numbers
    "hotel13800138000", "SCJG11010519491231002X",                  # glued to a word
    "11010519491331002X", "110105194912320021",                    # no such birth date
    "金额 100000000000000000 元", "",
])
def test_codes_dates_and_other_numbers_are_left_alone(text):
    assert mask_text(text) == text


AROUND = st.text(alphabet="身份证号码电话：，。 （）\n申请人张三", max_size=8)


@st.composite
def resident_ids(draw):
    region = draw(st.from_regex(r"[1-8][0-9]{5}", fullmatch=True))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 12, 31)))
    tail = draw(st.from_regex(r"[0-9]{3}[0-9X]", fullmatch=True))
    return region, f"{born:%Y%m%d}", tail


@SETTINGS
@given(resident_ids(), st.sampled_from(["", " ", "-"]), st.booleans(), AROUND, AROUND)
def test_an_id_number_anywhere_loses_its_birth_date(parts, sep, full, before, after):
    region, born, tail = parts
    written = f"{region}{sep}{born}{sep}{tail}"
    expected = f"{region}{sep}{'*' * 8}{sep}{tail}"
    if full:
        written = written.translate(FULL_WIDTH)
        expected = expected.translate(FULL_WIDTH).replace("＊", "*")
    assert mask_text(before + written + after) == before + expected + after


@SETTINGS
@given(st.from_regex(r"1[3-9][0-9]", fullmatch=True), st.from_regex(r"[0-9]{4}", fullmatch=True),
       st.from_regex(r"[0-9]{4}", fullmatch=True),
       st.sampled_from(["", "+86", "+86 ", "86", "0086", "+86-"]),
       st.sampled_from(["", " ", "-"]), st.sampled_from(["", " ", "-"]), st.booleans(),
       AROUND, AROUND)
def test_a_mobile_number_anywhere_loses_its_middle(head, middle, last, prefix, sep1, sep2,
                                                   full, before, after):
    written = f"{prefix}{head}{sep1}{middle}{sep2}{last}"
    expected = f"{prefix}{head}{sep1}****{sep2}{last}"
    if full:
        written, expected = written.translate(FULL_WIDTH), expected.translate(FULL_WIDTH)
    assert mask_text(before + written + after) == before + expected + after


CODE_CHAR = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@SETTINGS
@given(st.from_regex(r"[0-9]{6}", fullmatch=True),
       st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       st.integers(1, 10**7 - 1), st.from_regex(r"[0-9A-Z]{12}", fullmatch=True),
       st.from_regex(r"[0-9]{12}", fullmatch=True),
       st.text(alphabet=CODE_CHAR, min_size=18, max_size=18).filter(
           lambda u: not u.isdigit()),
       st.from_regex(r"[0-9]{2}", fullmatch=True), st.sampled_from(["，", " ", "；", "\n"]))
def test_case_numbers_item_codes_license_identifiers_and_dates_are_never_masked(
        area, day, sequence, base, item_area, uscc, seq, sep):
    case_no = make_case_number(area, day, sequence)
    texts = [case_no, f"JY{case_no}", f"{case_no}-A1", day.isoformat(), f"{day:%Y%m%d}",
             implementation_code(base, item_area, uscc, seq),
             make_license_identifier("11100000MB0143028R001", "11440300007542808J", case_no)]
    text = sep.join(texts)
    assert mask_text(text) == text


@SETTINGS
@given(st.text(max_size=60))
def test_masking_keeps_the_text_but_hidden_digits_and_is_idempotent(text):
    masked = mask_text(text)
    assert len(masked) == len(text)
    assert all(a == b or b == "*" for a, b in zip(text, masked, strict=True))
    assert mask_text(masked) == masked


def test_only_the_free_text_fields_named_are_masked():
    body = {"decision": "approve", "opinion": "电话13800138000",
            "evidence": ["13900139000", "无"], "materials": ["13800138000"]}
    assert mask_fields(body, (("opinion",), ("evidence", "*"), ("missing",))) == {
        "decision": "approve", "opinion": "电话138****8000",
        "evidence": ["139****9000", "无"], "materials": ["13800138000"]}


# What a request body carries as text that is not free text: names the catalogue or the
# applicant gives (a material's, a license holder's), identifiers, signatures. The
# catalogue's own documents (EntryChange, EntryCreation, ItemChange) are public text about a
# service.
NOT_FREE_TEXT = {
    "Supply": {"materials.*.name", "materials.*.licenseId"},
    "Decision": {"materials.*", "pendingMaterials.*"},
    "Assignment": {"to"},
    "LicenseChanges": {"holder"},
    "LicenseReissue": {"changes.holder"},
    "VerificationRequest": {"signature.keyId", "signature.value", "signature.alg",
                            "signature.kid", "signature.canonicalization", "state",
                            "supersededBy"},
    # A signed document as downloaded: checked, never stored.
    "DocumentVerificationRequest": {"signature.keyId", "signature.value", "signature.alg",
                                    "signature.kid", "signature.canonicalization", "state",
                                    "sha256", "stateReason", "supersededBy"},
    # The applicant's name is checked as a name and replaced by the verified one; its ID
    # number is sealed; a form's values are masked and sealed (masking.split_personal).
    "Application": {"itemCode", "applicant.name", "applicant.idNumber",
                    "materials.*.name", "materials.*.licenseId",
                    # The token the prefill answered with: checked by its MAC, never kept.
                    "prefill"},
    "MaterialUpload": {"material", "holder"},
    "ConsentRequest": {"for"},   # a USCC the caller acts for
}
# The catalogue's and the department registry's public text (its reason is still masked).
PUBLIC_TEXT = {"EntryChange", "ItemChange", "DepartmentChange", "DepartmentDocument",
               "DepartmentRegistration", "NewDepartment", "EntryCreation"}


def _text_fields(model) -> set[str]:
    """Every field of `model` that takes any text (no pattern beyond "not blank")."""
    from msgspec import inspect
    found = set()

    def walk(kind, path, seen):
        if isinstance(kind, inspect.Metadata):
            walk(kind.type, path, seen)
        elif isinstance(kind, inspect.StructType) and kind.cls not in seen:
            for field in kind.fields:
                walk(field.type, path + (field.encode_name,), seen | {kind.cls})
        elif isinstance(kind, inspect.ListType):
            walk(kind.item_type, path + ("*",), seen)
        elif isinstance(kind, inspect.UnionType):
            for member in kind.types:
                walk(member, path, seen)
        elif isinstance(kind, inspect.StrType) and kind.pattern in (None, r"\S"):
            found.add(".".join(path))

    walk(inspect.type_info(model), (), frozenset())
    return found


def test_every_text_a_request_carries_is_free_text_masked_or_named_as_not():
    """A field added later that takes any text is masked (FREE_TEXT) unless it is said
    here why not: none is stored in clear by oversight."""
    import inspect as python_inspect

    from chalicelib.contract import models
    requests = {name: cls for name, cls in vars(models).items()
                if python_inspect.isclass(cls) and issubclass(cls, models.Request)
                and cls is not models.Request and name not in PUBLIC_TEXT}
    # The domain's documents the API takes as bodies.
    requests.update(Application=models.Application, MaterialUpload=models.MaterialUpload,
                    Decision=models.Decision)
    assert {"Decision", "CaseClosing", "CardAppeal", "RatingIn"} <= set(requests)
    unmarked = {}
    for name, model in requests.items():
        masked = {".".join(path) for path in models.free_text_fields(model)}
        left = _text_fields(model) - masked - NOT_FREE_TEXT.get(name, set())
        if left:
            unmarked[name] = left
    assert unmarked == {}
    assert {".".join(p) for p in models.free_text_fields(models.Decision)} == {"opinion"}
