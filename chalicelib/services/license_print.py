"""The printable license: an HTML page, or a PDF, with the license as signed and a QR code
carrying the address anyone opens to check its status (`GET /licenses/{id}/status`)."""
import functools
import io
from pathlib import Path

from . import guides

LABELS = {"valid": "有效", "suspended": "已暂停", "revoked": "已撤销",
          "superseded": "已被新版本替代", "expired": "已过有效期"}
# Noto Sans CJK SC, cut down by infra/subset_font.py (SIL OFL 1.1: fonts/OFL.txt).
FONT = Path(__file__).resolve().parent.parent / "fonts" / "NotoSansCJKsc-Regular.subset.otf"
RED, GREY, INK, RULE = (187, 34, 34), (85, 85, 85), (34, 34, 34), (221, 221, 221)


def verification_url(base_url: str, identifier: str) -> str:
    return f"{base_url.rstrip('/')}/licenses/{identifier}/status"


def qr_svg(text: str) -> str:
    """The QR code of `text` as inline SVG (segno; error correction at least M)."""
    import segno
    return segno.make(text, error="m").svg_inline(scale=3, title="核验二维码")


def fields(found: dict) -> list[tuple[str, str]]:
    """The printed rows of a license, in order, for the page and the PDF alike."""
    return [("证照编号", found.get("number", "")), ("持证主体", found.get("holder", "")),
            ("证件号码", found.get("holderId", "")), ("发证机关", found.get("issuer", "")),
            ("发证日期", found.get("issueDate", "")),
            ("有效期限", f"{found.get('validFrom', '')} 至 {found.get('validTo', '')}"),
            ("可信等级", str(found.get("trustLevel", ""))),
            ("证照标识", found.get("identifier", ""))]


def status_line(status: dict) -> str | None:
    """What is printed above a license that is not valid (None for a valid one)."""
    if status.get("status") == "valid":
        return None
    reason = status.get("statusReason")
    return LABELS[status["status"]] + (f"：{reason}" if reason else "")


# What each status means to a person who scanned the QR code.
MEANINGS = {"valid": "该证照真实有效",
            "suspended": "该证照已被发证机关暂停使用，暂停期间不能作为有效证照",
            "revoked": "该证照已被发证机关撤销，不再有效",
            "superseded": "该证照已换发新版本，本版本不再使用",
            "expired": "该证照已超过有效期限，不再有效"}


def status_page(status: dict) -> str:
    """The page the QR code's address shows a browser: the public status of a license
    (GET /licenses/{id}/status as JSON says it) in words — never who holds it."""
    rows = [(term, status[key]) for term, key in (
        ("证照名称", "name"), ("发证机关", "issuer"), ("有效期至", "validTo"),
        ("状态原因", "statusReason"), ("状态变更时间", "statusSince"),
        ("替代它的新版本", "supersededBy"), ("证照标识", "identifier"))
        if status.get(key)]
    return guides.environment().get_template("license_status.html").render(
        status=status, label=LABELS[status["status"]], meaning=MEANINGS[status["status"]],
        rows=rows)


def render(signed: dict, status: dict, base_url: str) -> str:
    url = verification_url(base_url, signed["license"]["identifier"])
    return _template().render(license=signed["license"], signature=signed["signature"],
                              rows=fields(signed["license"]), banner=status_line(status),
                              verify_url=url, qr=qr_svg(url))


def in_font(text: str) -> str:
    """`text` with each character the font has no glyph for written as its code point
    ([U+20000]): a name on a license must never lose a character silently."""
    mapped = _glyphs()
    return "".join(c if ord(c) in mapped or c in "\n" else f"[U+{ord(c):04X}]" for c in text)


@functools.lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    from fontTools.ttLib import TTFont
    return frozenset(TTFont(FONT, lazy=True).getBestCmap())


def render_pdf(signed: dict, status: dict, base_url: str) -> bytes:
    """The same license as an A4 PDF: the font embedded (only the glyphs used), the text
    selectable and the QR code drawn as vectors, so it prints sharp at any size."""
    from fpdf import FPDF
    found, signature = signed["license"], signed["signature"]
    url = verification_url(base_url, found["identifier"])
    pdf = FPDF(format="A4")
    pdf.set_margins(24, 24, 24)
    pdf.set_auto_page_break(False)
    pdf.add_font("license", fname=str(FONT))
    pdf.set_title(f"{found.get('name', '')} {found.get('number', '')}".strip())
    pdf.set_author(found.get("issuer", ""))
    pdf.set_creator("OneWindow")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.rect(12, 12, 186, 273)
    pdf.set_line_width(0.3)
    pdf.rect(14, 14, 182, 269)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font("license", size=24)
    pdf.set_text_color(*RED)
    pdf.set_char_spacing(4)
    pdf.set_y(30)
    pdf.cell(width, 14, in_font(found.get("name", "")), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_char_spacing(0)
    pdf.ln(6)
    banner = status_line(status)
    if banner:
        pdf.set_font("license", size=15)
        pdf.set_line_width(0.6)
        pdf.multi_cell(width, 10, in_font(banner), border=1, align="C", new_x="LMARGIN",
                       new_y="NEXT")
        pdf.ln(6)
    pdf.set_draw_color(*RULE)
    pdf.set_line_width(0.2)
    for label, value in fields(found):
        pdf.set_y(pdf.get_y() + 2)
        pdf.set_font("license", size=10.5)
        pdf.set_text_color(*GREY)
        pdf.cell(32, 6.5, label, new_x="RIGHT", new_y="TOP")
        pdf.set_font("license", size=11.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(width - 32, 6.5, in_font(value), new_x="LMARGIN", new_y="NEXT")
        bottom = pdf.get_y() + 2
        pdf.line(pdf.l_margin, bottom, pdf.l_margin + width, bottom)
        pdf.set_y(bottom)
    top = pdf.get_y() + 14
    side = 38
    pdf.image(io.BytesIO(qr_vector(url)), x=pdf.l_margin, y=top, w=side, h=side)
    pdf.set_xy(pdf.l_margin + side + 8, top + 2)
    pdf.set_font("license", size=9.5)
    pdf.set_text_color(*GREY)
    column = width - side - 8
    pdf.multi_cell(column, 5.5, "扫码或访问以下地址核验本证照状态（不显示持证人信息）：",
                   new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(column, 5.5, url, new_x="LEFT", new_y="NEXT")
    pdf.multi_cell(column, 5.5, f"电子签名：{signature.get('alg', '')}，密钥 "
                   f"{signature.get('kid') or signature.get('keyId', '')}",
                   new_x="LEFT", new_y="NEXT")
    return bytes(pdf.output())


RENDERERS = {"html": render, "pdf": render_pdf}


def qr_vector(text: str) -> bytes:
    """The QR code of `text` as an SVG fpdf2 draws as vectors."""
    import segno
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=1, border=0, omitsize=True,
                                     xmldecl=False, svgclass=None, lineclass=None)
    return out.getvalue()


@functools.lru_cache(maxsize=1)
def _template():
    return guides.environment().get_template("license.html")
