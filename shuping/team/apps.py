from django.apps import AppConfig


class TeamConfig(AppConfig):
    name = "shuping.team"
    verbose_name = "班子成员与集体责任"

    def ready(self):
        from django.urls import reverse

        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import ORG_PANELS, PERSON_PANELS, Panel, register_campaign_link

        from .demo import build_team_demo
        from .panels import org_team, person_written

        if build_team_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_team_demo)
        if not any(p.context is org_team for p in ORG_PANELS):
            ORG_PANELS.append(Panel("班子成员与一岗双责", "team/_org_team.html", org_team))
        if not any(p.context is person_written for p in PERSON_PANELS):
            PERSON_PANELS.append(Panel("班子成员书面述职", "team/_person_written.html", person_written))
        register_campaign_link("班子成员书面述职", lambda c: reverse("team:written", args=[c.pk]), "campaign.manage")
