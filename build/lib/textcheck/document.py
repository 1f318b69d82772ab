"""Reading uploaded reports (.txt, .docx) into plain text."""

from __future__ import annotations

import os
import zipfile


class DocumentError(Exception):
    """A report file that cannot be read; the message is shown to the user."""


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_TEXT_EXT = {".txt", ".text", ".md"}
_OLD_EXT = {".doc", ".wps", ".dot", ".wpt"}
_OLD_MSG = "不支持 {ext} 格式的文件。请在 Word 或 WPS 中打开后“另存为” .docx 格式，再重新上传。"


def read_document(path: str | os.PathLike[str]) -> str:
    path = os.fspath(path)
    ext = os.path.splitext(path)[1].lower()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise DocumentError(f"无法读取文件“{os.path.basename(path)}”：{exc.strerror or exc}") from exc
    if ext in _OLD_EXT or data.startswith(_OLE_MAGIC):
        raise DocumentError(_OLD_MSG.format(ext=ext or ".doc"))
    if ext == ".docx" or data.startswith(b"PK\x03\x04"):
        return _read_docx(path)
    if ext in _TEXT_EXT or not ext:
        return _decode_text(data)
    raise DocumentError(f"不支持 {ext} 格式的文件，请上传 .docx 或 .txt 文件。")


def _decode_text(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise DocumentError("无法识别文件的文字编码，请另存为 UTF-8 编码的 .txt 或 .docx 文件后再上传。")


def _read_docx(path: str) -> str:
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(path)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DocumentError("文件已损坏或不是有效的 .docx 文档，请在 Word 或 WPS 中重新“另存为” .docx。") from exc
    except Exception as exc:  # python-docx raises several package-specific errors
        raise DocumentError(f"无法打开该 .docx 文档：{exc}") from exc
    lines: list[str] = []
    p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
    # Walk the body in document order so tables stay where they were written.
    for child in document.element.body.iterchildren():
        if child.tag == p_tag:
            lines.append(_para_text(child))
        elif child.tag == tbl_tag:
            _table_lines(child, lines)
    return "\n".join(lines)


def _para_text(p_elem) -> str:
    from docx.oxml.ns import qn

    parts = []
    for node in p_elem.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _table_lines(tbl_elem, lines: list[str]) -> None:
    from docx.oxml.ns import qn

    for tr in tbl_elem.iterchildren(qn("w:tr")):
        seen: list[str] = []
        for tc in tr.iterchildren(qn("w:tc")):
            # Horizontally merged cells repeat nothing in XML, vertical merges leave
            # empty continuation cells: both are skipped by ignoring empty text.
            cell = "\n".join(_para_text(p) for p in tc.iter(qn("w:p"))).strip()
            if cell and (not seen or seen[-1] != cell):
                seen.append(cell)
        lines.extend(seen)
