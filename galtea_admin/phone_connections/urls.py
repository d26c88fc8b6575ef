from django.urls import path

from galtea_admin.phone_connections import views

app_name = "phone_connections"

urlpatterns = [
    path("", views.phone_connection_list, name="list"),
    path("<str:connection_id>/", views.phone_connection_detail, name="detail"),
]
