from django.apps import AppConfig


class EmulatorConfig(AppConfig):
    name = "galtea_admin.emulator"
    verbose_name = "Galtea API emulator"
