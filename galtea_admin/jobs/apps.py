from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "galtea_admin.jobs"
    verbose_name = "Background jobs"
