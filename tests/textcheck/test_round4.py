"""Round 4 of textcheck on real texts: honours, words inside someone's quotation, repeated names, third-person
brand news, targets and ranges, contest figures, and topic wording with a verb and a noun (issue 17)."""

from __future__ import annotations

from textcheck import analyze
from textcheck.kind import detect_kind
from textcheck.practices import find_practices, find_quotes


def names(text: str) -> list[str]:
    return list(dict.fromkeys(p["text"] for p in find_practices(text, find_quotes(text))))


def figures(text: str) -> list[str]:
    return [d["text"] for d in analyze(text)["data_points"]]


def degree(text: str, topic: str) -> str:
    return {t["topic"]: t["degree"] for t in analyze(text)["topics"]}[topic]


def test_honours_and_titles_conferred_are_not_practices():
    assert names("该村先后被评为“全省乡村振兴示范村”，并被授予“文明和谐好家园”称号。") == []
    assert names("公司被市里授予“千年古城新崛起”突出贡献单位，开展“红色引擎”行动。") == ["红色引擎"]


def test_titles_a_branch_earns_and_descriptions_of_a_method_are_not_practices():
    assert names("定期开展“红旗党支部”培树活动，推行“周三夜谈”工作法。") == ["周三夜谈"]
    assert names("以“支部联建+抱团取暖+企地共赢”的方式，实施“党建+合作社”工程。") == ["党建+合作社"]


def test_a_quote_inside_someones_words_is_not_a_practice():
    text = "“党建是推动我们企业远航的强大‘红色动能’，大家干劲更足了。”公司党支部书记说。"
    assert names(text) == []


def test_a_short_name_quoted_before_the_same_word_each_time_is_still_a_name():
    text = "扎实推进“学创”活动。全县启动“学创”活动后，镇党委下发了“学创”活动实施方案，并宣传“学创”活动。"
    assert names(text) == ["学创"]


def test_a_name_quoted_again_in_part_is_one_practice():
    text = "打造“136党建链”，探索推行“136”党建联建共建模式，联合地方政府共建。"
    assert names(text) == ["136党建链"]


def test_third_person_brand_news_is_news_and_a_report_speaking_of_itself_stays_a_report():
    news = ("兴安乡兴四村党支部坚持以抓党建促乡村振兴为目标，创新开展“四民共创”党建品牌，建立民情恳谈机制。\n"
            "该村每季度进行入户遍访，倾听群众对产业发展的意见建议。\n")
    assert detect_kind(news) == "news"
    report = ("集团党委书记2023年度抓基层党建工作述职报告\n集团党委下设二级党委4个。\n"
              "集团党委坚持把党的领导融入公司治理，明确前置事项28项。\n")
    assert detect_kind(report) == "report"


def test_targets_and_spans_of_years_are_not_figures_of_work():
    text = ("一、主要做法\n今年争取上级资金85万元，新建党群服务中心3个。\n"
            "二、下一步打算\n力争年内实现所有村集体经济收入超过10万元，通过3—5年的努力建成示范镇。\n")
    assert figures(text) == ["85万元", "3个"]


def test_contest_entries_and_the_reviews_score_are_not_the_units_work():
    text = ("近日，区直机关工委举行党建品牌评定会。区直单位党组织积极响应，48个党组织全员参与品牌项目申报，"
            "有15个党建品牌入围最终评审。该校以92.87分的成绩在全省46所院校中排名第六。\n")
    assert analyze(text)["kind"] == "news"
    assert figures(text) == []


def test_news_work_listed_before_an_ellipsis_is_the_units():
    text = ("近日，某镇组织全镇24个村党支部书记述职评议。\n段村实施道路改造13处，安装路灯15盏，硬化道路200米……"
            "24个村党支部书记在述职报告中全面总结了工作经验。\n")
    assert figures(text) == ["13处", "15盏", "200米"]


def test_a_work_verb_before_a_topic_noun_mentions_the_topic():
    text = "一、主要做法\n社区党总支在原有两个党支部的基础上，新成立了阳光党支部，共有党员83名。\n"
    assert degree(text, "组织力") == "covered"
    text = "一、主要做法\n组织党员志愿者走访慰问困难群众，送去米面油。\n"
    assert degree(text, "服务群众") != "absent"
