"""Round 7 of textcheck on real texts: figure units and meeting figures in news, topic mentions inside long quoted
slogans, and the per-round proxy of benchmarks/textcheck_eval.py --cv (issue 17)."""

from __future__ import annotations

import sys
from pathlib import Path

from textcheck import RULES_VERSION, analyze

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import textcheck_eval as ev  # noqa: E402


def figures(text: str) -> list[str]:
    return [d["text"] for d in analyze(text)["data_points"]]


def degree(text: str, topic: str) -> str:
    return {t["topic"]: t["degree"] for t in analyze(text)["topics"]}[topic]


def test_rules_version_names_round_seven():
    assert RULES_VERSION == "2026.12-real-corpus-7-round7"


def test_size_words_kinds_and_magnitudes_with_yu_are_counts():
    assert figures("形成12大项46小项党建指标，梳理服务事项9大类，开发新产品70余种。") == ["12大项", "46小项", "9大类", "70余种"]
    assert figures("党员分布在全国十余个项目。") == ["十余个"]
    assert figures("万家灯火，千家万户。") == []


def test_a_building_number_in_an_address_is_no_count():
    assert figures("典雅小区3栋23楼楼道灯不亮，5幢2单元门口堆放杂物。") == []
    assert figures("新建3栋楼，投入50万元。") == ["3栋", "50万元"]


def test_heads_of_units_in_news_are_the_meetings():
    text = "近日，某县召开书记抓党建述职评议会。8个基层党组织负责人分别介绍经验。今年该县累计投入资金1200万元。"
    assert analyze(text)["kind"] == "news"
    assert figures(text) == ["1200万元"]


def test_the_field_ranked_against_and_a_forecast_after_completion_are_not_figures():
    assert figures("我校以92.87分的成绩在全省46所高职高专院校中排名第六。全年发展党员23名。") == ["23名"]
    assert figures("生产线投产达产后可为企业新增产值2000万元以上，党员牵头攻关技术项目23项。") == ["23项"]


def test_a_keyword_inside_a_long_quoted_slogan_is_only_a_mention():
    slogan = "医院党支部探索形成“党建+质量，建百姓放心医院；党建+服务，让便民举措落地生根开花”的工作模式，已在全院推行。"
    assert degree(slogan, "服务群众") == "partly"
    assert degree("医院党支部开展便民服务，完成义诊12场。", "服务群众") == "covered"


def test_the_proxy_groups_real_dev_texts_by_collection_round():
    items = [it for it in ev.load_corpus() if it["split"] == "dev"]
    acc = ev.per_round(items)
    rounds = {k[0] for k in acc}
    assert rounds == {"rounds 1-2", "round 3", "round 4", "round 5", "round 8"}
    texts = sum(acc[(r, "all")]["texts"][0] for r in rounds)
    assert texts == sum(not it["synthetic"] for it in items)
    assert all(("synthetic" not in k) for k in acc)
