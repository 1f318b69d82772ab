"""Demo step: star ratings of 清河县 villages, last year approved and this year in every state."""

import datetime
from decimal import Decimal

from shuping.clock import today
from shuping.orgs.models import Org

from . import services
from .models import CriteriaSet, Rating, RatingState

S = RatingState
ACTOR = "演示数据"


def _scores(rating, rng, base: int):
    return {c.pk: min(c.max_score, (c.max_score * Decimal(base + rng.randint(-6, 6)) / 100).quantize(Decimal("0.5")))
            for c in rating.criteria_set.criteria.all()}


def _advance(rating, target, rng, base, *, negatives=(), past=False):
    """Walk one rating through the real services up to `target`."""
    if rating.state == target:
        return
    rating = services.rating_self_assess(actor=ACTOR, rating=rating, scores=_scores(rating, rng, base + 3),
                                         note="对照“六好”标准逐项自评，佐证材料已上传村务公开栏。",
                                         submit=target != S.DRAFT)
    if target in (S.DRAFT, S.SUBMITTED):
        return
    if target == S.RETURNED:
        services.rating_return(actor=ACTOR, rating=rating, reason="自评分偏高，阵地规范项缺少佐证材料，请补充后重新提交。")
        return
    items = {n.code: n.pk for n in rating.criteria_set.negative_items.all()}
    rating = services.rating_assess(actor=ACTOR, rating=rating, scores=_scores(rating, rng, base),
                                    negative_hits={items[code]: "经镇党委核实" for code in negatives},
                                    note="经实地查看、查阅台账，审核如下。")
    if target == S.ASSESSED:
        return
    start = today() - datetime.timedelta(days=10) if past and target == S.APPROVED else today()
    rating = services.rating_publicise(actor=ACTOR, rating=rating, start=start,
                                       end=start + datetime.timedelta(days=4))
    if target == S.APPROVED:
        services.rating_approve(actor=ACTOR, rating=rating)


def build_stars_demo(context) -> None:
    county, rng = context.county, context.rng
    year = today().year
    for y in (year - 1, year):
        if not CriteriaSet.objects.filter(organiser=county, year=y).exists():
            services.criteria_set_create(actor=ACTOR, organiser=county, year=y)
    last_set = CriteriaSet.objects.get(organiser=county, year=year - 1)
    this_set = CriteriaSet.objects.get(organiser=county, year=year)
    services.ratings_open(actor=ACTOR, criteria_set=last_set)
    services.ratings_open(actor=ACTOR, criteria_set=this_set)
    villages = list(Org.objects.filter(code__regex=r"^QH-T0[1-4]-V").order_by("code"))
    # Last year: every village of four townships approved, a spread of star levels.
    for index, village in enumerate(villages):
        rating = Rating.objects.get(org=village, year=year - 1)
        base = [93, 86, 78, 72, 64, 55][index % 6]
        _advance(rating, S.APPROVED, rng, base, negatives=("N2",) if index % 11 == 5 else (), past=True)
    # This year, 城关镇 (QH-T01) villages in every state of the workflow.
    plan = [S.APPROVED, S.APPROVED, S.APPROVED, S.PUBLICISED, S.PUBLICISED, S.ASSESSED, S.ASSESSED,
            S.SUBMITTED, S.SUBMITTED, S.RETURNED, S.DRAFT]
    for index, (village, target) in enumerate(zip([v for v in villages if v.code.startswith("QH-T01-")], plan,
                                                  strict=False)):
        rating = Rating.objects.get(org=village, year=year)
        if rating.state != S.DRAFT:
            continue  # idempotent: already walked on a previous run
        negatives = ("N1",) if index == 2 else ()
        _advance(rating, target, rng, [95, 88, 74, 91, 83, 79, 66, 85, 80, 90, 70][index], negatives=negatives,
                 past=True)
