from django.apps import AppConfig


class StarsConfig(AppConfig):
    name = "shuping.stars"
    verbose_name = "星级评定"
    # Villages self-assess (star.assess), townships and counties review (star.approve): both see the list.
    nav_items: list[tuple[str, str, str | None]] = [
        ("星级评定", "stars:list", "star.approve"),
        ("星级自评", "stars:list", "star.assess"),
    ]

    def ready(self):
        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import ORG_PANELS, Panel

        from .demo import build_stars_demo
        from .panels import org_star_history

        if build_stars_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_stars_demo)
        if not any(p.context is org_star_history for p in ORG_PANELS):
            ORG_PANELS.append(Panel("星级评定（历年）", "stars/_history.html", org_star_history))
