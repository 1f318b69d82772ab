"""Round 5 of textcheck on real texts: chained one-per-unit formulas, generic quoted terms, topic keywords inside
quotations or used in another sense, 委员会 is no 班子 (issue 17)."""

from __future__ import annotations

from textcheck import analyze
from textcheck.practices import _NOT_NAME_RE, find_practices, find_quotes


def names(text: str) -> list[str]:
    return list(dict.fromkeys(p["text"] for p in find_practices(text, find_quotes(text))))


def degree(text: str, topic: str, sector: str | None = None) -> str:
    return {t["topic"]: t["degree"] for t in analyze(text, sector=sector)["topics"]}[topic]


def test_chained_one_per_unit_formulas_are_not_practices():
    assert names("深入开展“一支部一品牌一特色”创建工作，推行“周三夜谈”工作法。") == ["周三夜谈"]
    assert names("推动“一区一特色、一街一品牌”建设，打造“红色驿站”品牌。") == ["红色驿站"]
    assert _NOT_NAME_RE.search("一机关一品牌 一支部一特色")


def test_generic_quoted_terms_are_not_practices():
    assert names("打造一个精品“邻里中心”，培养“社工岗”人员，开展“政治生日”活动。") == []
    assert names("推行党员“积分”管理，创建“党员连心桥”服务品牌。") == ["党员连心桥"]


def test_a_topic_keyword_inside_a_quoted_name_is_only_a_mention():
    text = "党支部开展了“红色教育 争创师德师风先锋”活动。"
    assert degree(text, "作风建设", "学校") == "partly"
    assert degree("全年开展师德师风专题培训3次，签订承诺书46份。", "作风建设", "学校") == "covered"


def test_topic_keywords_in_another_sense_do_not_count():
    text = "300余名党员骨干投入到电网抢修、设备巡视等抢险一线。"
    assert degree(text, "巡视巡察反馈问题整改") == "absent"
    assert degree(text, "工作保障/经费") == "absent"
    assert degree("对巡视反馈的12个问题全部完成整改。", "巡视巡察反馈问题整改") == "covered"


def test_a_committee_is_not_the_leading_group():
    assert degree("辖区有3个社区居民委员会，68个居民小组。", "班子建设") == "absent"
    assert degree("党委委员分工联系各支部。", "班子建设") == "partly"


def test_wider_wording_of_ideology_and_conduct():
    assert degree("在各村悬挂宣传横幅20多条，刷写宣传标语5处。", "意识形态") == "covered"
    assert degree("坚持以邓小平理论和“三个代表”重要思想为指导。", "意识形态") == "partly"
    assert degree("召开民主生活会，开展批评与自我批评。", "作风建设") == "partly"
