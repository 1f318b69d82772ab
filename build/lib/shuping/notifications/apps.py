from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """站内消息: a message to each user a piece of work is handed to, plus delivery beyond the browser.

    Top floor: hand-overs are read from the audit log (every state change writes one entry), so
    the apps that change state need not know this app exists.
    """

    name = "shuping.notifications"
    verbose_name = "站内消息"
    nav_items: list[tuple[str, str, str | None]] = [("消息", "notifications:list", None)]

    def ready(self):
        from django.db.models.signals import post_save

        from shuping.audit.models import AuditEntry
        from shuping.core.navigation import register_badge

        from .handlers import on_audit_entry
        from .selectors import unread_count

        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="notifications.on_audit_entry")
        register_badge("notifications:list", lambda request: unread_count(request.user), "未读消息")
