from datetime import date

import pytest
from stdnum.iso7064 import mod_11_2, mod_37_36

from chalicelib.domain.errors import UnprocessableEntity, ValidationError
from chalicelib.domain.identifiers import (
    is_valid_case_number,
    make_case_number,
    make_license_identifier,
    parse_license_identifier,
)

TYPE = "11100000MB0143028R001"
ISSUER = "11440300MB2C92138W"


def test_case_number_carries_area_date_sequence_and_check():
    case_no = make_case_number("440300", date(2026, 11, 24), 42)
    assert case_no[:20] == "44030020261124000004" and len(case_no) == 22
    assert case_no[-1] == mod_11_2.calc_check_digit(case_no[:-1])
    assert is_valid_case_number(case_no)


def test_any_changed_digit_breaks_the_case_number_check():
    case_no = make_case_number("440300", date(2026, 11, 24), 42)
    for i in range(len(case_no) - 1):
        changed = case_no[:i] + str((int(case_no[i]) + 1) % 10) + case_no[i + 1:]
        assert not is_valid_case_number(changed)


@pytest.mark.parametrize("area,seq,field", [("4403", 1, "area"), ("440300", 0, "sequence"),
                                            ("440300", 10**7, "sequence")])
def test_case_number_inputs_are_checked(area, seq, field):
    with pytest.raises(ValidationError) as raised:
        make_case_number(area, date(2026, 1, 1), seq)
    assert raised.value.field == field


def test_license_identifier_layout_and_mod_37_36_check():
    serial = "4403002026112400000421"
    identifier = make_license_identifier(TYPE, ISSUER, serial)
    parts = identifier.split(".")
    assert parts[:5] == ["1", "2", "156", "3005", "2"]
    assert parts[5:9] == [TYPE, ISSUER, serial, "001"]
    assert mod_37_36.is_valid(TYPE + ISSUER + serial + "001" + parts[9])
    assert parse_license_identifier(identifier)["serial"] == serial


def test_a_changed_identifier_fails_its_check():
    identifier = make_license_identifier(TYPE, ISSUER, "4403002026112400000421")
    tampered = identifier.replace("00000421", "00000422")
    with pytest.raises(UnprocessableEntity) as raised:
        parse_license_identifier(tampered)
    # A well-formed identifier the document admits: 422, not a 400 validation_error.
    assert (raised.value.status, raised.value.code) == (422, "bad_check_character")


@pytest.mark.parametrize("type_code,issuer,serial,field", [
    ("11100000MB0143028R01", ISSUER, "A" * 20, "typeCode"),
    ("11100000MB0143028X001", ISSUER, "A" * 20, "typeCode"),  # bad USCC check
    (TYPE, "11440300MB2C92138B", "A" * 20, "issuer"),
    (TYPE, ISSUER, "short", "serial"),
    (TYPE, ISSUER, "a" * 20, "serial")])
def test_license_identifier_parts_are_validated(type_code, issuer, serial, field):
    with pytest.raises(ValidationError) as raised:
        make_license_identifier(type_code, issuer, serial)
    assert raised.value.field == field
