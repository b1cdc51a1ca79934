"""The stage's secrets live in Secrets Manager (created from infra/template.json, as a
deployment creates them); the functions get their names, read the values once per
container, and never find a value in their environment."""
import os

import boto3
import pytest

from chalicelib import wiring
from chalicelib.adapters import secrets
from chalicelib.domain import applications, lookup
from chalicelib.services import cases as case_service

from .harness import FOOD, REGION, application


def _stored(secret_id: str) -> str:
    return boto3.client("secretsmanager", region_name=REGION) \
        .get_secret_value(SecretId=secret_id)["SecretString"]


def test_the_environment_names_the_secrets_and_holds_none_of_them(stack):
    names = {var: os.environ[var] for var in ("OW_CURSOR_SECRET_ID",
                                             "OW_QUERY_PASSWORD_SECRET_ID",
                                             "OW_LOOKUP_SECRET_ID")}
    assert names == {"OW_CURSOR_SECRET_ID": "onewindow/cursor",
                     "OW_QUERY_PASSWORD_SECRET_ID": "onewindow/query-password",
                     "OW_LOOKUP_SECRET_ID": "onewindow/lookup"}
    values = {_stored(name) for name in names.values()}
    assert len(values) == 3 and all(len(v) == 48 and v.isalnum() for v in values)
    assert not values & set(os.environ.values())


def test_query_passwords_and_owner_keys_come_from_the_stored_secrets(stack):
    created = stack.call("POST", "/cases", "company", application(FOOD)).data
    case_no = created["caseNo"]
    assert created["queryPassword"] == applications.query_password(
        _stored("onewindow/query-password"), case_no)
    case, _, _ = case_service.load(case_no)
    assert case.owner == lookup.id_key(_stored("onewindow/lookup"),
                                       stack.issuer.users["company"]["idNumber"])


def test_a_secret_is_read_once_per_container(stack):
    wiring.configure()
    sm = boto3.client("secretsmanager", region_name=REGION)
    before = _stored("onewindow/query-password")
    for _ in range(2):
        stack.call("POST", "/cases", "company", application(FOOD))
    # Changed in the store: a running container keeps what it read (no call per request);
    # a new one (wiring again) reads the new value.
    sm.put_secret_value(SecretId="onewindow/query-password", SecretString="n" * 48)
    try:
        assert secrets.query_password() == before
        wiring.configure()
        assert secrets.query_password() == "n" * 48
    finally:
        sm.put_secret_value(SecretId="onewindow/query-password", SecretString=before)
        wiring.configure()


def test_an_ssm_secure_string_may_hold_a_secret(stack):
    ssm = boto3.client("ssm", region_name=REGION)
    ssm.put_parameter(Name="/onewindow/test/cursor", Type="SecureString", Value="s" * 40)
    try:
        assert secrets.value("ssm:/onewindow/test/cursor", "OW_CURSOR_SECRET_ID") == "s" * 40
    finally:
        ssm.delete_parameter(Name="/onewindow/test/cursor")
        secrets.forget()


def test_a_missing_or_placeholder_secret_stops_the_function_with_its_setting_named(stack):
    with pytest.raises(secrets.SecretMissing, match="OW_LOOKUP_SECRET_ID is not set"):
        secrets.value("", "OW_LOOKUP_SECRET_ID")
    sm = boto3.client("secretsmanager", region_name=REGION)
    sm.create_secret(Name="onewindow/test/short", SecretString="changeme")
    try:
        with pytest.raises(secrets.SecretMissing, match="fewer than 32"):
            secrets.value("onewindow/test/short", "OW_LOOKUP_SECRET_ID")
    finally:
        sm.delete_secret(SecretId="onewindow/test/short", ForceDeleteWithoutRecovery=True)
