"""A document as the applicant keeps it: an A4 PDF in the form of an official document
(公文) — title, number, addressee, text, the issuing department and date under its seal's
appearance, and a QR code to its status address — and the status page that address shows a
browser. The signed JSON is what proves it (docs/documents.md); the PDF shows it."""
import io
import math

from ...domain import case_documents
from .. import guides, license_print

RED, GREY, INK = license_print.RED, license_print.GREY, license_print.INK
STATE_LABELS = {"valid": "有效", "superseded": "已被更正", "annulled": "已撤销"}
MEANINGS = {"valid": "该文书由发文机关签发，现行有效",
            "superseded": "该文书已被发文机关更正，请以更正后的文书为准",
            "annulled": "该文书已被发文机关撤销，不再有效"}


def status_url(base_url: str, document_id: str, sha256: str) -> str:
    """The document's status address, with its key (domain/case_documents.status_key)."""
    key = case_documents.status_key(sha256)
    return f"{base_url.rstrip('/')}/documents/{document_id}/status?key={key}"


def status_page(status: dict) -> str:
    """What the QR code's address shows a browser: the document's public status in words —
    never its text or to whom it was addressed."""
    rows = [(term, status[key]) for term, key in (
        ("文书名称", "title"), ("发文机关", "issuer"), ("成文日期", "issueDate"),
        ("状态变更时间", "stateSince"),
        ("更正后的文书", "supersededBy"), ("文书编号", "documentId"),
        ("文书摘要（SHA-256）", "sha256")) if status.get(key)]
    return guides.environment().get_template("document_status.html").render(
        status=status, label=STATE_LABELS[status["state"]], meaning=MEANINGS[status["state"]],
        rows=rows)


def render_pdf(signed: dict, base_url: str) -> bytes:
    """The document as an A4 PDF: the font embedded (only the glyphs used), its text
    selectable, the seal and the QR code drawn as vectors."""
    from fpdf import FPDF
    found, signature = signed["document"], signed["signature"]
    pdf = FPDF(format="A4")
    pdf.set_margins(28, 30, 26)
    pdf.set_auto_page_break(True, margin=30)
    pdf.add_font("document", fname=str(license_print.FONT))
    pdf.set_title(f"{found['title']} {found['documentId']}")
    pdf.set_author(found.get("issuer", ""))
    pdf.set_creator("OneWindow")
    pdf.set_lang("zh-CN")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_text_color(*RED)
    pdf.set_font("document", size=20)
    pdf.multi_cell(width, 11, license_print.in_font(found.get("issuer", "")), align="C",
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("document", size=22)
    pdf.set_char_spacing(2)
    pdf.cell(width, 14, license_print.in_font(found["title"]), align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_char_spacing(0)
    pdf.set_text_color(*INK)
    pdf.set_font("document", size=10.5)
    pdf.cell(width, 7, f"编号：{found['documentId']}", align="C", new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.6)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.l_margin + width, pdf.get_y() + 2)
    pdf.ln(8)
    state = signed.get("state", "valid")
    if state != "valid":
        pdf.set_text_color(*RED)
        pdf.set_font("document", size=13)
        reason = signed.get("stateReason")
        pdf.multi_cell(width, 8, license_print.in_font(
            STATE_LABELS[state] + (f"：{reason}" if reason else "")), border=1, align="C",
            new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.set_text_color(*INK)
    pdf.set_font("document", size=12.5)
    paragraphs = found.get("paragraphs") or []
    for number, paragraph in enumerate(paragraphs):
        # The salutation flush left, the text indented two characters, as 公文 are.
        indent = "" if number == 0 else "\u3000\u3000"
        for line in paragraph.split("\n"):
            pdf.multi_cell(width, 8, license_print.in_font(indent + line), new_x="LMARGIN",
                           new_y="NEXT")
        pdf.ln(2)
    _closing(pdf, found, signature,
             status_url(base_url, found["documentId"], signed["sha256"]), width)
    return bytes(pdf.output())


def _closing(pdf, found: dict, signature: dict, url: str, width: float) -> None:
    """The band under the text: on the right the issuing department and the date under
    its seal's appearance; on the left the QR code of the status address, with the key
    that signed."""
    band = 46
    if pdf.get_y() + band > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y() + 6
    pdf.set_font("document", size=12.5)
    pdf.set_text_color(*INK)
    issuer = license_print.in_font(found.get("issuer", ""))
    day = case_documents.date_text(found.get("issueDate"))
    column = max(pdf.get_string_width(issuer), pdf.get_string_width(day)) + 4
    left = pdf.l_margin + width - column
    pdf.set_xy(left, top + 10)
    pdf.cell(column, 8, issuer, align="C", new_x="LEFT", new_y="NEXT")
    pdf.cell(column, 8, day, align="C", new_x="LMARGIN", new_y="NEXT")
    seal(pdf, left + column / 2, top + 18, 19,
         license_print.in_font(found.get("sealName") or found.get("issuer", "")))
    side = 26
    pdf.image(io.BytesIO(license_print.qr_vector(url)), x=pdf.l_margin, y=top + 4, w=side,
              h=side)
    pdf.set_xy(pdf.l_margin + side + 4, top + 4)
    pdf.set_font("document", size=8)
    pdf.set_text_color(*GREY)
    text_column = left - 22 - (pdf.l_margin + side + 4)
    for line in ("扫码或访问以下地址查询本文书状态（不显示文书内容）：", url,
                 f"电子签名 {signature.get('alg', '')}，密钥 {signature.get('kid', '')}",
                 "以签名的电子文书（JSON）为准，可用公布的密钥离线核验。"):
        pdf.multi_cell(text_column, 4, line, align="L", new_x="LEFT", new_y="NEXT")
    pdf.set_y(top + band)


def seal(pdf, cx: float, cy: float, radius: float, name: str) -> None:
    """An official seal's appearance (电子印章的外观): a red ring, the seal's name along its
    upper arc, a star in the middle. It shows who signed; the signature proves it."""
    with pdf.local_context(draw_color=RED, fill_color=RED, text_color=RED):
        pdf.set_line_width(1.1)
        pdf.circle(x=cx, y=cy, radius=radius, style="D")
        _star(pdf, cx, cy, radius * 0.3)
        characters = list(name) or [" "]
        # Spread over up to 250 degrees of the ring, read clockwise from the lower left,
        # each character as wide as its share of the arc allows (mm -> pt: 2.83).
        span = min(250.0, 24.0 * len(characters))
        inner = radius * 0.76
        share = inner * math.radians(span) / len(characters)
        size = max(5.0, min(12.0, share * 0.92 * 2.83))
        pdf.set_font("document", size=size)
        for index, character in enumerate(characters):
            angle = -span / 2 + span * (index + 0.5) / len(characters)
            theta = math.radians(angle)
            x, y = cx + inner * math.sin(theta), cy - inner * math.cos(theta)
            with pdf.rotation(-angle, x, y):
                w = pdf.get_string_width(character)
                pdf.text(x - w / 2, y + size * 0.35 / 2.83, character)


def _star(pdf, cx: float, cy: float, outer: float) -> None:
    inner = outer * 0.382
    points = []
    for k in range(10):
        r = outer if k % 2 == 0 else inner
        theta = math.radians(-90 + 36 * k)
        points.append((cx + r * math.cos(theta), cy + r * math.sin(theta)))
    pdf.polygon(points, style="F")
