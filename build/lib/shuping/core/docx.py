"""Official-document (公文) typography for generated Word files, in one place."""

from docx.oxml.ns import qn
from docx.shared import Length, Pt

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四


def set_font(run_or_style, name: str, size: Length | float | None = None, bold: bool | None = None) -> None:
    """Set the font for Latin and East-Asian text alike.

    Word takes Chinese glyphs from w:rFonts/@w:eastAsia, which python-docx's font.name leaves
    alone; without it a 仿宋 paragraph renders in the default 宋体. `size` is a Length or points.
    """
    font = run_or_style.font
    font.name = name
    r_pr = run_or_style.element.get_or_add_rPr()
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(r_fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attribute), name)
    if size is not None:
        font.size = size if isinstance(size, Length) else Pt(size)
    if bold is not None:
        font.bold = bold
