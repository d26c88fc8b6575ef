from django.apps import AppConfig


class PhoneConnectionsConfig(AppConfig):
    name = "galtea_admin.phone_connections"
    verbose_name = "Phone connections"
