"""The main menu: label, URL name, and the permission that makes it appear.

Foundation items are listed here; each feature app declares its own on its AppConfig
(`nav_items = [("述职评议", "campaigns:list", "campaign.view")]`), shown in INSTALLED_APPS order.
"""

from django.apps import apps
from django.urls import reverse

FOUNDATION_ITEMS: list[tuple[str, str, str | None]] = [
    ("工作台", "home", None),
    ("组织", "orgs:tree", "org.view"),
    ("人员", "orgs:people", "person.view"),
]
ADMIN_ITEMS: list[tuple[str, str, str | None]] = [
    ("用户", "accounts:users", "user.manage"),
    ("审计", "audit:log", "audit.view"),
]


# url name → (function(request) → int, title): a count shown as a badge on that menu item (the 工作台
# registers its open-task count). Registered by higher apps so that core imports none of them.
BADGES: dict = {}


def register_badge(url_name: str, count, title: str) -> None:
    BADGES[url_name] = (count, title)


def all_items() -> list[tuple[str, str, str | None]]:
    feature_items = [item for config in apps.get_app_configs() for item in getattr(config, "nav_items", [])]
    return [*FOUNDATION_ITEMS, *feature_items, *ADMIN_ITEMS]


def nav_items(request):
    user = getattr(request, "user", None)  # none on the ballot pages (shuping.core.middleware)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, permission in all_items():
        if permission is None or request.scope.has(permission):
            url = reverse(url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            count, title = BADGES.get(url_name, (None, ""))
            items.append({"label": label, "url": url, "active": active, "badge": count(request) if count else 0,
                          "badge_title": title})
    return {"nav_items": items}
