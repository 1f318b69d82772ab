"""The cadre-management office's list of confirmed uses (.xlsx: 姓名、职务、年度、等次、运用方式、依据)."""

from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet

from .services import basis_text

HEADERS = ["姓名", "职务", "年度", "等次", "运用方式", "依据"]


def cadre_rows(proposals) -> list[list]:
    return [[p.person.name, p.person.position, p.result.version.campaign.year,
             p.result.grade or ("一票否决" if p.result.vetoed else ""),
             f"{p.rule.get_use_kind_display()}：{p.rule.measure}", basis_text(p)] for p in proposals]


def cadre_xlsx(proposals, *, title: str = "考核结果运用") -> bytes:
    workbook = new_workbook()
    write_sheet(workbook, title[:31], HEADERS, cadre_rows(proposals))
    return workbook_bytes(workbook)
