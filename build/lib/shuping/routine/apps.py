from django.apps import AppConfig


class RoutineConfig(AppConfig):
    name = "shuping.routine"
    verbose_name = "日常考核"
    nav_items: list[tuple[str, str, str | None]] = [("日常考核", "routine:index", "routine.view")]

    def ready(self):
        from django.urls import reverse

        from shuping.campaigns.services import ROUTINE_SCORE_SOURCES
        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import PERSON_PANELS, Panel, register_campaign_link

        from .demo import build_routine_demo
        from .selectors import campaign_routine_scores
        from .views import person_panel

        if campaign_routine_scores not in ROUTINE_SCORE_SOURCES:
            ROUTINE_SCORE_SOURCES.append(campaign_routine_scores)
        if build_routine_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_routine_demo)
        if not any(p.template == "routine/_person_results.html" for p in PERSON_PANELS):
            PERSON_PANELS.append(Panel("历年考核结果与运用", "routine/_person_results.html", person_panel))
        register_campaign_link("综合评定构成", lambda c: reverse("routine:composition", args=[c.pk]), "campaign.view")
