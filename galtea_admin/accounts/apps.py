from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "galtea_admin.accounts"
    verbose_name = "Accounts"

    def ready(self):
        # Every migrate repairs the roles, so that a newly registered resource joins them.
        post_migrate.connect(repair_roles, sender=self)


def repair_roles(using="default", **kwargs):
    from galtea_admin.accounts.roles import ensure_roles

    ensure_roles()
