from django.apps import AppConfig


class UsesConfig(AppConfig):
    name = "shuping.uses"
    verbose_name = "考核结果运用细则"

    def ready(self):
        from django.urls import reverse

        from shuping.campaigns.services import AFTER_PUBLISH
        from shuping.core.panels import register_campaign_link

        from .services import after_publish

        if after_publish not in AFTER_PUBLISH:
            AFTER_PUBLISH.append(after_publish)
        register_campaign_link("结果运用", lambda c: reverse("uses:campaign", args=[c.pk]) if c.is_frozen else None,
                               "routine.manage")
