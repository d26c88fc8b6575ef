"""Several workers share the sign-in lock-out and the sessions: the admin served as
`make serve` serves it (gunicorn, 2 gthread workers, DEBUG off) over a SQLite database of
its own, the emulator as Galtea. Keep-alive connections are pinned to each worker (the
access log says which one answered), so both are asked, whatever the kernel would choose.
"""

from __future__ import annotations

import secrets

import pytest
import requests

from tests.emulator_process import start_emulator
from tests.serving import RunningAdmin, admin_environment, prepare, start_admin

PASSWORD = "a-long-test-password"
LIMIT = 3
LOGIN = "/accounts/login/"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> RunningAdmin:
    directory = tmp_path_factory.mktemp("several-workers")
    emulator = start_emulator(directory, seed=0)
    try:
        env = admin_environment(directory, emulator=emulator, LOGIN_FAILURE_LIMIT=str(LIMIT))
        prepare(env, users=["ana", "bo"], password=PASSWORD)
        admin = start_admin(directory, env=env, workers=2)
        try:
            yield admin
        finally:
            admin.stop()
    finally:
        emulator.stop()


def send(admin: RunningAdmin, connection: requests.Session, worker: int | None, method, path, **kw):
    """One request, marked; checks that `worker` (when given) answered it."""
    marker = secrets.token_hex(8)
    url = f"{admin.url}{path}{'&' if '?' in path else '?'}probe={marker}"
    answer = connection.request(method, url, allow_redirects=False, timeout=30, **kw)
    answered_by = admin.answered_by(marker)
    if worker is not None:
        assert answered_by == worker, "the keep-alive connection moved to another worker"
    return answer, answered_by


def connections_to_each_worker(admin: RunningAdmin) -> dict[int, requests.Session]:
    """A keep-alive connection to every worker (with the CSRF cookie the sign-in needs):
    new ones are opened until each worker has answered one."""
    found: dict[int, requests.Session] = {}
    for _ in range(100):
        connection = requests.Session()
        answer, worker = send(admin, connection, None, "GET", LOGIN)
        assert answer.status_code == 200
        if worker in found:
            connection.close()
            continue
        found[worker] = connection
        if len(found) == admin.workers:
            return found
    raise AssertionError(f"only workers {sorted(found)} answered 100 new connections")


@pytest.fixture
def connections(served):
    found = connections_to_each_worker(served)
    yield found
    for connection in found.values():
        connection.close()


def sign_in(admin, connection, worker, username, password):
    data = {
        "username": username,
        "password": password,
        "csrfmiddlewaretoken": connection.cookies["csrftoken"],
    }
    answer, _ = send(admin, connection, worker, "POST", LOGIN, data=data)
    return answer


def test_the_failure_limit_counts_across_workers(served, connections):
    workers = sorted(connections)
    codes = []
    for guess in range(LIMIT):
        worker = workers[guess % len(workers)]
        codes.append(sign_in(served, connections[worker], worker, "ana", f"wrong-{guess}"))
    # Each worker saw only half of the guesses; together they reached the limit.
    assert [answer.status_code for answer in codes] == [200] * (LIMIT - 1) + [429]
    for worker in workers:
        locked = sign_in(served, connections[worker], worker, "ana", PASSWORD)
        assert locked.status_code == 429
        assert "Too many failed sign-ins." in locked.text
        assert "sessionid" not in connections[worker].cookies


def test_a_sign_out_ends_the_session_on_every_worker(served, connections):
    first, second = sorted(connections)
    assert sign_in(served, connections[first], first, "bo", PASSWORD).status_code == 302
    cookie = connections[first].cookies["sessionid"]
    connections[second].cookies.set("sessionid", cookie)
    # Both workers have used the session (with sessions cached in each process's memory,
    # the second kept its copy after the sign-out).
    for worker in (first, second):
        home, _ = send(served, connections[worker], worker, "GET", "/")
        assert home.status_code == 302
        assert home.headers["Location"] == "/phone-connections/"
    page, _ = send(served, connections[second], second, "GET", "/phone-connections/")
    assert page.status_code == 200
    assert "Phone connections" in page.text

    token = connections[first].cookies["csrftoken"]
    out, _ = send(
        served, connections[first], first, "POST", "/accounts/logout/",
        data={"csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert out.status_code == 302

    old = {"sessionid": cookie}
    for worker in (first, second):
        home, _ = send(served, connections[worker], worker, "GET", "/", cookies=old)
        assert home.status_code == 302
        assert home.headers["Location"].startswith(f"{LOGIN}?next=")
    answered = set()
    for _ in range(20):
        with requests.Session() as fresh:
            home, worker = send(
                served, fresh, None, "GET", "/", cookies=old, headers={"Connection": "close"}
            )
        assert home.status_code == 302
        assert home.headers["Location"].startswith(f"{LOGIN}?next=")
        answered.add(worker)
    assert answered <= {first, second}
