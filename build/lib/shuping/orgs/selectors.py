"""Reads of orgs and people, always starting from the user's scope."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from .models import Org, Person


def visible_orgs(scope, permission: str = "org.view"):
    return scope.orgs(permission)


def org_for(scope, pk: int, permission: str = "org.view") -> Org:
    return get_object_or_404(visible_orgs(scope, permission).select_related("parent", "secretary"), pk=pk)


def search_orgs(scope, query: str, limit: int = 50):
    query = (query or "").strip()
    if not query:
        return Org.objects.none()
    return visible_orgs(scope).filter(Q(name__icontains=query) | Q(code__iexact=query)).order_by("depth", "path")[:limit]


def visible_people(scope, permission: str = "person.view"):
    paths = scope.paths(permission)
    org_ids = Org.objects.within_any(paths).values("pk")
    return Person.objects.filter(memberships__org__in=org_ids).distinct()


def person_for(scope, pk: int, permission: str = "person.view") -> Person:
    return get_object_or_404(visible_people(scope, permission), pk=pk)


def manages_person(scope, person: Person) -> bool:
    """Full phone numbers and edits are for those who manage one of the person's orgs."""
    return any(scope.covers(org, "person.manage") for org in person.orgs.all())
