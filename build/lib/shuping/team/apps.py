from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "shuping.team"
    verbose_name = "班子成员与集体责任"

    def ready(self):
        from shuping.core.panels import ORG_PANELS, Panel

        from .panels import org_team

        if not any(p.context is org_team for p in ORG_PANELS):
            ORG_PANELS.append(Panel("班子成员与一岗双责", "team/_org_team.html", org_team))
