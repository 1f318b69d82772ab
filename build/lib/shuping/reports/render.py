"""HTML for reviewers: the text with findings marked in place, and readable diffs.

Everything user-provided is escaped here; the result is marked safe once.
"""

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .documents import heading_level

# kind → (CSS class, legend label, what it means)
MARK_KINDS = {
    "data": ("tc-data", "数据", "具体数字、比例、金额等可核实的数据"),
    "practice": ("tc-practice", "特色做法", "有名称的做法、品牌、工作法"),
    "empty": ("tc-empty", "空话套话", "“高度重视”“扎实推进”等不含具体内容的套话"),
    "label": ("tc-label", "两张皮", "以“党建+”“党建引领”立题，却没有写党建内容的段落"),
    "prior": ("tc-prior", "回应上年度问题", "回应了上年度点评或整改问题的句子"),
    "comment": ("tc-comment", "审核批注", "审核人引用并批注的原文"),
    "verify_ok": ("tc-verify-ok", "与台账一致", "报告数据与已确认的基层台账一致"),
    "verify_bad": ("tc-verify-bad", "与台账不符", "报告数据与已确认的基层台账不一致，悬停查看台账数值"),
}
# Later kinds win when spans overlap (a data point inside a 两张皮 paragraph stays visible).
_PRIORITY = ["label", "prior", "comment", "empty", "practice", "data", "verify_ok", "verify_bad"]


def finding_spans(analysis: dict) -> list[tuple[str, int, int, str]]:
    """(kind, start, end, tooltip) for every finding that has a place in the text."""
    spans = []
    for item in analysis.get("data_points", []):
        spans.append(("data", *item["span"], "数据"))
    for item in analysis.get("named_practices", []):
        spans.append(("practice", *item["span"], "特色做法"))
    for item in analysis.get("empty_phrases", {}).get("items", []):
        spans.append(("empty", *item["span"], "套话"))
    for item in analysis.get("label_only", []):
        for span in item.get("spans") or [item["span"]]:  # one per paragraph
            spans.append(("label", *span, item.get("reason", "两张皮")))
    for item in analysis.get("prior_problems", []):
        if item.get("answered") and item.get("evidence"):
            spans.append(("prior", *item["evidence"]["span"], f"回应：{item['problem']}"))
    return spans


def highlight_html(text: str, spans: list[tuple[str, int, int, str]]) -> str:
    """Render `text` line by line with <mark> elements; headings by the editor's convention."""
    n = len(text)
    kinds: list[tuple[str, ...]] = [()] * n
    tips: dict[int, str] = {}
    order = {k: i for i, k in enumerate(_PRIORITY)}
    for kind, start, end, tip in sorted(spans, key=lambda s: order.get(s[0], 0)):
        start, end = max(0, start), min(n, end)
        for i in range(start, end):
            if kind not in kinds[i]:
                kinds[i] = (*kinds[i], kind)
        if start < end and (start not in tips or kind.startswith("verify")):
            tips[start] = tip  # a register check's 「报告称…，台账为…」 is what the reviewer needs to read
    out = []
    table: list[str] | None = None  # rows of the table being written; a table is consecutive tab lines
    pos = 0
    for index, line in enumerate(text.split("\n")):
        start, end = pos, pos + len(line)
        pos = end + 1
        if "\t" in line:
            if table is None:
                table = []
                out.append(table)
            cells, cell_start = [], start
            for cell in line.split("\t"):
                cells.append(f"<td>{_line_html(text, kinds, cell_start, cell_start + len(cell), tips)}</td>")
                cell_start += len(cell) + 1
            table.append(f'<tr class="report-row" data-start="{start}">{"".join(cells)}</tr>')
            continue
        table = None
        if not line.strip():
            continue
        body = _line_html(text, kinds, start, end, tips)
        level = heading_level(line, first=index == 0)
        if level is None:
            out.append(f'<p data-start="{start}">{body}</p>')
        else:
            tag = "h2" if level == 0 else f"h{min(level + 2, 6)}"
            out.append(f'<{tag} class="report-heading" data-start="{start}">{body}</{tag}>')
    html = [part if isinstance(part, str) else
            '<div class="table-responsive"><table class="table table-sm table-bordered report-table">'
            f'<tbody>{"".join(part)}</tbody></table></div>' for part in out]
    return mark_safe("\n".join(html))


def _line_html(text, kinds, start, end, tips) -> str:
    parts = []
    i = start
    while i < end:
        j = i
        while j < end and kinds[j] == kinds[i]:
            j += 1
        chunk = escape(text[i:j])
        if kinds[i]:
            classes = " ".join(MARK_KINDS[k][0] for k in kinds[i])
            title = escape(tips.get(i, "、".join(MARK_KINDS[k][1] for k in kinds[i])))
            parts.append(f'<mark class="{classes}" title="{title}">{chunk}</mark>')
        else:
            parts.append(chunk)
        i = j
    return "".join(parts)


def plain_html(text: str, comments=()) -> str:
    spans = [("comment", c.start, c.end, f"批注：{c.comment}") for c in comments]
    return highlight_html(text, spans)


def diff_rows(old_text: str, new_text: str) -> list[dict]:
    """Paragraph-level diff; changed paragraph pairs get an inline character diff."""
    old_lines = [ln for ln in old_text.split("\n") if ln.strip()]
    new_lines = [ln for ln in new_text.split("\n") if ln.strip()]
    rows = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows.extend({"kind": "equal", "html": escape(line)} for line in old_lines[a1:a2])
            continue
        olds, news = old_lines[a1:a2], new_lines[b1:b2]
        if op == "replace":
            # Pair lines that are alike; the rest are plain deletions/insertions.
            for k in range(max(len(olds), len(news))):
                old = olds[k] if k < len(olds) else None
                new = news[k] if k < len(news) else None
                if old is not None and new is not None and difflib.SequenceMatcher(a=old, b=new).ratio() > 0.4:
                    rows.append({"kind": "change", "html": mark_safe(_inline_diff(old, new))})
                else:
                    if old is not None:
                        rows.append({"kind": "delete", "html": escape(old)})
                    if new is not None:
                        rows.append({"kind": "insert", "html": escape(new)})
        else:
            rows.extend({"kind": "delete", "html": escape(line)} for line in olds)
            rows.extend({"kind": "insert", "html": escape(line)} for line in news)
    return rows


def _inline_diff(old: str, new: str) -> str:
    parts = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape(old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(f'<del class="diff-del" title="删除">{escape(old[a1:a2])}</del>')
        if b2 > b1:
            parts.append(f'<ins class="diff-ins" title="新增">{escape(new[b1:b2])}</ins>')
    return "".join(parts)


def diff_stats(rows: list[dict]) -> dict:
    return {kind: sum(1 for r in rows if r["kind"] == kind) for kind in ("insert", "delete", "change")}
