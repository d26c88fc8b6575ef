from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "galtea_admin.audit"
    verbose_name = "Activity"
