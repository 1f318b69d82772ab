from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from shuping.orgs.models import Org

from . import services
from .decorators import requires
from .forms import UserGrantForm
from .models import RoleGrant


def _grants_in_scope(request):
    return RoleGrant.objects.filter(org__in=Org.objects.within_any(request.scope.paths("user.manage")))


@requires("user.manage")
@require_http_methods(["GET", "POST"])
def users(request):
    orgs = request.scope.orgs("user.manage").order_by("path")
    form = UserGrantForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if data["existing"]:
                    user = get_user_model().objects.get(username=data["username"])
                else:
                    user = services.user_create(actor=request.user, username=data["username"],
                                                full_name=data["full_name"], password=data["password"])
                services.role_grant(actor=request.user, user=user, role=data["role"], org=data["org"])
        except ValidationError as exc:
            form.add_error("password" if not data["existing"] else None, exc.messages)
        else:
            messages.success(request, f"已授予 {user.first_name or user.username} “{dict(form.fields['role'].choices)[data['role']]}”角色")
            return redirect("accounts:users")
    grants = _grants_in_scope(request).select_related("user", "org").order_by("org__path", "user__username")[:500]
    return render(request, "accounts/users.html", {"form": form, "grants": grants})


@requires("user.manage")
@require_POST
def revoke(request, pk):
    grant = get_object_or_404(_grants_in_scope(request), pk=pk)
    if grant.user_id == request.user.pk and grant.role == "admin":
        messages.error(request, "不能撤销自己的管理员角色")
    else:
        services.role_revoke(actor=request.user, grant=grant)
        messages.success(request, "已撤销授权")
    return redirect("accounts:users")
