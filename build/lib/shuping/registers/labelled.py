"""A labelled set of report sentences with register values, for measuring the cross-check.

Each case: (sentence, own values, sub-unit values, whether the sentence really contradicts the
ledger). The labels are a reader's judgement, written before running the checker; some cases are
hard on purpose (last year's figure, a count of villages, a fact no shipped rule covers).
"""

from decimal import Decimal as D

from .claims import DictLedger, check_claims


def _subs(values):
    return [(f"第{i + 1}村", D(str(v))) for i, v in enumerate(values)]


CASES = [
    ("全年发展党员12名，其中女性党员5名。", {"new_members": 9}, {}, True),
    ("全年发展党员9名。", {"new_members": 9}, {}, False),
    ("共发展新党员15名，培养入党积极分子40名。", {"new_members": 15, "activists": 32}, {}, True),
    ("严格按照“四制”要求发展党员，全年接收预备党员8名。", {"new_members": 8}, {}, False),
    ("全镇现有党员1260名，党组织46个。", {"members": 1248}, {}, False),
    ("全镇现有党员1500名。", {"members": 1248}, {}, True),
    ("全镇16个村集体经济收入全部超过5万元。", {}, {"collective_income": _subs([5.2, 8, 12.5])}, False),
    ("全镇16个村集体经济收入全部超过5万元。", {}, {"collective_income": _subs([3.2, 8, 12.5])}, True),
    ("村集体经济收入均达到10万元以上。", {}, {"collective_income": _subs([12, 9.5])}, True),
    ("全镇村集体经济总收入达到320万元。", {}, {"collective_income": _subs([118, 100, 100])}, False),
    ("全镇村集体经济总收入达到500万元。", {}, {"collective_income": _subs([118, 100, 100])}, True),
    ("村级活动阵地面积均达到90平方米以上。", {}, {"site_area": _subs([120, 95])}, False),
    ("村级活动场所面积全部达到90平方米以上。", {}, {"site_area": _subs([120, 60])}, True),
    ("每村每年1.5万元运转经费全部落实到位。", {}, {"funds": _subs([1.5, 1.5])}, False),
    ("每村每年1.5万元运转经费全部落实到位。", {}, {"funds": _subs([1.5, 1.0])}, True),
    ("向后进村选派第一书记6名。", {}, {"first_secretary": _subs([1] * 6 + [0] * 3)}, False),
    ("为12个村选派第一书记。", {}, {"first_secretary": _subs([1] * 8 + [0] * 4)}, True),
    ("全镇“一肩挑”比例达到85%。", {}, {"one_shoulder": _subs([1, 1, 0])}, False),
    ("书记、主任“一肩挑”的村有14个。", {}, {"one_shoulder": _subs([1] * 14 + [0] * 2)}, False),
    ("储备村级后备力量86人。", {}, {"reserve": _subs([30, 28, 28])}, False),
    ("储备村级后备力量120人。", {}, {"reserve": _subs([30, 28, 28])}, True),
    ("开展主题党日活动24次。", {"party_days": 24}, {}, False),
    ("开展主题党日活动36次。", {"party_days": 24}, {}, True),
    ("培训党员1200人次。", {"members": 300}, {}, False),
    ("投入资金45万元新建党群服务中心3个。", {}, {"funds": _subs([1.5])}, False),
    ("全年发展党员12名。", {}, {}, False),
    ("发展党员三十二名。", {"new_members": 30}, {}, True),
    ("发展党员二十名。", {"new_members": 20}, {}, False),
    ("党员总数达到2300余名。", {"members": 2350}, {}, False),
    ("村集体经济收入超过5万元的村达到20个。", {}, {"collective_income": _subs([6] * 20 + [3])}, False),
    ("今年共有3名入党积极分子被发展为预备党员。", {"new_members": 3, "activists": 25}, {}, False),
    ("全镇党员队伍中35岁以下党员占18%。", {"members": 500}, {}, False),
    ("较上年的10名增加2名，全年发展党员12名。", {"new_members": 12}, {}, False),
    ("去年发展党员15名，今年发展党员9名。", {"new_members": 9}, {}, False),
    ("新建和改扩建村级活动阵地12个，面积均在200平方米以上。", {}, {"site_area": _subs([210, 150])}, True),
    ("村干部人均报酬达到3.6万元。", {}, {"cadre_pay": _subs([3.0, 3.0])}, True),
    ("全县选派第一书记128名，驻村工作队员384名。", {}, {"first_secretary": _subs([1] * 128)}, False),
    ("全年累计发展党员215名。", {"new_members": 198}, {}, True),
    ("有4个村集体经济收入仍在15万元以下。", {}, {"collective_income": _subs([12, 30, 8, 40])}, False),
    ("全年下拨运转经费285万元，村均15万元。", {}, {"funds": _subs([15] * 19)}, False),
    ("全年下拨运转经费285万元，村均15万元。", {}, {"funds": _subs([10] * 19)}, True),
    ("实施“头雁培育”计划，每村储备2名35岁以下的后备干部。", {}, {"reserve": _subs([20, 30])}, False),
    ("每村每年储备后备力量5名以上。", {}, {"reserve": _subs([6, 3])}, True),
]


def evaluate(rules, analyze) -> dict:
    """Precision and recall of flagged mismatches over CASES; `analyze` is textcheck.analyze."""
    tp = fp = fn = tn = 0
    wrong = []
    for sentence, own, subs, truth in CASES:
        ledger = DictLedger(own={k: D(str(v)) for k, v in own.items()}, subs=subs)
        flagged = any(c.flagged for c in check_claims(sentence, analyze(sentence)["data_points"], rules, ledger))
        tp += flagged and truth
        fp += flagged and not truth
        fn += truth and not flagged
        tn += not truth and not flagged
        if flagged != truth:
            wrong.append((sentence, "误报" if flagged else "漏报"))
    precision = D(tp) / (tp + fp) if tp + fp else D(0)
    recall = D(tp) / (tp + fn) if tp + fn else D(0)
    return {"cases": len(CASES), "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision.quantize(D("0.01")),
            "recall": recall.quantize(D("0.01")), "wrong": wrong}
