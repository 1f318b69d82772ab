"""Writes for star ratings: criteria sets, and the rating state machine (all transitions here).

自评 (star.assess, the village) → 审核 (star.approve, township/county) → 公示 → 评定.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import now, today
from shuping.orgs.models import Org, UnitType

from .models import (
    CriteriaSet,
    Criterion,
    NegativeHit,
    NegativeItem,
    NegativeMode,
    Objection,
    Rating,
    RatingScore,
    RatingState,
)

S = RatingState
TWO = Decimal("0.01")
RATED_UNIT_TYPES = (UnitType.VILLAGE, UnitType.COMMUNITY)

# Defaults from common practice (“六好”: 班子强、队伍好、阵地规范、制度落实、服务群众、发展成效).
DEFAULT_CRITERIA = [
    ("C1", "班子强", "书记能力强、班子团结，“三会一课”正常开展", Decimal("20")),
    ("C2", "党员队伍好", "党员教育管理严格，发展党员规范，作用发挥明显", Decimal("15")),
    ("C3", "阵地规范", "党群服务中心功能完善、标识规范、常态开放", Decimal("15")),
    ("C4", "制度落实", "“四议两公开”、主题党日、组织生活会等制度落实到位", Decimal("20")),
    ("C5", "服务群众", "为民办事代办、矛盾纠纷化解，群众满意度高", Decimal("15")),
    ("C6", "发展成效", "村级集体经济增收、乡村振兴重点任务完成好", Decimal("15")),
]
DEFAULT_NEGATIVES = [
    ("N1", "班子成员发生违纪违法问题", 1, None),
    ("N2", "发生重大信访或群体性事件", 1, None),
    ("N3", "发生重大安全生产责任事故", 1, None),
    ("N4", "被确定为软弱涣散党组织", 0, 2),
]


class StarError(ValidationError):
    pass


# ---- the pure rule ------------------------------------------------------------------------


@dataclass(frozen=True)
class StarRule:
    thresholds: tuple[Decimal, Decimal, Decimal, Decimal]  # five, four, three, two stars
    mode: str = NegativeMode.REMOVE


def stars_for_score(total: Decimal, rule: StarRule) -> int:
    """≥ t5 five stars, ≥ t4 four, ≥ t3 three, ≥ t2 two, else one."""
    for stars, threshold in zip((5, 4, 3, 2), rule.thresholds, strict=True):
        if total >= threshold:
            return stars
    return 1


def apply_negative_list(base: int, hits: list[tuple[int, int | None]], rule: StarRule) -> int:
    """`hits` are (stars removed, cap) per negative item hit; never below one star.

    REMOVE: each hit removes its stars, and an item with a cap also caps.
    CAP: each hit caps the rating at its cap (an item without a cap counts as 5 − stars removed).
    """
    stars = base
    for removed, cap in hits:
        if rule.mode == NegativeMode.REMOVE:
            stars -= removed
            if cap is not None:
                stars = min(stars, cap)
        else:
            stars = min(stars, cap if cap is not None else 5 - removed)
    return max(1, min(5, stars))


def rule_for(criteria_set: CriteriaSet) -> StarRule:
    return StarRule(
        thresholds=(criteria_set.threshold_5, criteria_set.threshold_4, criteria_set.threshold_3,
                    criteria_set.threshold_2),
        mode=criteria_set.negative_mode,
    )


# ---- criteria sets -----------------------------------------------------------------------


def _validate_set(criteria_set: CriteriaSet) -> None:
    c = criteria_set
    if not c.threshold_5 > c.threshold_4 > c.threshold_3 > c.threshold_2:
        raise StarError("星级分数线应满足：五星 > 四星 > 三星 > 二星")


@transaction.atomic
def criteria_set_create(*, actor, organiser: Org, year: int) -> CriteriaSet:
    if CriteriaSet.objects.filter(organiser=organiser, year=year).exists():
        raise StarError(f"{organiser.name}{year}年的星级评定标准已存在")
    criteria_set = CriteriaSet.objects.create(organiser=organiser, year=year)
    previous = CriteriaSet.objects.filter(organiser=organiser, year__lt=year).order_by("-year").first()
    if previous is not None:  # carry last year's criteria forward; the organiser edits the differences
        for field in ("threshold_5", "threshold_4", "threshold_3", "threshold_2", "negative_mode", "publicity_days"):
            setattr(criteria_set, field, getattr(previous, field))
        criteria_set.save()
        criteria = [(c.code, c.name, c.guidance, c.max_score) for c in previous.criteria.all()]
        negatives = [(n.code, n.name, n.stars_removed, n.cap) for n in previous.negative_items.all()]
    else:
        criteria, negatives = DEFAULT_CRITERIA, DEFAULT_NEGATIVES
    Criterion.objects.bulk_create([
        Criterion(criteria_set=criteria_set, code=code, name=name, guidance=guidance, max_score=max_score, order=i)
        for i, (code, name, guidance, max_score) in enumerate(criteria)
    ])
    NegativeItem.objects.bulk_create([
        NegativeItem(criteria_set=criteria_set, code=code, name=name, stars_removed=removed, cap=cap, order=i)
        for i, (code, name, removed, cap) in enumerate(negatives)
    ])
    log_action("star.criteria_create", actor=actor, obj=criteria_set, org=organiser, after=snapshot(criteria_set))
    return criteria_set


def _parse_lines(text: str, width: int) -> list[list[str]]:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p.strip() for p in line.replace("｜", "|").split("|")]
        if len(parts) != width:
            raise StarError(f"第{number}行应有{width}栏，用“|”分隔：{line}")
        rows.append(parts)
    return rows


@transaction.atomic
def criteria_set_update(*, actor, criteria_set: CriteriaSet, criteria_text: str | None = None,
                        negatives_text: str | None = None, **fields) -> CriteriaSet:
    """Change thresholds and, as text lines (编码|名称|分值 and 编码|名称|降星数|最高星级), the lists.

    Locked: a set in use by submitted ratings keeps its criteria (scores point at them).
    """
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    before = snapshot(criteria_set)
    before["criteria"] = [f"{c.code}|{c.name}|{c.max_score}" for c in criteria_set.criteria.all()]
    before["negatives"] = [f"{n.code}|{n.name}|{n.stars_removed}|{n.cap or ''}" for n in criteria_set.negative_items.all()]
    for name, value in fields.items():
        if name not in ("threshold_5", "threshold_4", "threshold_3", "threshold_2", "negative_mode", "publicity_days"):
            raise ValueError(f"unknown criteria field {name}")
        setattr(criteria_set, name, value)
    _validate_set(criteria_set)
    criteria_set.full_clean()
    criteria_set.save()
    in_use = criteria_set.ratings.exclude(state=S.DRAFT).exists()
    if criteria_text is not None:
        rows = _parse_lines(criteria_text, 3)
        wanted = [f"{c}|{n}|{Decimal(m)}" for c, n, m in rows] if rows else []
        current = [f"{c.code}|{c.name}|{c.max_score}" for c in criteria_set.criteria.all()]
        if wanted != current:
            if in_use:
                raise StarError("已有单位提交自评，评定内容不能再修改（分数线和负面清单仍可调整）")
            if not rows:
                raise StarError("至少需要一项评定内容")
            RatingScore.objects.filter(criterion__criteria_set=criteria_set).delete()
            criteria_set.criteria.all().delete()
            try:
                Criterion.objects.bulk_create([
                    Criterion(criteria_set=criteria_set, code=c, name=n, max_score=Decimal(m), order=i)
                    for i, (c, n, m) in enumerate(rows)
                ])
            except Exception as exc:
                raise StarError("评定内容格式有误：编码不能重复，分值必须是数字") from exc
    if negatives_text is not None:
        rows = _parse_lines(negatives_text, 4)
        NegativeHit.objects.filter(item__criteria_set=criteria_set).exclude(
            item__code__in=[r[0] for r in rows]).delete()
        criteria_set.negative_items.exclude(code__in=[r[0] for r in rows]).delete()
        for i, (code, name, removed, cap) in enumerate(rows):
            try:
                values = {"name": name, "stars_removed": int(removed or 0), "cap": int(cap) if cap else None, "order": i}
            except ValueError as exc:
                raise StarError(f"负面清单“{name}”的降星数和最高星级必须是整数") from exc
            NegativeItem.objects.update_or_create(criteria_set=criteria_set, code=code, defaults=values)
    after = snapshot(criteria_set)
    after["criteria"] = [f"{c.code}|{c.name}|{c.max_score}" for c in criteria_set.criteria.all()]
    after["negatives"] = [f"{n.code}|{n.name}|{n.stars_removed}|{n.cap or ''}" for n in criteria_set.negative_items.all()]
    if after != before:
        log_action("star.criteria_update", actor=actor, obj=criteria_set, org=criteria_set.organiser,
                   before=before, after=after)
    return criteria_set


def criteria_set_for(org: Org, year: int) -> CriteriaSet | None:
    """The nearest ancestor's set for the year (township first, then county, …)."""
    ancestor_ids = org.ancestor_ids()[:-1]
    sets = {s.organiser_id: s for s in CriteriaSet.objects.filter(organiser_id__in=ancestor_ids, year=year)}
    for ancestor_id in reversed(ancestor_ids):
        if ancestor_id in sets:
            return sets[ancestor_id]
    return None


