"""A license's status and its changes (domain/license_states.py)."""
from datetime import date

import pytest

from chalicelib.domain import license_states
from chalicelib.domain.errors import Conflict, ValidationError
from chalicelib.domain.identifiers import make_license_identifier, parse_license_identifier

TYPE, ISSUER, SERIAL = "11100000000013127D001", "11440300MB2C92138W", "4403002026112500000019"


def test_expired_is_a_valid_license_past_its_date():
    today = date(2026, 11, 25)
    assert license_states.status("valid", "2026-11-25", today) == "valid"
    assert license_states.status("valid", "2026-11-24", today) == "expired"
    assert license_states.status("revoked", "2020-01-01", today) == "revoked"


def test_which_change_applies_to_which_state():
    assert license_states.target("suspend", "valid") == "suspended"
    assert license_states.target("resume", "suspended") == "valid"
    assert license_states.target("revoke", "suspended") == "revoked"
    assert license_states.target("reissue", "valid") == "superseded"
    for action, state in (("resume", "valid"), ("suspend", "revoked"), ("revoke", "superseded"),
                          ("reissue", "suspended")):
        with pytest.raises(Conflict) as refused:
            license_states.target(action, state)
        assert refused.value.code == "license_state"


def test_a_new_version_keeps_type_issuer_and_serial_with_a_right_check_character():
    first = make_license_identifier(TYPE, ISSUER, SERIAL)
    second = license_states.next_version(first)
    assert parse_license_identifier(second) == {"typeCode": TYPE, "issuer": ISSUER,
                                                "serial": SERIAL, "version": "002"}
    with pytest.raises(Conflict):
        license_states.next_version(make_license_identifier(TYPE, ISSUER, SERIAL, "999"))


def test_what_a_new_version_may_change():
    document = {"identifier": make_license_identifier(TYPE, ISSUER, SERIAL), "holder": "甲",
                "validTo": "2031-11-25", "issueDate": "2026-11-25", "name": "许可证"}
    today = date(2027, 3, 1)
    renewed = license_states.reissued(document, {"validTo": "2036-11-25"}, today)
    assert (renewed["validTo"], renewed["issueDate"], renewed["holder"]) == \
        ("2036-11-25", "2027-03-01", "甲")
    for changes, field in (({"name": "别的"}, "changes.name"),
                           ({"validTo": "2027-03-01"}, "changes.validTo"),
                           ({"validTo": "soon"}, "changes.validTo"),
                           ({"holder": " "}, "changes.holder")):
        with pytest.raises(ValidationError) as refused:
            license_states.reissued(document, changes, today)
        assert refused.value.field == field


def test_a_new_version_of_a_license_the_data_bureau_issued_names_the_department():
    """Licenses issued before they named the department that decided keep verifying as
    they are; their next version is the department's (its name, USCC and identifier)."""
    market = {"code": "SCJG", "name": "深圳市市场监督管理局", "uscc": "11440300007542808J"}
    document = {"identifier": make_license_identifier(TYPE, ISSUER, SERIAL), "holder": "甲",
                "issuer": "深圳市政务服务数据管理局", "issuerCode": ISSUER,
                "validTo": "2031-11-25", "issueDate": "2026-11-25"}
    renewed = license_states.reissued(document, {"holder": "乙"}, date(2027, 3, 1), market)
    assert (renewed["issuer"], renewed["issuerCode"]) == (market["name"], market["uscc"])
    assert parse_license_identifier(renewed["identifier"]) == {
        "typeCode": TYPE, "issuer": market["uscc"], "serial": SERIAL, "version": "002"}
    # A license that names its department already: the same issuer, the next version.
    own = {**document, "issuer": market["name"], "issuerCode": market["uscc"],
           "identifier": make_license_identifier(TYPE, market["uscc"], SERIAL)}
    assert license_states.reissued(own, {}, date(2027, 3, 1), market)["identifier"] == \
        license_states.next_version(own["identifier"])
