from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "shuping.meetings"
    verbose_name = "述职评议会"
    nav_items: list[tuple[str, str, str | None]] = [("述职评议会", "meetings:list", "meeting.run")]

    def ready(self):
        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import register_campaign_link

        from .demo import build_meeting_demo
        from .selectors import meeting_url_for_campaign
        from .services import register_guards
        from .voting import connect_layout_signals

        connect_layout_signals()
        register_campaign_link("述职评议会", meeting_url_for_campaign, "meeting.run")
        register_guards()
        if build_meeting_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_meeting_demo)
