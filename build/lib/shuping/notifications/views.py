from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.core.http import error_text

from . import selectors, services
from .models import ContactSetting


@requires(None)
def notification_list(request):
    queryset = selectors.notifications_of(request.user)
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    page = Paginator(queryset, 30).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page, "unread_only": unread_only, "unread": selectors.unread_count(request.user),
        "contact": ContactSetting.objects.filter(user=request.user).first()})


@requires(None)
@require_POST
def notification_open(request, pk):
    """Mark one message read and go where the work is."""
    notification = selectors.notification_for(request.user, pk)
    services.mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect(notification.url)
    return redirect("notifications:list")


@requires(None)
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读")
    return redirect("notifications:list")


@requires(None)
@require_POST
def contact(request):
    try:
        services.contact_save(user=request.user, mobile=request.POST.get("mobile", ""),
                              sms_enabled=request.POST.get("sms_enabled") == "1")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "提醒设置已保存")
    return redirect("notifications:list")
