from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render

from shuping.accounts.decorators import public, requires
from shuping.accounts.models import Role


@requires(None)
def home(request):
    scope = request.scope
    grants_by_role = {}
    for grant in scope.grants:
        grants_by_role.setdefault(grant.get_role_display(), []).append(grant.org)
    roots = scope.root_orgs("org.view")
    context = {
        "grants_by_role": grants_by_role,
        "roots": roots,
        "is_superuser": request.user.is_superuser,
        "roles": [Role(r).label for r in scope.roles],
    }
    return render(request, "core/home.html", context)


@public
def healthz(request):
    """For the reverse proxy and monitoring: answers 200 only when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
