from django.apps import AppConfig


class VersionsConfig(AppConfig):
    name = "galtea_admin.versions"
    verbose_name = "Versions"
