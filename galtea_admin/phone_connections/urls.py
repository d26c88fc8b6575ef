from django.urls import path, re_path

from galtea_admin.phone_connections import views

app_name = "phone_connections"

urlpatterns = [
    path("", views.phone_connection_list, name="list"),
    path("new/", views.phone_connection_create, name="create"),
    path("bulk-delete/", views.phone_connection_bulk_delete, name="bulk_delete"),
    path("check-number/", views.check_phone_number, name="check_number"),
    re_path(r"^export\.(?P<extension>csv|json)$", views.phone_connection_export, name="export"),
    path("<str:connection_id>/", views.phone_connection_detail, name="detail"),
    path("<str:connection_id>/edit/", views.phone_connection_update, name="update"),
    path("<str:connection_id>/delete/", views.phone_connection_delete, name="delete"),
]
