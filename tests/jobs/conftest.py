"""Fixtures of the job tests: rows of each test's own on the session emulator (jobs run at once
with `jobs_run_at_once`, tests/conftest.py)."""

from __future__ import annotations

import pytest

# WebRTC connections of a test's own, deleted after it (a fixture).
from tests.webrtc_connections.conftest import make_webrtc  # noqa: F401


@pytest.fixture
def five_rows(make_row, marker) -> list[dict]:
    """Five connections of the test's own; the 2nd and 4th have the agent speak first."""
    numbers = ("+14155552671", "+442079460958", "+34912345678", "+33142685300", "+4930901820")
    return [
        make_row(name=f"{marker} {index}", phoneNumber=number, agentSpeaksFirst=index in (1, 3))
        for index, number in enumerate(numbers)
    ]


@pytest.fixture
def marker() -> str:
    from tests.pages import unique_marker

    return unique_marker()
