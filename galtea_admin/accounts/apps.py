from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "galtea_admin.accounts"
    verbose_name = "Accounts"
