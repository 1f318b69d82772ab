"""Exporters: critiques as official-layout .docx, the 整改清单 as .xlsx and landscape .docx.

The official-document layout (GB/T 9704) itself lives in shuping/core/docx.py.
"""

import io

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from shuping.clock import document_date, short_date
from shuping.core.docx import (
    BODY_FONT,
    HEADING_FONT,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    SIZE_SMALL_4,
    official_document,
    official_paragraph,
    official_title,
    set_font,
    title_font,
)
from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet

from .models import split_lines, strip_numbering

SIZE_ER = SIZE_2
SIZE_SAN = SIZE_3
SIZE_SI = SIZE_4
SIZE_XIAOSI = SIZE_SMALL_4


def _set_font(run, name: str, size, bold: bool = False) -> None:
    set_font(run, name, size, bold)


DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (1..99)."""
    tens, ones = divmod(n, 10)
    if not tens:
        return DIGITS[ones]
    return f"{DIGITS[tens] if tens > 1 else ''}十{DIGITS[ones] if ones else ''}"


def numbered_lines(text: str) -> list[str]:
    """The lines of one section as the letter prints them: numbering typed by the author
    (「一是」「1.」) dropped, repeated lines dropped, then 「（一）」「（二）」… when more than one."""
    lines = list(dict.fromkeys(filter(None, (strip_numbering(line) for line in split_lines(text)))))
    if len(lines) <= 1:
        return lines
    return [f"（{chinese_number(number)}）{line}" for number, line in enumerate(lines, start=1)]


def critique_responsible(critique) -> list:
    """The 班子成员 a critique names (the team app's links; none while that app is absent)."""
    links = getattr(critique, "responsible_members", None) if critique else None
    return list(links.select_related("member__person", "member__org")) if links is not None else []


def _critique_body(document, critique):
    participant = critique.participant
    reporter = participant.secretary.name if participant.secretary else ""
    official_paragraph(document, f"{participant.org.name}{('书记' + reporter + '同志') if reporter else ''}：", font=BODY_FONT,
               size=SIZE_SAN, indent=False)
    sections = [("一、工作亮点", critique.strengths), ("二、存在问题", critique.problems), ("三、意见建议", critique.suggestions)]
    for heading, text in sections:
        official_paragraph(document, heading, font=HEADING_FONT, size=SIZE_SAN)
        for line in numbered_lines(text) or ["（无）"]:
            official_paragraph(document, line, font=BODY_FONT, size=SIZE_SAN)
    named = critique_responsible(critique)
    if named:
        official_paragraph(document, "四、班子成员责任", font=HEADING_FONT, size=SIZE_SAN)
        for link in named:
            member = link.member
            text = f"{member.person.name}同志（{member.org.name}{member.get_post_display()}）落实“一岗双责”"
            official_paragraph(document, text + (f"，对{link.note}负责。" if link.note else "负有相应责任。"),
                               font=BODY_FONT, size=SIZE_SAN)


def critique_docx(critiques, *, title: str | None = None, progress=None) -> bytes:
    """One critique, or all of a campaign (one after another, each starting on a new page)."""
    critiques = list(critiques)
    document = official_document()
    for index, critique in enumerate(critiques):
        if progress is not None:
            progress(index, len(critiques) + 1, f"正在编排：{critique.participant.org.name}（{index + 1}/{len(critiques)}）")
        if index:
            document.add_page_break()
        campaign = critique.participant.campaign
        official_title(document, title or f"{campaign.year}年度抓基层党建工作述职评议点评意见")
        _critique_body(document, critique)
        official_paragraph(document, "", font=BODY_FONT, size=SIZE_SAN)
        official_paragraph(document, campaign.organiser.name, font=BODY_FONT, size=SIZE_SAN, align=WD_ALIGN_PARAGRAPH.RIGHT,
                   indent=False)
        official_paragraph(document, document_date(critique.updated_at), font=BODY_FONT, size=SIZE_SAN,
                   align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    if not critiques:
        official_title(document, title or "点评意见")
        official_paragraph(document, "暂无点评。", font=BODY_FONT, size=SIZE_SAN)
    if progress is not None:
        progress(len(critiques), len(critiques) + 1, "正在保存文件")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- 整改清单 -------------------------------------------------------------------------------

LEDGER_HEADERS = ["序号", "单位", "问题", "问题类别", "问题来源", "严重程度", "发现日期", "整改措施", "责任人", "整改时限",
                  "状态", "整改进展"]


def _progress_text(rect) -> str:
    entries = list(rect.progress.all())
    return "\n".join(f"{short_date(e.at)} {e.text}" for e in entries[-3:])


def ledger_rows(rectifications):
    for number, rect in enumerate(rectifications, start=1):
        problem = rect.problem
        if problem is not None:
            description, category = problem.description, problem.get_category_display()
            source, severity, found = problem.get_source_display(), problem.get_severity_display(), problem.found_on
        else:
            common = rect.common
            description = f"【共性问题】{common.title}（涉及 {common.members.count()} 个问题）"
            category, source, severity, found = common.get_category_display(), "共性问题", "", common.created_at
        yield [
            number, rect.org.name, description, category, source, severity, short_date(found),
            rect.measures, rect.owner.name if rect.owner else "", short_date(rect.deadline),
            rect.get_status_display(), _progress_text(rect),
        ]


def ledger_xlsx(rectifications, *, title: str = "整改清单") -> bytes:
    workbook = new_workbook()
    widths = {"单位": 22, "问题": 50, "整改措施": 50, "整改进展": 50, "责任人": 10}
    write_sheet(workbook, title[:31], LEDGER_HEADERS, ledger_rows(rectifications), widths)
    return workbook_bytes(workbook)


DOCX_COLUMNS = [("序号", 1.2), ("单位", 3.2), ("问题", 6.0), ("整改措施", 6.5), ("责任人", 2.0), ("整改时限", 2.4),
                ("整改进展", 3.4)]


def ledger_docx(rectifications, *, title: str = "问题整改清单") -> bytes:
    """整改清单 as a landscape table: 问题、措施、责任人、时限、进展."""
    document = official_document(landscape=True)
    official_paragraph(document, title, font=title_font(), size=SIZE_ER, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False,
               spacing=Pt(36))
    official_paragraph(document, f"（截至{document_date()}）", font=BODY_FONT, size=SIZE_XIAOSI,
               align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, spacing=Pt(22))
    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, (header, width) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _set_font(cell.paragraphs[0].add_run(header), HEADING_FONT, SIZE_XIAOSI)
    for row in ledger_rows(rectifications):
        number, org, problem, *_rest = row
        measures, owner, deadline, status, progress = row[7], row[8], row[9], row[10], row[11]
        values = [str(number), org, problem, measures, owner, deadline, f"{status}\n{progress}".strip()]
        cells = table.add_row().cells
        for cell, value, (_, width) in zip(cells, values, DOCX_COLUMNS, strict=True):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            for index, line in enumerate(value.split("\n")):
                if index:
                    paragraph = cell.add_paragraph()
                _set_font(paragraph.add_run(line), BODY_FONT, SIZE_XIAOSI)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
