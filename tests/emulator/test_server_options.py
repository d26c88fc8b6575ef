"""Server behaviour: the start-up line, --latency-ms, the request log, keep-alive, SIGTERM."""

from __future__ import annotations

import time

import requests

from tests.emulator.calls import VALID_NUMBER, first_product_id, send
from tests.emulator_process import start_emulator


def test_the_start_line_names_the_address_and_row_count(fresh_emulator, tmp_path):
    log = (tmp_path / f"emulator-{fresh_emulator.port}.log").read_text()
    assert (
        f"Galtea API emulator listening on http://127.0.0.1:{fresh_emulator.port} "
        "(30 phone connections, 10 WebRTC connections)"
    ) in log


def test_sigterm_stops_the_server_cleanly(fresh_emulator):
    fresh_emulator.stop()
    assert fresh_emulator.process.returncode == 0


def test_latency_delays_every_answer(tmp_path):
    running = start_emulator(tmp_path, seed=1, latency_ms=300)
    try:
        for path in ("/products", "/nope"):
            started = time.monotonic()
            running.get(path)
            assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        requests.get(running.url + "/products", timeout=10)
        assert time.monotonic() - started >= 0.3
    finally:
        running.stop()


def test_the_request_log_records_each_answer(fresh_emulator):
    body = {
        "productId": first_product_id(fresh_emulator),
        "name": "Logged",
        "phoneNumber": VALID_NUMBER,
    }
    fresh_emulator.clear_request_log()
    fresh_emulator.get(
        "/phoneConnections?productIds%5B%5D=prod_x&name=a%2Bb&sort[]=name&sort[]=asc"
    )
    fresh_emulator.get("/phoneConnections?limit=-1")
    fresh_emulator.get("/nope")
    requests.get(fresh_emulator.url + "/products", timeout=10)
    send(fresh_emulator, "POST", "/phoneConnections", json=body)
    assert fresh_emulator.requests_received() == [
        {
            "method": "GET",
            "path": "/phoneConnections",
            "query": "productIds%5B%5D=prod_x&name=a%2Bb&sort%5B%5D=name&sort%5B%5D=asc",
            "status": 200,
        },
        {"method": "GET", "path": "/phoneConnections", "query": "limit=-1", "status": 400},
        {"method": "GET", "path": "/nope", "query": "", "status": 404},
        {"method": "GET", "path": "/products", "query": "", "status": 401},
        {"method": "POST", "path": "/phoneConnections", "query": "", "status": 201},
    ]


def test_the_request_log_never_holds_the_api_key(fresh_emulator):
    fresh_emulator.get("/products")
    send(fresh_emulator, "GET", "/products", headers={"Authorization": "Bearer gsk_other_secret"})
    text = fresh_emulator.request_log_path.read_text()
    assert fresh_emulator.api_key not in text
    assert "gsk_other_secret" not in text
    assert "Authorization" not in text


def test_one_keep_alive_connection_serves_many_requests(emulator):
    with requests.Session() as session:
        session.headers.update(emulator.auth)
        responses = [session.get(emulator.url + "/phoneConnections?limit=1") for _ in range(20)]
    assert {response.status_code for response in responses} == {200}
    assert all(response.headers.get("Connection") != "close" for response in responses)


def test_urls_beyond_the_header_limit_are_refused(emulator):
    ids = "&".join(f"ids[]=phoneConnection_{index:032d}" for index in range(600))
    assert emulator.get(f"/phoneConnections?{ids}").status_code == 431
