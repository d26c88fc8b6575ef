from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "galtea_admin.calls"
    verbose_name = "Sessions (calls)"
