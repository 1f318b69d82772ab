"""Official-document (公文) typography for generated Word files, in one place.

Layout (GB/T 9704): title 方正小标宋简体 二号 (22 pt), headings 黑体 三号 (16 pt), body 仿宋_GB2312 三号
with a fixed 28-pt line spacing, margins 3.7/3.5/2.8/2.6 cm. Chinese font names are set on
w:rFonts/@w:eastAsia: Word picks the East-Asian font from there, not from the plain font name; a
reader's machine without the font falls back to its default.
"""

from django.conf import settings
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_SMALL_4 = Pt(12)  # 小四
LINE_28 = Pt(28)  # 固定值 28 磅


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


def title_font() -> str:
    return getattr(settings, "SHUPING_DOCX_TITLE_FONT", TITLE_FONT)


def official_paragraph(document, text: str, *, font: str, size, bold=False, align=None, indent=True, spacing=None):
    spacing = spacing or LINE_28
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = spacing
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)  # 首行缩进两字
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(text), font, size, bold)
    return paragraph


def official_document(landscape: bool = False):
    """A blank document with the 公文 page (A4 portrait, or landscape for wide tables) and body font."""
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.5)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
        section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def official_title(document, text: str):
    """The centred title (二号) followed by one empty body line."""
    official_paragraph(document, text, font=title_font(), size=SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
                       spacing=Pt(36))
    official_paragraph(document, "", font=BODY_FONT, size=SIZE_3, indent=False)
