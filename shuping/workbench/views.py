from itertools import groupby

from django.shortcuts import render

from shuping.accounts.decorators import requires
from shuping.accounts.models import Role

from .selectors import SECTIONS, open_count, request_tasks

SECTION_ORDER = list(SECTIONS)


@requires(None)
def home(request):
    """工作台: the signed-in user's open work, overdue and soonest first, then their roles."""
    scope = request.scope
    tasks = request_tasks(request)
    by_section = {name: list(items) for name, items in groupby(sorted(tasks, key=lambda t: SECTION_ORDER.index(t.section)),
                                                              key=lambda t: t.section)}
    sections = [{"name": name, "heading": SECTIONS[name], "tasks": sorted(by_section[name], key=lambda t: (not t.overdue, t.due is None, t.due))}
                for name in SECTION_ORDER if name in by_section]
    grants_by_role = {}
    for grant in scope.grants:
        grants_by_role.setdefault(grant.get_role_display(), []).append(grant.org)
    return render(request, "workbench/home.html", {
        "sections": sections, "total": open_count(tasks), "overdue": sum(t.count for t in tasks if t.overdue),
        "grants_by_role": grants_by_role, "roots": scope.root_orgs("org.view"),
        "is_superuser": request.user.is_superuser, "is_unit": scope.has("unit.act"), "roles": [Role(r).label for r in scope.roles],
    })
