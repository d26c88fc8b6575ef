"""Fixtures of the tests of working on many phone connections at once: bulk delete, export,
saved views and column choice.

Tests that change data point the admin at the session emulator and only touch rows of their
own (unique names), which are deleted again afterwards. `gateway` puts the editing tests'
recording proxy between the admin and the emulator, so that chosen requests fail.
"""

from __future__ import annotations

import pytest

from tests.batch.pages import unique_marker


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "large: exports a hundred thousand rows from an emulator of its own"
    )


@pytest.fixture
def marker() -> str:
    """A word only this test's rows have in their names: `name=<marker>` lists just them."""
    return unique_marker()
