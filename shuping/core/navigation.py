"""The main menu: label, URL name, and the permission that makes it appear."""

from django.urls import reverse

NAV_ITEMS: list[tuple[str, str, str | None]] = [
    ("首页", "home", None),
    ("组织", "orgs:tree", "org.view"),
    ("人员", "orgs:people", "person.view"),
    ("用户", "accounts:users", "user.manage"),
    ("审计", "audit:log", "audit.view"),
]


def nav_items(request):
    if not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, permission in NAV_ITEMS:
        if permission is None or request.scope.has(permission):
            url = reverse(url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
