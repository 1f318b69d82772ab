import datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time

from shuping.audit.models import AuditEntry
from shuping.stars import services
from shuping.stars.models import Rating, RatingState

from .conftest import full_scores

S = RatingState


def _assessed(rating, star_set, fraction="0.92", hits=None):
    rating = services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set, "0.95"), submit=True)
    return services.rating_assess(actor=None, rating=rating, scores=full_scores(star_set, fraction),
                                  negative_hits=hits or {})


def test_ratings_open_for_every_village_once(star_set, tree):
    assert set(star_set.ratings.values_list("org__code", flat=True)) == {"A-1-1"}
    assert services.ratings_open(actor=None, criteria_set=star_set) == 0


def test_default_criteria_are_the_six_goods_summing_to_100(star_set):
    assert [c.name for c in star_set.criteria.all()] == ["班子强", "党员队伍好", "阵地规范", "制度落实", "服务群众", "发展成效"]
    assert star_set.full_score == Decimal("100")


def test_full_workflow_to_approval_is_audited(rating, star_set):
    with freeze_time("2026-12-01"):
        rating = services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set, "0.9"))
        assert rating.state == S.DRAFT and rating.self_total == Decimal("90.00")
        rating = services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set, "0.9"), submit=True)
        assert rating.state == S.SUBMITTED
        rating = services.rating_assess(actor=None, rating=rating, scores=full_scores(star_set, "0.85"), negative_hits={})
        assert (rating.state, rating.assessed_total, rating.stars) == (S.ASSESSED, Decimal("85.00"), 4)
        rating = services.rating_publicise(actor=None, rating=rating)
        assert rating.publicity_end == datetime.date(2026, 12, 5)
        with pytest.raises(services.StarError, match="公示期"):
            services.rating_approve(actor=None, rating=rating)
    with freeze_time("2026-12-06"):
        rating = services.rating_approve(actor=None, rating=rating)
    assert rating.state == S.APPROVED
    actions = list(AuditEntry.objects.filter(object_type="stars.rating", object_id=str(rating.pk)).order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["star.self_assess", "star.submit", "star.assess", "star.publicise", "star.approve"]


def test_negative_hit_removes_a_star(rating, star_set):
    item = star_set.negative_items.get(code="N1")
    rating = _assessed(rating, star_set, "0.95", {item.pk: "班子成员受党纪处分"})
    assert (rating.base_stars, rating.stars) == (5, 4)
    assert rating.negative_hits.get().note == "班子成员受党纪处分"


def test_soft_and_lax_caps_at_two_stars(rating, star_set):
    item = star_set.negative_items.get(code="N4")
    rating = _assessed(rating, star_set, "0.95", {item.pk: ""})
    assert rating.stars == 2


def test_return_sends_back_for_self_assessment_and_needs_a_reason(rating, star_set):
    rating = services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set), submit=True)
    with pytest.raises(services.StarError):
        services.rating_return(actor=None, rating=rating, reason=" ")
    rating = services.rating_return(actor=None, rating=rating, reason="缺少佐证")
    assert rating.state == S.RETURNED
    rating = services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set), submit=True)
    assert rating.state == S.SUBMITTED


def test_transitions_out_of_order_are_refused(rating, star_set):
    with pytest.raises(services.StarError):
        services.rating_publicise(actor=None, rating=rating)
    with pytest.raises(services.StarError):
        services.rating_approve(actor=None, rating=rating)
    with pytest.raises(services.StarError):
        services.rating_assess(actor=None, rating=rating, scores=full_scores(star_set), negative_hits={})
    rating = _assessed(rating, star_set)
    with pytest.raises(services.StarError, match="不能修改自评"):
        services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set))


def test_a_stale_copy_cannot_skip_the_state_check(rating, star_set):
    stale = Rating.objects.get(pk=rating.pk)
    _assessed(rating, star_set)
    with pytest.raises(services.StarError):
        services.rating_self_assess(actor=None, rating=stale, scores=full_scores(star_set), submit=True)


def test_scores_outside_range_or_missing_are_refused(rating, star_set):
    scores = full_scores(star_set)
    first = next(iter(scores))
    with pytest.raises(services.StarError, match="之间"):
        services.rating_self_assess(actor=None, rating=rating, scores={**scores, first: Decimal("999")})
    with pytest.raises(services.StarError, match="请为"):
        services.rating_self_assess(actor=None, rating=rating, scores={**scores, first: None})


def test_upheld_objection_reopens_assessment(rating, star_set):
    rating = services.rating_publicise(actor=None, rating=_assessed(rating, star_set))
    services.rating_objection(actor=None, rating=rating, content="群众反映阵地长期不开放", upheld=False)
    rating.refresh_from_db()
    assert rating.state == S.PUBLICISED
    services.rating_objection(actor=None, rating=rating, content="经核实确有信访事项", upheld=True)
    rating.refresh_from_db()
    assert rating.state == S.ASSESSED and rating.publicity_start is None
    assert rating.objections.count() == 2


def test_configured_thresholds_change_the_result(rating, star_set):
    services.criteria_set_update(actor=None, criteria_set=star_set, threshold_5=Decimal("96"), threshold_4=Decimal("85"),
                                 threshold_3=Decimal("70"), threshold_2=Decimal("60"))
    rating = _assessed(rating, star_set, "0.95")
    assert rating.stars == 4


def test_thresholds_must_descend(star_set):
    with pytest.raises(services.StarError):
        services.criteria_set_update(actor=None, criteria_set=star_set, threshold_4=Decimal("95"))


def test_criteria_text_is_locked_once_a_village_submitted(rating, star_set):
    services.criteria_set_update(actor=None, criteria_set=star_set, criteria_text="K1|班子强|60\nK2|服务群众|40")
    assert star_set.full_score == Decimal("100") and star_set.criteria.count() == 2
    services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set), submit=True)
    with pytest.raises(services.StarError, match="不能再修改"):
        services.criteria_set_update(actor=None, criteria_set=star_set, criteria_text="K1|班子强|100")
    services.criteria_set_update(actor=None, criteria_set=star_set,
                                 negatives_text="N1|发生违纪违法|2|\nN9|重大信访|1|3")
    assert list(star_set.negative_items.values_list("code", "stars_removed", "cap")) == [("N1", 2, None), ("N9", 1, 3)]


def test_nearest_organiser_set_applies(tree, star_set):
    town_set = services.criteria_set_create(actor=None, organiser=tree.town_a1, year=2026)
    assert services.criteria_set_for(tree.village_a1, 2026) == town_set
    assert services.criteria_set_for(tree.village_a1, 2025) is None
