"""shuping analyze FILE [--prior PRIOR.txt] [--sector 领域] [--json]: the reviewers' automatic check on the shell."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

DOC_KINDS = {"report": "述职报告", "critique": "点评讲话", "news": "会议新闻", "speech": "讲话"}
KIND_NAMES = {
    "achievements": "成绩与做法", "problems": "存在问题", "causes": "原因分析", "measures": "下一步措施",
    "rectification": "上年度问题整改", "other": "其他",
}


class Command(BaseCommand):
    help = ("检查一份述职报告（.docx 或 .txt）：文体、数据、特色做法、问题与措施、套话与水分指数、必答题覆盖程度、"
            "两张皮、上年度问题回应；--json 输出每项结果在原文中的字符位置")

    def add_arguments(self, parser):
        parser.add_argument("file", help="述职报告文件（.docx 或 .txt）")
        parser.add_argument("--prior", help="上年度问题清单（.txt 或 .docx，每行一个问题）")
        parser.add_argument("--sector", help="述职单位所在领域（农村、社区、机关、国企、非公企业、社会组织、学校、医院、园区）："
                                             "考核要点按该领域的说法识别")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出全部检查结果")

    def handle(self, *args, file, prior=None, sector=None, json=False, **options):
        import textcheck

        prior_items = []
        try:
            text = self._read(file)
            if prior:
                prior_items = [ln.strip() for ln in self._read(prior).splitlines() if ln.strip()]
        except textcheck.DocumentError as exc:
            raise CommandError(str(exc)) from exc
        if not text.strip():
            raise CommandError(f"文件“{Path(file).name}”中没有文字内容")
        result = textcheck.analyze(text, prior_problems=prior_items, sector=sector)
        if json:
            self.stdout.write(_dumps(result))
        else:
            self._summary(result)

    def _read(self, path: str) -> str:
        import textcheck

        if not Path(path).is_file():
            raise CommandError(f"找不到文件：{path}")
        with open(path, "rb") as fh:
            head = fh.read(8)
        from shuping.reports.documents import OLD_FORMAT_MESSAGE, OLE2_MAGIC

        if head.startswith(OLE2_MAGIC):
            raise CommandError(OLD_FORMAT_MESSAGE)
        return textcheck.read_document(path)

    def _summary(self, r: dict) -> None:
        ep = r["empty_phrases"]
        out = self.stdout.write
        out(f"文体：{DOC_KINDS.get(r.get('kind'), '述职报告')}")
        out("结构：" + "、".join(f"{KIND_NAMES.get(s['kind'], s['kind'])}（{s['title']}）" for s in r["sections"]))
        out(f"数据 {len(r['data_points'])} 处；特色做法 {len(r['named_practices'])} 个"
            + (f"（{'、'.join(p['text'] for p in r['named_practices'][:8])}）" if r["named_practices"] else ""))
        out(f"查摆问题 {len(r['problems'])} 条；下一步措施 {len(r['measures'])} 条")
        out(f"空话套话 {ep['count']} 处，水分指数 {ep['water_index']}（每千字套话 {ep['empty_per_1000_chars']}，每千字数据 {ep['data_per_1000_chars']}）")
        missing = [t["topic"] for t in r["topics"] if not t["covered"]]
        out("必答题未涉及：" + ("、".join(missing) if missing else "无"))
        partly = [t["topic"] for t in r["topics"] if t.get("degree") == "partly"]
        if partly:
            out("必答题仅部分涉及（只提到、未写具体做法）：" + "、".join(partly))
        for item in r["label_only"]:
            out(f"两张皮提示：{item['text'][:40].replace(chr(10), ' ')}……")
        for p in r["prior_problems"]:
            line = f"上年度问题“{p['problem']}”：{'已回应' if p['answered'] else '未见回应'}"
            if p.get("closest"):
                line += f"（{'对应' if p['answered'] else '最接近的'}原文：{p['closest']['sentence'][:40]}）"
            out(line)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
