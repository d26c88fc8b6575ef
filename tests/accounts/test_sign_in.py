"""Sign-in with Django's auth: every page but the login page needs a signed-in user."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.emulator_process import REPO_ROOT

pytestmark = pytest.mark.django_db


def test_home_redirects_to_the_list(signed_in):
    response = signed_in.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/phone-connections/"


@pytest.mark.parametrize("path", ["/", "/phone-connections/", "/phone-connections/x/"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_sign_in_redirect_keeps_the_whole_shared_url(client, operator, galtea_settings):
    shared = "/phone-connections/?name=Support&sort=-name&page=2"
    response = client.get(shared)
    login_url = response["Location"]
    assert login_url == "/accounts/login/?next=" + (
        "/phone-connections/%3Fname%3DSupport%26sort%3D-name%26page%3D2"
    )
    page = client.get(login_url)
    assert page.status_code == 200
    assert 'name="next" value="/phone-connections/?name=Support&amp;sort=-name&amp;page=2"' in (
        page.content.decode()
    )
    after = client.post(
        login_url,
        {"username": "ana", "password": "a-long-test-password", "next": shared},
    )
    assert after.status_code == 302
    assert after["Location"] == shared


def test_sign_in_page_looks_like_the_product(client):
    page = client.get(reverse("login")).content.decode()
    assert "Galtea Admin" in page
    assert 'href="/static/css/admin.css"' in page
    assert '<label for="id_username">Username</label>' in page
    assert '<label for="id_password">Password</label>' in page


def test_wrong_password_says_so_and_keeps_the_username(client, operator):
    response = client.post(reverse("login"), {"username": "ana", "password": "nope"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please enter a correct username and password" in page
    assert 'value="ana"' in page


def test_sign_in_goes_to_the_list(client, operator, galtea_settings):
    response = client.post(
        reverse("login"), {"username": "ana", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert client.get(response["Location"], follow=True).status_code == 200


def test_next_never_leaves_the_site(client, operator):
    response = client.post(
        reverse("login"),
        {"username": "ana", "password": "a-long-test-password", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_sign_out_is_a_post(signed_in):
    assert signed_in.get(reverse("logout")).status_code == 405
    response = signed_in.post(reverse("logout"))
    assert response.status_code == 302
    assert signed_in.get("/phone-connections/").status_code == 302


def test_django_admin_is_reachable_for_superusers(client, django_user_model):
    boss = django_user_model.objects.create_superuser("boss", "b@example.com", "pw-long-enough")
    client.force_login(boss)
    assert client.get("/django-admin/").status_code == 200


def test_sessions_expire(settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600


@pytest.mark.parametrize(
    ("cache_url", "engine"),
    [("", "db"), ("redis://127.0.0.1:6379/0", "cached_db")],
)
def test_sessions_are_kept_where_every_worker_sees_them(cache_url, engine):
    """In the database, which every worker and instance shares (a sign-out ends a session
    everywhere); read through the cache only when that is a shared Redis, never a worker's
    own memory. tests/accounts/test_several_workers.py shows it with gunicorn."""
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.CACHES['default']['BACKEND'])"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="galtea_admin.settings", REDIS_URL=cache_url)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    session_engine, cache_backend = result.stdout.split()
    assert session_engine == f"django.contrib.sessions.backends.{engine}", result.stderr
    if engine == "cached_db":
        assert cache_backend == "django.core.cache.backends.redis.RedisCache"


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password", "12345678", "ana"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_the_tests_use_the_configured_database():
    """`make test` runs the database tests on SQLite and again on PostgreSQL."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
