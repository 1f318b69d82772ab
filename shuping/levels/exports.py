"""The 点评讲话 as an official-layout .docx (公文 layout from shuping.core.docx)."""

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH

from shuping.clock import document_date
from shuping.core.docx import BODY_FONT, HEADING_FONT, official_document, official_paragraph, official_title
from shuping.core.docx import SIZE_3 as SIZE_SAN
from shuping.rectification.models import split_lines

LEVEL_HEADINGS = ("一、取得的成绩", "二、存在的问题", "三、下一步要求")
REPORTER_HEADINGS = ("一、工作亮点", "二、存在问题", "三、意见建议")
CHINESE_NUMBERS = "一二三四五六七八九十"


def _body(document, speech, headings):
    parts = (speech.achievements, speech.problems, speech.requirements)
    for heading, text in zip(headings, parts, strict=True):
        official_paragraph(document, heading, font=HEADING_FONT, size=SIZE_SAN)
        lines = split_lines(text) or ["（无）"]
        for number, line in enumerate(lines):
            prefix = f"（{CHINESE_NUMBERS[number]}）" if len(lines) > 1 and number < len(CHINESE_NUMBERS) else ""
            official_paragraph(document, prefix + line, font=BODY_FONT, size=SIZE_SAN)


def speech_docx(speech, *, title: str, speaker: str = "", reporters=()) -> bytes:
    """The level speech, then (for a delegate) each reporter's 上级点评 on its own page."""
    document = official_document()
    official_title(document, title)
    if speaker:
        official_paragraph(document, speaker, font=BODY_FONT, size=SIZE_SAN, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _body(document, speech, LEVEL_HEADINGS)
    for item in reporters:
        document.add_page_break()
        participant = item.participant
        reporter = participant.secretary.name if participant.secretary else ""
        official_title(document, "上级点评意见")
        official_paragraph(document, f"{participant.org.name}{('书记' + reporter + '同志') if reporter else ''}：",
                  font=BODY_FONT, size=SIZE_SAN, indent=False)
        _body(document, item, REPORTER_HEADINGS)
    official_paragraph(document, "", font=BODY_FONT, size=SIZE_SAN)
    official_paragraph(document, document_date(getattr(speech, "updated_at", None)), font=BODY_FONT, size=SIZE_SAN,
              align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
