from django.apps import AppConfig


class LevelsConfig(AppConfig):
    name = "shuping.levels"
    verbose_name = "三级联述联评联考"
    nav_items: list[tuple[str, str, str | None]] = [("三级联动", "levels:plans", "campaign.view")]

    def ready(self):
        from django.urls import reverse

        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import register_campaign_link, register_campaign_result_panel

        from .demo import build_levels_demo
        from .selectors import delegate_speeches, node_of
        from .services import register_guards

        register_guards()
        if build_levels_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_levels_demo)

        def level_url(campaign):
            node = node_of(campaign)
            return reverse("levels:node", args=[node.pk]) if node else None

        register_campaign_link("三级联动", level_url, "campaign.view")
        register_campaign_link("点评讲话", lambda c: reverse("levels:speech", args=[c.pk]), "critique.write")

        def superior_critiques(request, campaign):
            # Results page: shown with the results, i.e. to whoever may see the results at all.
            if not campaign.is_frozen and not request.scope.covers(campaign.organiser, "campaign.view"):
                return None
            entries = delegate_speeches(campaign)
            return {"entries": entries} if entries else None

        register_campaign_result_panel("上级点评", "levels/_superior_critiques.html", superior_critiques)