# ---- ratings ------------------------------------------------------------------------------


@transaction.atomic
def ratings_open(*, actor, criteria_set: CriteriaSet) -> int:
    """Open a draft rating for every village and community under the organiser that has none."""
    orgs = criteria_set.organiser.subtree().filter(unit_type__in=RATED_UNIT_TYPES)
    taken = set(Rating.objects.filter(year=criteria_set.year, org__in=orgs).values_list("org_id", flat=True))
    created = 0
    for org in orgs.exclude(pk__in=taken):
        # A nearer organiser's own set wins over this one.
        if criteria_set_for(org, criteria_set.year) != criteria_set:
            continue
        Rating.objects.create(criteria_set=criteria_set, org=org, year=criteria_set.year)
        created += 1
    if created:
        log_action("star.ratings_open", actor=actor, obj=criteria_set, org=criteria_set.organiser,
                   after={"year": criteria_set.year, "opened": created})
    return created


def _locked(rating: Rating, allowed: tuple[str, ...], action: str) -> Rating:
    # Lock the row: the village editing its self-assessment and the township assessing it
    # (or two approvers) must not interleave; the state is re-checked on the locked copy.
    rating = Rating.objects.select_for_update().select_related("criteria_set", "org").get(pk=rating.pk)
    if rating.state not in allowed:
        raise StarError(f"“{S(rating.state).label}”状态下不能{action}")
    return rating


