"""排名分组: each organiser defines how its routine rankings group its units."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from shuping.accounts.decorators import requires
from shuping.core.http import error_text
from shuping.orgs.models import UnitType

from . import selectors, services


def groups_text(organiser) -> str:
    labels = dict(UnitType.choices)
    return "\n".join(f"{name}：{'、'.join(labels[t] for t in sorted(types, key=list(labels).index))}"
                     for name, types in selectors.ranking_groups(organiser))


@requires("routine.view")
def ranking_groups(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    can_manage = request.scope.covers(organiser, "routine.manage")
    text = groups_text(organiser)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        text = request.POST.get("groups", "")
        try:
            services.ranking_groups_set(actor=request.user, organiser=organiser,
                                        groups=services.parse_ranking_groups(text))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "排名分组已保存，月度和季度排名按新分组计算。")
            return redirect("routine:ranking_groups", organiser.pk, year)
    own = organiser.routine_ranking_groups.exists()
    units = [(unit, selectors.group_resolver(organiser)(unit)) for unit in selectors.units(organiser)]
    return render(request, "routine/ranking_groups.html", {
        "organiser": organiser, "year": year, "tab": "groups", "can_manage": can_manage, "text": text, "own": own,
        "units": units, "unit_types": "、".join(label for _v, label in UnitType.choices),
        "years": [year],
    })
