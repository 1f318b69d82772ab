"""Approved reports of a campaign as one .docx bundle or one PDF archive.

Reports are read one at a time (`iterator()`) and only their approved blocks are kept, so
memory grows with the documents being written, not with the querysets.
"""

import io

from django.template.loader import render_to_string

from shuping.campaigns.models import Campaign
from shuping.clock import document_date, today
from shuping.core.docx import set_font

from .models import Report, ReportState

BODY_FONT = "仿宋_GB2312"
HEADING_FONT = "黑体"
PDF_FONT = "WenQuanYi Micro Hei"


def approved_entries(campaign: Campaign):
    """(participant, approved version) in agenda order, one at a time."""
    reports = (
        Report.objects.filter(participant__campaign=campaign, state=ReportState.APPROVED)
        .select_related("participant__org", "participant__secretary", "approved_version")
        .order_by("-participant__kind", "participant__agenda_order", "participant__pk")  # units, then 班子成员
    )
    for report in reports.iterator(chunk_size=10):
        yield report.participant, report.approved_version


def approved_count(campaign: Campaign) -> int:
    return Report.objects.filter(participant__campaign=campaign, state=ReportState.APPROVED).count()


def entry_title(participant) -> tuple[str, str]:
    secretary = participant.secretary.name if participant.secretary else ""
    title = participant.report_title
    return title, (f"述职人：{secretary}" if secretary else "")


def _set_font(style_or_run, name: str, size_pt: float | None = None, bold: bool | None = None):
    set_font(style_or_run, name, size_pt or None, bold)


def _no_progress(done: int, total: int, step: str = "") -> None:
    return None


def docx_bundle(campaign: Campaign, progress=_no_progress) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

    document = docx.Document()
    _set_font(document.styles["Normal"], BODY_FONT, 16)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 16), ("Heading 3", 16)):
        _set_font(document.styles[name], HEADING_FONT, size, bold=name != "Heading 2")
    cover = document.add_paragraph()
    cover.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _set_font(cover.add_run(f"{campaign.title}\n述职报告汇编"), HEADING_FONT, 22, bold=True)
    document.add_paragraph(f"编印日期：{document_date()}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    total = approved_count(campaign)
    for index, (participant, version) in enumerate(approved_entries(campaign)):
        progress(index, total, f"正在编排：{participant.org.name}")
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        title, byline = entry_title(participant)
        heading = document.add_heading(title, level=0)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if byline:
            document.add_paragraph(byline).alignment = WD_ALIGN_PARAGRAPH.CENTER
        blocks = version.blocks
        # The report's own title line duplicates the bundle heading.
        if blocks and blocks[0]["type"] == "heading" and blocks[0]["level"] == 0:
            blocks = blocks[1:]
        for block in blocks:
            if block["type"] == "heading":
                document.add_heading(block["text"], level=max(1, min(block["level"], 3)))
            elif block["type"] == "paragraph":
                paragraph = document.add_paragraph(block["text"])
                paragraph.paragraph_format.first_line_indent = docx.shared.Pt(32)
            else:
                rows = block["rows"]
                width = max(len(r) for r in rows)
                table = document.add_table(rows=len(rows), cols=width)
                table.style = "Table Grid"
                for r, cells in enumerate(rows):
                    for c, value in enumerate(cells):
                        table.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_archive(campaign: Campaign, progress=_no_progress) -> bytes:
    from weasyprint import HTML

    entries = []
    # Reading is quick; laying out the PDF is the long step, counted as the last unit of work.
    total = approved_count(campaign) + 1
    for index, (participant, version) in enumerate(approved_entries(campaign), start=1):
        progress(index - 1, total, f"正在读取：{participant.org.name}")
        title, byline = entry_title(participant)
        blocks = version.blocks
        if blocks and blocks[0]["type"] == "heading" and blocks[0]["level"] == 0:
            blocks = blocks[1:]
        entries.append({"anchor": f"r{index}", "title": title, "byline": byline, "blocks": blocks,
                        "version": version.number})
    progress(total - 1, total, "正在排版生成 PDF（报告较多时需要几分钟）")
    html = render_to_string("reports/export_pdf.html", {
        "campaign": campaign, "entries": entries, "font": PDF_FONT, "date": today(),
    })
    return HTML(string=html).write_pdf()
