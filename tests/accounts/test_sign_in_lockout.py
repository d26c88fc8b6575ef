"""Sign-in lock-out (django-axes): failures counted in the database per name and client
address, over the site's sign-in and the Django admin's."""

import time
from datetime import timedelta

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

RIGHT = "a-long-test-password"
ADMIN_LOGIN = "/django-admin/login/"
LOCKED_MESSAGE = "Too many failed sign-ins. Wait 15 minutes, then try again."


@pytest.fixture
def limit(settings):
    """A lock-out after 3 failures, for 15 minutes."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    return 3


@pytest.fixture
def boss(django_user_model):
    return django_user_model.objects.create_superuser("boss", "b@example.com", RIGHT)


def sign_in(client, username, password, path=None, **extra):
    return client.post(
        path or reverse("login"), {"username": username, "password": password}, **extra
    )


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_repeated_failures_lock_the_name_out_for_a_while(client, operator, limit):
    for _ in range(limit - 1):
        assert sign_in(client, "ana", "wrong-password").status_code == 200
    # The failure that reaches the limit already says so.
    reached = sign_in(client, "ana", "wrong-password")
    assert reached.status_code == 429
    assert LOCKED_MESSAGE in reached.content.decode()
    locked = sign_in(client, "ana", RIGHT)
    assert locked.status_code == 429
    page = locked.content.decode()
    assert LOCKED_MESSAGE in page
    assert "Please enter a correct username" not in page
    assert 'value="ana"' in page
    assert '<label for="id_password">Password</label>' in page
    assert 'href="/static/css/admin.css"' in page
    assert locked["Retry-After"] == "900"
    assert signed_in_user_id(client) is None


def test_a_successful_sign_in_clears_earlier_failures(client, operator, limit):
    for _ in range(2):
        sign_in(client, "ana", "wrong-password")
    assert sign_in(client, "ana", RIGHT).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        sign_in(client, "ana", "wrong-password")
    assert sign_in(client, "ana", RIGHT).status_code == 302


def test_other_names_are_not_locked_out_by_one_name(client, operator, django_user_model, limit):
    django_user_model.objects.create_user(username="bo", password="another-long-password")
    for _ in range(limit + 1):
        sign_in(client, "ana", "nope")
    assert sign_in(client, "bo", "another-long-password").status_code == 302


def test_a_blank_password_does_not_reset_the_count(client, operator, limit):
    for _ in range(limit - 1):
        sign_in(client, "ana", "wrong-password")
    blank = sign_in(client, "ana", "")
    assert blank.status_code == 200
    assert "This field is required" in blank.content.decode()
    assert sign_in(client, "ana", "wrong-password").status_code == 429
    assert sign_in(client, "ana", RIGHT).status_code == 429
    assert signed_in_user_id(client) is None


def test_a_success_clears_only_that_name_from_that_address(
    client, operator, django_user_model, limit
):
    django_user_model.objects.create_user(username="bo", password="another-long-password")
    for _ in range(limit - 1):
        sign_in(client, "ana", "wrong-password")
    # Someone else signing in from the same address, and ana from another one, clear
    # nothing of ana's failures from this address.
    assert sign_in(client, "bo", "another-long-password").status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "ana", RIGHT, REMOTE_ADDR="198.51.100.9").status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "ana", "wrong-password").status_code == 429
    assert sign_in(client, "ana", RIGHT).status_code == 429
    # Locked from this address only.
    assert sign_in(client, "ana", RIGHT, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_the_lockout_lasts_from_the_last_failure(client, operator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(seconds=1.5)
    assert sign_in(client, "ana", "wrong-password").status_code == 200
    time.sleep(0.9)
    assert sign_in(client, "ana", "wrong-password").status_code == 429
    time.sleep(0.9)
    # 1.8 s after the first failure, 0.9 s after the last: still locked (and trying again
    # while locked starts the wait again).
    assert sign_in(client, "ana", RIGHT).status_code == 429
    time.sleep(1.7)
    assert sign_in(client, "ana", RIGHT).status_code == 302


def test_the_django_admin_sign_in_is_locked_out_too(client, boss, limit):
    for _ in range(limit - 1):
        answer = sign_in(client, "boss", "wrong-password", ADMIN_LOGIN)
        assert answer.status_code == 200
    assert sign_in(client, "boss", "wrong-password", ADMIN_LOGIN).status_code == 429
    locked = sign_in(client, "boss", RIGHT, ADMIN_LOGIN)
    assert locked.status_code == 429
    assert signed_in_user_id(client) is None
    assert client.get("/django-admin/").status_code == 302
    page = locked.content.decode()
    assert LOCKED_MESSAGE in page
    assert 'href="/static/css/admin.css"' in page
    assert f'href="{ADMIN_LOGIN}"' in page
    assert locked["Retry-After"] == "900"
    # One count for both ways in: the site's sign-in refuses the name as well.
    assert sign_in(client, "boss", RIGHT).status_code == 429


def test_failures_on_either_sign_in_add_up(client, boss, limit):
    sign_in(client, "boss", "wrong-password")
    sign_in(client, "boss", "wrong-password", ADMIN_LOGIN)
    assert sign_in(client, "boss", "wrong-password").status_code == 429
    assert sign_in(client, "boss", RIGHT, ADMIN_LOGIN).status_code == 429
    assert signed_in_user_id(client) is None


def test_the_admin_sign_in_still_works(client, boss, limit):
    sign_in(client, "boss", "wrong-password", ADMIN_LOGIN)
    answer = sign_in(client, "boss", RIGHT, ADMIN_LOGIN)
    assert answer.status_code == 302
    assert client.get("/django-admin/").status_code == 200


def test_behind_a_trusted_proxy_each_client_counts_for_itself(
    client, operator, django_user_model, limit, settings
):
    """Everyone reaches the admin from the proxy's address; X-Forwarded-For says who."""
    settings.TRUSTED_PROXIES = 1
    django_user_model.objects.create_user(username="bo", password="another-long-password")
    guesser = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for number in range(20):
        sign_in(client, f"nobody-{number}", "guess", **guesser)
    for _ in range(limit):
        sign_in(client, "ana", "guess", **guesser)
        sign_in(client, "bo", "guess", **guesser)
    assert sign_in(client, "ana", RIGHT, **guesser).status_code == 429
    assert sign_in(client, "bo", "another-long-password", **guesser).status_code == 429
    assert sign_in(client, "ana", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.20").status_code == 302
    client.post(reverse("logout"))
    bo = sign_in(client, "bo", "another-long-password", HTTP_X_FORWARDED_FOR="198.51.100.21")
    assert bo.status_code == 302


def test_what_a_client_writes_into_forwarded_for_itself_is_ignored(
    client, operator, limit, settings
):
    """The proxy appends the address it saw; entries to its left are the client's own."""
    settings.TRUSTED_PROXIES = 1
    for number in range(limit):
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{number}, 203.0.113.7"}
        sign_in(client, "ana", "guess", **forged)
    forged = {"HTTP_X_FORWARDED_FOR": "198.51.100.20, 203.0.113.7"}
    assert sign_in(client, "ana", RIGHT, **forged).status_code == 429


def test_without_a_trusted_proxy_forwarded_for_is_not_believed(client, operator, limit, settings):
    settings.TRUSTED_PROXIES = 0
    for number in range(limit):
        sign_in(client, "ana", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    locked = sign_in(client, "ana", RIGHT, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert locked.status_code == 429
