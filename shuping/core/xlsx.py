"""Reading and writing .xlsx the same way everywhere: Chinese headers, row-by-row errors.

Every workbook the system writes is made by `new_workbook` and filled by `write_sheet` /
`write_notes`, which store user text as text: a name such as `=HYPERLINK(…)` arrives in
Excel or WPS as the literal string, never as a live formula.
"""

import io
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

MAX_CELL_CHARS = 2000


def max_rows() -> int:
    return getattr(settings, "SHUPING_IMPORT_MAX_ROWS", 50_000)


class WorkbookError(Exception):
    """A file that cannot be read as the expected workbook at all."""


@dataclass
class RowError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self):
        where = f"“{self.sheet}”表第 {self.row} 行" if self.row else f"“{self.sheet}”表"
        col = f"【{self.column}】" if self.column else ""
        return f"{where}{col}：{self.message}"


class ImportFailed(Exception):
    """Validation found errors; nothing was written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"导入失败：发现 {len(errors)} 处错误，未导入任何数据")


@dataclass
class SheetRows:
    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


MAX_EXPANDED_BYTES = 200 * 1024 * 1024


def zip_expansion_error(data: bytes, limit: int = MAX_EXPANDED_BYTES) -> str | None:
    """A Chinese message when an Office file would unpack to more than `limit` bytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except Exception:  # noqa: BLE001 - zipfile raises many kinds on a damaged directory
        return None  # the reader reports damaged files in its own words
    if expanded > limit:
        return f"文件解压后过大（{expanded // (1024 * 1024)} MB），可能已损坏或含有异常内容"
    return None


def open_workbook(source, *, max_bytes: int | None = None):
    """Open an uploaded or local .xlsx, turning every kind of broken file into a Chinese message."""
    if hasattr(source, "read"):
        data = source.read()
    else:
        with open(source, "rb") as handle:
            data = handle.read()
    if max_bytes is not None and len(data) > max_bytes:
        raise WorkbookError(f"文件过大（{len(data) // 1024} KB），上限为 {max_bytes // 1024} KB")
    if data[:4] != b"PK\x03\x04":
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            raise WorkbookError("这是旧版 .xls 文件，请在 Excel/WPS 中“另存为” .xlsx 格式后再导入")
        raise WorkbookError("文件不是有效的 .xlsx 工作簿，请用 Excel 或 WPS 另存为 .xlsx 后再导入")
    expansion = zip_expansion_error(data)
    if expansion:
        raise WorkbookError(expansion)
    try:
        # Formulas are read as their text so they can be refused instead of silently read as empty.
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ParseError, ValueError, TypeError, OSError) as exc:
        raise WorkbookError(f"无法读取该 .xlsx 文件（文件损坏或格式不符）：{type(exc).__name__}") from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed XML
        raise WorkbookError("无法读取该 .xlsx 文件（文件损坏或格式不符）") from exc


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_sheet(workbook, name: str, required: list[str], optional: list[str] = (), errors=None) -> SheetRows | None:
    """Rows of a sheet as {header: text}. Missing sheet → None; missing headers → errors."""
    if name not in workbook.sheetnames:
        return None
    try:
        return _read_sheet(workbook, name, required, optional, errors)
    except WorkbookError:
        raise
    except Exception as exc:  # openpyxl parses lazily: damaged sheet XML fails while rows are read
        raise WorkbookError(f"无法读取“{name}”工作表（文件损坏或格式不符），请用 Excel 或 WPS 重新保存后再导入") from exc


def _read_sheet(workbook, name, required, optional, errors) -> SheetRows | None:
    sheet = workbook[name]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        header_row = next(rows_iter)
    except StopIteration:
        errors.append(RowError(name, 1, "", "表头为空"))
        return None
    headers = [cell_text(v) for v in header_row]
    missing = [h for h in required if h not in headers]
    if missing:
        errors.append(RowError(name, 1, "", f"缺少列：{'、'.join(missing)}"))
        return None
    wanted = [h for h in [*required, *optional] if h in headers]
    index = {h: headers.index(h) for h in wanted}
    result = SheetRows(name=name, headers=headers)
    for number, values in enumerate(rows_iter, start=2):
        if number > max_rows() + 1:
            errors.append(RowError(name, number, "", f"行数超过上限 {max_rows()}，请拆分后分批导入"))
            break
        record = {}
        too_long = False
        for header, position in index.items():
            value = values[position] if position < len(values) else None
            text = cell_text(value)
            if len(text) > MAX_CELL_CHARS:
                errors.append(RowError(name, number, header, f"内容过长（{len(text)} 字），上限 {MAX_CELL_CHARS} 字"))
                too_long = True
            if isinstance(value, str) and value.startswith("="):
                errors.append(RowError(name, number, header, "不接受公式，请粘贴为数值"))
                too_long = True
            record[header] = text
        if not any(record.values()):
            continue
        if not too_long:
            result.rows.append((number, record))
    return result


HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="B22222")


PERCENT_FORMAT = "0.00%"  # a rate stored as a fraction (0.8333) and shown as 83.33 %
SCORE_FORMAT = "0.00"


# Leading characters that make Excel, WPS or LibreOffice read a cell as a formula (or DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", "_"))


def safe_sheet_title(title: str) -> str:
    """A sheet name Excel accepts (no []:*?/\\, at most 31 characters, never empty)."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", str(title)).translate(_SHEET_TITLE_FORBIDDEN).strip("'")
    return cleaned[:31] or "Sheet"


def set_cell(cell, value) -> None:
    """Store `value`; text that would start a formula stays literal text."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_TRIGGERS):
            # A string cell plus Excel's quote prefix: shown as typed, and still text after
            # someone edits the cell in Excel.
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value


def append_row(sheet, values) -> None:
    cells = []
    for value in values:
        cell = Cell(sheet)
        set_cell(cell, value)
        cells.append(cell)
    sheet.append(cells)


def write_sheet(workbook: Workbook, title: str, headers: list[str], rows, widths: dict[str, int] | None = None,
                formats: dict[str, str] | None = None):
    sheet = workbook.create_sheet(safe_sheet_title(title))
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        append_row(sheet, list(row))
    for index, header in enumerate(headers, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = (widths or {}).get(header, max(10, len(header) * 2 + 4))
        if formats and header in formats:  # numbers stay numbers; Excel shows them in this format
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = formats[header]
    sheet.freeze_panes = "A2"
    return sheet


def write_notes(workbook: Workbook, title: str, lines, width: int = 100):
    """A sheet of plain explanatory lines (填写说明), one per row in column A."""
    sheet = workbook.create_sheet(safe_sheet_title(title))
    for line in lines:
        append_row(sheet, [line])
    sheet.column_dimensions["A"].width = width
    return sheet


def new_workbook() -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
