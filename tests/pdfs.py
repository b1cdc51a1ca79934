"""A PDF read back as its reader gets it: the text of each page, the QR codes a scanner
finds on the first page drawn at 150 dpi, and the fonts the file embeds."""
import re
from typing import NamedTuple


class ReadPdf(NamedTuple):
    pages: list[str]
    scanned: list[str]
    fonts: set[str]

    @property
    def flat(self) -> str:
        """The first page's text without white space: long values wrap onto a new line."""
        return re.sub(r"\s", "", self.pages[0])


def read_pdf(data: bytes) -> ReadPdf:
    import pypdfium2
    import zxingcpp
    document = pypdfium2.PdfDocument(data)
    pages = [page.get_textpage().get_text_range() for page in document]
    drawn = document[0].render(scale=150 / 72).to_pil()
    scanned = [code.text for code in zxingcpp.read_barcodes(drawn)]
    fonts = {name.decode() for name in re.findall(rb"/FontName /([A-Z]{6}\+[\w-]+)", data)}
    return ReadPdf(pages, scanned, fonts)
