"""The fact set and cross-check rules a fresh install ships with; admins extend both in the UI."""

from decimal import Decimal

GRASSROOTS = "village,community,branch"

# (code, name, unit, kind, min, max, unit_types, guidance)
DEFAULT_FACTS = [
    ("members", "党员数", "名", "integer", 0, 100000, "", "本级年底在册党员人数（不含下级党组织），以党员管理信息系统为准"),
    ("new_members", "当年发展党员数", "名", "integer", 0, 10000, "", "本级当年接收的预备党员人数（不含下级党组织）"),
    ("activists", "入党积极分子数", "名", "integer", 0, 10000, "", "本级年底在册入党积极分子人数（不含下级党组织）"),
    ("lessons_q1", "三会一课次数（一季度）", "次", "integer", 0, 200, "", "支部党员大会、支委会、党小组会、党课合计"),
    ("lessons_q2", "三会一课次数（二季度）", "次", "integer", 0, 200, "", ""),
    ("lessons_q3", "三会一课次数（三季度）", "次", "integer", 0, 200, "", ""),
    ("lessons_q4", "三会一课次数（四季度）", "次", "integer", 0, 200, "", ""),
    ("party_days", "主题党日次数", "次", "integer", 0, 100, "", "全年开展主题党日活动次数"),
    ("site_area", "活动阵地面积", "平方米", "decimal", 0, 100000, GRASSROOTS, "村（社区）综合活动场所面积"),
    ("funds", "运转经费", "万元", "decimal", 0, 10000, GRASSROOTS, "当年到位的村级组织运转经费"),
    ("cadre_pay", "村干部人均报酬", "万元", "decimal", 0, 100, GRASSROOTS, "主职干部年报酬"),
    ("collective_income", "集体经济收入", "万元", "decimal", 0, 100000, GRASSROOTS, "当年村集体经营性收入"),
    ("committee_size", "两委人数", "人", "integer", 0, 50, GRASSROOTS, "村（社区）两委班子成员人数"),
    ("one_shoulder", "是否一肩挑", "", "boolean", None, None, GRASSROOTS, "书记、主任“一肩挑”填“是”"),
    ("reserve", "后备力量人数", "人", "integer", 0, 100, GRASSROOTS, "村级后备力量人数"),
    ("first_secretary", "是否派驻第一书记", "", "boolean", None, None, GRASSROOTS, "有选派第一书记填“是”"),
]

# (order, name, fact code, keywords, qualifiers, excludes, units, mode, tolerance %)
DEFAULT_RULES = [
    (10, "发展党员人数", "new_members", "发展党员,发展新党员,发展预备党员,接收预备党员", "", "积极分子,计划", "名,人", "equal", 0),
    (20, "入党积极分子人数", "activists", "入党积极分子,积极分子", "", "", "名,人", "equal", 0),
    (30, "党员人数", "members", "党员总数,共有党员,有党员,现有党员,党员人数", "", "发展", "名,人", "equal", 2),
    (40, "集体经济全部达标", "collective_income", "集体经济", "全部,均,都,所有,每个村", "", "万元,元", "all_at_least", 0),
    (50, "集体经济收入合计", "collective_income", "集体经济收入,集体经济总收入,集体收入", "", "", "万元,元,亿元", "equal", 5),
    (60, "活动阵地全部达标", "site_area", "阵地,活动场所,活动室", "", "", "平方米,平米,㎡", "all_at_least", 0),
    (70, "运转经费全部落实", "funds", "运转经费,办公经费", "全部,均,都,每村,所有", "", "万元,元", "all_at_least", 0),
    (75, "运转经费合计", "funds", "运转经费,办公经费", "", "村均", "万元,元,亿元", "equal", 5),
    (80, "选派第一书记人数", "first_secretary", "第一书记", "", "", "名,人,个", "count", 0),
    (90, "一肩挑村数", "one_shoulder", "一肩挑", "", "", "个,村,名", "count", 0),
    (100, "后备力量人数", "reserve", "后备力量,后备干部,村级后备", "", "", "名,人", "equal", 0),
    (110, "主题党日次数", "party_days", "主题党日", "", "", "次,场", "equal", 0),
]


# Items the superior (乡镇党委) enters for its villages rather than the village itself.
SUPERIOR_ENTERED = ("funds", "cadre_pay", "first_secretary")


def install_default_facts(Fact, ClaimRule=None) -> None:
    """Idempotent; used by the data migration and by tests after a flush."""
    facts = {}
    for order, (code, name, unit, kind, low, high, types, guidance) in enumerate(DEFAULT_FACTS, start=1):
        facts[code], _ = Fact.objects.get_or_create(code=code, defaults={
            "name": name, "unit": unit, "kind": kind, "unit_types": types, "guidance": guidance, "order": order * 10,
            "min_value": None if low is None else Decimal(low), "max_value": None if high is None else Decimal(high),
            # The historical model of data migration 0002 has no 填报主体 yet (0004 sets it there).
            **({"enterer": "superior" if code in SUPERIOR_ENTERED else "unit"}
               if any(f.name == "enterer" for f in Fact._meta.get_fields()) else {}),
        })
    if ClaimRule is None or ClaimRule.objects.exists():
        return
    for order, name, fact, keywords, qualifiers, excludes, units, mode, tolerance in DEFAULT_RULES:
        ClaimRule.objects.create(order=order, name=name, fact=facts[fact], keywords=keywords, qualifiers=qualifiers,
                                 excludes=excludes, units=units, mode=mode, tolerance=Decimal(tolerance))


def default_rule_specs():
    """The shipped rules as plain RuleSpecs (no database), for the labelled evaluation."""
    from .claims import RuleSpec, split_words

    facts = {code: (name, unit) for code, name, unit, *_ in DEFAULT_FACTS}
    return [
        RuleSpec(name=name, fact_code=fact, fact_name=facts[fact][0], fact_unit=facts[fact][1],
                 keywords=split_words(keywords), units=split_words(units), mode=mode,
                 qualifiers=split_words(qualifiers), excludes=split_words(excludes), tolerance=Decimal(tolerance))
        for _, name, fact, keywords, qualifiers, excludes, units, mode, tolerance in DEFAULT_RULES
    ]
