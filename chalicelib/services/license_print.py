"""The printable license: an HTML page with the license as signed and a QR code carrying
the address anyone opens to check its status (`GET /licenses/{id}/status`)."""
import functools

from . import guides

LABELS = {"valid": "有效", "suspended": "已暂停", "revoked": "已撤销",
          "superseded": "已被新版本替代", "expired": "已过有效期"}


def verification_url(base_url: str, identifier: str) -> str:
    return f"{base_url.rstrip('/')}/licenses/{identifier}/status"


def qr_svg(text: str) -> str:
    """The QR code of `text` as inline SVG (segno; error correction at least M)."""
    import segno
    return segno.make(text, error="m").svg_inline(scale=3, title="核验二维码")


def render(signed: dict, status: dict, base_url: str) -> str:
    url = verification_url(base_url, signed["license"]["identifier"])
    return _template().render(license=signed["license"], signature=signed["signature"],
                              status=status, labels=LABELS, verify_url=url, qr=qr_svg(url))


@functools.lru_cache(maxsize=1)
def _template():
    return guides.environment().get_template("license.html")
