"""Requests sent ahead: the call runs on another thread, has started by the time the caller
goes on, and hands back its answer or its error through the future."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from galtea_admin.galtea import ahead
from galtea_admin.galtea.ahead import send_ahead


@pytest.fixture
def patient(monkeypatch):
    """A loaded machine may take its time to start a thread: not the fallback's business."""
    monkeypatch.setattr(ahead, "PICK_UP_SECONDS", 5)


def test_the_call_runs_on_another_thread_and_its_answer_comes_back(patient):
    future = send_ahead(lambda a, *, b: (a + b, threading.current_thread().name), 2, b=3)

    total, thread_name = future.result(timeout=5)

    assert total == 5
    assert thread_name != threading.current_thread().name
    assert thread_name.startswith("galtea-ahead")


def test_the_call_has_started_when_the_caller_goes_on_and_runs_alongside_it(patient):
    started, release = threading.Event(), threading.Event()

    def call():
        started.set()
        return release.wait(timeout=5)

    future = send_ahead(call)

    assert started.is_set()  # it went out before the caller's own work
    assert not future.done()  # and the caller was not kept waiting for the answer
    release.set()
    assert future.result(timeout=5) is True


def test_an_error_is_raised_where_the_answer_is_read():
    def call():
        raise LookupError("upstream said no")

    future = send_ahead(call)

    with pytest.raises(LookupError, match="upstream said no"):
        future.result(timeout=5)


def test_when_every_thread_is_busy_the_caller_makes_the_call_itself(monkeypatch):
    """A list view does not queue behind other requests (up to their read timeout)."""
    busy = ThreadPoolExecutor(max_workers=1)
    release = threading.Event()
    busy.submit(release.wait, 5)
    monkeypatch.setattr(ahead, "_POOL", busy)
    monkeypatch.setattr(ahead, "PICK_UP_SECONDS", 0.01)
    try:
        answered = send_ahead(lambda: threading.current_thread().name)
        failed = send_ahead(lambda: 1 / 0)
    finally:
        release.set()
        busy.shutdown()

    assert answered.result(timeout=0) == threading.current_thread().name
    with pytest.raises(ZeroDivisionError):
        failed.result(timeout=0)
