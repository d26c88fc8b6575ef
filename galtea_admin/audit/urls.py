from django.urls import path

from galtea_admin.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.activity, name="activity"),
    path("<int:pk>/check/", views.check_change, name="check"),
]
