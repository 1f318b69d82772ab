"""Round 6 of textcheck on real texts (issue 17): grouped cross-validation on dev as the estimate for new text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from textcheck import practices as P

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import textcheck_train_practices as trainer  # noqa: E402


def test_a_source_line_gives_its_publishing_site():
    assert trainer.source_site("https://m.news.wmxa.cn/a/1.html") == "wmxa.cn"
    assert trainer.source_site("http://www.zjdj.com.cn/x") == "zjdj.com.cn"
    assert trainer.source_site("zjrb.zjol.com.cn/html/2020") == "zjol.com.cn"
    assert trainer.source_site("http://www.ybsqxw.cn:80/p") == "ybsqxw.cn"
    assert trainer.source_site("/work/shared/seeds/000.txt（项目种子材料）") == "seed"


def test_site_folds_keep_a_site_together_and_round_folds_a_round():
    docs = [{"site": s, "round": r, "synthetic": s == "synthetic"} for s, r in
            [("a.cn", 2), ("a.cn", 3), ("b.cn", 3), ("c.cn", 4), ("synthetic", 2), ("d.cn", 5), ("e.cn", 5)]]
    folds = trainer.cv_folds(docs, "site")
    where = {i: k for k, f in enumerate(folds) for i in f}
    assert where[0] == where[1] and 4 not in where  # one site in one fold; synthetic texts only train
    assert sorted(map(sorted, trainer.cv_folds(docs, "round"))) == [[0], [1, 2], [3], [5, 6]]


def test_exclusions_are_taken_out_for_a_fold_and_put_back():
    alts = trainer._alternatives(P._NOT_NAME_RE.pattern)
    assert "|".join(alts) == P._NOT_NAME_RE.pattern and "暨" in alts
    saved = (P.SLOGANS, P._NOT_NAME_RE)
    with trainer.rules_without({"lexicon": {"两学一做"}, "not_name": {"暨"}}):
        assert "两学一做" not in P.SLOGANS and not P._NOT_NAME_RE.search("表彰暨总结")
        text = "深入开展“两学一做”学习教育。"
        names = [p["text"] for p in P.find_practices(text, P.find_quotes(text), model=None)]
        assert names == ["两学一做"]  # without the entry the numeral rule accepts it: the lexicon was doing the work
    assert saved == (P.SLOGANS, P._NOT_NAME_RE) and re.search("暨", P._NOT_NAME_RE.pattern)
