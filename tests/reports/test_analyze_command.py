import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from .conftest import REPORT_V1, docx_bytes

KEYS = {"kind", "sections", "data_points", "named_practices", "problems", "measures", "topics", "empty_phrases",
        "label_only", "prior_problems"}


def test_sector_option_reads_topics_in_the_sector_wording(tmp_path, capsys):
    report = tmp_path / "报告.txt"
    report.write_text("一、主要做法\n全年开展义诊12场，组织医德医风专题教育3次。\n", encoding="utf-8")

    def degrees(*extra):
        call_command("analyze", str(report), "--json", *extra)
        return {t["topic"]: t["degree"] for t in json.loads(capsys.readouterr().out)["topics"]}

    assert degrees()["作风建设"] == "absent"
    hospital = degrees("--sector", "医院")
    assert hospital["作风建设"] == "covered" and hospital["服务群众"] == "covered"


def test_json_output_has_every_finding(tmp_path, capsys):
    report = tmp_path / "报告.txt"
    report.write_text(REPORT_V1, encoding="utf-8")
    prior = tmp_path / "上年度问题.txt"
    prior.write_text("阵地建设滞后\n软弱涣散村整顿不到位\n", encoding="utf-8")
    call_command("analyze", str(report), "--prior", str(prior), "--json")
    out = capsys.readouterr().out
    data = json.loads(out)
    assert set(data) == KEYS
    assert "water_index" in data["empty_phrases"]
    assert [p["problem"] for p in data["prior_problems"]] == ["阵地建设滞后", "软弱涣散村整顿不到位"]
    assert "红色代办" in out  # ensure_ascii=False keeps Chinese readable
    assert out.startswith("{\n  ")
    assert data["kind"] == "report"
    assert {t["degree"] for t in data["topics"]} <= {"covered", "partly", "absent"}
    text = REPORT_V1
    # Every finding carries its character span in the text, and the span holds what the finding says.
    for key in ("data_points", "named_practices"):
        for item in data[key]:
            s, e = item["span"]
            assert item["text"] in text[s:e]
    for key in ("sections", "problems", "measures", "label_only"):
        for item in data[key]:
            s, e = item["span"]
            assert 0 <= s < e <= len(text)
    for topic in data["topics"]:
        for ev in topic["evidence"]:
            assert text[slice(*ev["span"])] == ev["keyword"]
    for p in data["prior_problems"]:
        if p["closest"]:
            assert p["closest"]["sentence"].startswith(text[slice(*p["closest"]["span"])][:20])


def test_docx_summary_is_chinese(tmp_path, capsys):
    path = tmp_path / "报告.docx"
    path.write_bytes(docx_bytes(lambda d: [d.add_paragraph(line) for line in REPORT_V1.splitlines()]))
    call_command("analyze", str(path))
    out = capsys.readouterr().out
    assert "数据 4 处" in out and "水分指数" in out and "必答题未涉及" in out


@pytest.mark.parametrize(("name", "content", "message"), [
    ("旧.doc", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 64, "另存为"),
    ("旧.wps", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 64, "另存为"),
    ("坏.docx", b"PK\x03\x04garbage", "docx"),
])
def test_bad_files_raise_a_chinese_command_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("analyze", str(path), "--json")


def test_zip_that_is_not_word_is_refused(tmp_path):
    path = tmp_path / "表格.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(CommandError):
        call_command("analyze", str(path))


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("analyze", str(tmp_path / "无.docx"))


def test_cli_exit_code_and_stderr(tmp_path):
    import os
    import subprocess
    import sys

    path = tmp_path / "旧.doc"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 64)
    result = subprocess.run([sys.executable, "-m", "shuping.cli", "analyze", str(path), "--json"],
                            capture_output=True, text=True, env={**os.environ, "SHUPING_DATA_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert "另存为" in result.stderr and result.stdout == ""
