"""Accept headers: a binary representation for a caller whose Accept takes its type — by
name or by a wildcard, what generated clients send — with a quality above 0 (RFC 9110
§12.5.1); the most specific entry decides."""
import pytest

from chalicelib.api.http import accepts, prefers

PDF = "application/pdf"


@pytest.mark.parametrize("header", [
    "application/pdf", "Application/PDF", "application/json, application/pdf",
    "application/pdf;q=0.5", "application/pdf ; q=1", "application/pdf;q=0.001",
    "application/pdf;version=1.7;q=0.8", "text/html;q=0, application/pdf;q=1.000",
    "*/*", "application/*", "text/html, */*;q=0.1", "*/*;q=0, application/pdf",
    "application/*;q=0, application/pdf;q=0.2"])
def test_a_type_named_or_covered_by_a_wildcard_with_a_positive_quality_is_accepted(header):
    assert accepts(header, PDF)


@pytest.mark.parametrize("header", [
    None, "", "application/json", "text/*", "application/pdfx", "*/*;q=0",
    "application/pdf;q=0, */*",                       # the type itself decides
    "application/*;q=0, */*", "*/*;q=abc",
    "application/pdf;q=0", "application/pdf; q=0.000", "application/pdf;Q=0",
    "application/pdf;q=0, application/pdf",          # an explicit "not this" wins
    "application/pdf;q=2", "application/pdf;q=-1", "application/pdf;q=abc",
    "application/pdf;q=0.0001", "application/pdf;q=nan"])
def test_no_header_another_type_or_a_quality_of_0_is_not_a_request_for_the_type(header):
    assert not accepts(header, PDF)


BROWSER = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
           "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


@pytest.mark.parametrize("header", [
    BROWSER, "text/html", "text/html, */*", "text/*, application/json;q=0.5",
    "application/json;q=0.9, text/html", "text/html;q=0.3, */*;q=0.2"])
def test_a_browser_prefers_the_page(header):
    assert prefers(header, "text/html", over="application/json")


@pytest.mark.parametrize("header", [
    None, "", "*/*", "application/json", "application/json, text/html",
    "text/html;q=0.5, application/json", "text/html;q=0, */*", "application/*",
    "text/html, application/json", "text/html;q=abc, */*"])
def test_an_api_client_or_a_tie_gets_the_json(header):
    assert not prefers(header, "text/html", over="application/json")
