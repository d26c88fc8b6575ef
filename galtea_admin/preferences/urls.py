from django.urls import path

from galtea_admin.preferences import views

app_name = "preferences"

urlpatterns = [
    path("<slug:list_name>/saved-views/", views.saved_view_create, name="save_view"),
    path("saved-views/<int:view_id>/delete/", views.saved_view_delete, name="delete_view"),
    path("saved-views/undo/", views.saved_view_undo, name="undo_delete_view"),
    path("<slug:list_name>/columns/", views.table_columns, name="columns"),
    path("theme/", views.theme_choose, name="theme"),
]
