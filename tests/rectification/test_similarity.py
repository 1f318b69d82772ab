import random
import time

from shuping.rectification.similarity import cluster, jaccard, terms

# Five themes as different units write them in their 问题清单.
THEMES = {
    "venue": [
        "村级活动阵地面积不足，功能不完善",
        "部分村党组织活动场所面积小、设施简陋",
        "个别村活动场所面积偏小，功能设施不健全",
        "村级活动阵地面积小，设施老化",
        "村党组织活动阵地面积不足、设施陈旧",
    ],
    "meetings": [
        "“三会一课”制度落实不严格，会议记录不规范",
        "部分支部组织生活流于形式，台账资料不全",
        "党支部“三会一课”走过场，记录不规范",
        "组织生活会开展不规范，会议记录不全",
    ],
    "succession": [
        "村党组织书记年龄偏大，后备力量不足",
        "村“两委”班子成员老龄化严重，缺乏年轻后备干部",
        "村级后备干部储备不足，班子年龄结构老化",
        "村干部年龄偏大，缺乏年轻后备力量",
    ],
    "economy": [
        "村集体经济薄弱，经营性收入少",
        "部分村集体经济收入偏低，增收渠道单一",
        "集体经济薄弱村占比较大，村集体收入不足",
    ],
    "mobile": [
        "流动党员管理松散，外出党员长期失联",
        "外出务工党员底数不清，流动党员教育管理缺乏",
        "流动党员管理不到位，个别党员失联",
    ],
}


def _texts():
    return {(theme, i): text for theme, items in THEMES.items() for i, text in enumerate(items)}


def test_the_same_defect_in_different_words_is_similar():
    a = terms("村级活动阵地面积不足，功能不完善")
    b = terms("部分村党组织活动场所面积小、设施简陋")
    assert jaccard(a, b) >= 0.5
    assert jaccard(a, terms("村党组织书记年龄偏大，后备力量不足")) < 0.3


def test_clusters_follow_the_themes():
    clusters = cluster(_texts(), threshold=0.5)
    themes_per_cluster = [{key[0] for key in c.members} for c in clusters]
    # No cluster mixes two themes.
    assert all(len(themes) == 1 for themes in themes_per_cluster)
    # Every theme's problems end up together (each theme forms one cluster with most of its items).
    biggest = {}
    for c in clusters:
        theme = c.members[0][0]
        biggest[theme] = max(biggest.get(theme, 0), len(c.members))
    assert biggest["venue"] == 5
    assert all(biggest.get(theme, 0) >= len(items) - 1 for theme, items in THEMES.items()), biggest


def test_a_higher_threshold_splits_groups():
    loose = cluster(_texts(), threshold=0.3)
    strict = cluster(_texts(), threshold=0.9)
    assert sum(len(c.members) for c in strict) < sum(len(c.members) for c in loose)


def test_a_few_thousand_problems_cluster_fast():
    rng = random.Random(7)
    pool = [text for items in THEMES.values() for text in items]
    prefixes = ["", "部分", "个别", "有的", "少数"]
    texts = {i: rng.choice(prefixes) + rng.choice(pool) + f"（第{i % 97}号）" for i in range(3000)}
    started = time.perf_counter()
    clusters = cluster(texts, threshold=0.5)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, elapsed
    assert len(clusters) >= 5