def _audit(action: str, actor, rating: Rating, before_state: str, **after):
    log_action(f"star.{action}", actor=actor, obj=rating, org=rating.org,
               before={"state": before_state}, after={"state": rating.state, **after})


def _store_scores(rating: Rating, scores: dict[int, Decimal | None], field: str) -> Decimal:
    criteria = {c.pk: c for c in rating.criteria_set.criteria.all()}
    total = Decimal("0")
    for criterion_id, criterion in criteria.items():
        value = scores.get(criterion_id)
        if value is None:
            raise StarError(f"请为“{criterion.name}”打分")
        value = Decimal(value).quantize(TWO, ROUND_HALF_UP)
        if not Decimal("0") <= value <= criterion.max_score:
            raise StarError(f"“{criterion.name}”的得分应在 0 到 {criterion.max_score} 之间")
        RatingScore.objects.update_or_create(rating=rating, criterion=criterion, defaults={field: value})
        total += value
    return total


@transaction.atomic
def rating_self_assess(*, actor, rating: Rating, scores: dict[int, Decimal], note: str = "", submit: bool = False) -> Rating:
    """The village stores its self-assessment; with `submit` it goes to the township for review."""
    rating = _locked(rating, (S.DRAFT, S.RETURNED), "修改自评")
    before = rating.state
    rating.self_total = _store_scores(rating, scores, "self_score")
    rating.self_note = note
    if submit:
        rating.state = S.SUBMITTED
        rating.submitted_at = now()
    rating.save()
    _audit("submit" if submit else "self_assess", actor, rating, before, self_total=rating.self_total)
    return rating


