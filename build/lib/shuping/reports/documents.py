"""Report content as blocks, from the browser editor or an uploaded .docx, and back.

A block is one of
  {"type": "heading", "level": 0..3, "text": str}   (0 = the report's title)
  {"type": "paragraph", "text": str}
  {"type": "table", "rows": [[str, ...], ...]}
The plain text used for analysis and diffs has one line per heading/paragraph and one line
per table row with the cells separated by a tab.
"""

import io
import re
import zipfile

from shuping.core.xlsx import zip_expansion_error

OLE2_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_MAGIC = b"PK\x03\x04"

OLD_FORMAT_MESSAGE = (
    "这是旧版 Word（.doc）或 WPS（.wps）格式的文件，系统无法读取。"
    "请在 Word 中点“文件 → 另存为”，或在 WPS 中点“文件 → 另存为”，"
    "保存类型选择“Word 文档（*.docx）”，再上传保存后的 .docx 文件。"
)
NOT_WORD_MESSAGE = "该文件不是 Word 文档（.docx），请上传用 Word 或 WPS 保存的 .docx 文件。"
DAMAGED_MESSAGE = "文件已损坏，无法打开。请在 Word 或 WPS 中打开后重新“另存为” .docx 文件再上传。"
EMPTY_MESSAGE = "文件中没有文字内容。"

CN_NUM = "一二三四五六七八九十"
_HEADING_PATTERNS = [
    (1, re.compile(rf"^[{CN_NUM}]{{1,3}}[、]")),
    (2, re.compile(rf"^[（(][{CN_NUM}]{{1,3}}[)）]")),
]
_HEADING_MAX = 40  # a numbered line longer than this is a paragraph that starts with a lead-in


class DocumentRejected(Exception):
    """An upload that cannot be used; the message is shown to the user as is."""


def heading_level(line: str, *, first: bool = False) -> int | None:
    stripped = line.strip()
    for level, pattern in _HEADING_PATTERNS:
        if pattern.match(stripped) and len(stripped) <= _HEADING_MAX and "。" not in stripped[:-1]:
            return level
    if first and len(stripped) <= 50 and ("述职" in stripped or "报告" in stripped) and "。" not in stripped:
        return 0
    return None


def parse_editor_text(value: str) -> list[dict]:
    """The textarea convention: one paragraph per line; 一、 / （一） lines are headings;
    a first short line with 述职/报告 is the title; lines starting with | are table rows."""
    blocks: list[dict] = []
    table: list[list[str]] | None = None
    first = True
    for raw in (value or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip().replace("\t", " ")
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if all(set(c) <= set("-: ") for c in cells):  # markdown separator row
                continue
            if table is None:
                table = []
                blocks.append({"type": "table", "rows": table})
            table.append(cells)
            first = False
            continue
        table = None
        if not line:
            continue
        level = heading_level(line, first=first)
        first = False
        if level is None:
            blocks.append({"type": "paragraph", "text": line})
        else:
            blocks.append({"type": "heading", "level": level, "text": line})
    return blocks


def blocks_to_editor(blocks: list[dict]) -> str:
    lines = []
    for block in blocks:
        if block["type"] == "table":
            lines.extend("| " + " | ".join(cells) + " |" for cells in block["rows"])
        else:
            lines.append(block["text"])
    return "\n".join(lines)


def blocks_to_text(blocks: list[dict]) -> str:
    lines = []
    for block in blocks:
        if block["type"] == "table":
            lines.extend("\t".join(cells) for cells in block["rows"])
        else:
            lines.append(block["text"])
    return "\n".join(lines)


def _style_level(style_name: str) -> int | None:
    name = (style_name or "").lower()
    if name in ("title", "标题"):
        return 0
    match = re.match(r"^(?:heading|标题)\s*(\d)$", name)
    if match:
        return min(int(match.group(1)), 3)
    return None


def read_upload(data: bytes, filename: str = "") -> list[dict]:
    """Sniff the content (not the name) and read a .docx or .txt into blocks."""
    if data.startswith(OLE2_MAGIC):
        raise DocumentRejected(OLD_FORMAT_MESSAGE)
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except Exception as exc:  # BadZipFile, NotImplementedError, ValueError … on a damaged directory
            raise DocumentRejected(DAMAGED_MESSAGE) from exc
        if "word/document.xml" not in names:
            raise DocumentRejected(NOT_WORD_MESSAGE)
        expansion = zip_expansion_error(data)
        if expansion:
            raise DocumentRejected(expansion)
        blocks = _read_docx(data)
    elif filename.lower().endswith(".txt"):
        blocks = parse_editor_text(_decode_text(data))
    else:
        raise DocumentRejected(NOT_WORD_MESSAGE)
    if not any((b.get("text") or b.get("rows")) for b in blocks):
        raise DocumentRejected(EMPTY_MESSAGE)
    return blocks


def _decode_text(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise DocumentRejected(NOT_WORD_MESSAGE)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentRejected("无法识别文件的文字编码，请另存为 .docx 后再上传。")


def _read_docx(data: bytes) -> list[dict]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        return _docx_blocks(document)
    except Exception as exc:  # a damaged part can fail anywhere inside python-docx and lxml
        raise DocumentRejected(DAMAGED_MESSAGE) from exc


def _docx_blocks(document) -> list[dict]:
    from docx.oxml.ns import qn

    styles = {s.style_id: s.name for s in document.styles}
    blocks: list[dict] = []
    first = True
    # Walk the body in document order so tables stay where they were written.
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            text = _para_text(child).strip()
            if not text:
                continue
            style_id = child.pPr.style if child.pPr is not None else None
            level = _style_level(styles.get(style_id, "")) if style_id else None
            if level is None:
                level = heading_level(text, first=first)
            first = False
            if level is None:
                blocks.append({"type": "paragraph", "text": text})
            else:
                blocks.append({"type": "heading", "level": level, "text": text})
        elif child.tag == qn("w:tbl"):
            rows = []
            for tr in child.iterchildren(qn("w:tr")):
                cells = [
                    " ".join(_para_text(p).strip() for p in tc.iter(qn("w:p"))).strip()
                    for tc in tr.iterchildren(qn("w:tc"))
                ]
                if any(cells):
                    rows.append(cells)
            if rows:
                blocks.append({"type": "table", "rows": rows})
                first = False
    return blocks


def _para_text(p_elem) -> str:
    from docx.oxml.ns import qn

    parts = []
    for node in p_elem.iter(qn("w:t"), qn("w:tab")):
        parts.append((node.text or "") if node.tag == qn("w:t") else " ")
    return "".join(parts).replace("\n", " ")
