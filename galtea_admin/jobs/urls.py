from django.urls import path

from galtea_admin.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    # A str, not an int: the activity log links records to their job as it does entities.
    path("<str:job_id>/", views.job_detail, name="detail"),
    path("<str:job_id>/cancel/", views.job_cancel, name="cancel"),
    path("<str:job_id>/resume/", views.job_resume, name="resume"),
    path("<str:job_id>/report.csv", views.job_report_csv, name="report_csv"),
]
