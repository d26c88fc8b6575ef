from django.contrib import admin

from galtea_admin.audit.models import ChangeRecord


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only: the history is written by the admin's pages, never edited by hand."""

    list_display = (
        "created_at",
        "username",
        "action",
        "object_type",
        "object_label",
        "product_name",
    )
    list_filter = ("action", "object_type", "created_at")
    search_fields = ("username", "object_id", "object_label", "product_name")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
