"""One deadline for all of a page view's Galtea calls, retries included (GALTEA_PAGE_DEADLINE).

Whatever Galtea does (hang, hang and drop the connection so that a read is retried, answer
slowly), a page answers within its deadline, with the admin's own 504 page when the time is
spent. Exports are exempt: each chunk has its own read timeout.
"""

from __future__ import annotations

import time

import pytest

from tests.faults.proxy import hang, hang_then_drop, slow
from tests.pages import LIST_URL, Page

pytestmark = pytest.mark.django_db

DEADLINE = 2.0
RESOURCE = "/phoneConnections"
# What the admin itself may add to the deadline (rendering, the test client).
SLACK = 1.0


@pytest.fixture
def deadline(settings, proxy):
    """A short page deadline, with per-call timeouts and retries that alone would exceed it."""
    settings.GALTEA_PAGE_DEADLINE = DEADLINE
    settings.GALTEA_READ_TIMEOUT = 30.0
    settings.GALTEA_CONNECT_RETRIES = 5
    return proxy


def timed(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


@pytest.fixture
def viewer(client, operator, deadline):
    client.force_login(operator)
    assert client.get(LIST_URL).status_code == 200  # products and voices cached, as in use
    return client


def assert_timeout_page(response, elapsed):
    page = Page(response)
    assert page.status == 504
    assert page.h1 == "Galtea took too long to answer"
    assert page.doc.find("section", class_="problem") is not None
    assert [a.attrs["href"] for a in page.links("Try again")] == [LIST_URL]
    assert elapsed < DEADLINE + SLACK, elapsed


def test_a_list_under_hang_then_drop_answers_within_the_deadline(viewer, deadline):
    deadline.inject(hang_then_drop(0.8), "GET", RESOURCE)

    response, elapsed = timed(viewer, LIST_URL)

    assert_timeout_page(response, elapsed)
    attempts = [r for r in deadline.received("GET") if r.path == RESOURCE]
    assert len(attempts) >= 2, "a dropped read is retried while time is left"


def test_a_hang_is_cut_at_the_deadline(viewer, deadline):
    deadline.inject(hang(), "GET", RESOURCE)

    response, elapsed = timed(viewer, LIST_URL)

    assert_timeout_page(response, elapsed)
    assert elapsed >= DEADLINE - 0.2, "the page waits for its whole deadline, no less"


def test_every_call_of_the_page_shares_one_deadline(client, operator, deadline):
    """Cold caches: products, voices and the list each answer slowly; together too slowly."""
    client.force_login(operator)
    deadline.inject(slow(0.9), "GET")

    response, elapsed = timed(client, LIST_URL)

    assert_timeout_page(response, elapsed)


def test_slow_answers_within_the_deadline_are_waited_for(viewer, deadline):
    deadline.inject(slow(0.5 * DEADLINE), "GET", RESOURCE)

    response, elapsed = timed(viewer, LIST_URL)

    assert response.status_code == 200
    assert elapsed >= 0.5 * DEADLINE


def test_an_export_is_exempt_and_keeps_its_chunk_read_timeout(viewer, deadline, settings):
    settings.GALTEA_EXPORT_READ_TIMEOUT = DEADLINE + 1.5
    deadline.inject(slow(DEADLINE + 0.5), "GET", RESOURCE)

    response, elapsed = timed(viewer, "/phone-connections/export.csv?per_page=25")
    text = b"".join(response.streaming_content).decode()

    assert response.status_code == 200
    assert "ERROR" not in text and len(text.splitlines()) > 1
    assert elapsed > DEADLINE


def test_an_export_chunk_that_outlasts_its_read_timeout_fails(viewer, deadline, settings):
    settings.GALTEA_EXPORT_READ_TIMEOUT = 0.5
    deadline.inject(hang(), "GET", RESOURCE)

    response, elapsed = timed(viewer, "/phone-connections/export.csv")

    assert response.status_code == 504
    assert elapsed < 0.5 + SLACK
