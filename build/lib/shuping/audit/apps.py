from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shuping.audit"
    verbose_name = "审计日志"
