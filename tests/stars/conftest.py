import pytest

from shuping.stars import services


@pytest.fixture
def star_set(tree):
    """County A's criteria set for 2026 with the default 六好 criteria, ratings open."""
    criteria_set = services.criteria_set_create(actor=None, organiser=tree.county_a, year=2026)
    services.ratings_open(actor=None, criteria_set=criteria_set)
    return criteria_set


@pytest.fixture
def rating(star_set, tree):
    return star_set.ratings.get(org=tree.village_a1)


def full_scores(criteria_set, fraction="1"):
    from decimal import Decimal

    return {c.pk: (c.max_score * Decimal(fraction)).quantize(Decimal("0.01")) for c in criteria_set.criteria.all()}
