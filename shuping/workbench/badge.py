"""The navigation badge: the count of open tasks, without gathering every task on every page.

Gathering a user's tasks reads every app (about twenty queries). The badge keeps its last count
per user in the database (`BadgeCount`) and reads it back in one query while it is still good:

- the `Generation` value it was computed under is still current — every successful POST, PUT,
  PATCH or DELETE by a signed-in user raises it (`GenerationMiddleware`), so a hand-over, by this
  user or anyone else, is on the next page's badge;
- it was computed today (deadlines turn overdue at midnight) and at most `LIFETIME` ago (work
  changed by a background job or a management command shows within that time).

The store is the database, not Django's cache: a per-process memory cache would go stale when a
province runs several application servers, and the database is the one store they all share.
"""

import datetime

from django.db.models import F, Subquery

from shuping.clock import now, today

from .models import BadgeCount, Generation

LIFETIME = datetime.timedelta(minutes=5)
ROW = 1


def current_generation() -> int:
    value = Generation.objects.filter(pk=ROW).values_list("value", flat=True).first()
    return value if value is not None else Generation.objects.get_or_create(pk=ROW)[0].value


def bump() -> None:
    """Mark every stored badge count as possibly out of date."""
    if not Generation.objects.filter(pk=ROW).update(value=F("value") + 1):
        Generation.objects.get_or_create(pk=ROW, defaults={"value": 1})


def stored_count(user) -> int | None:
    """The user's stored count if it is still good, in one query; None when it must be gathered."""
    current = Generation.objects.filter(pk=ROW).values("value")[:1]
    return (BadgeCount.objects.filter(user=user, generation=Subquery(current), day=today(),
                                      computed_at__gte=now() - LIFETIME)
            .values_list("count", flat=True).first())


def store(user, count: int, generation: int) -> None:
    BadgeCount.objects.bulk_create(
        [BadgeCount(user=user, count=count, generation=generation, day=today(), computed_at=now())],
        update_conflicts=True, unique_fields=["user"], update_fields=["count", "generation", "day", "computed_at"])


def badge_count(request) -> int:
    """The number on the 工作台 menu item."""
    from .selectors import open_count, request_tasks

    if not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_workbench_tasks"):
        count = stored_count(request.user)
        if count is not None:
            return count
    tasks = request_tasks(request)  # the 工作台 page has gathered them already; else gather now
    count = open_count(tasks)
    store(request.user, count, request._workbench_generation)
    return count


class GenerationMiddleware:
    """Raises the generation after every successful state-changing request of a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and response.status_code < 400
                and getattr(request, "user", None) is not None and request.user.is_authenticated):
            bump()
        return response
