"""Writes for notifications: create (idempotently), mark read, and deliver beyond the browser."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shuping.clock import now

from . import channels
from .models import ContactSetting, Delivery, DeliveryStatus, Notification

logger = logging.getLogger("shuping.notifications")


def _display(user) -> str:
    return user.first_name or user.get_username()


@transaction.atomic
def notify(*, users, kind: str, title: str, body: str = "", url: str = "", org=None, audit_seq=None,
           dedupe_key: str = "", exclude=None) -> list[Notification]:
    """One message per user (the actor who caused it excluded); a repeated dedupe_key is skipped."""
    created = []
    skip = getattr(exclude, "pk", None)
    for user in {u.pk: u for u in users}.values():
        if user.pk == skip:
            continue
        try:
            with transaction.atomic():
                created.append(Notification.objects.create(
                    user=user, kind=kind, title=title[:200], body=body, url=url, org=org, audit_seq=audit_seq,
                    dedupe_key=dedupe_key, created_at=now()))
        except IntegrityError:
            continue  # already told (same dedupe_key)
    _enqueue(created)
    return created


def _enqueue(notifications: list[Notification]) -> None:
    if not notifications:
        return
    active = channels.configured()
    contacts = {c.user_id: c for c in ContactSetting.objects.filter(user__in=[n.user_id for n in notifications])}
    rows = [Delivery(notification=n, channel=channel.name) for n in notifications for channel in active
            if channel.reaches(n.user, contacts.get(n.user_id))]
    Delivery.objects.bulk_create(rows)
    inline = [c.name for c in active if c.inline]
    if inline:
        ids = [n.pk for n in notifications]
        transaction.on_commit(lambda: deliver_pending(channel_names=inline, notification_ids=ids))


def _message(delivery: Delivery) -> channels.OutgoingMessage:
    notification = delivery.notification
    contact = ContactSetting.objects.filter(user_id=notification.user_id).first()
    url = notification.url
    if url.startswith("/") and settings.SHUPING_SITE_URL:
        url = settings.SHUPING_SITE_URL.rstrip("/") + url
    return channels.OutgoingMessage(title=notification.title, body=notification.body, url=url,
                                    recipient=_display(notification.user), mobile=contact.mobile if contact else "")


def deliver_pending(*, channel_names=None, notification_ids=None, limit: int = 200) -> dict[str, int]:
    """Send waiting deliveries; a task-queue job or `shuping deliver-notifications` calls this.

    Each delivery is claimed under a row lock that other workers skip, so two workers running at
    once never send the same message twice. Failures are retried up to SHUPING_NOTIFY_MAX_ATTEMPTS.
    """
    counts = {"sent": 0, "failed": 0}
    active = {c.name: c for c in channels.configured()}
    names = [n for n in (channel_names or active) if n in active]
    tried: list[int] = []  # one attempt per delivery per run; later runs retry failures
    while True:
        with transaction.atomic():
            queryset = Delivery.objects.filter(channel__in=names, attempts__lt=settings.SHUPING_NOTIFY_MAX_ATTEMPTS,
                                               status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED))
            if notification_ids is not None:
                queryset = queryset.filter(notification_id__in=notification_ids)
            queryset = queryset.exclude(pk__in=tried)
            delivery = (queryset.select_for_update(skip_locked=True, of=("self",)).select_related("notification__user")
                        .order_by("pk").first())
            if delivery is None or counts["sent"] + counts["failed"] >= limit:
                return counts
            tried.append(delivery.pk)
            delivery.attempts += 1
            try:
                active[delivery.channel].send(_message(delivery))
            except channels.DeliveryError as exc:
                delivery.status, delivery.last_error = DeliveryStatus.FAILED, str(exc)[:500]
                counts["failed"] += 1
                logger.warning("通知发送失败（%s，第%d次）：%s", delivery.channel, delivery.attempts, exc)
            else:
                delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now(), ""
                counts["sent"] += 1
            delivery.save(update_fields=["status", "attempts", "last_error", "sent_at"])


# Reading state is the user's own bookkeeping, not a business state change: it is not audited.


def mark_read(*, user, notification: Notification) -> None:
    Notification.objects.filter(pk=notification.pk, user=user, read_at__isnull=True).update(read_at=now())


def mark_all_read(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now())


def contact_save(*, user, mobile: str, sms_enabled: bool) -> ContactSetting:
    mobile = (mobile or "").strip()
    # Checked whenever one is given, not only with SMS on: the column holds 20 characters.
    if (sms_enabled or mobile) and not (mobile.isdigit() and len(mobile) == 11 and mobile.startswith("1")):
        raise ValidationError("请填写11位手机号码")
    setting, _ = ContactSetting.objects.update_or_create(user=user, defaults={"mobile": mobile,
                                                                             "sms_enabled": sms_enabled})
    return setting


def notify_deadlines(*, day=None, days: int = 3) -> int:
    """整改 and 责任清单 deadlines `days` ahead: tell the unit once per item and deadline."""
    import datetime

    from django.urls import reverse

    from shuping.clock import today
    from shuping.rectification.models import Rectification, Status
    from shuping.routine.models import ResponsibilityItem

    from .recipients import unit_users

    day = day or today()
    target = day + datetime.timedelta(days=days)
    count = 0
    rects = Rectification.objects.filter(deadline=target, problem__isnull=False).exclude(
        status__in=(Status.CLOSED, Status.PENDING)).select_related("org", "problem")
    for rect in rects:
        count += len(notify(users=unit_users(rect.org), kind="deadline", title=f"整改时限还有{days}天（{target:%m月%d日}）",
                            body=str(rect.problem), url=reverse("rectification:problem", args=[rect.problem_id]),
                            org=rect.org, dedupe_key=f"rect:{rect.pk}:{target}"))
    for item in ResponsibilityItem.objects.filter(deadline=target).select_related("org").prefetch_related("progress"):
        if item.completion >= 100:
            continue
        count += len(notify(users=unit_users(item.org), kind="deadline",
                            title=f"责任清单事项还有{days}天到期（{target:%m月%d日}）", body=item.task,
                            url=reverse("units:responsibility", args=[item.pk]), org=item.org,
                            dedupe_key=f"duty:{item.pk}:{target}"))
    return count
