"""Reads of star ratings, always starting from the user's scope (outside it: 404)."""

from django.db.models import Count
from django.shortcuts import get_object_or_404

from shuping.clock import short_date
from shuping.orgs.models import Org

from .models import CriteriaSet, Rating

STAR_PERMS = ("star.assess", "star.approve")


def visible_ratings(scope):
    paths = sorted({p for perm in STAR_PERMS for p in scope.paths(perm)})
    if not paths:
        return Rating.objects.none()
    return Rating.objects.filter(org__in=Org.objects.within_any(paths).values("pk")).select_related(
        "org", "org__parent", "criteria_set")


def rating_for(scope, pk: int) -> Rating:
    return get_object_or_404(visible_ratings(scope), pk=pk)


def managed_criteria_sets(scope):
    return CriteriaSet.objects.filter(
        organiser__in=scope.orgs("star.approve").values("pk")).select_related("organiser").annotate(
        n_ratings=Count("ratings"))


def criteria_set_for(scope, pk: int) -> CriteriaSet:
    return get_object_or_404(managed_criteria_sets(scope), pk=pk)


def organiser_choices(scope):
    """Orgs in the approve scope that rate villages below them (county, township, street, park)."""
    return scope.orgs("star.approve").filter(
        unit_type__in=("prefecture", "county", "township", "street", "park")).order_by("path")


def star_counts(ratings) -> dict[int, int]:
    """Approved ratings per star level (1..5)."""
    rows = ratings.filter(state="approved").values("stars").annotate(n=Count("pk")).order_by()
    counts = dict.fromkeys(range(5, 0, -1), 0)
    for row in rows:
        counts[row["stars"]] = row["n"]
    return counts


def history_for(org: Org):
    return Rating.objects.filter(org=org).order_by("-year")


EXPORT_HEADERS = ["年度", "上级组织", "村（社区）党组织", "组织编码", "状态", "自评得分", "审核得分",
                  "按分数星级", "负面清单", "评定星级", "公示期", "评定时间"]


def export_rows(ratings):
    ratings = ratings.prefetch_related("negative_hits__item").order_by("org__path")
    for r in ratings:
        yield [
            r.year, r.org.parent.name if r.org.parent else "", r.org.name, r.org.code, r.get_state_display(),
            r.self_total, r.assessed_total, r.base_stars, "；".join(h.item.name for h in r.negative_hits.all()),
            r.stars, f"{r.publicity_start:%Y-%m-%d} 至 {r.publicity_end:%Y-%m-%d}" if r.publicity_start else "",
            short_date(r.approved_at),
        ]
