from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ListsConfig(AppConfig):
    name = "galtea_admin.lists"
    verbose_name = "Resource pages"

    def ready(self):
        # Each resource app registers itself in its admin.py (as Django's admin does).
        autodiscover_modules("admin")
        # The kinds of job this layer declares (bulk edit and delete), for the workers.
        from galtea_admin.lists import bulk_delete, bulk_edit  # noqa: F401
