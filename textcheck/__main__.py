"""Command line: python -m textcheck FILE [--prior PRIOR.txt] [--sector 领域] [--json]."""

from __future__ import annotations

import argparse
import json
import sys

from . import DocumentError, analyze, read_document

_KIND_NAMES = {
    "achievements": "成绩与做法", "problems": "存在问题", "causes": "原因分析", "measures": "下一步措施",
    "rectification": "上年度问题整改", "other": "其他",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m textcheck", description="述职报告自动检查")
    parser.add_argument("file", help="述职报告文件（.docx 或 .txt）")
    parser.add_argument("--prior", help="上年度问题清单（.txt，每行一个问题）")
    parser.add_argument("--sector", help="述职单位所在领域（农村、社区、机关、国企、非公企业、社会组织、学校、医院、园区）")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出全部检查结果")
    args = parser.parse_args(argv)
    try:
        text = read_document(args.file)
        prior = []
        if args.prior:
            prior = [ln.strip() for ln in read_document(args.prior).splitlines() if ln.strip()]
    except DocumentError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    result = analyze(text, prior_problems=prior, sector=args.sector)
    if args.json:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_summary(result)
    return 0


_DOC_KINDS = {"report": "述职报告", "critique": "点评讲话", "news": "会议新闻", "speech": "讲话"}
_DEGREES = {"covered": "已涉及", "partly": "部分涉及", "absent": "未涉及"}


def _print_summary(r: dict) -> None:
    ep = r["empty_phrases"]
    print(f"文体：{_DOC_KINDS.get(r['kind'], r['kind'])}")
    print("结构：" + "、".join(f"{_KIND_NAMES.get(s['kind'], s['kind'])}（{s['title']}）" for s in r["sections"]))
    print(f"数据 {len(r['data_points'])} 处，特色做法 {len(r['named_practices'])} 个，"
          f"问题 {len(r['problems'])} 条，措施 {len(r['measures'])} 条")
    print(f"套话 {ep['count']} 处，水分指数 {ep['water_index']}")
    missing = [t["topic"] for t in r["topics"] if not t["covered"]]
    print("未涉及的考核要点：" + ("、".join(missing) if missing else "无"))
    print("考核要点覆盖：" + "；".join(f"{t['topic']}{_DEGREES[t['degree']]}" for t in r["topics"]))
    for item in r["label_only"]:
        print(f"“两张皮”提示：{item['text'][:40]}…")
    for p in r["prior_problems"]:
        print(f"上年度问题“{p['problem']}”：{'已回应' if p['answered'] else '未见回应'}")


if __name__ == "__main__":
    sys.exit(main())
