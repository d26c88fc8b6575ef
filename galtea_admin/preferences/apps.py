from django.apps import AppConfig


class PreferencesConfig(AppConfig):
    name = "galtea_admin.preferences"
    verbose_name = "Saved views and table settings"
