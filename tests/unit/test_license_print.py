"""The printed license, page and PDF, from a signed license: no AWS involved."""
import re

import pytest

from chalicelib.services import license_print
from tests.pdfs import read_pdf

SIGNED = {"license": {
    "name": "食品经营许可证", "number": "JY14403050012345",
    "holder": "深圳市刘䶮喆堃餐饮管理有限公司",       # 䶮: CJK Extension A, as names have
    "holderId": "91440300MA5FXK7Q3T", "issuer": "深圳市市场监督管理局",
    "issueDate": "2026-11-25", "validFrom": "2026-11-25", "validTo": "2031-11-24",
    "trustLevel": 3,
    "identifier": "1.2.156.3005.2.11100000000013127D001.91440300MA5FXK7Q3T."
                  "4403002026112500000001.001.X"},
    "signature": {"alg": "ES256", "kid": "440300-2026-1", "value": "…"}}
BASE = "https://zwfw.sz.gov.cn/api"


def _pages(data: bytes) -> list[str]:
    return read_pdf(data).pages


def test_every_character_of_a_license_including_rare_name_characters_has_a_glyph():
    from fontTools.ttLib import TTFont
    mapped = TTFont(license_print.FONT).getBestCmap()
    printed = "".join(value for _, value in license_print.fields(SIGNED["license"]))
    printed += "".join(license_print.LABELS.values())
    printed += "扫码或访问以下地址核验本证照状态（不显示持证人信息）：电子签名，密钥"
    assert [c for c in printed if ord(c) not in mapped] == []


def test_the_pdf_is_one_page_with_the_rows_of_the_html_page_in_the_same_order():
    pages = _pages(license_print.render_pdf(SIGNED, {"status": "valid"}, BASE))
    assert len(pages) == 1
    html = license_print.render(SIGNED, {"status": "valid"}, BASE)
    flat = re.sub(r"\s", "", pages[0])
    for label, value in license_print.fields(SIGNED["license"]):
        assert f"{label}{value.replace(' ', '')}" in flat, label
        assert f"<th>{label}</th><td>{value}</td>" in html, label
    labels = [label for label, _ in license_print.fields(SIGNED["license"])]
    assert sorted(labels, key=flat.index) == labels == sorted(labels, key=html.index)


def test_a_character_the_font_lacks_is_printed_as_its_code_point_not_dropped():
    import copy
    signed = copy.deepcopy(SIGNED)
    signed["license"]["holder"] = "张𠀀（深圳）有限公司"     # 𠀀: Extension B
    text = _pages(license_print.render_pdf(signed, {"status": "valid"}, BASE))[0]
    assert "持证主体 张[U+20000]（深圳）有限公司" in text
    assert license_print.in_font("刘䶮") == "刘䶮"


@pytest.mark.parametrize("status,printed", [
    ({"status": "revoked", "statusReason": "以欺骗手段取得许可"}, "已撤销：以欺骗手段取得许可"),
    ({"status": "superseded"}, "已被新版本替代"),
    ({"status": "expired"}, "已过有效期")])
def test_a_license_that_is_not_valid_says_so_above_its_rows(status, printed):
    text = _pages(license_print.render_pdf(SIGNED, status, BASE))[0]
    assert text.index(printed) < text.index("证照编号")
    assert printed in license_print.render(SIGNED, status, BASE)
    assert license_print.status_line({"status": "valid"}) is None


def test_without_a_configured_address_the_qr_code_opens_the_host_asked_with_its_stage(
        monkeypatch):
    from types import SimpleNamespace

    from chalicelib import config
    from chalicelib.api.http import base_url
    monkeypatch.delenv("OW_PUBLIC_BASE_URL", raising=False)
    config.reset()
    try:
        gateway = SimpleNamespace(context={"stage": "v1"}, headers={
            "host": "a1b2c3.execute-api.cn-north-1.amazonaws.com.cn"})
        assert base_url(gateway) == "https://a1b2c3.execute-api.cn-north-1.amazonaws.com.cn/v1"
        custom = SimpleNamespace(context={"stage": "v1"}, headers={
            "host": "zwfw.bj.gov.cn", "x-forwarded-proto": "https"})
        assert base_url(custom) == "https://zwfw.bj.gov.cn"    # a custom domain maps it
        monkeypatch.setenv("OW_PUBLIC_BASE_URL", "https://zwfw.bj.gov.cn/api/")
        config.reset()
        assert base_url(gateway) == "https://zwfw.bj.gov.cn/api"
    finally:
        monkeypatch.undo()
        config.reset()
