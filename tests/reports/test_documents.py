import io
import zipfile

import pytest
from django.urls import reverse

from shuping.reports.documents import (
    NOT_WORD_MESSAGE,
    OLD_FORMAT_MESSAGE,
    DocumentRejected,
    blocks_to_editor,
    blocks_to_text,
    parse_editor_text,
    read_upload,
)
from shuping.reports.models import ReportVersion

from .conftest import docx_bytes


def _report_docx(document):
    document.add_heading("甲一镇党委书记述职报告", level=0)
    document.add_heading("一、主要工作和成效", level=1)
    document.add_paragraph("全年发展党员26名，培训党员1140人次。")
    document.add_paragraph("（一）选优配强村级班子")  # numbered heading without a heading style
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["指标", "目标", "完成"], ["发展党员", "20名", "26名"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("二、存在的问题", level=1)
    document.add_paragraph("一是党员队伍老化。")


def test_editor_convention_recognises_headings_and_tables():
    blocks = parse_editor_text("某镇述职报告\n一、主要工作\n（一）抓班子\n正文一段。\n| 指标 | 完成 |\n| --- | --- |\n| 党员 | 26名 |\n")
    assert [b["type"] for b in blocks] == ["heading", "heading", "heading", "paragraph", "table"]
    assert [b.get("level") for b in blocks[:3]] == [0, 1, 2]
    assert blocks[4]["rows"] == [["指标", "完成"], ["党员", "26名"]]
    assert parse_editor_text(blocks_to_editor(blocks)) == blocks
    assert blocks_to_text(blocks).splitlines()[-1] == "党员\t26名"


def test_long_numbered_line_is_a_paragraph():
    blocks = parse_editor_text("一是加强学习，全年组织集中学习12次，覆盖全体党员干部，学习内容包括党章党规和习近平总书记重要讲话精神，效果良好。")
    assert blocks[0]["type"] == "paragraph"


def test_docx_upload_keeps_headings_paragraphs_and_tables():
    blocks = read_upload(docx_bytes(_report_docx), "报告.docx")
    assert blocks[0] == {"type": "heading", "level": 0, "text": "甲一镇党委书记述职报告"}
    assert blocks[1] == {"type": "heading", "level": 1, "text": "一、主要工作和成效"}
    assert blocks[2]["type"] == "paragraph"
    assert blocks[3] == {"type": "heading", "level": 2, "text": "（一）选优配强村级班子"}
    assert blocks[4] == {"type": "table", "rows": [["指标", "目标", "完成"], ["发展党员", "20名", "26名"]]}
    assert blocks[5]["text"] == "二、存在的问题"


@pytest.mark.parametrize("name", ["报告.doc", "报告.wps", "报告.docx"])
def test_ole2_files_are_rejected_whatever_their_name(name):
    data = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600
    with pytest.raises(DocumentRejected) as exc:
        read_upload(data, name)
    assert str(exc.value) == OLD_FORMAT_MESSAGE
    assert "另存为" in OLD_FORMAT_MESSAGE and ".docx" in OLD_FORMAT_MESSAGE


def test_zip_without_word_document_is_not_a_word_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentRejected, match="不是 Word 文档"):
        read_upload(buffer.getvalue(), "表格.docx")


def test_garbage_is_rejected():
    with pytest.raises(DocumentRejected) as exc:
        read_upload(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "图片.docx")
    assert str(exc.value) == NOT_WORD_MESSAGE


@pytest.mark.django_db
def test_upload_view_saves_a_version_and_shows_chinese_errors(client, written, role_users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(role_users["reporter"])
    url = reverse("reports:upload", kwargs={"pk": written.pk})
    response = client.post(url, {"file": SimpleUploadedFile("旧报告.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 64)})
    assert response.status_code == 200
    assert "另存为" in response.content.decode()
    assert ReportVersion.objects.filter(report__participant=written).count() == 1
    response = client.post(url, {"file": SimpleUploadedFile("报告.docx", docx_bytes(_report_docx))})
    assert response.status_code == 302
    version = ReportVersion.objects.get(report__participant=written, number=2)
    assert version.source == "upload" and version.filename == "报告.docx"
    assert any(b["type"] == "table" for b in version.blocks)
    assert "发展党员\t20名\t26名" in version.text
