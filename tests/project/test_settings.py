"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys

import pytest

from tests.emulator_process import REPO_ROOT


def manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GALTEA_"))}
    base["DJANGO_SETTINGS_MODULE"] = "galtea_admin.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"GALTEA_API_KEY": "gsk_x"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "s" * 50}, "GALTEA_API_KEY"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = manage("check", DJANGO_DEBUG="false", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]
    assert "Traceback" not in result.stderr


def test_production_starts_with_both_secrets():
    result = manage(
        "check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="s" * 50, GALTEA_API_KEY="gsk_x"
    )
    assert result.returncode == 0, result.stderr


def test_a_malformed_boolean_is_explained():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "Galtea Admin cannot start: DJANGO_DEBUG must be true or false, not 'maybe'."
    )


def test_database_url_selects_the_database(tmp_path):
    target = tmp_path / "elsewhere.sqlite3"
    result = manage("migrate", "--noinput", DATABASE_URL=f"sqlite:///{target}")
    assert result.returncode == 0, result.stderr
    assert target.exists()


def test_postgres_urls_are_understood():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'], db['HOST'])"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GALTEA_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="galtea_admin.settings",
        DATABASE_URL="postgres://galtea:secret@db.internal:5432/galtea_admin",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "galtea_admin",
        "db.internal",
    ]


def test_createsuperuser_noinput_uses_the_environment_password(tmp_path):
    db = f"sqlite:///{tmp_path / 'users.sqlite3'}"
    assert manage("migrate", "--noinput", DATABASE_URL=db).returncode == 0
    result = manage(
        "createsuperuser",
        "--noinput",
        "--username",
        "root",
        "--email",
        "root@example.com",
        DATABASE_URL=db,
        DJANGO_SUPERUSER_PASSWORD="a-long-root-password",
    )
    assert result.returncode == 0, result.stderr
    check = (
        "import django; django.setup(); from django.contrib.auth import authenticate; "
        "from django.test import RequestFactory; request = RequestFactory().post('/'); "
        "print(authenticate(request, username='root', password='a-long-root-password')"
        ".is_superuser)"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GALTEA_"))}
    env.update(DJANGO_SETTINGS_MODULE="galtea_admin.settings", DATABASE_URL=db)
    out = subprocess.run(
        [sys.executable, "-c", check], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "True", out.stderr


def test_production_settings_pass_the_deployment_check():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k" * 30 + "-production-like-secret-9876543210",
        GALTEA_API_KEY="gsk_x",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_sends_the_security_headers(client, settings):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
