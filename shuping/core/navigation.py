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


# url name → drop-down it sits in. Related pages share one drop-down so that the organisation
# department's menu, which holds nearly every page, fits on one line at 1024 px; a drop-down of
# which the user may open only one page shows as that page's plain link.
GROUPS: dict[str, str] = {
    "orgs:tree": "组织人员", "orgs:people": "组织人员",
    "campaigns:list": "述职评议", "meetings:list": "述职评议", "reports:list": "述职评议",
    "rectification:critique_campaigns": "述职评议", "levels:plans": "述职评议",
    "rectification:problems": "整改考核", "units:review": "整改考核", "routine:index": "整改考核",
    "stars:list": "整改考核", "registers:index": "整改考核",
    "accounts:users": "系统管理", "audit:log": "系统管理",
}


# url name → (function(request) → int, title): a count shown as a badge on that menu item (the 工作台
# registers its open-task count). Registered by higher apps so that core imports none of them.
BADGES: dict = {}


def register_badge(url_name: str, count, title: str) -> None:
    BADGES[url_name] = (count, title)


def all_items() -> list[tuple[str, str, str | None]]:
    feature_items = [item for config in apps.get_app_configs() for item in getattr(config, "nav_items", [])]
    return [*FOUNDATION_ITEMS, *feature_items, *ADMIN_ITEMS]


def nav_items(request):
    """The menu as entries: a plain link, or a drop-down ("children") holding two or more links."""
    user = getattr(request, "user", None)  # none on the ballot pages (shuping.core.middleware)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    entries, groups = [], {}
    for label, url_name, permission in all_items():
        if permission is None or request.scope.has(permission):
            url = reverse(url_name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            count, title = BADGES.get(url_name, (None, ""))
            item = {"label": label, "url": url, "active": active, "badge": count(request) if count else 0,
                    "badge_title": title}
            group = GROUPS.get(url_name)
            if group is None:
                entries.append(item)
            elif group in groups:
                groups[group]["children"].append(item)
            else:
                groups[group] = {"label": group, "children": [item]}
                entries.append(groups[group])
    items = []
    for entry in entries:
        children = entry.get("children")
        if children is not None and len(children) == 1:
            entry = children[0]
        elif children is not None:
            entry.update(active=any(c["active"] for c in children), badge=sum(c["badge"] for c in children),
                         badge_title="；".join(c["badge_title"] for c in children if c["badge"]))
        items.append(entry)
    return {"nav_items": items}
