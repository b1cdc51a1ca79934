"""Make the font the printed licenses are set in: Noto Sans CJK SC Regular (SIL Open Font
License 1.1), cut down to the characters a license carries, so that the Lambda package
holds a few megabytes instead of twenty.

    python -m infra.subset_font NotoSansCJK-Regular.ttc      # or NotoSansCJKsc-Regular.otf

writes chalicelib/fonts/NotoSansCJKsc-Regular.subset.otf. Kept: ASCII and Latin-1, general
punctuation, letter-like symbols, CJK symbols and punctuation, CJK Unified Ideographs with
Extension A (rare characters in names, 生僻字, are mostly there) and full-width forms. Every
name record of the font stays, its copyright and license notice among them; the license text
is chalicelib/fonts/OFL.txt. Each PDF embeds only the glyphs it uses.
"""
import argparse
from pathlib import Path

FACE = "Noto Sans CJK SC"
TARGET = Path(__file__).resolve().parent.parent / "chalicelib" / "fonts" / \
    "NotoSansCJKsc-Regular.subset.otf"
RANGES = ((0x0020, 0x007E), (0x00A0, 0x00FF), (0x2000, 0x206F), (0x2100, 0x214F),
          (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


def codepoints() -> list[int]:
    return [point for first, last in RANGES for point in range(first, last + 1)]


def source_face(path: Path):
    """The Simplified Chinese face of a collection (.ttc), or the font file itself."""
    from fontTools.ttLib import TTCollection, TTFont
    if path.suffix.lower() != ".ttc":
        return TTFont(path)
    for font in TTCollection(path).fonts:
        if font["name"].getDebugName(1) == FACE:
            return font
    raise SystemExit(f"{path} has no face named {FACE!r}")


def subset(source: Path, target: Path = TARGET) -> Path:
    from fontTools import subset as subsetter
    options = subsetter.Options()
    options.layout_features = []       # a license needs no ligatures or vertical forms
    options.name_IDs = ["*"]           # the copyright and license records stay
    options.notdef_outline = True      # a missing character shows as a box, not nothing
    options.hinting = False
    font = source_face(source)
    cutter = subsetter.Subsetter(options)
    cutter.populate(unicodes=codepoints())
    cutter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(target)
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="NotoSansCJK-Regular.ttc or "
                        "NotoSansCJKsc-Regular.otf (github.com/notofonts/noto-cjk)")
    parser.add_argument("--out", type=Path, default=TARGET)
    args = parser.parse_args(argv)
    written = subset(args.source, args.out)
    print(f"{written} ({written.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
