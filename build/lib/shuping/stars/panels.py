from .models import Rating
from .services import RATED_UNIT_TYPES


def org_star_history(request, org):
    """Yearly star history on a village or community page, for users who may see star ratings."""
    if org.unit_type not in RATED_UNIT_TYPES:
        return None
    if not (request.scope.covers(org, "star.assess") or request.scope.covers(org, "star.approve")):
        return None
    return Rating.objects.filter(org=org).order_by("-year")
