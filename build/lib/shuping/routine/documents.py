"""The quarterly circular (季度通报) as .docx in the usual official layout:
title 方正小标宋简体 二号, section headings 黑体 三号, body 仿宋_GB2312 三号, first-line indent."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from shuping.clock import document_date
from shuping.core.docx import set_font
from shuping.rectification.models import split_lines

from . import selectors

TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
NUMERALS = "一二三四五六七八九十"


def _font(run, name: str, size, bold: bool = False) -> None:
    set_font(run, name, size, bold)


def _paragraph(document, text: str, font: str = BODY_FONT, size=SIZE_3, *, center=False, indent=True, bold=False):
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def movement_text(row) -> str:
    if row.movement is None:
        return "—"
    if row.movement > 0:
        return f"↑{row.movement}"
    if row.movement < 0:
        return f"↓{-row.movement}"
    return "—"


def circular_docx(circular) -> bytes:
    rows = selectors.quarter_table(circular.organiser, circular.year, circular.quarter)
    orders = list(circular.orders.select_related("org", "problem")) if circular.pk else []
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _paragraph(document, circular.title, TITLE_FONT, SIZE_2, center=True)
    if circular.doc_number:
        _paragraph(document, circular.doc_number, BODY_FONT, SIZE_3, center=True)
    _paragraph(document, "各乡镇（街道、园区）党（工）委，县直各单位党组（党委）：", indent=False)
    months = selectors.quarter_months(circular.quarter)
    _paragraph(document, (
        f"根据抓基层党建工作“按月评价计分、按季通报督办、半年督查核实、年终综合评定”的要求，"
        f"现将{circular.year}年第{circular.quarter}季度（{months[0]}—{months[-1]}月）抓基层党建日常考核情况通报如下。"))

    section_no = 0

    def heading(text):
        nonlocal section_no
        _paragraph(document, f"{NUMERALS[section_no]}、{text}", HEADING_FONT, SIZE_3)
        section_no += 1

    heading("考核排名情况")
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    if not groups:
        _paragraph(document, "本季度尚无评分。")
    for group, members in groups.items():
        _paragraph(document, f"{group}（{len(members)}个）", BODY_FONT, SIZE_3, bold=True)
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, text in zip(table.rows[0].cells, ["排名", "单位", "季度得分", "较上季度", "备注"], strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), HEADING_FONT, SIZE_4)
        ordered = {o.org_id for o in orders}
        for row in members:
            cells = table.add_row().cells
            values = [str(row.rank), row.org.name, str(row.total), movement_text(row),
                      "督办" if row.org.pk in ordered else ""]
            for cell, text in zip(cells, values, strict=True):
                cell.text = ""
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, SIZE_4)
    heading("经验做法")
    practices = split_lines(circular.practices)
    for index, line in enumerate(practices, start=1):
        _paragraph(document, f"{index}．{line}")
    if not practices:
        _paragraph(document, "无。")
    heading("存在问题")
    problems = split_lines(circular.problems)
    for index, line in enumerate(problems, start=1):
        _paragraph(document, f"{index}．{line}")
    if not problems:
        _paragraph(document, "无。")
    heading("督办事项")
    if orders:
        names = "、".join(o.org.name for o in orders)
        _paragraph(document, (
            f"对本季度排名靠后的{names}下发督办单，请于{document_date(circular.supervision_deadline)}前"
            f"完成整改，并将整改情况报县委组织部。整改情况纳入问题清单和整改台账跟踪管理，作为年终综合评定的重要依据。"))
    else:
        _paragraph(document, (
            f"各排名分组末{circular.lowest_n}位的单位将下发督办单，"
            f"整改时限为{document_date(circular.supervision_deadline)}（通报印发后生成）。"))
    _paragraph(document, "")
    _paragraph(document, circular.organiser.name.replace("县委", "县委组织部") if circular.organiser.name.endswith("县委")
               else circular.organiser.name, indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    stamp = circular.issued_at or circular.created_at
    _paragraph(document, document_date(stamp), indent=False).alignment = WD_ALIGN_PARAGRAPH.RIGHT

    for order in orders:
        document.add_page_break()
        _paragraph(document, "督 办 单", TITLE_FONT, SIZE_2, center=True)
        _paragraph(document, f"{order.org.name}：", indent=False)
        _paragraph(document, order.problem.description)
        _paragraph(document, f"整改时限：{document_date(order.deadline)}")
        _paragraph(document, f"问题编号：{order.problem.pk}（已纳入整改台账）")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
