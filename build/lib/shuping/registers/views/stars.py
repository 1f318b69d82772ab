"""星级 criteria that read the register: which fact, which threshold."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from shuping.accounts.decorators import requires
from shuping.core.http import error_text
from shuping.stars.models import CriteriaSet, Criterion

from .. import selectors, services
from ..models import Fact, StarFactRule


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def star_rules(request, pk):
    criteria_set = get_object_or_404(CriteriaSet.objects.select_related("organiser"), pk=pk)
    request.scope.require(criteria_set.organiser, "register.confirm")
    if request.method == "POST":
        criterion = get_object_or_404(Criterion, pk=request.POST.get("criterion") or 0, criteria_set=criteria_set)
        fact = Fact.objects.filter(pk=request.POST.get("fact") or 0).first()
        try:
            raw = (request.POST.get("threshold") or "").strip()
            threshold = Decimal(raw) if raw else None
            services.star_rule_set(actor=request.user, criterion=criterion, fact=fact, threshold=threshold)
        except InvalidOperation:
            messages.error(request, "达标值应为数字")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"“{criterion.name}”已{'设置为按台账自动评定' if fact else '改为人工评定'}")
        return redirect("registers:star_rules", criteria_set.pk)
    rules = {r.criterion_id: r for r in StarFactRule.objects.filter(criterion__criteria_set=criteria_set)}
    return render(request, "registers/star_rules.html", {
        "criteria_set": criteria_set, "facts": selectors.active_facts(),
        "rows": [(c, rules.get(c.pk)) for c in criteria_set.criteria.all()],
    })
