"""The trained named-practice classifier, the round-3 rule fixes and topic degrees, on short real excerpts.

Excerpts are from dev texts of benchmarks/corpus (their 来源 lines name the public pages); held-out texts are never
quoted here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from textcheck import analyze, practice_model
from textcheck.practices import find_practices, find_quotes

ROOT = Path(__file__).resolve().parents[2]


def names(text: str, model: bool = True) -> list[str]:
    return [p["text"] for p in find_practices(text, find_quotes(text), model=True if model else None)]


def test_the_model_file_ships_with_its_choices_and_was_trained_on_dev_only():
    model = json.loads(practice_model.MODEL_PATH.read_text(encoding="utf-8"))
    assert model["weights"] and {"l2", "rule_weight", "threshold", "trained_on"} <= set(model)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import textcheck_train_practices as trainer

    docs = trainer.build()
    split = json.loads((ROOT / "benchmarks" / "corpus" / "split.json").read_text(encoding="utf-8"))
    held_out = set().union(*(split[k] for k in ("test2", "test3", "test4", "test5", "test6", "test7")))
    ids = {d["id"] for d in docs}
    assert ids.isdisjoint(held_out)
    assert {"w01", "v02", "n01", "r05"} <= ids  # round-4, round-3, round-2 and first-round dev texts all train it
    assert set(split["added_in_round_8_dev"]) <= ids and "z25" not in ids  # round-8 dev trains it, test7 does not
    assert model["trained_on"]["texts"] == len(docs)
    assert model["trained_on"]["candidates"] == sum(len(d["ys"]) for d in docs)


def test_training_reproduces_the_shipped_weights():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import textcheck_train_practices as trainer

    model = json.loads(practice_model.MODEL_PATH.read_text(encoding="utf-8"))
    weights = practice_model.train(trainer.samples(trainer.build()), l2=model["l2"])
    kept = {f: round(v, 4) for f, v in weights.items() if abs(v) >= trainer.PRUNE}
    assert kept == model["weights"]


def test_the_model_finds_an_activity_theme_the_rules_reject():
    text = "吉林新华街道开展“述职评议展风采党建引领开新局”网格党群服务站站长及网格长述职评议活动"
    assert names(text, model=False) == []
    assert names(text) == ["述职评议展风采党建引领开新局"]


def test_the_lexicon_and_the_form_rules_stay_hard_limits_for_the_model():
    text = ("开发区举办“庆祝建党99周年暨非公企业党建述职会”活动，增强“四个意识”，推行“XX工作法”，"
            "举行“2018年度党支部书记抓党建述职评议会议”。")
    assert names(text) == []


def test_numbered_names_carriers_after_de_and_named_zones():
    assert names("以规范“三会一课”、主题党日等组织生活为着力点，“三个三”从严夯实组织生活。") == ["三个三"]
    assert names("广胜达公司党委坚持“让党旗在项目上高高飘扬”的党建工作模式，让党员在生产一线发挥先锋模范作用。") == [
        "让党旗在项目上高高飘扬"]
    text = ("有集医疗卫生、居家养老功能于一体的“便民”阵地；有占地600平方米的村民红色文化广场，用于承办各类文艺活动的"
            "“乐民”阵地；有开展政策宣传、公益讲座等志愿服务活动的“慧民”阵地。")
    assert names(text) == ["便民", "乐民", "慧民"]


def test_generic_words_rhetoric_and_national_programmes_are_not_names():
    assert names("实施“党建品牌”打造和提升工程，挖掘培育一批新的党建特色品牌。") == []
    assert names("聚焦四个维度实现党建引领“小网格”服务基层“大民生”，释放出“小网格”的“大能量”。") == []
    assert names("立项国家级课题3个，“1+X”证书通过率达95%。") == []
    assert names("围绕党建品牌创建、“1+1+X”双带活动等医院各项中心工作依次进行现场述职。") == ["1+1+X"]


def test_first_person_inside_quoted_words_does_not_make_news_a_report():
    text = ("述职要见“干货” 点评直指要害\n"
            "“我带头联系最偏远的金家村，2014年深入该村调研15天，召开专题党建会议2次。”茅坝乡党委书记卢成建陈述"
            "2014年落实党建主体责任时，用语简练，直奔主题。\n"
            "当天，在青川县举行的2014年度党委（党组）书记抓党建工作述职评议会上，该县42名党委（党组）书记公开述职。\n")
    r = analyze(text)
    assert r["kind"] == "news"
    assert r["data_points"] == []


def test_news_figures_after_the_meeting_lead_in_are_the_units_work():
    text = ("4月8日上午，深圳市非公党委举行2021年度直属党组织书记述职评议会，8位党组织负责人逐一上台述职。\n"
            "述职评议会上，书记们分享了过去一年企业党建工作的诸多创新之举：中兴通讯公司党委委员与30个业务部门和区域的"
            "管理团队进行座谈交流，覆盖2000多人次；第一创业证券公司党委新设信息技术党支部。吴书记从提高政治站位、"
            "聚焦主责主业等3个方面对加强机关党建工作提出了要求。\n")
    r = analyze(text)
    assert r["kind"] == "news"
    assert [d["text"] for d in r["data_points"]] == ["30个", "2000多人次"]


def test_topic_as_a_frame_or_a_purpose_is_only_partly_covered():
    def degree(text: str, topic: str) -> str:
        return {t["topic"]: t["degree"] for t in analyze(text)["topics"]}[topic]

    framed = ("一、主要做法\n我们以“星级党组织”和“星级党员”创建活动为载体，以服务群众为重点，进一步拓宽和丰富社区党建工作的"
              "内涵，取得了明显成效。\n")
    assert degree(framed, "服务群众") == "partly"
    purpose = "一、主要做法\n将物业企业打造成党组织联系居民的重要平台、服务群众的重要力量。\n"
    assert degree(purpose, "服务群众") == "partly"
    done = "一、主要做法\n建立“红色代办”制度，由党员为群众无偿代办事务，全年为群众办结代办事项320件。\n"
    assert degree(done, "服务群众") == "covered"
