"""Two instances of the admin, each served as `make serve` serves it (gunicorn, 2 gthread
workers, DEBUG off), on one PostgreSQL and one Redis started by the test: what is done on
one is in force on the other.
"""

from __future__ import annotations

import secrets

import pytest
import requests

from tests.emulator_process import start_emulator
from tests.pages import SAVE_VIEW_URL
from tests.services import postgres_server, redis_server
from tests.serving import RunningAdmin, admin_environment, prepare, start_admin

PASSWORD = "a-long-test-password"
LIMIT = 3
LOGIN = "/accounts/login/"
LIST = "/phone-connections/"
USERS = ["ana", "bo", "cy"]


@pytest.fixture(scope="module")
def instances(tmp_path_factory) -> tuple[RunningAdmin, RunningAdmin]:
    directory = tmp_path_factory.mktemp("two-instances")
    with postgres_server() as database_url, redis_server() as redis_url:
        emulator = start_emulator(directory, seed=40)
        try:
            # One environment for both: the same database, cache and secret key.
            env = admin_environment(
                directory,
                emulator=emulator,
                database_url=database_url,
                REDIS_URL=redis_url,
                LOGIN_FAILURE_LIMIT=str(LIMIT),
            )
            prepare(env, users=USERS, password=PASSWORD)
            first = start_admin(directory, env=env, workers=2, name="first")
            try:
                second = start_admin(directory, env=env, workers=2, name="second")
                try:
                    yield first, second
                finally:
                    second.stop()
            finally:
                first.stop()
        finally:
            emulator.stop()


def sign_in_form(admin: RunningAdmin, username: str, password: str) -> tuple:
    session = requests.Session()
    assert session.get(admin.url + LOGIN, timeout=30).status_code == 200
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": session.cookies["csrftoken"],
    }
    answer = session.post(admin.url + LOGIN, data=data, allow_redirects=False, timeout=30)
    return session, answer


def signed_in(admin: RunningAdmin, username: str) -> requests.Session:
    session, answer = sign_in_form(admin, username, PASSWORD)
    assert answer.status_code == 302, answer.text[:500]
    return session


def test_a_lock_out_on_one_instance_holds_on_the_other(instances):
    first, second = instances
    codes = [sign_in_form(first, "ana", f"wrong-{n}")[1].status_code for n in range(LIMIT)]
    assert codes == [200] * (LIMIT - 1) + [429]

    _, answer = sign_in_form(second, "ana", PASSWORD)

    assert answer.status_code == 429
    assert "Too many failed sign-ins." in answer.text


def test_a_sign_out_on_one_instance_ends_the_session_on_the_other(instances):
    first, second = instances
    session = signed_in(first, "bo")
    cookie = {"sessionid": session.cookies["sessionid"]}
    for admin in (first, second):
        page = requests.get(admin.url + LIST, cookies=cookie, allow_redirects=False, timeout=30)
        assert page.status_code == 200, "the session is known to both"

    out = session.post(
        first.url + "/accounts/logout/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert out.status_code == 302

    for _ in range(10):  # fresh connections, so that every worker of both is asked
        for admin in (first, second):
            page = requests.get(
                admin.url + LIST,
                cookies=cookie,
                headers={"Connection": "close"},
                allow_redirects=False,
                timeout=30,
            )
            assert page.status_code == 302
            assert page.headers["Location"].startswith(f"{LOGIN}?next=")


def test_a_view_saved_on_one_instance_is_offered_on_the_other(instances):
    first, second = instances
    name = f"Shared {secrets.token_hex(3)}"
    on_first = signed_in(first, "cy")
    saved = on_first.post(
        first.url + SAVE_VIEW_URL,
        data={
            "name": name,
            "query": "sort=name",
            "csrfmiddlewaretoken": on_first.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=30,
    )
    assert saved.status_code == 302

    on_second = signed_in(second, "cy")
    page = on_second.get(second.url + LIST, timeout=30)

    assert page.status_code == 200
    assert name in page.text