@transaction.atomic
def rating_return(*, actor, rating: Rating, reason: str) -> Rating:
    rating = _locked(rating, (S.SUBMITTED,), "退回")
    if not reason.strip():
        raise StarError("退回必须说明原因")
    before = rating.state
    rating.state = S.RETURNED
    rating.return_reason = reason
    rating.save()
    _audit("return", actor, rating, before, reason=reason)
    return rating


@transaction.atomic
def rating_assess(*, actor, rating: Rating, scores: dict[int, Decimal], negative_hits: dict[int, str],
                  note: str = "") -> Rating:
    """Township/county scores each criterion and ticks the negative list; stars follow from the rule."""
    rating = _locked(rating, (S.SUBMITTED, S.ASSESSED), "审核")
    before = rating.state
    rating.assessed_total = _store_scores(rating, scores, "assessed_score")
    items = {n.pk: n for n in rating.criteria_set.negative_items.all()}
    unknown = set(negative_hits) - set(items)
    if unknown:
        raise StarError("负面清单项目不属于本评定标准")
    rating.negative_hits.exclude(item_id__in=list(negative_hits)).delete()
    for item_id, hit_note in negative_hits.items():
        NegativeHit.objects.update_or_create(rating=rating, item=items[item_id], defaults={"note": hit_note})
    rule = rule_for(rating.criteria_set)
    rating.base_stars = stars_for_score(rating.assessed_total, rule)
    rating.stars = apply_negative_list(
        rating.base_stars, [(items[i].stars_removed, items[i].cap) for i in negative_hits], rule)
    rating.assess_note = note
    rating.state = S.ASSESSED
    rating.save()
    _audit("assess", actor, rating, before, assessed_total=rating.assessed_total, base_stars=rating.base_stars,
           stars=rating.stars, negative=sorted(items[i].code for i in negative_hits))
    return rating


@transaction.atomic
def rating_publicise(*, actor, rating: Rating, start: datetime.date | None = None,
                     end: datetime.date | None = None) -> Rating:
    rating = _locked(rating, (S.ASSESSED,), "公示")
    start = start or today()
    end = end or start + datetime.timedelta(days=max(rating.criteria_set.publicity_days - 1, 0))
    if end < start:
        raise StarError("公示结束日期不能早于开始日期")
    before = rating.state
    rating.state = S.PUBLICISED
    rating.publicity_start, rating.publicity_end = start, end
    rating.save()
    _audit("publicise", actor, rating, before, publicity_start=start, publicity_end=end)
    return rating


@transaction.atomic
def rating_objection(*, actor, rating: Rating, content: str, upheld: bool, handling: str = "") -> Objection:
    """Record an objection in the 公示期; an upheld one sends the rating back for re-assessment."""
    rating = _locked(rating, (S.PUBLICISED,), "登记异议")
    if not content.strip():
        raise StarError("请填写异议内容")
    objection = Objection.objects.create(rating=rating, content=content, received_on=today(), upheld=upheld,
                                         handling=handling, recorded_by=actor if getattr(actor, "pk", None) else None)
    before = rating.state
    if upheld:
        rating.state = S.ASSESSED
        rating.publicity_start = rating.publicity_end = None
        rating.save()
    _audit("objection", actor, rating, before, objection=objection.pk, upheld=upheld)
    return objection


@transaction.atomic
def rating_approve(*, actor, rating: Rating) -> Rating:
    rating = _locked(rating, (S.PUBLICISED,), "审批")
    if rating.publicity_end and today() <= rating.publicity_end:
        raise StarError(f"公示期至 {rating.publicity_end:%Y-%m-%d} 结束，公示期满后才能审批")
    before = rating.state
    rating.state = S.APPROVED
    rating.approved_at = now()
    rating.approved_by = actor if getattr(actor, "pk", None) else None
    rating.save()
    _audit("approve", actor, rating, before, stars=rating.stars)
    return rating
