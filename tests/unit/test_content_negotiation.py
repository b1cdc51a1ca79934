"""Accept headers: a binary representation only for a caller that names its type with a
quality above 0 (RFC 9110 §12.5.1)."""
import pytest

from chalicelib.api.http import accepts

PDF = "application/pdf"


@pytest.mark.parametrize("header", [
    "application/pdf", "Application/PDF", "application/json, application/pdf",
    "application/pdf;q=0.5", "application/pdf ; q=1", "application/pdf;q=0.001",
    "application/pdf;version=1.7;q=0.8", "text/html;q=0, application/pdf;q=1.000"])
def test_a_named_type_with_a_positive_quality_is_accepted(header):
    assert accepts(header, PDF)


@pytest.mark.parametrize("header", [
    None, "", "application/json", "*/*", "application/*", "application/pdfx",
    "application/pdf;q=0", "application/pdf; q=0.000", "application/pdf;Q=0",
    "application/pdf;q=0, application/pdf",          # an explicit "not this" wins
    "application/pdf;q=2", "application/pdf;q=-1", "application/pdf;q=abc",
    "application/pdf;q=0.0001", "application/pdf;q=nan"])
def test_no_quality_or_a_wildcard_is_not_a_request_for_the_type(header):
    assert not accepts(header, PDF)
