from django.shortcuts import get_object_or_404

from .models import Notification


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notifications_of(user):
    return Notification.objects.filter(user=user).select_related("org")


def notification_for(user, pk: int) -> Notification:
    """Another user's message does not exist for this one."""
    return get_object_or_404(Notification.objects.filter(user=user), pk=pk)
