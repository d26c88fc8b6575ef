"""URL configuration of Galtea Admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, reverse

from galtea_admin.accounts.views import SignInView
from galtea_admin.lists.registry import site


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (Django's admin)."""
    return redirect(static("img/favicon.svg"), permanent=True)


def home(request):
    """The first list the person may see (the activity page when they may see none)."""
    pages = site.navigation(request)
    return redirect(pages[0][1] if pages else reverse("audit:activity"))


urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    *site.urls,
    path("activity/", include("galtea_admin.audit.urls")),
    path("jobs/", include("galtea_admin.jobs.urls")),
    path("preferences/", include("galtea_admin.preferences.urls")),
    path("django-admin/", admin.site.urls),
    path("favicon.ico", favicon),
]
